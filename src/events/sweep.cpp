// The escalation sweep (五级): overdue events climb one level with a fresh clock, events at the
// city level are flagged, and approaching deadlines are announced once per clock.
#include "core/error.h"
#include "events/internal.h"
#include "events/service.h"

namespace wangge::events {
namespace {

constexpr const char* kOpen =
    "e.state IN ('reported','accepted','dispatched','in_progress','returned','reopened')";

std::vector<int64_t> ids(store::Tx& tx, const std::string& where, const store::Params& p) {
  std::vector<int64_t> out;
  tx.each("SELECT e.id FROM events e WHERE " + where + " ORDER BY e.id", p,
          [&](const store::Row& r) { out.push_back(r.i64(0)); });
  return out;
}

}  // namespace

SweepResult sweep(store::Tx& tx, Instant now, const WorkCalendar& calendar) {
  SweepResult result;
  const int64_t at = to_unix_ms(now);
  Actor system = Actor::system();
  // Overdue below the city: climb one level (the fresh clock starts now, so a second sweep
  // for the same time finds nothing left to do).
  for (int64_t id :
       ids(tx, std::string(kOpen) + " AND e.due_at <= ? AND e.level < ?", {at, kMaxLevel})) {
    detail::Loaded l = *detail::load(tx, id);
    std::string note = "超过办结期限" + format_local(l.e.due_at) + "未办结，自动上报上级";
    detail::climb(tx, l, system, note, now, calendar, true);
    ++result.escalated;
    result.changed.push_back(id);
  }
  // Overdue at the city: stays, flagged once per clock.
  for (int64_t id :
       ids(tx,
           std::string(kOpen) + " AND e.due_at <= ? AND e.level >= ? AND e.top_overdue_at IS NULL",
           {at, kMaxLevel})) {
    detail::Loaded l = *detail::load(tx, id);
    l.e.overdue = true;
    l.top_overdue_at = now;
    detail::save(tx, l, now);
    detail::notify_org(tx, NoticeKind::escalated, l, l.e.owner_code, now);
    ++result.flagged_overdue;
    result.changed.push_back(id);
  }
  // Deadlines within kDeadlineNear: one notification per clock.
  const int64_t near = to_unix_ms(now + kDeadlineNear);
  for (int64_t id :
       ids(tx, std::string(kOpen) + " AND e.due_at > ? AND e.due_at <= ? AND e.near_notified = 0",
           {at, near})) {
    detail::Loaded l = *detail::load(tx, id);
    l.near_notified = true;
    detail::save(tx, l, now);
    detail::notify_org(tx, NoticeKind::deadline_near, l, l.e.owner_code, now);
    ++result.near_notified;
    result.changed.push_back(id);
  }
  return result;
}

}  // namespace wangge::events
