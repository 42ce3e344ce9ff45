// Users, roles and what each role may do (等保三级: 三员分立 — the system, security and audit
// administrators are three roles, none able to do another's job). Permissions are data: the
// table below is seeded into the `permissions` table by the migration and checked in one place.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database.h"
#include "store/migrations.h"

namespace wangge::auth {

enum class Role {
  sysadmin,            // 系统管理员: system configuration only
  secadmin,            // 安全管理员: accounts, passwords, locks, sessions
  auditor,             // 审计管理员: reads the audit log, nothing else
  city_operator,       // 市级操作员
  county_operator,     // 县级操作员
  township_operator,   // 乡镇（街道）操作员
  village_operator,    // 村（社区）操作员
  grid_worker,         // 网格员
  department_handler,  // 部门处置人员
  leader,              // 领导（只读驾驶舱）
  resident,            // 居民
};

// Every role, in declaration order.
std::span<const Role> all_roles();
std::string_view to_string(Role r);  // "county_operator"
std::string_view label(Role r);      // "县级操作员"
// Throws Error(bad_input, "invalid_role", field "role") for an unknown name.
Role parse_role(std::string_view s);

// The permission names the code checks ("resident.read", "user.manage" …).
namespace perm {
inline constexpr std::string_view org_read = "org.read";
inline constexpr std::string_view resident_read = "resident.read";
inline constexpr std::string_view resident_write = "resident.write";
inline constexpr std::string_view resident_reveal = "resident.reveal";  // unmasked ID/phone
inline constexpr std::string_view household_read = "household.read";
inline constexpr std::string_view event_report = "event.report";
inline constexpr std::string_view event_handle = "event.handle";
// Reading events (list, detail, nearby duplicates, their photos) without reporting or acting
// on them: the leaders' read-only dashboards (领导驾驶舱).
inline constexpr std::string_view event_read = "event.read";
inline constexpr std::string_view kpi_read = "kpi.read";
inline constexpr std::string_view report_read = "report.read";
inline constexpr std::string_view user_manage = "user.manage";
inline constexpr std::string_view session_revoke = "session.revoke";
inline constexpr std::string_view audit_read = "audit.read";
inline constexpr std::string_view system_config = "system.config";
}  // namespace perm

// The grants of the core permissions: (role, permission) pairs, declared by the auth module.
// A database gets each once (the first migration, then app::Registry::migrate for grants added
// since); withdrawing a grant from existing databases takes a migration.
std::span<const std::pair<Role, std::string_view>> default_grants();

// Whether the role holds the permission, read from the permissions table.
bool allowed(store::Tx& tx, Role role, std::string_view permission);

// The permissions table loaded once (at start); thread-safe to read after construction.
class Permissions {
 public:
  static Permissions load(store::Tx& tx);
  bool allows(Role role, std::string_view permission) const;
  // Throws Error(forbidden, "forbidden") unless the role holds the permission.
  void require(Role role, std::string_view permission) const;
  std::vector<std::string> of(Role role) const;

 private:
  std::vector<std::pair<Role, std::string>> grants_;  // sorted
};

// Schema: users, password_history, sessions, permissions (seeded), audit_log.
// REQUIRES: org::migrations() applied before (users.org_id references orgs).
const std::vector<store::Migration>& migrations();

}  // namespace wangge::auth
