#include "org/org.h"

#include <array>
#include <utility>

#include "core/codes.h"
#include "core/error.h"

namespace wangge::org {
namespace {

template <class E, size_t N>
E parse_enum(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view s,
             const char* field, const char* what_zh) {
  for (const auto& [e, name] : names) {
    if (name == s) return e;
  }
  throw_bad_input("invalid_" + std::string(field),
                  std::string("未知的") + what_zh + "：" + std::string(s),
                  "unknown " + std::string(field) + ": " + std::string(s), field);
}

template <class E, size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E e) {
  for (const auto& [k, name] : names) {
    if (k == e) return name;
  }
  return "";
}

constexpr std::array<std::pair<OrgKind, std::string_view>, 8> kKinds{{
    {OrgKind::city, "city"},
    {OrgKind::county, "county"},
    {OrgKind::township, "township"},
    {OrgKind::village, "village"},
    {OrgKind::grid, "grid"},
    {OrgKind::micro_grid, "micro_grid"},
    {OrgKind::building, "building"},
    {OrgKind::department, "department"},
}};

struct TypeInfo {
  OrgKind kind;
  std::string_view type;
  std::string_view label;
};
constexpr std::array<TypeInfo, 15> kTypes{{
    {OrgKind::city, "city", "市"},
    {OrgKind::county, "county", "县"},
    {OrgKind::county, "district", "区"},
    {OrgKind::county, "county_city", "县级市"},
    {OrgKind::township, "town", "镇"},
    {OrgKind::township, "xiang", "乡"},
    {OrgKind::township, "street", "街道"},
    {OrgKind::village, "village", "村"},
    {OrgKind::village, "community", "社区"},
    {OrgKind::grid, "grid", "网格"},
    {OrgKind::grid, "compound_grid", "小区网格"},
    {OrgKind::micro_grid, "micro_grid", "微网格"},
    {OrgKind::building, "building", "楼栋"},
    {OrgKind::department, "department", "部门"},
    {OrgKind::department, "station", "站所"},
}};

constexpr std::array<std::pair<PartyKind, std::string_view>, 5> kPartyKinds{{
    {PartyKind::committee, "committee"},
    {PartyKind::working_committee, "working_committee"},
    {PartyKind::general_branch, "general_branch"},
    {PartyKind::branch, "branch"},
    {PartyKind::group, "group"},
}};

constexpr std::array<std::pair<PostRole, std::string_view>, 8> kRoles{{
    {PostRole::grid_head, "grid_head"},
    {PostRole::grid_worker_full, "grid_worker_full"},
    {PostRole::grid_worker_part, "grid_worker_part"},
    {PostRole::building_head, "building_head"},
    {PostRole::unit_head, "unit_head"},
    {PostRole::party_household, "party_household"},
    {PostRole::secretary, "secretary"},
    {PostRole::cadre_contact, "cadre_contact"},
}};

}  // namespace

std::string_view to_string(OrgKind k) { return name_of(kKinds, k); }
OrgKind parse_kind(std::string_view s) { return parse_enum(kKinds, s, "kind", "组织类型"); }

OrgKind kind_of_code(std::string_view code) {
  switch (division::level(code)) {
    case DivisionLevel::province:
    case DivisionLevel::city:
      return OrgKind::city;
    case DivisionLevel::county:
      return OrgKind::county;
    case DivisionLevel::township:
      return OrgKind::township;
    case DivisionLevel::village:
      return OrgKind::village;
    case DivisionLevel::grid:
      return OrgKind::grid;
    case DivisionLevel::micro_grid:
      return OrgKind::micro_grid;
    case DivisionLevel::building:
      return OrgKind::building;
  }
  return OrgKind::city;
}

int event_level(OrgKind k) {
  switch (k) {
    case OrgKind::city:
      return 5;
    case OrgKind::county:
      return 4;
    case OrgKind::township:
      return 3;
    case OrgKind::village:
      return 2;
    default:
      return 1;
  }
}

std::string_view type_label(std::string_view type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.label;
  }
  return "";
}

bool type_fits(OrgKind kind, std::string_view type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.kind == kind;
  }
  return false;
}

std::string_view to_string(PartyKind k) { return name_of(kPartyKinds, k); }
PartyKind parse_party_kind(std::string_view s) {
  return parse_enum(kPartyKinds, s, "kind", "党组织类型");
}
std::string_view label(PartyKind k) {
  switch (k) {
    case PartyKind::committee:
      return "党委";
    case PartyKind::working_committee:
      return "党工委";
    case PartyKind::general_branch:
      return "党总支";
    case PartyKind::branch:
      return "党支部";
    case PartyKind::group:
      return "党小组";
  }
  return "";
}

std::string_view to_string(PostRole r) { return name_of(kRoles, r); }
PostRole parse_post_role(std::string_view s) { return parse_enum(kRoles, s, "role", "岗位"); }
std::string_view label(PostRole r) {
  switch (r) {
    case PostRole::grid_head:
      return "网格长";
    case PostRole::grid_worker_full:
      return "专职网格员";
    case PostRole::grid_worker_part:
      return "兼职网格员";
    case PostRole::building_head:
      return "楼栋长";
    case PostRole::unit_head:
      return "单元长";
    case PostRole::party_household:
      return "党员中心户";
    case PostRole::secretary:
      return "村（社区）书记";
    case PostRole::cadre_contact:
      return "包保干部";
  }
  return "";
}

bool role_fits(PostRole r, OrgKind k) {
  switch (r) {
    case PostRole::grid_head:
    case PostRole::grid_worker_full:
      return k == OrgKind::grid;
    case PostRole::grid_worker_part:
      return k == OrgKind::grid || k == OrgKind::micro_grid;
    case PostRole::building_head:
      return k == OrgKind::building || k == OrgKind::micro_grid;
    case PostRole::unit_head:
      return k == OrgKind::building;
    case PostRole::party_household:
      return k == OrgKind::micro_grid;
    case PostRole::secretary:
      return k == OrgKind::village;
    case PostRole::cadre_contact:
      return k == OrgKind::county || k == OrgKind::township || k == OrgKind::village;
  }
  return false;
}

}  // namespace wangge::org
