#include "crash/checks.h"

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/digest.h"
#include "crash/server.h"
#include "http/client.h"
#include "store/database.h"

namespace wangge::crash {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The sweep's idea of an open event (src/events/sweep.cpp).
constexpr const char* kOpen =
    "e.state IN ('reported','accepted','dispatched','in_progress','returned','reopened')";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

void check_reports(store::Tx& tx, const Ledger& l, Findings& out) {
  std::map<std::string, std::pair<int64_t, int64_t>> found;  // title → (count, min id)
  for (const auto& r : tx.query("SELECT title, COUNT(*), MIN(id) FROM events WHERE title LIKE "
                                "'crash %' GROUP BY title")) {
    found[r.text(0)] = {r.i64(1), r.i64(2)};
  }
  for (const auto& [key, id] : l.created) {
    ++out.checked;
    auto it = found.find("crash " + key);
    if (it == found.end()) {
      ++out.lost;
      out.add("acknowledged report " + key + " (id " + std::to_string(id) + ") is missing");
    } else if (it->second.first != 1 || (id != 0 && it->second.second != id)) {
      out.add("acknowledged report " + key + " is there " + std::to_string(it->second.first) +
              " times (first id " + std::to_string(it->second.second) + ", answered " +
              std::to_string(id) + ")");
    }
  }
  for (const auto& key : l.created_unanswered) {
    auto it = found.find("crash " + key);
    if (it != found.end() && it->second.first > 1) {
      out.add("unanswered report " + key + " is there " + std::to_string(it->second.first) +
              " times");
    }
  }
  if (int64_t n = tx.query_int(
          "SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_steps s WHERE "
          "s.event_id = e.id AND s.action = 'report')")) {
    out.add(std::to_string(n) + " events without their report step");
  }
  if (int64_t n = tx.query_int(
          "SELECT COUNT(*) FROM events e WHERE e.state <> (SELECT s.to_state FROM event_steps s "
          "WHERE s.event_id = e.id ORDER BY s.id DESC LIMIT 1)")) {
    out.add(std::to_string(n) + " events whose state is not their last step's");
  }
}

void check_steps(store::Tx& tx, const Ledger& l, Findings& out) {
  std::map<std::string, int64_t> found;  // "<id> <action>" → count
  for (const auto& r :
       tx.query("SELECT s.event_id, s.action, COUNT(*) FROM event_steps s JOIN events e ON e.id = "
                "s.event_id WHERE e.title LIKE 'crash %' AND s.action IN ('accept', 'start', "
                "'resolve', 'verify_pass') GROUP BY s.event_id, s.action")) {
    found[std::to_string(r.i64(0)) + " " + r.text(1)] = r.i64(2);
  }
  for (const auto& s : l.steps) {
    ++out.checked;
    auto it = found.find(s);
    if (it == found.end()) {
      ++out.lost;
      out.add("acknowledged step " + s + " is missing");
    }
  }
  for (const auto& [s, n] : found) {
    if (n > 1) out.add("step " + s + " recorded " + std::to_string(n) + " times");
  }
}

void check_colors(store::Tx& tx, const Ledger& l, Findings& out) {
  struct Row {
    int64_t count = 0, resident = 0;
    std::string color;
  };
  std::map<std::string, Row> found;  // reason → rows
  for (const auto& r :
       tx.query("SELECT reason, subject_id, to_color FROM color_history WHERE subject = "
                "'resident' AND reason LIKE 'crash %'")) {
    auto& f = found[r.text(0)];
    ++f.count;
    f.resident = r.i64(1);
    f.color = r.text(2);
  }
  for (const auto& [reason, c] : l.colors) {
    ++out.checked;
    auto it = found.find(reason);
    if (it == found.end()) {
      ++out.lost;
      out.add("acknowledged colour change " + reason + " is missing");
    } else if (it->second.count != 1 || it->second.resident != c.resident ||
               it->second.color != c.color) {
      out.add("colour change " + reason + " is there " + std::to_string(it->second.count) +
              " times, as " + it->second.color);
    }
  }
  for (const auto& [reason, row] : found) {
    if (!l.colors.count(reason) && row.count > 1) {
      out.add("unanswered colour change " + reason + " is there " + std::to_string(row.count) +
              " times");
    }
  }
  // The value: each resident has the colour of its last change that the history holds.
  for (const auto& [resident, reasons] : l.color_order) {
    std::string want;
    for (const auto& r : reasons) {
      if (auto it = found.find(r); it != found.end()) want = it->second.color;
    }
    if (want.empty()) continue;
    auto row = tx.query_one("SELECT color FROM residents WHERE id = ?", {resident});
    std::string has = row && !row->is_null(0) ? row->text(0) : "";
    if (has != want) {
      out.add("resident " + std::to_string(resident) + " is " + has + ", its last change said " +
              want);
    }
  }
}

void check_photos(store::Tx& tx, const Target& t, const Ledger& l, Findings& out) {
  std::map<std::string, int64_t> rows;
  for (const auto& r : tx.query("SELECT sha256, size FROM photos")) rows[r.text(0)] = r.i64(1);
  auto path_of = [&](const std::string& sha) {
    return t.photo_dir / sha.substr(0, 2) / sha.substr(2);
  };
  for (const auto& [sha, size] : l.photos) {
    ++out.checked;
    if (!rows.count(sha)) {
      ++out.lost;
      out.add("acknowledged photo " + sha + " has no row");
      continue;
    }
    std::error_code ec;
    if (!fs::exists(path_of(sha), ec)) {
      ++out.lost;
      out.add("acknowledged photo " + sha + " has no file");
    } else if (sha256_hex(read_file(path_of(sha))) != sha) {
      ++out.lost;
      out.add("acknowledged photo " + sha + ": the file's bytes are not the photo's");
    }
  }
  for (const auto& [sha, size] : rows) {
    std::error_code ec;
    auto p = path_of(sha);
    if (!fs::exists(p, ec)) {
      out.add("photo row " + sha + " without its file");
    } else if (static_cast<int64_t>(fs::file_size(p, ec)) != size) {
      out.add("photo " + sha + ": file of " + std::to_string(fs::file_size(p, ec)) +
              " bytes, row says " + std::to_string(size));
    }
  }
  std::error_code ec;
  if (!fs::exists(t.photo_dir, ec)) return;
  for (const auto& e : fs::recursive_directory_iterator(t.photo_dir)) {
    if (!e.is_regular_file()) continue;
    std::string sha = e.path().parent_path().filename().string() + e.path().filename().string();
    if (!rows.count(sha)) out.add("file without a row left after the start: " + e.path().string());
  }
}

}  // namespace

