// The closed loop's KPIs (DESIGN §5) for an org subtree and a period, from the index's event
// columns, and the leaders' dashboard summary. Definitions (period = local days [from, to]):
//   received        events reported in the period
//   due             events not cancelled whose first due time (按期 clock) falls in the period
//   closed          events closed (结案) in the period
//   closure_rate    结案率: due events that are closed by the end of the period / due
//   on_time_rate    按期结案率: due events closed by their first due time / due
//   handling time   over events resolved (办结) in the period: report → resolution, in calendar
//                   days and in working days (only working-day hours count)
//   solved_by_level share of the events resolved in the period at levels 1..5
//   return_rate     返工率: resolved in the period after at least one failed verification /
//   resolved extension_rate  延期率: received with at least one extension / received satisfaction
//   mean rating of the events closed in the period that were rated recurrence      received that
//   repeat a closed event within 90 days, and their share response_rate   10分钟响应率: urgent
//   events received and accepted within 10 minutes / urgent
//                   events received that were accepted
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analytics/index.h"
#include "core/time.h"

namespace wangge::analytics {

struct EventKpis {
  int64_t received = 0, due = 0, closed = 0, due_closed = 0, due_on_time = 0, resolved = 0;
  int64_t open = 0, overdue_open = 0, reopened = 0, extended = 0, recurrences = 0;
  int64_t rated = 0, urgent_answered = 0, urgent_in_time = 0;
  std::optional<double> closure_rate, on_time_rate, return_rate, extension_rate, recurrence_rate;
  std::optional<double> mean_days, median_days, mean_working_days, median_working_days;
  std::optional<double> satisfaction, response_rate;
  std::array<int64_t, 5> solved_by_level{};  // levels 1..5
};

// Throws Error(not_found) for an org not in the index. open / overdue_open are as of now
// (every open event of the subtree), the rest per the period.
EventKpis event_kpis(const Index& index, const std::string& org_code, Date from, Date to,
                     const WorkCalendar& calendar = WorkCalendar::china());
nlohmann::json to_json(const EventKpis& k);

// The dashboard of one org: red/yellow/green households and key persons, 一老一小 counts, and
// per child org the open events (for the leaders' map), as of `today`; and "by_category": the
// events of the org's subtree reported in the period [from, to] (local days; default the 365
// days up to today) per top-level category, every top-level category of the taxonomy in its
// order, [{"code", "name", "count"}], with the period as "period": {"from", "to"}.
// Throws Error(not_found) for an org not in the index.
nlohmann::json dashboard(const Index& index, const std::string& org_code, Date today,
                         std::optional<Date> from = {}, std::optional<Date> to = {});

// 红黄绿 of one org's subtree as the registry keeps them: households by the household's colour
// (the unit the colour rules manage) and, as a second line, people in the register by their own
// colour (a key person carries one). {"org": {"code", "name"}, "households": {"total", "red",
// "yellow", "green"}, "people": {"total", "red", "yellow", "green"}}: households total counts
// every live household, people total every resident in the register (在册).
// Throws Error(not_found) for an org not in the index.
nlohmann::json risk_colors(const Index& index, const std::string& org_code);

}  // namespace wangge::analytics
