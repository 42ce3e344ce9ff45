// The escalation sweep (五级): overdue events climb one level with a fresh clock, events at the
// city level are flagged, and approaching deadlines are announced once per clock.
//
// Set-based, because a prefecture holds about a million open events: each of the three passes
// is one query over the (state, due_at) index, then the event rows are updated and the steps
// written in batches of kBatch rows per statement. Orgs on the ladder are read once per sweep.
// Every row is updated only at the version it was read at, exactly as detail::save() does.
#include <algorithm>
#include <unordered_map>

#include "core/error.h"
#include "events/internal.h"
#include "events/service.h"

namespace wangge::events {
namespace {

using detail::Loaded;
using detail::OrgRef;

constexpr const char* kOpen =
    "e.state IN ('reported','accepted','dispatched','in_progress','returned','reopened')";
// Rows per batched statement: 14 parameters a step row stays far below both databases' limits.
constexpr size_t kBatch = 500;

// A candidate row: what the writes and the notification need.
constexpr const char* kCandidate =
    "SELECT e.id, e.version, e.owner_id, o.code, o.name, o.kind, o.parent_id, e.level, e.state, "
    "e.sla_class, e.clock_started_at, e.due_at, e.title, e.category FROM events e "
    "JOIN orgs o ON o.id = e.owner_id WHERE ";

struct Row {
  Loaded l;
  OrgRef owner;
};

Row read_row(const store::Row& r) {
  Row out;
  Event& e = out.l.e;
  e.id = r.i64(0);
  out.l.version = r.i64(1);
  out.l.owner_id = r.i64(2);
  e.owner_code = r.text(3);
  e.owner_name = r.text(4);
  out.owner = {out.l.owner_id, e.owner_code, e.owner_name, r.text(5), 0, r.opt_i64(6)};
  e.level = static_cast<int>(r.i64(7));
  out.owner.level = e.level;  // the event's level is its owner's (五级)
  out.l.owner_level = e.level;
  e.state = parse_state(r.text(8));
  e.sla = parse_sla_class(r.text(9));
  e.clock_started_at = from_unix_ms(r.i64(10));
  e.due_at = from_unix_ms(r.i64(11));
  e.title = r.text(12);
  e.category = r.text(13);
  return out;
}

// query(), not each(): on PostgreSQL each() reads through a cursor, which the planner
// optimises for the first rows, and for ORDER BY e.id it then walks the whole primary key
// (seconds over a million open events) instead of the (state, due_at) index. The candidates
// are a bounded share of the open events and are held in memory anyway.
std::vector<Row> candidates(store::Tx& tx, const std::string& where, const store::Params& p) {
  std::vector<Row> out;
  for (const auto& r : tx.query(std::string(kCandidate) + where + " ORDER BY e.id", p)) {
    out.push_back(read_row(r));
  }
  return out;
}

// The ancestor at the next level that has one, as detail::climb() finds it; org rows are
// read once per sweep.
class Ladder {
 public:
  explicit Ladder(store::Tx& tx) : tx_(tx) {}

  std::optional<OrgRef> up(const OrgRef& owner, int level) {
    for (int l = level + 1; l <= kMaxLevel; ++l) {
      if (auto a = at_level(owner, l)) return a;
    }
    return std::nullopt;
  }

 private:
  store::Tx& tx_;
  std::unordered_map<int64_t, OrgRef> orgs_;

