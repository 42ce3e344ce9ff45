#include "analytics/events_load.h"

#include <cmath>

#include "analytics/load_rows.h"
#include "core/time.h"
#include "events/events.h"

namespace wangge::analytics {
namespace {

double day_of(const std::optional<int64_t>& ms) {
  if (!ms || *ms <= 0) return kNullI32;
  Date d = local_date(from_unix_ms(*ms));
  return static_cast<int>(d.year()) * 10000 + static_cast<unsigned>(d.month()) * 100 +
         static_cast<unsigned>(d.day());
}

double category_index(std::string_view code, bool top) {
  const auto& cats = events::categories();
  std::string_view want = code;
  if (top) want = code.substr(0, code.find('.'));
  for (size_t i = 0; i < cats.size(); ++i) {
    if (cats[i].code == want) return static_cast<double>(i + 1);
  }
  return 0;
}

uint64_t event_flags(const store::Row& r, events::State state, const std::optional<int64_t>& closed,
                     int64_t first_due) {
  uint64_t f = 0;
  if (events::is_open(state)) f |= ev_open;
  if (state == events::State::closed) f |= ev_closed;
  if (r.i64(17) != 0) f |= ev_overdue;
  if (state == events::State::closed && closed && *closed <= first_due) f |= ev_on_time;
  if (r.i64(18) > 0) f |= ev_escalated;
  if (r.i64(19) > 0) f |= ev_reopened;
  if (r.i64(20) > 0) f |= ev_extended;
  if (!r.is_null(21)) f |= ev_recurrence;
  if (r.text(22) == "urgent") f |= ev_urgent;
  if (!r.is_null(23)) {
    f |= ev_response_known;
    if (r.i64(23) != 0) f |= ev_response_late;
  }
  if (state == events::State::cancelled) f |= ev_cancelled;
  if (!r.is_null(16)) f |= ev_resolved;
  return f;
}

}  // namespace

std::vector<ColumnType> event_column_types() {
  using T = ColumnType;
  return {T::u8,  T::u8,  T::u8,  T::u8,  T::i32, T::i32, T::i32, T::i32, T::i32, T::i32, T::i32,
          T::i32, T::i32, T::i32, T::f32, T::u64, T::i64, T::i64, T::i64, T::i64, T::i64};
}

std::optional<RecordValues> event_values(const store::Row& r, const OrgTree& tree) {
  auto it = tree.pos_of_id.find(r.i64(1));
  if (it == tree.pos_of_id.end()) return std::nullopt;
  auto state = events::parse_state(r.text(2));
  auto reported = r.i64(11);
  auto closed = r.opt_i64(13);
  auto first_due = r.i64(14);
  auto resolved = r.opt_i64(16);
  RecordValues v;
  v.id = r.i64(0);
  v.pos = it->second;
  double handling = resolved ? static_cast<double>(*resolved - reported) / 86'400'000.0 : NAN;
  v.num = {static_cast<double>(static_cast<int>(state) + 1),
           static_cast<double>(static_cast<int>(events::parse_source(r.text(3))) + 1),
           static_cast<double>(static_cast<int>(events::parse_sla_class(r.text(4))) + 1),
           static_cast<double>(static_cast<int>(events::parse_damage(r.text(5))) + 1),
           category_index(r.text(6), false),
           category_index(r.text(6), true),
           static_cast<double>(r.i64(7)),
           r.is_null(8) ? kNullI32 : static_cast<double>(r.i64(8)),
           r.is_null(9) ? kNullI32 : static_cast<double>(r.i64(9)),
           static_cast<double>(r.i64(10)),
           day_of(reported),
           day_of(r.i64(12)),
           day_of(closed),
           day_of(first_due),
           handling};
  v.bits = {event_flags(r, state, closed, first_due)};
  v.wide = {reported, r.opt_i64(15).value_or(0), resolved.value_or(0), closed.value_or(0),
            first_due};
  return v;
}

bool has_events(store::Tx& tx) {
  return tx.query_one("SELECT 1 FROM schema_migrations WHERE module = 'events'").has_value();
}

bool load_events(store::Tx& tx, const OrgTree& tree, Table& t) {
  t = make_table(Entity::event);
  if (!has_events(tx)) {
    reindex(t, tree.size());
    return false;
  }
  tx.each(std::string(kEventSelect) + " ORDER BY id", {}, [&](const store::Row& r) {
    if (auto v = event_values(r, tree)) append(t, *v);
  });
  sort_by_pos(t, tree.size());
  return true;
}

}  // namespace wangge::analytics
