// A year of events for the demo prefecture (the closed loop, DESIGN §5): realistic categories,
// sources, levels, durations and outcomes, so that the KPIs look like the seeds' (most solved
// at village level, mean handling time near 1.8 days, a few escalated to the city), plus the
// departments of every county that 吹哨报到 summons. Bulk-loaded; deterministic for a seed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/time.h"
#include "demo/prefecture.h"
#include "store/database.h"

namespace wangge::demo {

struct EventsSummary {
  int64_t events = 0, steps = 0, parts = 0, departments = 0, open = 0;
};

// Writes departments and the events of the year before `until` for the planned prefecture:
// events still open at `until` are those whose life goes on past it (just reported, due today,
// near their deadline, a few overdue). progress (may be empty) hears (done, total, what).
// REQUIRES: plan's orgs are written and no events exist yet.
EventsSummary generate_events(
    store::Database& db, const std::vector<PlannedOrg>& plan, uint64_t seed, Instant until,
    const std::function<void(int64_t, int64_t, const std::string&)>& progress = {});

}  // namespace wangge::demo
