#include "auth/module/module.h"

#include "auth/auth.h"

namespace wangge::auth {

app::Module module() {
  app::Module m{.name = "auth", .after = {"org"}};
  m.migrations = migrations();
  // The platform's core verbs. A programme declares its own in its module, named after it.
  m.permissions = {
      {std::string(perm::org_read), "查看组织架构"},
      {std::string(perm::resident_read), "查看居民（脱敏）"},
      {std::string(perm::resident_write), "登记、修改居民"},
      {std::string(perm::resident_reveal), "查看身份证号、手机号明文（留痕）"},
      {std::string(perm::household_read), "查看住户"},
      {std::string(perm::event_report), "上报事件"},
      {std::string(perm::event_handle), "办理事件"},
      {std::string(perm::event_read), "查看事件（只读）"},
      {std::string(perm::kpi_read), "查看考核指标和驾驶舱"},
      {std::string(perm::report_read), "查看报表"},
      {std::string(perm::user_manage), "管理账号"},
      {std::string(perm::session_revoke), "注销会话"},
      {std::string(perm::audit_read), "查看审计日志"},
      {std::string(perm::system_config), "系统配置"},
  };
  for (const auto& [role, permission] : default_grants()) {
    m.grants.push_back({role, std::string(permission)});
  }
  m.routes = {&api::auth_routes, &api::user_routes, &api::audit_routes};
  return m;
}

}  // namespace wangge::auth
