// The organisation: the administrative and grid tree (市 → 县 → 乡镇/街道 → 村/社区 → 网格 →
// 微网格 → 楼栋), departments, the party tree beside it (两个体系), and staff with their posts.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/migrations.h"

namespace wangge::org {

// The records of this room whose changes readers outside a transaction follow (Tx::changed).
// An org node's change reloads what derives from the tree.
inline constexpr store::RecordKind kOrg{"org"};
inline constexpr store::RecordKind kPost{"post"};
inline constexpr store::RecordKind kPartyOrg{"party_org"};

// One node kind per level of the tree; `type` below refines it (镇/乡/街道, 村/社区 …).
enum class OrgKind { city, county, township, village, grid, micro_grid, building, department };

std::string_view to_string(OrgKind k);
// Throws Error(bad_input, field "kind") for an unknown name.
OrgKind parse_kind(std::string_view s);
// The kind a code of this shape denotes (12 digits ending 000000 → county, …).
OrgKind kind_of_code(std::string_view code);
// 五级: the event level an org sits at (grid 1, village 2, township 3, county 4, city 5;
// micro-grids and buildings count as grid level; departments as their parent's level).
int event_level(OrgKind k);

// The refined types, with their Chinese names (the name a clerk writes in a form).
//   county: county 县, district 区, county_city 县级市;  township: town 镇, xiang 乡,
//   street 街道;  village: village 村, community 社区;  grid: grid 网格; …
std::string_view type_label(std::string_view type);
bool type_fits(OrgKind kind, std::string_view type);

struct Org {
  int64_t id = 0;
  std::string code;
  std::optional<int64_t> parent_id;
  OrgKind kind = OrgKind::city;
  std::string type;
  std::string name;
  std::optional<std::string> boundary;  // GeoJSON Polygon/MultiPolygon geometry
  std::optional<double> lat, lng;       // a representative point
};

struct NewOrg {
  std::string code;
  std::string parent_code;  // empty only for the root (city)
  std::string type;         // see type_label; empty → the kind's default
  std::string name;
  std::optional<std::string> boundary;
  std::optional<double> lat, lng;
};

// 两个体系: the party organisation tree. Each party organisation sits beside one org node.
enum class PartyKind {
  committee,          // 党委 (乡镇党委, 县委 …)
  working_committee,  // 党工委 (街道党工委)
  general_branch,     // 党总支
  branch,             // 党支部 (村党组织, 网格党支部)
  group,              // 党小组 (楼栋党小组)
};
std::string_view to_string(PartyKind k);
PartyKind parse_party_kind(std::string_view s);
std::string_view label(PartyKind k);

struct NewPartyOrg {
  std::string name;
  PartyKind kind = PartyKind::branch;
  std::optional<int64_t> parent_id;  // party parent; empty for the top
  int64_t org_id = 0;                // the org node it sits beside
};

// Posts a person holds on one org node.
enum class PostRole {
  grid_head,         // 网格长 (grid)
  grid_worker_full,  // 专职网格员 (grid)
  grid_worker_part,  // 兼职网格员 (grid or micro-grid)
  building_head,     // 楼栋长 (building or micro-grid)
  unit_head,         // 单元长 (building)
  party_household,   // 党员中心户 (micro-grid)
  secretary,         // 村/社区书记 (village)
  cadre_contact,     // 包保干部 (county, township or village)
};
std::string_view to_string(PostRole r);
PostRole parse_post_role(std::string_view s);
std::string_view label(PostRole r);
// Whether a post of this role may be tied to an org of this kind.
bool role_fits(PostRole r, OrgKind k);

struct NewStaff {
  std::string name;
  std::string phone;  // optional; validated as a mainland mobile when present
};

struct Post {
  int64_t id = 0;
  int64_t staff_id = 0;
  int64_t org_id = 0;
  PostRole role = PostRole::grid_worker_full;
};

const std::vector<store::Migration>& migrations();

}  // namespace wangge::org
