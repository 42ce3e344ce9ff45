// 待办: the workbench's tabs as presets of the event list's filter, and their counts.
#include <array>

#include "core/error.h"
#include "events/internal.h"
#include "events/service.h"

namespace wangge::events {
namespace {

struct TabName {
  WorkTab tab;
  std::string_view name, label;
};
constexpr std::array<TabName, 5> kTabNames{{
    {WorkTab::to_accept, "to_accept", "待受理"},
    {WorkTab::in_hand, "in_hand", "办理中"},
    {WorkTab::due_soon, "due_soon", "即将超期"},
    {WorkTab::overdue, "overdue", "已超期"},
    {WorkTab::done, "done", "已办"},
}};

}  // namespace

std::string_view to_string(WorkTab t) {
  for (const auto& n : kTabNames) {
    if (n.tab == t) return n.name;
  }
  return "";
}

std::string_view label(WorkTab t) {
  for (const auto& n : kTabNames) {
    if (n.tab == t) return n.label;
  }
  return "";
}

WorkTab parse_work_tab(std::string_view s, std::string_view field) {
  for (const auto& n : kTabNames) {
    if (n.name == s || n.label == s) return n.tab;
  }
  throw_bad_input(
      "invalid_tab",
      "未知的待办分类：" + std::string(s) + "（可选 to_accept, in_hand, due_soon, overdue, done）",
      "unknown tab: " + std::string(s) +
          " (one of to_accept, in_hand, due_soon, "
          "overdue, done)",
      std::string(field));
}

void apply_tab(EventFilter& f, WorkTab tab, const Actor& actor) {
  switch (tab) {
    case WorkTab::to_accept:
      f.states = {State::reported, State::returned};
      break;
    case WorkTab::in_hand:
      f.states = {State::accepted, State::dispatched, State::in_progress, State::reopened};
      break;
    case WorkTab::due_soon:
      f.due_soon = true;
      break;
    case WorkTab::overdue:
      f.overdue = true;
      break;
    case WorkTab::done:
      // An API client without a user has done nothing here.
      f.handled_by = actor.user_id != 0 ? actor.user_id : -1;
      break;
  }
}

std::vector<int64_t> count_tabs(store::Tx& tx, const Actor& actor, const EventFilter& f,
                                Instant now) {
  std::vector<int64_t> out;
  for (WorkTab tab : kWorkTabs) {
    EventFilter t = f;
    apply_tab(t, tab, actor);
    auto [where, params] = detail::list_where(tx, actor, t, now);
    out.push_back(tx.query_int(
        "SELECT COUNT(*) FROM events e JOIN orgs g ON g.id = e.grid_id JOIN orgs o ON o.id = "
        "e.owner_id" +
            where,
        params));
  }
  return out;
}

}  // namespace wangge::events