  const OrgRef& org(int64_t id) {
    auto it = orgs_.find(id);
    if (it == orgs_.end()) it = orgs_.emplace(id, detail::org_by_id(tx_, id)).first;
    return it->second;
  }
  // detail::ancestor_at_level over the cache.
  std::optional<OrgRef> at_level(const OrgRef& from, int level) {
    OrgRef at = from;
    for (int guard = 0; guard < 16; ++guard) {
      if (at.level == level && at.kind != "department") return at;
      if (!at.parent_id || at.level > level) return std::nullopt;
      at = org(*at.parent_id);
    }
    return std::nullopt;
  }
};

// "(CAST(? AS BIGINT), …), …" for n rows of `cols` integer columns.
std::string values(size_t rows, size_t cols) {
  std::string one = "(";
  for (size_t c = 0; c < cols; ++c) one += c ? ", CAST(? AS BIGINT)" : "CAST(? AS BIGINT)";
  one += ")";
  std::string out;
  for (size_t r = 0; r < rows; ++r) out += (r ? ", " : "") + one;
  return out;
}

// UPDATE events SET <set> for rows (id, version, extra…), each only at the version it was
// read at; v.column3… are the extra values. `common` binds the placeholders of <set>.
// A row changed meanwhile is Error(conflict, "event_changed"), as in detail::save().
void update_events(store::Tx& tx, const std::string& set, const store::Params& common,
                   const std::vector<store::Params>& rows) {
  for (size_t from = 0; from < rows.size(); from += kBatch) {
    size_t n = std::min(kBatch, rows.size() - from);
    store::Params p = common;
    for (size_t i = from; i < from + n; ++i) p.insert(p.end(), rows[i].begin(), rows[i].end());
    int64_t changed =
        tx.exec("UPDATE events SET " + set + " FROM (VALUES " + values(n, rows[from].size()) +
                    ") AS v WHERE events.id = v.column1 AND events.version = "
                    "v.column2",
                p);
    if (changed != static_cast<int64_t>(n)) {
      throw_conflict("event_changed", "事件已被他人修改，请刷新后重试",
                     "the event was changed meanwhile; reload and try again");
    }
    for (size_t i = from; i < from + n; ++i) tx.changed(kEvent, rows[i][0].as_int());
  }
}

// The system's escalate steps (detail::record_step's row), in batches. Each row: event_id,
// from_state, to_state, from_org_id, to_org_id, from_level, to_level, note.
void insert_steps(store::Tx& tx, int64_t at, const std::vector<store::Params>& rows) {
  for (size_t from = 0; from < rows.size(); from += kBatch) {
    size_t n = std::min(kBatch, rows.size() - from);
    std::string sql =
        "INSERT INTO event_steps (event_id, at, action, from_state, to_state, actor_user_id, "
        "actor_name, actor_org_id, from_org_id, to_org_id, from_level, to_level, note, "
        "attachments) VALUES ";
    store::Params p;
    p.reserve(n * 9);
    for (size_t i = from; i < from + n; ++i) {
      sql += i == from ? "" : ", ";
      sql += "(?, ?, 'escalate', ?, ?, 0, 'system', NULL, ?, ?, ?, ?, ?, '[]')";
      const auto& r = rows[i];
      p.insert(p.end(), {r[0], at, r[1], r[2], r[3], r[4], r[5], r[6], r[7]});
    }
    tx.exec(sql, p);
  }
}

// Overdue below the city: climb one level (the fresh clock starts now, so a second sweep for
// the same time finds nothing left to do). detail::climb() for many events at once.
void escalate(store::Tx& tx, Instant now, const WorkCalendar& calendar, SweepResult& result) {
  const int64_t at = to_unix_ms(now);
  std::vector<Row> rows =
      candidates(tx, std::string(kOpen) + " AND e.due_at <= ? AND e.level < ?", {at, kMaxLevel});
  if (rows.empty()) return;
  Ladder ladder(tx);
  std::vector<store::Params> updates, steps;
  updates.reserve(rows.size());
  steps.reserve(rows.size());
  for (Row& r : rows) {
    Event& e = r.l.e;
    std::optional<OrgRef> up = ladder.up(r.owner, e.level);
    if (!up) {
      throw_conflict("no_higher_level", "没有可上报的上级组织",
                     "there is no higher level to climb to");
    }
    Instant due = fresh_due(e.sla, now, e.clock_started_at, e.due_at, calendar);
    steps.push_back({e.id, to_string(e.state), to_string(e.state), r.l.owner_id, up->id, e.level,
                     up->level, "超过办结期限" + format_local(e.due_at) + "未办结，自动上报上级"});
    updates.push_back({e.id, r.l.version, up->id, up->level, to_unix_ms(due)});
    r.l.owner_id = up->id;
    e.owner_code = up->code;
    e.owner_name = up->name;
    e.level = up->level;
    e.due_at = due;
  }
  update_events(tx,
                "owner_id = v.column3, level = v.column4, due_at = v.column5, "
                "dispatcher_id = NULL, clock_started_at = ?, near_notified = 0, overdue = 1, "
                "escalations = escalations + 1, version = version + 1, updated_at = ?",
                {at, at}, updates);
  insert_steps(tx, at, steps);
  std::vector<Notice> notices;
  notices.reserve(rows.size());
  for (const Row& r : rows) {
    notices.push_back(detail::org_notice(NoticeKind::escalated, r.l, r.l.e.owner_code));
    ++result.escalated;
    result.changed.push_back(r.l.e.id);
  }
  enqueue_all(tx, notices, now);
}

// Writes `set` (its placeholders bound to `common`) on every row at its version, and sends
// each row one notification of `kind`.
void mark(store::Tx& tx, std::vector<Row>& rows, const std::string& set, store::Params common,
          NoticeKind kind, Instant now) {
  std::vector<store::Params> updates;
  updates.reserve(rows.size());
  for (const Row& r : rows) updates.push_back({r.l.e.id, r.l.version});
  common.emplace_back(to_unix_ms(now));
  update_events(tx, set + ", version = version + 1, updated_at = ?", common, updates);
  std::vector<Notice> notices;
  notices.reserve(rows.size());
  for (const Row& r : rows) notices.push_back(detail::org_notice(kind, r.l, r.l.e.owner_code));
  enqueue_all(tx, notices, now);
}

}  // namespace

SweepResult sweep(store::Tx& tx, Instant now, const WorkCalendar& calendar) {
  SweepResult result;
  const int64_t at = to_unix_ms(now);
  escalate(tx, now, calendar, result);
  // Overdue at the city: stays, flagged once per clock.
  std::vector<Row> top = candidates(
      tx, std::string(kOpen) + " AND e.due_at <= ? AND e.level >= ? AND e.top_overdue_at IS NULL",
      {at, kMaxLevel});
  mark(tx, top, "overdue = 1, top_overdue_at = ?", {at}, NoticeKind::escalated, now);
  for (const Row& r : top) {
    ++result.flagged_overdue;
    result.changed.push_back(r.l.e.id);
  }
  // Deadlines within kDeadlineNear: one notification per clock.
  std::vector<Row> near = candidates(
      tx, std::string(kOpen) + " AND e.due_at > ? AND e.due_at <= ? AND e.near_notified = 0",
      {at, to_unix_ms(now + kDeadlineNear)});
  mark(tx, near, "near_notified = 1", {}, NoticeKind::deadline_near, now);
  for (const Row& r : near) {
    ++result.near_notified;
    result.changed.push_back(r.l.e.id);
  }
  return result;
}

}  // namespace wangge::events
