// `wangge demo`: fills an empty, migrated database with the synthetic 昭通 prefecture —
// the org tree, the party tree, staff and their posts, households and residents with tags
// and red/yellow/green colours — deterministically for a seed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/time.h"
#include "core/vault.h"
#include "store/database.h"

namespace wangge::demo {

struct Options {
  double scale = 0.01;  // 1.0 = the real prefecture (5 million residents)
  uint64_t seed = 530600;
  // The moment the demo's history ends (ages are counted on its day, and the year of events
  // runs up to it, some still open); empty: now. Set it for a database that must be the same
  // from one run to the next.
  std::optional<Instant> as_of;
  // Called now and then with (done, total, what) for a progress bar; may be empty.
  std::function<void(int64_t, int64_t, const std::string&)> progress;
};

struct Summary {
  int64_t orgs = 0, townships = 0, villages = 0, grids = 0, micro_grids = 0, buildings = 0;
  int64_t party_orgs = 0, staff = 0, posts = 0;
  int64_t households = 0, residents = 0, resident_tags = 0;
};

// REQUIRES: the database is migrated and holds no orgs yet (else Error(conflict)).
Summary generate(store::Database& db, const Vault& vault, const Options& options);

}  // namespace wangge::demo
