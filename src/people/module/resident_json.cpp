#include "people/module/resident_json.h"

namespace wangge::api {
namespace {

using nlohmann::json;

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(); }

}  // namespace

json resident_json(const people::ResidentView& v, Date today) {
  json tags = json::array();
  for (const auto& t : v.tags) {
    tags.push_back({{"code", t.code},
                    {"name", t.name},
                    {"category", t.category},
                    {"key_person", t.key_person}});
  }
  json out = {{"id", v.id},
              {"name", v.name},
              {"sex", v.sex == 2 ? "female" : "male"},
              {"sex_label", v.sex == 2 ? "女" : "男"},
              {"birth_year", v.birth_year},
              {"id_number", v.id_mask},
              {"phone", opt(v.phone_mask)},
              {"relation", v.relation},
              {"relation_label", people::label(people::parse_relation(v.relation))},
              {"status", v.status},
              {"status_label", people::label(people::parse_status(v.status))},
              {"color", opt(v.color)},
              {"household_id", v.household_id},
              {"household_no", v.household_no},
              {"org_code", v.org_code},
              {"org_name", v.org_name},
              {"place", v.place},
              {"tags", std::move(tags)}};
  if (!v.household_color.empty()) {
    out["household_color"] = v.household_color;
    out["household_color_label"] = people::label(people::parse_color(v.household_color));
  }
  // The age from the birth year, never 周岁: see core/codes.h.
  if (v.birth_year > 0) out["age"] = static_cast<int>(today.year()) - v.birth_year;
  if (v.color) out["color_label"] = people::label(people::parse_color(*v.color));
  return out;
}

json color_history_json(store::Tx& tx, people::Subject subject, int64_t id) {
  json out = json::array();
  for (const auto& c : people::color_history(tx, subject, id)) {
    out.push_back({{"from", c.from ? json(people::to_string(*c.from)) : json()},
                   {"to", people::to_string(c.to)},
                   {"reason", c.reason},
                   {"changed_by", c.changed_by},
                   {"at", format_instant(c.at)}});
  }
  return out;
}

json page_json(const people::ResidentPage& page, const people::ResidentFilter& f, Date today) {
  json items = json::array();
  for (const auto& v : page.items) items.push_back(resident_json(v, today));
  return {{"items", std::move(items)},
          {"total", page.total},
          {"total_exact", page.total_exact},
          {"page", f.page},
          {"size", f.size}};
}

json household_json(store::Tx& tx, const people::HouseholdView& h, Date today) {
  json members = json::array();
  for (const auto& m : h.members) members.push_back(resident_json(m, today));
  return {{"id", h.id},
          {"household_no", h.household_no},
          {"address", h.address},
          {"color", h.color},
          {"color_label", people::label(people::parse_color(h.color))},
          {"org_code", h.org_code},
          {"org_name", h.org_name},
          {"building_code", opt(h.building_code)},
          {"members", std::move(members)},
          {"color_history", color_history_json(tx, people::Subject::household, h.id)}};
}

}  // namespace wangge::api
