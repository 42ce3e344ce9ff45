// Account management by the security administrator (安全管理员): list the users within scope,
// create one with an initial password, lock and unlock, reset a password (changed at next
// login) and end every session of a user. 三员分立: the accounts of the three administrators
// are out of reach here — none of these routes creates, locks, unlocks, resets or ends the
// sessions of a system, security or audit administrator (manage them with `wangge user` on
// the server) — so the three check each other and none controls another through the API. Every
// change is in the audit chain (auth::Accounts writes it in the same transaction).
#include "api/context.h"
#include "api/route_kit.h"
#include "auth/module/module.h"
#include "auth/module/user_json.h"
#include "auth/scope.h"
#include "core/error.h"
#include "http/json_input.h"

namespace wangge::api {
namespace {

using nlohmann::json;

bool is_administrator(auth::Role r) {
  return r == auth::Role::sysadmin || r == auth::Role::secadmin || r == auth::Role::auditor;
}

[[noreturn]] void throw_admin_account() {
  throw Error(ErrorKind::forbidden, "admin_account",
              "系统管理员、安全管理员、审计管理员的账户只能在服务器上用 wangge user 管理",
              "the administrators' accounts are managed with `wangge user` on the server");
}

// The user with that id when their org lies within the caller's scope; not_found otherwise.
auth::User scoped_user(Context& ctx, store::Tx& tx, const auth::User& caller, int64_t id) {
  std::optional<auth::User> u;
  try {
    u = ctx.accounts.get_user(tx, id);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
  }
  if (u && auth::in_scope(caller.scope(), u->org_code)) return *u;
  // One answer for missing and out-of-scope ids, so ids cannot be probed.
  throw_not_found("用户不存在：" + std::to_string(id), "no such user: " + std::to_string(id));
}

http::Response list(Context& ctx, const http::Request& req) {
  const auth::User& caller = caller_of(req).user;
  auth::check_access(ctx.permissions, caller, auth::perm::user_manage);
  int64_t page = req.query.get_int_or("page", 1, 1, 1'000'000);
  int64_t size = req.query.get_int_or("size", 50, 1, 200);
  auth::Scope scope = caller.scope();
  auto tx = ctx.db.begin(store::TxMode::read);
  if (auto org = req.query.get("org"); org && !org->empty()) {
    if (!auth::in_scope(scope, *org)) {
      throw_not_found("组织机构不存在：" + *org, "no such org: " + *org);
    }
    scope = auth::scope_of(*org);
  }
  json items = json::array();
  for (const auto& u : ctx.accounts.list_users(*tx, scope, (page - 1) * size, size)) {
    items.push_back(user_admin_json(u));
  }
  return http::Response::json(200, {{"items", items},
                                    {"total", ctx.accounts.count_users(*tx, scope)},
                                    {"page", page},
                                    {"size", size}});
}

http::Response create(Context& ctx, const http::Request& req) {
  const auth::User& caller = caller_of(req).user;
  auth::check_access(ctx.permissions, caller, auth::perm::user_manage);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(
      body, {"username", "display_name", "role", "org_code", "household_id", "initial_password"});
  auth::NewUser u;
  u.username = http::required_field<std::string>(body, "username");
  u.display_name = http::required_field<std::string>(body, "display_name");
  u.role = auth::parse_role(http::required_field<std::string>(body, "role"));
  u.org_code = http::required_field<std::string>(body, "org_code");
  u.household_id = http::optional_field<int64_t>(body, "household_id");
  u.initial_password = http::required_field<std::string>(body, "initial_password");
  if (is_administrator(u.role)) throw_admin_account();
  if (!auth::in_scope(caller.scope(), u.org_code)) {
    // The same answer as for an org that does not exist: codes cannot be probed.
    throw_bad_input("unknown_org", "组织机构不存在：" + u.org_code, "no such org: " + u.org_code,
                    "org_code");
  }
  int64_t id = 0;
  json out;
  ctx.db.transact([&](store::Tx& tx) {
    id = ctx.accounts.create_user(tx, u, ctx.now(), caller.username);
    out = user_admin_json(ctx.accounts.get_user(tx, id));
  });
  return http::Response::json(201, out);
}

// Runs change(tx, target) on a user within scope in one transaction, then forgets the
// checked sessions so the change applies to the very next request.
// The administrators' accounts answer 403 "admin_account" (三员分立).
template <class F>
http::Response change_user(Context& ctx, const http::Request& req, std::string_view permission,
                           F change) {
  const auth::User& caller = caller_of(req).user;
  auth::check_access(ctx.permissions, caller, permission);
  int64_t id = req.param_int("id", 1);
  json out;
  ctx.db.transact([&](store::Tx& tx) {
    auth::User target = scoped_user(ctx, tx, caller, id);
    if (is_administrator(target.role)) throw_admin_account();
    out = change(tx, target);
  });
  ctx.sessions.invalidate();
  return http::Response::json(200, out);
}

http::Response lock(Context& ctx, const http::Request& req) {
  auth::check_access(ctx.permissions, caller_of(req).user, auth::perm::user_manage);
  std::optional<int64_t> minutes;
  if (!req.body.empty()) {
    const json& body = http::require_object(req.json());
    http::reject_unknown_fields(body, {"minutes"});
    minutes = http::optional_field<int64_t>(body, "minutes");
    if (minutes && (*minutes < 1 || *minutes > 525'600)) {
      throw_bad_input("invalid_minutes", "锁定时长须为1至525600分钟", "minutes must be 1 to 525600",
                      "minutes");
    }
  }
  return change_user(ctx, req, auth::perm::user_manage, [&](store::Tx& tx, auth::User& u) {
    std::optional<Instant> until;
    if (minutes) until = ctx.now() + std::chrono::minutes(*minutes);
    ctx.accounts.lock(tx, u.id, until, ctx.now(), caller_of(req).user.username);
    return user_admin_json(ctx.accounts.get_user(tx, u.id));
  });
}

http::Response unlock(Context& ctx, const http::Request& req) {
  return change_user(ctx, req, auth::perm::user_manage, [&](store::Tx& tx, auth::User& u) {
    ctx.accounts.unlock(tx, u.id, ctx.now(), caller_of(req).user.username);
    return user_admin_json(ctx.accounts.get_user(tx, u.id));
  });
}

http::Response reset_password(Context& ctx, const http::Request& req) {
  auth::check_access(ctx.permissions, caller_of(req).user, auth::perm::user_manage);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body, {"initial_password"});
  auto initial = http::required_field<std::string>(body, "initial_password");
  return change_user(ctx, req, auth::perm::user_manage, [&](store::Tx& tx, auth::User& u) {
    ctx.accounts.reset_password(tx, u.id, initial, ctx.now(), caller_of(req).user.username);
    return user_admin_json(ctx.accounts.get_user(tx, u.id));
  });
}

http::Response revoke_sessions(Context& ctx, const http::Request& req) {
  return change_user(ctx, req, auth::perm::session_revoke, [&](store::Tx& tx, auth::User& u) {
    int64_t n = ctx.accounts.revoke_all(tx, u.id, ctx.now(), caller_of(req).user.username);
    return json{{"id", u.id}, {"revoked", n}};
  });
}

}  // namespace

std::vector<http::Route> user_routes(const std::shared_ptr<Context>& ctx) {
  const RouteKit kit(ctx);
  using http::ParamType;
  return {
      {.method = http::Method::get,
       .path = "/api/v1/users",
       .summary = "Users within the caller's scope, by username (安全管理员)",
       .tags = {"users"},
       .handler = kit.bind(list),
       .query = {{.name = "org", .description = "org code: its subtree only"},
                 {.name = "page", .type = ParamType::integer, .description = "from 1"},
                 {.name = "size", .type = ParamType::integer, .description = "1–200, default 50"}},
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"items", {{"type", "array"}, {"items", user_admin_schema()}}},
                             {"total", kit.integer}}}}},
      {.method = http::Method::post,
       .path = "/api/v1/users",
       .summary = "Create a user with an initial password, changed at first login",
       .tags = {"users"},
       .handler = kit.bind(create),
       .request_schema = {{"type", "object"},
                          {"required",
                           {"username", "display_name", "role", "org_code", "initial_password"}},
                          {"properties",
                           {{"username", kit.string},
                            {"display_name", kit.string},
                            {"role", kit.string},
                            {"org_code", kit.string},
                            {"household_id", kit.integer},
                            {"initial_password", kit.string}}}},
       .response_schema = user_admin_schema(),
       .success_status = 201},
      {.method = http::Method::post,
       .path = "/api/v1/users/{id}/lock",
       .summary = "Lock a user (for minutes, or until unlocked) and end their sessions",
       .tags = {"users"},
       .handler = kit.bind(lock),
       .path_params = kit.id_param,
       .request_schema = {{"type", "object"}, {"properties", {{"minutes", kit.integer}}}},
       .response_schema = user_admin_schema()},
      {.method = http::Method::post,
       .path = "/api/v1/users/{id}/unlock",
       .summary = "Clear a lock and the failed-login count",
       .tags = {"users"},
       .handler = kit.bind(unlock),
       .path_params = kit.id_param,
       .response_schema = user_admin_schema()},
      {.method = http::Method::post,
       .path = "/api/v1/users/{id}/password",
       .summary = "Reset a password to an initial one (changed at next login); ends sessions",
       .tags = {"users"},
       .handler = kit.bind(reset_password),
       .path_params = kit.id_param,
       .request_schema = {{"type", "object"},
                          {"required", {"initial_password"}},
                          {"properties", {{"initial_password", kit.string}}}},
       .response_schema = user_admin_schema()},
      {.method = http::Method::delete_,
       .path = "/api/v1/users/{id}/sessions",
       .summary = "End every session of a user",
       .tags = {"users"},
       .handler = kit.bind(revoke_sessions),
       .path_params = kit.id_param,
       .response_schema = {{"type", "object"},
                           {"properties", {{"id", kit.integer}, {"revoked", kit.integer}}}}},
  };
}

}  // namespace wangge::api
