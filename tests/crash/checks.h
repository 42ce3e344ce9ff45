// What must hold after `wangge serve` is killed (or the power is cut) and started again,
// checked against the writers' ledger: every acknowledged write present exactly once,
// nothing half-written, the audit chain intact, the analytics index equal to the tables, and
// the sweep caught up.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "crash/load.h"
#include "crash/server.h"

namespace wangge::crash {

struct Target {
  std::string db_url;
  std::filesystem::path photo_dir;
  std::vector<std::string> env;  // for the one-shot commands (WANGGE_KEY_FILE=…)
  uint16_t port = 0;             // the restarted server
  std::string reader_token;      // a city-wide account that reads reports and KPIs
};

struct Findings {
  int64_t lost = 0;                   // acknowledged writes missing
  int64_t checked = 0;                // acknowledged writes looked for
  std::vector<std::string> problems;  // every violation, lost writes included
  void add(std::string what) {
    if (problems.size() < 40) problems.push_back(std::move(what));
  }
};

// The writes of the ledger against the tables and files: present exactly once when
// acknowledged, at most once when unanswered; no event without its report step or with a state
// its last step does not give; every photo row with its file and every file with its row.
void check_writes(const Target& t, const Ledger& ledger, Findings& out);

// Waits (on the database, at most a minute) until no open event that was due by `due_by_ms`
// is below the city: the start-up sweep escalated what was overdue before the kill. Each id in
// `must_climb` also needs a step of the system that raised its level.
void check_sweep(Process& server, const Target& t, int64_t due_by_ms,
                 const std::vector<int64_t>& must_climb, Findings& out);

// `wangge audit verify` exits 0; the served report and KPIs equal a second process's report
// built from the tables and counts made by SQL.
void check_audit_and_index(const Target& t, Findings& out);

}  // namespace wangge::crash
