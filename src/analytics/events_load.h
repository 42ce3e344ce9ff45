// Events in the index (the closed loop's tables, src/events/schema.cpp): one record per event,
// placed at its grid (grid_id), so an org subtree's events are one range. Internal.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "analytics/index.h"

namespace wangge::analytics {

namespace col {
// Event columns. state/source/sla/damage: enum + 1; category / category_top: position in
// events::categories() + 1; *_day: local yyyymmdd; *_ms: unix ms (0: none); level and
// resolved_level 1..5 (0 / null: none); flags: EventFlag.
inline constexpr int e_state = 0, e_source = 1, e_sla = 2, e_damage = 3, e_category = 4,
                     e_category_top = 5, e_level = 6, e_resolved_level = 7, e_satisfaction = 8,
                     e_people = 9, e_reported_day = 10, e_due_day = 11, e_closed_day = 12,
                     e_first_due_day = 13, e_handling_days = 14, e_flags = 15, e_reported_ms = 16,
                     e_accepted_ms = 17, e_resolved_ms = 18, e_closed_ms = 19, e_first_due_ms = 20;
}  // namespace col

enum EventFlag : uint64_t {
  ev_open = 1 << 0,             // the SLA clock runs (not resolved, closed or cancelled)
  ev_closed = 1 << 1,           // 结案
  ev_overdue = 1 << 2,          // a due time passed while open
  ev_on_time = 1 << 3,          // closed by first_due_at (按期结案)
  ev_escalated = 1 << 4,        // climbed at least one level
  ev_reopened = 1 << 5,         // 返工 at least once
  ev_extended = 1 << 6,         // 延期 at least once
  ev_recurrence = 1 << 7,       // repeats a closed event (复发)
  ev_urgent = 1 << 8,           // 紧急
  ev_response_late = 1 << 9,    // urgent and accepted after 10 minutes
  ev_cancelled = 1 << 10,       // 作废
  ev_resolved = 1 << 11,        // 办结 (resolved_at set)
  ev_response_known = 1 << 12,  // urgent and accepted (response_late not null)
};

std::vector<ColumnType> event_column_types();
inline constexpr std::string_view kEventSelect =
    "SELECT id, grid_id, state, source, sla_class, damage, category, level, resolved_level, "
    "satisfaction, people_affected, reported_at, due_at, closed_at, first_due_at, accepted_at, "
    "resolved_at, overdue, escalations, reopens, extensions, recurrence_of, urgency, "
    "response_late, cancelled_at FROM events";
std::optional<RecordValues> event_values(const store::Row& r, const OrgTree& tree);
// Whether the events tables exist in this database.
bool has_events(store::Tx& tx);
// Loads every event; false (and an empty table) when the tables do not exist.
bool load_events(store::Tx& tx, const OrgTree& tree, Table& t);

}  // namespace wangge::analytics
