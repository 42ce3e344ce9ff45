// The roles and the default grants of the core permissions. Keep the grants table the single
// place that says which role may do what (auth/module declares it; a programme declares its
// own permissions' grants in its module); code asks allowed()/Permissions, never compares roles.
#include <algorithm>
#include <array>

#include "auth/auth.h"
#include "core/error.h"

namespace wangge::auth {
namespace {

struct RoleName {
  Role role;
  std::string_view name, label;
};

constexpr std::array<RoleName, 11> kRoles{{
    {Role::sysadmin, "sysadmin", "系统管理员"},
    {Role::secadmin, "secadmin", "安全管理员"},
    {Role::auditor, "auditor", "审计管理员"},
    {Role::city_operator, "city_operator", "市级操作员"},
    {Role::county_operator, "county_operator", "县级操作员"},
    {Role::township_operator, "township_operator", "乡镇（街道）操作员"},
    {Role::village_operator, "village_operator", "村（社区）操作员"},
    {Role::grid_worker, "grid_worker", "网格员"},
    {Role::department_handler, "department_handler", "部门处置人员"},
    {Role::leader, "leader", "领导（只读驾驶舱）"},
    {Role::resident, "resident", "居民"},
}};

constexpr std::array<Role, 11> kAll{
    Role::sysadmin,         Role::secadmin,        Role::auditor,
    Role::city_operator,    Role::county_operator, Role::township_operator,
    Role::village_operator, Role::grid_worker,     Role::department_handler,
    Role::leader,           Role::resident};

using Grant = std::pair<Role, std::string_view>;

// Operators at every administrative level hold the same verbs; their data scope differs.
#define WANGGE_OPERATOR_GRANTS(R)                                                     \
  {R, perm::org_read}, {R, perm::resident_read}, {R, perm::resident_write},           \
      {R, perm::resident_reveal}, {R, perm::household_read}, {R, perm::event_report}, \
      {R, perm::event_handle}, {R, perm::kpi_read}, {                                 \
    R, perm::report_read                                                              \
  }

const Grant kGrants[] = {
    // 三员分立: configuration, accounts and the audit log belong to three different roles.
    {Role::sysadmin, perm::system_config},
    {Role::sysadmin, perm::org_read},
    {Role::secadmin, perm::user_manage},
    {Role::secadmin, perm::session_revoke},
    {Role::secadmin, perm::org_read},
    {Role::auditor, perm::audit_read},
    WANGGE_OPERATOR_GRANTS(Role::city_operator),
    WANGGE_OPERATOR_GRANTS(Role::county_operator),
    WANGGE_OPERATOR_GRANTS(Role::township_operator),
    WANGGE_OPERATOR_GRANTS(Role::village_operator),
    // Grid workers see residents masked; unmasking is for the village and above. 五级: they
    // handle the events of their own grid (网格先解决) and verify what they reported (核查).
    {Role::grid_worker, perm::org_read},
    {Role::grid_worker, perm::resident_read},
    {Role::grid_worker, perm::resident_write},
    {Role::grid_worker, perm::household_read},
    {Role::grid_worker, perm::event_report},
    {Role::grid_worker, perm::event_handle},
    {Role::department_handler, perm::org_read},
    {Role::department_handler, perm::event_handle},
    {Role::leader, perm::org_read},
    {Role::leader, perm::kpi_read},
    {Role::leader, perm::report_read},
    // 领导驾驶舱: the events behind their figures, read-only.
    {Role::leader, perm::event_read},
    {Role::resident, perm::event_report},
};

#undef WANGGE_OPERATOR_GRANTS

}  // namespace

std::span<const Role> all_roles() { return kAll; }

std::string_view to_string(Role r) { return kRoles.at(static_cast<size_t>(r)).name; }

std::string_view label(Role r) { return kRoles.at(static_cast<size_t>(r)).label; }

Role parse_role(std::string_view s) {
  for (const auto& r : kRoles) {
    if (r.name == s) return r.role;
  }
  throw_bad_input("invalid_role", "未知的角色：" + std::string(s),
                  "unknown role: " + std::string(s), "role");
}

std::span<const std::pair<Role, std::string_view>> default_grants() { return kGrants; }

bool allowed(store::Tx& tx, Role role, std::string_view permission) {
  return tx
      .query_one("SELECT 1 FROM permissions WHERE role = ? AND permission = ?",
                 {to_string(role), permission})
      .has_value();
}

Permissions Permissions::load(store::Tx& tx) {
  Permissions p;
  for (const auto& row : tx.query("SELECT role, permission FROM permissions")) {
    p.grants_.emplace_back(parse_role(row.text(0)), row.text(1));
  }
  std::sort(p.grants_.begin(), p.grants_.end());
  return p;
}

bool Permissions::allows(Role role, std::string_view permission) const {
  auto it = std::lower_bound(
      grants_.begin(), grants_.end(), std::pair<Role, std::string_view>(role, permission),
      [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first
                                  : std::string_view(a.second) < std::string_view(b.second);
      });
  return it != grants_.end() && it->first == role && it->second == permission;
}

void Permissions::require(Role role, std::string_view permission) const {
  if (!allows(role, permission)) {
    throw Error(ErrorKind::forbidden, "forbidden", "无权执行此操作",
                "the role may not do this: " + std::string(permission));
  }
}

std::vector<std::string> Permissions::of(Role role) const {
  std::vector<std::string> out;
  for (const auto& [r, p] : grants_) {
    if (r == role) out.push_back(p);
  }
  return out;
}

}  // namespace wangge::auth
