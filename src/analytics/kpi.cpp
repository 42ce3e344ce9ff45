#include "analytics/kpi.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "analytics/engine.h"
#include "analytics/events_load.h"
#include "analytics/fields.h"
#include "analytics/load_rows.h"
#include "core/error.h"

namespace wangge::analytics {
namespace {

constexpr double kDayMs = 86'400'000.0;

bool in(int32_t day, int32_t from, int32_t to) {
  return day != kNullI32 && day >= from && day <= to;
}

// Working-day time, in days, only the hours on working days counting, for many spans at once:
// a table of the working time before each local midnight of the spans' days, so a span costs
// two lookups instead of a walk over its days. China keeps one offset all year (UTC+8).
class WorkingClock {
 public:
  // Spans may start and end anywhere within [first_ms, last_ms].
  WorkingClock(int64_t first_ms, int64_t last_ms, const WorkCalendar& cal)
      : first_day_(day_of(first_ms)) {
    int64_t last_day = day_of(last_ms);
    before_.reserve(static_cast<size_t>(last_day - first_day_ + 2));
    before_.push_back(0);
    for (int64_t d = first_day_; d <= last_day; ++d) {
      before_.push_back(before_.back() + (cal.is_working_day(date_from_days(d)) ? kDay : 0));
    }
  }
  double days(int64_t from_ms, int64_t to_ms) const {
    if (to_ms <= from_ms) return 0;
    return static_cast<double>(at(to_ms) - at(from_ms)) / kDayMs;
  }

 private:
  static constexpr int64_t kDay = 86'400'000, kOffset = 8 * 3'600'000;
  static int64_t day_of(int64_t ms) {
    int64_t t = ms + kOffset;
    return t / kDay - (t % kDay < 0 ? 1 : 0);
  }
  // Working ms from the first day's midnight to ms (a working day is one whose midnight-to-
  // midnight difference in before_ is a whole day).
  int64_t at(int64_t ms) const {
    int64_t d = day_of(ms);
    auto i = static_cast<size_t>(d - first_day_);
    bool working = before_[i + 1] > before_[i];
    return before_[i] + (working ? ms + kOffset - d * kDay : 0);
  }
  int64_t first_day_;
  std::vector<int64_t> before_;  // working ms before each day's local midnight, and after the last
};

std::optional<double> share(int64_t n, int64_t d) {
  if (d == 0) return std::nullopt;
  return static_cast<double>(n) / static_cast<double>(d);
}

std::optional<double> mean(const std::vector<double>& v) {
  if (v.empty()) return std::nullopt;
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

// O(n) selection rather than a sort: a prefecture's year holds a quarter million durations.
std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  const auto m = static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), v.begin() + m, v.end());
  if (v.size() % 2) return v[static_cast<size_t>(m)];
  return (*std::max_element(v.begin(), v.begin() + m) + v[static_cast<size_t>(m)]) / 2;
}

nlohmann::json opt(const std::optional<double>& v, int decimals = 4) {
  if (!v) return nullptr;
  double scale = std::pow(10.0, decimals);
  return std::round(*v * scale) / scale;
}

}  // namespace

