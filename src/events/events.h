// The closed loop's vocabulary (DESIGN §5): the two-level category taxonomy with each
// category's default SLA class, the states and actions of the state machine, levels 1..5,
// urgency, source and damage degree, and the SLA clock on the working-day calendar.
// Plain types and pure functions; the tables and the transitions live in service.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "store/migrations.h"

namespace wangge::events {

// Events change in their own transactions (create, actions, the sweep), recorded there.
inline constexpr store::RecordKind kEvent{"event"};

// States. reported(上报) → accepted(受理) → dispatched(派遣) → in_progress(处置中) →
// resolved(办结) → closed(结案); side paths returned(退回), reopened(返工), cancelled(作废).
enum class State {
  reported,
  accepted,
  dispatched,
  in_progress,
  resolved,
  closed,
  returned,
  reopened,
  cancelled,
};
std::string_view to_string(State s);  // "in_progress"
std::string_view label(State s);      // "处置中"
// Throws Error(bad_input, "invalid_state", field) for an unknown name.
State parse_state(std::string_view s, std::string_view field = "state");
// Whether the SLA clock runs (every state but resolved, closed and cancelled).
bool is_open(State s);

// The actions of POST /api/v1/events/{id}/actions {action, …}.
enum class Action {
  report,        // 上报 (the first step of every event; not an action of the endpoint)
  accept,        // 受理
  assign,        // 交办: the owner routes the event down to an org of its subtree
  dispatch,      // 吹哨: summon departments (level >= 3)
  acknowledge,   // 报到: a summoned department acknowledges its part
  resolve_part,  // a summoned department resolves its part
  start,         // 开始处置
  resolve,       // 办结
  verify_pass,   // 核查通过 → closed
  verify_fail,   // 核查不通过 → reopened (返工)
  return_back,   // 退回 to the dispatcher ("return" on the wire)
  escalate,      // 上报上级 by hand, with a reason (the sweep escalates too)
  extend,        // 延期: a later due time, with a reason
  cancel,        // 作废, with a reason
  rate,          // 回访: satisfaction 1–5
  follow,        // 关注: the caller becomes a follower
  link,          // 合并: a new report linked to an existing event (its reporter follows)
  recur,         // 复发: recorded on a new event that repeats a closed one (system)
  publish,       // 公开: an owner reviewed the report; Open311 may show its words and address
};
std::string_view to_string(Action a);  // "return" for return_back
std::string_view label(Action a);      // "退回"
// Throws Error(bad_input, "invalid_action", field) for an unknown name.
Action parse_action(std::string_view s, std::string_view field = "action");

// 五级: 1 grid, 2 village/community, 3 township/street, 4 county, 5 city
// (org::event_level maps an org kind to its level).
inline constexpr int kMinLevel = 1;
inline constexpr int kMaxLevel = 5;
std::string_view level_label(int level);  // "网格" … "市"

// SLA classes (三快).
enum class SlaClass {
  same_day,   // 当日结: 24:00 local of the day the clock starts
  three_day,  // 3日结: 24:00 of the third working day after the clock starts
  deadline,   // 限期结: an explicit due time
};
std::string_view to_string(SlaClass c);
std::string_view label(SlaClass c);
SlaClass parse_sla_class(std::string_view s, std::string_view field = "sla_class");

enum class Urgency { normal, urgent };  // urgent: must be accepted within 10 minutes
std::string_view to_string(Urgency u);
Urgency parse_urgency(std::string_view s, std::string_view field = "urgency");

// Where a report came from.
enum class Source { grid_patrol, hotline_12345, resident, department, suggestion };
std::string_view to_string(Source s);
std::string_view label(Source s);
Source parse_source(std::string_view s, std::string_view field = "source");

// 损害程度.
enum class Damage { none, minor, moderate, serious, severe };
std::string_view to_string(Damage d);
std::string_view label(Damage d);
Damage parse_damage(std::string_view s, std::string_view field = "damage");

// One category of the two-level taxonomy (基础设施 → 供水 …). A top-level category with no
// children is itself reportable (环境卫生, 矛盾纠纷 …); a parent with children is not.
struct Category {
  std::string code;    // "infra.water"; top level "infra"
  std::string name;    // "供水"
  std::string parent;  // "infra"; empty at the top level
  SlaClass sla = SlaClass::three_day;
  bool reportable = true;  // false for a parent that has children
  // `public = true` in categories.toml: the city publishes this category's requests through
  // Open311 (GET requests). Default false: nothing of the category is shown there.
  bool is_public = false;
};

// The taxonomy: the file use_categories_file() named (Error(bad_input) when it cannot be read
// or parsed), otherwise the compiled-in copy of data/events/categories.toml. Loaded once;
// thread-safe.
const std::vector<Category>& categories();
// Reads the categories from this file ([events] categories) instead; empty: the shipped ones.
// REQUIRES: called at start, before anything has read the categories (Error(internal) then).
void use_categories_file(const std::string& path);
// Parses the TOML text of categories.toml. Throws Error(bad_input, "invalid_categories").
std::vector<Category> parse_categories(std::string_view toml_text);
std::string_view categories_source();  // the compiled-in text
// By code or by name ("infra.water" or "供水"); null when unknown.
const Category* find_category(std::string_view code_or_name);
// A reportable category; Error(bad_input, "invalid_category", field) otherwise.
const Category& require_category(std::string_view code_or_name,
                                 std::string_view field = "category");

// The SLA clock. For same_day: 24:00 (the next local midnight) of the day `start` falls on;
// three_day: 24:00 of the third working day after start's day (holidays and make-up workdays
// per the calendar); deadline: `deadline` itself (REQUIRES: given).
Instant sla_due(SlaClass c, Instant start, const WorkCalendar& calendar,
                std::optional<Instant> deadline = std::nullopt);
// A fresh clock from `start` after an escalation or a reopening: same_day/three_day as
// sla_due; deadline keeps the original length (old_due - old_start) from the new start.
Instant fresh_due(SlaClass c, Instant start, Instant old_start, Instant old_due,
                  const WorkCalendar& calendar);
// 10分钟响应: an urgent event must be accepted within this much of being reported.
inline constexpr std::chrono::minutes kUrgentResponse{10};
// A deadline_near notification goes out this long before the due time (once per clock).
inline constexpr std::chrono::hours kDeadlineNear{2};
// Duplicates are offered within this distance; recurrences are counted within this window.
inline constexpr double kDuplicateMetres = 250.0;
inline constexpr std::chrono::days kRecurrenceWindow{90};

// Great-circle distance in metres.
double distance_m(double lat1, double lng1, double lat2, double lng2);

// The schema (see schema.cpp for every table and column). REQUIRES: org and auth first.
const std::vector<store::Migration>& migrations();

}  // namespace wangge::events