void check_writes(const Target& t, const Ledger& ledger, Findings& out) {
  auto db = store::Database::open(t.db_url, {.pool_size = 1});
  auto tx = db->begin(store::TxMode::read);
  check_reports(*tx, ledger, out);
  check_steps(*tx, ledger, out);
  check_colors(*tx, ledger, out);
  check_photos(*tx, t, ledger, out);
}

void check_sweep(Process& server, const Target& t, int64_t due_by_ms,
                 const std::vector<int64_t>& must_climb, Findings& out) {
  // The sweep runs on its own thread from the start and logs its first run once committed.
  if (!server.wait_first_sweep()) out.add("the server logged no sweep after its start");
  auto db = store::Database::open(t.db_url, {.pool_size = 1});
  {
    auto tx = db->begin(store::TxMode::read);
    int64_t left = tx->query_int(std::string("SELECT COUNT(*) FROM events e WHERE ") + kOpen +
                                     " AND e.due_at <= ? AND e.level < 5",
                                 {due_by_ms});
    if (left)
      out.add(std::to_string(left) + " events overdue before the kill not escalated after it");
  }
  auto tx = db->begin(store::TxMode::read);
  for (int64_t id : must_climb) {
    if (tx->query_int("SELECT COUNT(*) FROM event_steps WHERE event_id = ? AND actor_name = "
                      "'system' AND to_level > from_level",
                      {id}) == 0) {
      out.add("event " + std::to_string(id) + " overdue before a kill was never escalated");
    }
  }
}

void check_audit_and_index(const Target& t, Findings& out) {
  auto [code, said] = run_command({"audit", "verify", "--db", t.db_url}, t.env);
  if (code != 0) out.add("audit verify exited " + std::to_string(code) + ": " + said);

  http::testing::Client c(t.port);
  const http::testing::HeaderList auth = {{"Authorization", "Bearer " + t.reader_token}};
  const std::string period = "&from=2000-01-01&to=2099-12-31";
  for (const auto& [form, level] :
       {std::pair{"events", "county"}, {"red_yellow_green", "village"}}) {
    auto served = c.get(std::string("/api/v1/reports/") + form +
                            "?org=530600000000&level=" + level + period + "&format=json",
                        auth);
    auto [rc, text] =
        run_command({"report", form, "--db", t.db_url, "--org", "530600000000", "--level", level,
                     "--from", "2000-01-01", "--to", "2099-12-31", "--format", "json"},
                    t.env);
    json fresh = json::parse(text, nullptr, false);
    if (served.status != 200 || rc != 0 || fresh.is_discarded()) {
      out.add(std::string("report ") + form + ": served " + std::to_string(served.status) +
              ", command exited " + std::to_string(rc) + ": " + text.substr(0, 300));
    } else if (served.json() != fresh) {
      out.add(std::string("report ") + form +
              " served after the restart differs from a fresh "
              "process's: " +
              served.body.substr(0, 400) + " vs " + fresh.dump().substr(0, 400));
    }
  }
  auto kpi = c.get("/api/v1/kpis/events?org=530600000000" + period, auth);
  auto db = store::Database::open(t.db_url, {.pool_size = 1});
  auto tx = db->begin(store::TxMode::read);
  json k = kpi.json();
  const std::map<std::string, int64_t> by_sql = {
      {"received", tx->query_int("SELECT COUNT(*) FROM events")},
      {"closed", tx->query_int("SELECT COUNT(*) FROM events WHERE state = 'closed'")},
      {"open", tx->query_int("SELECT COUNT(*) FROM events e WHERE " + std::string(kOpen))}};
  for (const auto& [name, n] : by_sql) {
    if (!k.contains(name) || k[name] != n) {
      out.add("KPI " + name + " served " + (k.contains(name) ? k[name].dump() : "nothing") +
              ", the tables hold " + std::to_string(n));
    }
  }
}

}  // namespace wangge::crash
