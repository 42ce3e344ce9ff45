// Names of the closed loop's enums, the category taxonomy and the SLA clock.
#include "events/events.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/error.h"

namespace wangge::events {
namespace {

template <class E>
struct Name {
  E value;
  std::string_view name, label;
};

template <class E, size_t N>
std::string_view name_of(const std::array<Name<E>, N>& names, E v) {
  for (const auto& n : names) {
    if (n.value == v) return n.name;
  }
  return "";
}

template <class E, size_t N>
std::string_view label_of(const std::array<Name<E>, N>& names, E v) {
  for (const auto& n : names) {
    if (n.value == v) return n.label;
  }
  return "";
}

// By English name or Chinese label.
template <class E, size_t N>
E parse_name(const std::array<Name<E>, N>& names, std::string_view s, std::string_view field,
             const char* code, const char* zh_what, const char* en_what) {
  for (const auto& n : names) {
    if (n.name == s || n.label == s) return n.value;
  }
  std::string allowed;
  for (const auto& n : names) {
    if (!allowed.empty()) allowed += ", ";
    allowed += n.name;
  }
  throw_bad_input(
      code, std::string("未知的") + zh_what + "：" + std::string(s) + "（可选 " + allowed + "）",
      std::string("unknown ") + en_what + ": " + std::string(s) + " (one of " + allowed + ")",
      std::string(field));
}

constexpr std::array<Name<State>, 9> kStates{{
    {State::reported, "reported", "上报"},
    {State::accepted, "accepted", "受理"},
    {State::dispatched, "dispatched", "派遣"},
    {State::in_progress, "in_progress", "处置中"},
    {State::resolved, "resolved", "办结"},
    {State::closed, "closed", "结案"},
    {State::returned, "returned", "退回"},
    {State::reopened, "reopened", "返工"},
    {State::cancelled, "cancelled", "作废"},
}};

constexpr std::array<Name<Action>, 19> kActions{{
    {Action::report, "report", "上报"},
    {Action::accept, "accept", "受理"},
    {Action::assign, "assign", "交办"},
    {Action::dispatch, "dispatch", "吹哨派遣"},
    {Action::acknowledge, "acknowledge", "部门报到"},
    {Action::resolve_part, "resolve_part", "部门办结"},
    {Action::start, "start", "开始处置"},
    {Action::resolve, "resolve", "办结"},
    {Action::verify_pass, "verify_pass", "核查通过"},
    {Action::verify_fail, "verify_fail", "核查不通过"},
    {Action::return_back, "return", "退回"},
    {Action::escalate, "escalate", "上报上级"},
    {Action::extend, "extend", "延期"},
    {Action::cancel, "cancel", "作废"},
    {Action::rate, "rate", "回访评价"},
    {Action::follow, "follow", "关注"},
    {Action::link, "link", "合并重复上报"},
    {Action::recur, "recur", "复发关联"},
    {Action::publish, "publish", "公开发布"},
}};

constexpr std::array<Name<SlaClass>, 3> kSla{{
    {SlaClass::same_day, "same_day", "当日结"},
    {SlaClass::three_day, "three_day", "3日结"},
    {SlaClass::deadline, "deadline", "限期结"},
}};

constexpr std::array<Name<Urgency>, 2> kUrgency{{
    {Urgency::normal, "normal", "一般"},
    {Urgency::urgent, "urgent", "紧急"},
}};

constexpr std::array<Name<Source>, 5> kSources{{
    {Source::grid_patrol, "grid_patrol", "网格巡查"},
    {Source::hotline_12345, "hotline_12345", "12345热线"},
    {Source::resident, "resident", "群众上报"},
    {Source::department, "department", "部门移交"},
    {Source::suggestion, "suggestion", "人民建议"},
}};

constexpr std::array<Name<Damage>, 5> kDamage{{
    {Damage::none, "none", "无"},
    {Damage::minor, "minor", "轻微"},
    {Damage::moderate, "moderate", "一般"},
    {Damage::serious, "serious", "较重"},
    {Damage::severe, "severe", "严重"},
}};

[[noreturn]] void bad_categories(const std::string& zh, const std::string& en) {
  throw_bad_input("invalid_categories", "事件分类数据有误：" + zh,
                  "invalid event categories: " + en, "categories");
}

// The file use_categories_file() named; empty: the shipped list.
std::string& categories_file() {
  static std::string path;
  return path;
}

bool& categories_loaded() {
  static bool loaded = false;
  return loaded;
}

std::vector<Category> load_categories() {
  categories_loaded() = true;
  if (const std::string& path = categories_file(); !path.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) bad_categories("无法读取 " + path, "cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return parse_categories(text.str());
  }
  return parse_categories(categories_source());
}

}  // namespace

std::string_view to_string(State s) { return name_of(kStates, s); }
std::string_view label(State s) { return label_of(kStates, s); }
State parse_state(std::string_view s, std::string_view field) {
  return parse_name(kStates, s, field, "invalid_state", "状态", "state");
}
bool is_open(State s) {
  return s != State::resolved && s != State::closed && s != State::cancelled;
}

std::string_view to_string(Action a) { return name_of(kActions, a); }
std::string_view label(Action a) { return label_of(kActions, a); }
Action parse_action(std::string_view s, std::string_view field) {
  return parse_name(kActions, s, field, "invalid_action", "操作", "action");
}

std::string_view level_label(int level) {
  static constexpr std::array<std::string_view, 5> kLabels{"网格", "村（社区）", "乡镇（街道）",
                                                           "县（市、区）", "市"};
  if (level < kMinLevel || level > kMaxLevel) return "";
  return kLabels.at(static_cast<size_t>(level - 1));
}

std::string_view to_string(SlaClass c) { return name_of(kSla, c); }
std::string_view label(SlaClass c) { return label_of(kSla, c); }
SlaClass parse_sla_class(std::string_view s, std::string_view field) {
  return parse_name(kSla, s, field, "invalid_sla_class", "办理时限类别", "SLA class");
}

std::string_view to_string(Urgency u) { return name_of(kUrgency, u); }
Urgency parse_urgency(std::string_view s, std::string_view field) {
  return parse_name(kUrgency, s, field, "invalid_urgency", "紧急程度", "urgency");
}

std::string_view to_string(Source s) { return name_of(kSources, s); }
std::string_view label(Source s) { return label_of(kSources, s); }
Source parse_source(std::string_view s, std::string_view field) {
  return parse_name(kSources, s, field, "invalid_source", "来源", "source");
}

std::string_view to_string(Damage d) { return name_of(kDamage, d); }
std::string_view label(Damage d) { return label_of(kDamage, d); }
Damage parse_damage(std::string_view s, std::string_view field) {
  return parse_name(kDamage, s, field, "invalid_damage", "损害程度", "damage degree");
}

std::vector<Category> parse_categories(std::string_view toml_text) {
  toml::table root;
  try {
    root = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    auto line = std::to_string(e.source().begin.line);
    bad_categories("第" + line + "行：" + std::string(e.description()),
                   "line " + line + ": " + std::string(e.description()));
  }
  const auto* list = root.get_as<toml::array>("category");
  if (!list || list->empty()) bad_categories("没有 [[category]]", "no [[category]] entries");
  std::vector<Category> out;
  for (const auto& node : *list) {
    const auto* t = node.as_table();
    if (!t) bad_categories("category 须为表", "category must be a table");
    Category c;
    c.code = (*t)["code"].value_or(std::string());
    c.name = (*t)["name"].value_or(std::string());
    c.parent = (*t)["parent"].value_or(std::string());
    if (c.code.empty() || c.name.empty()) {
      bad_categories("每个分类都须有 code 和 name", "every category needs code and name");
    }
    if (auto sla = (*t)["sla"].value<std::string>()) c.sla = parse_sla_class(*sla, "sla");
    if (auto pub = (*t)["public"]; pub && !pub.is_boolean()) {
      bad_categories("public 须为 true 或 false：" + c.code, "public must be a boolean: " + c.code);
    }
    c.is_public = (*t)["public"].value_or(false);
    for (const auto& other : out) {
      if (other.code == c.code || other.name == c.name) {
        bad_categories("重复的分类：" + c.code, "duplicate category: " + c.code);
      }
    }
    if (!c.parent.empty()) {
      auto parent = std::find_if(out.begin(), out.end(),
                                 [&](const Category& p) { return p.code == c.parent; });
      if (parent == out.end() || !parent->parent.empty()) {
        bad_categories("上级分类须在前且为一级分类：" + c.code,
                       "a parent must come first and be top level: " + c.code);
      }
      parent->reportable = false;
    }
    out.push_back(std::move(c));
  }
  return out;
}

const std::vector<Category>& categories() {
  static const std::vector<Category> list = load_categories();
  return list;
}

void use_categories_file(const std::string& path) {
  if (path.empty()) return;
  if (categories_loaded()) {
    throw Error(ErrorKind::internal, "categories_loaded", "事件分类已载入，无法改用 " + path,
                "the event categories were read before " + path + " was configured");
  }
  categories_file() = path;
  categories();  // read now: a bad file stops the start, not the first request
}

const Category* find_category(std::string_view code_or_name) {
  for (const auto& c : categories()) {
    if (c.code == code_or_name || c.name == code_or_name) return &c;
  }
  return nullptr;
}

const Category& require_category(std::string_view code_or_name, std::string_view field) {
  const Category* c = find_category(code_or_name);
  if (!c || !c->reportable) {
    throw_bad_input(
        "invalid_category", "未知或不可直接上报的事件分类：" + std::string(code_or_name),
        "unknown or non-reportable category: " + std::string(code_or_name), std::string(field));
  }
  return *c;
}

Instant sla_due(SlaClass c, Instant start, const WorkCalendar& calendar,
                std::optional<Instant> deadline) {
  Date day = local_date(start);
  switch (c) {
    case SlaClass::same_day:
      return local_midnight(date_from_days(days_since_epoch(day) + 1));
    case SlaClass::three_day: {
      Date third = calendar.add_working_days(day, 3);
      return local_midnight(date_from_days(days_since_epoch(third) + 1));
    }
    case SlaClass::deadline:
      if (!deadline) {
        throw_bad_input("missing_deadline", "限期结须填写办结期限", "a deadline is required",
                        "deadline");
      }
      return *deadline;
  }
  return start;
}

Instant fresh_due(SlaClass c, Instant start, Instant old_start, Instant old_due,
                  const WorkCalendar& calendar) {
  if (c != SlaClass::deadline) return sla_due(c, start, calendar);
  auto length = old_due - old_start;
  if (length < std::chrono::hours(1)) length = std::chrono::hours(24);
  return start + length;
}

double distance_m(double lat1, double lng1, double lat2, double lng2) {
  constexpr double kEarth = 6371008.8;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  double dlat = (lat2 - lat1) * kRad, dlng = (lng2 - lng1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * kRad) *
                                                           std::cos(lat2 * kRad) *
                                                           std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kEarth * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace wangge::events
