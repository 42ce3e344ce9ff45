// The leaders' dashboard (驾驶舱): one pass over the org's ranges of the index.
#include "analytics/engine.h"
#include "analytics/events_load.h"
#include "analytics/fields.h"
#include "analytics/kpi.h"
#include "analytics/load_rows.h"
#include "core/error.h"
#include "events/events.h"
#include "org/org.h"

namespace wangge::analytics {
namespace {

struct Counts {
  int64_t households[4]{};  // by colour code 0 none, 1 green, 2 yellow, 3 red
  int64_t key_persons[4]{};
  int64_t people[4]{};  // residents in the register by their own colour
  int64_t residents = 0, elderly = 0, left_behind_elderly = 0, alone_elderly = 0, children = 0,
          left_behind_children = 0;
  int64_t open_events = 0, overdue_events = 0;
};

Counts count(const Data& d, uint32_t p, int32_t today) {
  Counts c;
  const uint32_t end = d.tree.end[p];
  const Table& h = d.table(Entity::household);
  for (uint32_t i = h.start[p]; i < h.start[end]; ++i) {
    if (h.is_live(i)) ++c.households[h.cols[col::h_color].u8[i] & 3];
  }
  const Table& r = d.table(Entity::resident);
  const uint64_t kp = key_person_bits(), le = tag_bit("liushou_elder"), ae = tag_bit("alone_elder"),
                 lc = tag_bit("liushou_child");
  for (uint32_t i = r.start[p]; i < r.start[end]; ++i) {
    if (!r.is_live(i) || r.cols[col::status].u8[i] != kStatusMovedIn) continue;
    ++c.residents;
    uint64_t tags = r.cols[col::tags].u64[i];
    ++c.people[r.cols[col::color].u8[i] & 3];
    if (tags & kp) ++c.key_persons[r.cols[col::color].u8[i] & 3];
    int32_t birth = r.cols[col::birth].i32[i];
    if (birth == kNullI32) continue;
    int age = age_years(birth, today);
    if (age >= 60) {
      ++c.elderly;
      if (tags & le) ++c.left_behind_elderly;
      if (tags & ae) ++c.alone_elderly;
    }
    if (age < 16) {
      ++c.children;
      if (tags & lc) ++c.left_behind_children;
    }
  }
  const Table& e = d.table(Entity::event);
  if (e.start.size() == d.tree.size() + 1) {
    for (uint32_t i = e.start[p]; i < e.start[end]; ++i) {
      if (!e.is_live(i)) continue;
      uint64_t f = e.cols[col::e_flags].u64[i];
      if (f & ev_open) {
        ++c.open_events;
        if (f & ev_overdue) ++c.overdue_events;
      }
    }
  }
  return c;
}

// Events reported in [from, to] per top-level category (categories() positions + 1).
nlohmann::json by_category(const Data& d, uint32_t p, int32_t from, int32_t to) {
  const auto& cats = events::categories();
  std::vector<int64_t> count(cats.size() + 1, 0);
  const Table& e = d.table(Entity::event);
  if (e.start.size() == d.tree.size() + 1) {
    const auto& top = e.cols[col::e_category_top].i32;
    const auto& day = e.cols[col::e_reported_day].i32;
    for (uint32_t i = e.start[p]; i < e.start[d.tree.end[p]]; ++i) {
      if (!e.is_live(i)) continue;
      if (day[i] == kNullI32 || day[i] < from || day[i] > to) continue;
      if (top[i] >= 1 && static_cast<size_t>(top[i]) <= cats.size()) ++count[top[i]];
    }
  }
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < cats.size(); ++i) {
    if (!cats[i].parent.empty()) continue;
    out.push_back({{"code", cats[i].code}, {"name", cats[i].name}, {"count", count[i + 1]}});
  }
  return out;
}

nlohmann::json colours(const int64_t (&v)[4]) {
  return {{"red", v[3]}, {"yellow", v[2]}, {"green", v[1]}};
}

}  // namespace

nlohmann::json risk_colors(const Index& index, const std::string& org_code) {
  auto data = index.read();
  auto at = data->tree.find(org_code);
  if (!at) throw_not_found("组织机构不存在：" + org_code, "no such org: " + org_code);
  Counts c = count(*data, *at, 0);
  nlohmann::json households = colours(c.households), people = colours(c.people);
  households["total"] = c.households[0] + c.households[1] + c.households[2] + c.households[3];
  people["total"] = c.residents;
  return {{"org", {{"code", data->tree.code[*at]}, {"name", data->tree.name[*at]}}},
          {"households", households},
          {"people", people}};
}

nlohmann::json dashboard(const Index& index, const std::string& org_code, Date today,
                         std::optional<Date> from, std::optional<Date> to) {
  const Date last = to.value_or(today);
  const Date first = from.value_or(date_from_days(days_since_epoch(last) - 364));
  auto data = index.read();
  const OrgTree& tree = data->tree;
  auto at = tree.find(org_code);
  if (!at) throw_not_found("组织机构不存在：" + org_code, "no such org: " + org_code);
  const int32_t day = to_ymd(today);
  Counts c = count(*data, *at, day);
  nlohmann::json children = nlohmann::json::array();
  for (uint32_t p = *at + 1; p < tree.end[*at]; p = tree.end[p]) {
    if (tree.kind[p] == static_cast<uint8_t>(org::OrgKind::department)) continue;
    Counts k = count(*data, p, day);
    children.push_back({{"code", tree.code[p]},
                        {"name", tree.name[p]},
                        {"kind", org::to_string(static_cast<org::OrgKind>(tree.kind[p]))},
                        {"open_events", k.open_events},
                        {"overdue_events", k.overdue_events},
                        {"red_households", k.households[3]},
                        {"residents", k.residents}});
  }
  return {{"org", {{"code", tree.code[*at]}, {"name", tree.name[*at]}}},
          {"as_of", format_date(today)},
          {"residents", c.residents},
          {"households", colours(c.households)},
          {"key_persons", colours(c.key_persons)},
          {"yilao_yixiao",
           {{"elderly_60_plus", c.elderly},
            {"left_behind_elderly", c.left_behind_elderly},
            {"alone_elderly", c.alone_elderly},
            {"children_under_16", c.children},
            {"left_behind_children", c.left_behind_children}}},
          {"events", {{"open", c.open_events}, {"overdue", c.overdue_events}}},
          {"period", {{"from", format_date(first)}, {"to", format_date(last)}}},
          {"by_category", by_category(*data, *at, to_ymd(first), to_ymd(last))},
          {"children", children}};
}

}  // namespace wangge::analytics