EventKpis event_kpis(const Index& index, const std::string& org_code, Date from_date, Date to_date,
                     const WorkCalendar& cal) {
  auto data = index.read();
  auto at = data->tree.find(org_code);
  if (!at) throw_not_found("组织机构不存在：" + org_code, "no such org: " + org_code);
  const Table& t = data->table(Entity::event);
  EventKpis k;
  if (t.start.size() < data->tree.size() + 1) return k;
  const int32_t from = to_ymd(from_date), to = to_ymd(to_date);
  // The period as instants: [from's local midnight, the midnight after to).
  const int64_t from_ms = to_unix_ms(local_midnight(from_date));
  const int64_t end_ms = to_unix_ms(local_midnight(date_from_days(days_since_epoch(to_date) + 1)));
  std::vector<double> days;
  std::vector<std::pair<int64_t, int64_t>> spans;  // reported → resolved, for working days
  int64_t first_ms = std::numeric_limits<int64_t>::max(), last_ms = 0;
  int64_t sat_sum = 0;
  for (size_t i = t.start[*at]; i < t.start[data->tree.end[*at]]; ++i) {
    if (!t.is_live(i)) continue;
    uint64_t f = t.cols[col::e_flags].u64[i];
    auto day = [&](int c) { return t.cols[c].i32[i]; };
    auto ms = [&](int c) { return t.cols[c].i64[i]; };
    if (f & ev_open) {
      ++k.open;
      if (f & ev_overdue) ++k.overdue_open;
    }
    if (in(day(col::e_reported_day), from, to)) {
      ++k.received;
      if (f & ev_extended) ++k.extended;
      if (f & ev_recurrence) ++k.recurrences;
      if ((f & ev_urgent) && (f & ev_response_known)) {
        ++k.urgent_answered;
        if (!(f & ev_response_late)) ++k.urgent_in_time;
      }
    }
    if (!(f & ev_cancelled) && in(day(col::e_first_due_day), from, to)) {
      ++k.due;
      if ((f & ev_closed) && day(col::e_closed_day) <= to) ++k.due_closed;
      if (f & ev_on_time) ++k.due_on_time;
    }
    if ((f & ev_closed) && in(day(col::e_closed_day), from, to)) {
      ++k.closed;
      int32_t s = day(col::e_satisfaction);
      if (s != kNullI32) {
        ++k.rated;
        sat_sum += s;
      }
    }
    int64_t resolved_ms = ms(col::e_resolved_ms);
    if (resolved_ms > 0 && resolved_ms >= from_ms && resolved_ms < end_ms) {
      ++k.resolved;
      if (f & ev_reopened) ++k.reopened;
      int64_t reported_ms = ms(col::e_reported_ms);
      days.push_back(static_cast<double>(resolved_ms - reported_ms) / kDayMs);
      spans.emplace_back(reported_ms, resolved_ms);
      first_ms = std::min(first_ms, reported_ms);
      last_ms = std::max(last_ms, resolved_ms);
      int32_t level = day(col::e_resolved_level);
      if (level >= 1 && level <= 5) ++k.solved_by_level[static_cast<size_t>(level - 1)];
    }
  }
  std::vector<double> work_days;
  if (!spans.empty()) {
    WorkingClock clock(first_ms, last_ms, cal);
    work_days.reserve(spans.size());
    for (const auto& [a, b] : spans) work_days.push_back(clock.days(a, b));
  }
  k.closure_rate = share(k.due_closed, k.due);
  k.on_time_rate = share(k.due_on_time, k.due);
  k.return_rate = share(k.reopened, k.resolved);
  k.extension_rate = share(k.extended, k.received);
  k.recurrence_rate = share(k.recurrences, k.received);
  k.response_rate = share(k.urgent_in_time, k.urgent_answered);
  k.mean_days = mean(days);
  k.median_days = median(days);
  k.mean_working_days = mean(work_days);
  k.median_working_days = median(std::move(work_days));
  if (k.rated) k.satisfaction = static_cast<double>(sat_sum) / static_cast<double>(k.rated);
  return k;
}

nlohmann::json to_json(const EventKpis& k) {
  nlohmann::json levels = nlohmann::json::array();
  for (size_t l = 0; l < 5; ++l) {
    levels.push_back({{"level", l + 1},
                      {"resolved", k.solved_by_level[l]},
                      {"share", opt(share(k.solved_by_level[l], k.resolved))}});
  }
  return {{"received", k.received},
          {"due", k.due},
          {"closed", k.closed},
          {"due_closed", k.due_closed},
          {"due_closed_on_time", k.due_on_time},
          {"resolved", k.resolved},
          {"open", k.open},
          {"overdue_open", k.overdue_open},
          {"closure_rate", opt(k.closure_rate)},
          {"on_time_rate", opt(k.on_time_rate)},
          {"handling_days",
           {{"mean", opt(k.mean_days, 2)},
            {"median", opt(k.median_days, 2)},
            {"mean_working", opt(k.mean_working_days, 2)},
            {"median_working", opt(k.median_working_days, 2)}}},
          {"solved_by_level", levels},
          {"return_rate", opt(k.return_rate)},
          {"extension_rate", opt(k.extension_rate)},
          {"satisfaction", opt(k.satisfaction, 2)},
          {"rated", k.rated},
          {"recurrences", k.recurrences},
          {"recurrence_rate", opt(k.recurrence_rate)},
          {"urgent_answered", k.urgent_answered},
          {"response_rate", opt(k.response_rate)}};
}

}  // namespace wangge::analytics
