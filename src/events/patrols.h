// 看听问记报: the grid worker's patrol log. One entry is one visit round in one grid: when it
// started and ended, which of the five steps it covered (看 look, 听 listen, 问 ask, 记 record,
// 报 report), how many households were visited, a note, optionally where, and optionally the
// event it led to. Entries are evidence: never changed or deleted once written.
//
// Table patrols: grid_id (orgs), worker_user_id, worker_name, started_at, ended_at (unix ms),
// kinds (comma-separated step names, in the order above), households_visited, note, lat, lng,
// event_id (NULL when none), attachments (JSON array of photo ids), created_at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "events/service.h"
#include "store/database.h"
#include "store/migrations.h"

namespace wangge::events {

// The five steps, in order: "look", "listen", "ask", "record", "report".
const std::vector<std::string>& patrol_kinds();

struct NewPatrol {
  // A grid, micro-grid or building code (normalized to the grid); empty: the actor's own grid.
  std::string grid_code;
  Instant started_at, ended_at;     // ended_at ≥ started_at, at most 24 hours apart, not future
  std::vector<std::string> kinds;   // 1–5 distinct names of patrol_kinds()
  int households_visited = 0;       // 0 … 10,000
  std::string note;                 // 0–2000 characters
  std::optional<double> lat, lng;   // both or neither; within China's bounds
  std::optional<int64_t> event_id;  // an event the actor may see
  std::vector<std::string> attachments;  // photo ids
};

struct Patrol {
  int64_t id = 0;
  std::string grid_code, grid_name;
  int64_t worker_user_id = 0;
  std::string worker_name;
  Instant started_at, ended_at, created_at;
  std::vector<std::string> kinds;
  int households_visited = 0;
  std::string note;
  std::optional<double> lat, lng;
  std::optional<int64_t> event_id;
  std::vector<std::string> attachments;
};

// Records an entry. REQUIRES: a user actor with can_report whose scope holds the grid;
// Error(forbidden) otherwise (Error(not_found) for a grid outside the scope), bad_input naming
// the field for malformed input.
Patrol log_patrol(store::Tx& tx, const Actor& actor, const NewPatrol& p, Instant now);

struct PatrolFilter {
  std::string org_code;  // grids within this subtree (must be in scope); empty: the scope
  std::optional<Instant> from, to;  // started_at in [from, to)
  int page = 1, size = 20;          // size 1–100
};
struct PatrolPage {
  int64_t total = 0;
  std::vector<Patrol> items;  // newest start first
};
// Entries in the actor's scope; an org outside it is Error(not_found). Residents see none.
PatrolPage list_patrols(store::Tx& tx, const Actor& actor, const PatrolFilter& f);

// The patrols table (module "patrols").
const std::vector<store::Migration>& patrol_migrations();

}  // namespace wangge::events
