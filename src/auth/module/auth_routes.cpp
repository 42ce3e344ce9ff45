// POST /api/v1/auth/login, logout, password and GET /api/v1/auth/me.
#include <chrono>
#include <string>

#include "api/context.h"
#include "auth/module/module.h"
#include "auth/module/user_json.h"
#include "core/error.h"
#include "http/errors.h"
#include "http/json_input.h"

namespace wangge::api {
namespace {

using nlohmann::json;

http::CookieOptions cookie_options(const Context& ctx) {
  http::CookieOptions c;
  c.secure = ctx.options.secure_cookie;
  return c;
}

// 429 (throttled) or 503 (busy) with Retry-After.
http::Response retry_later(const Error& e, std::chrono::seconds wait, Lang lang) {
  auto res = http::error_response(e.code() == "throttled" ? 429 : 503, e, lang);
  res.headers.set("Retry-After", std::to_string(wait.count()));
  return res;
}

http::Response login(Context& ctx, const http::Request& req) {
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body, {"username", "password"});
  auto username = http::required_field<std::string>(body, "username");
  auto password = http::required_field<std::string>(body, "password");
  // The password is checked outside any transaction; only the outcome is written (a failure
  // too: the counts, the lock, the audit row).
  auth::LoginResult result =
      ctx.accounts.login(ctx.db, username, password, req.client_address, ctx.now());
  if (result.error && result.error->kind() == ErrorKind::unavailable) {
    return retry_later(*result.error, result.retry_after, req.lang);
  }
  const auth::Session& s = result.value();
  auto res = http::Response::json(
      200, {{"token", s.token}, {"csrf_token", s.csrf_token}, {"user", user_json(s.user)}});
  res.set_cookie(ctx.options.cookie_name, s.token, cookie_options(ctx));
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response logout(Context& ctx, const http::Request& req) {
  const Caller& c = caller_of(req);
  ctx.db.transact([&](store::Tx& tx) { ctx.accounts.logout(tx, c.token, ctx.now()); });
  ctx.sessions.invalidate();
  auto res = http::Response::empty(204);
  auto opts = cookie_options(ctx);
  opts.max_age_seconds = 0;
  res.set_cookie(ctx.options.cookie_name, "deleted", opts);
  return res;
}

http::Response me(Context& ctx, const http::Request& req) {
  const Caller& c = caller_of(req);
  json out = user_json(c.user);
  out["permissions"] = ctx.permissions.of(c.user.role);
  out["csrf_token"] = c.csrf_token;
  return http::Response::json(200, out);
}

http::Response change_password(Context& ctx, const http::Request& req) {
  const Caller& c = caller_of(req);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body, {"old_password", "new_password"});
  auto old_pw = http::required_field<std::string>(body, "old_password");
  auto new_pw = http::required_field<std::string>(body, "new_password");
  try {
    // Hashes outside any transaction; ends the user's other sessions.
    ctx.accounts.change_password(ctx.db, c.user.id, c.token, old_pw, new_pw, req.client_address,
                                 ctx.now());
  } catch (const auth::RetryLater& e) {
    return retry_later(e, e.retry_after(), req.lang);
  } catch (const Error& e) {
    // A wrong old password may have locked the account and ended this session.
    if (e.code() == "wrong_password") ctx.sessions.invalidate();
    throw;
  }
  ctx.sessions.invalidate();
  return http::Response::empty(204);
}

}  // namespace

std::vector<http::Route> auth_routes(const std::shared_ptr<Context>& ctx) {
  auto bind = [&ctx](ApiHandler fn) { return bind_handler(ctx, fn); };
  json string = {{"type", "string"}};
  return {
      {.method = http::Method::post,
       .path = "/api/v1/auth/login",
       .summary = "Log in: a session cookie and a bearer token",
       .tags = {"auth"},
       .handler = bind(login),
       .request_schema = {{"type", "object"},
                          {"required", {"username", "password"}},
                          {"properties", {{"username", string}, {"password", string}}}},
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"token", string}, {"csrf_token", string}, {"user", user_schema()}}}},
       .authenticated = false},
      {.method = http::Method::post,
       .path = "/api/v1/auth/logout",
       .summary = "End the session",
       .tags = {"auth"},
       .handler = bind(logout),
       .success_status = 204},
      {.method = http::Method::get,
       .path = "/api/v1/auth/me",
       .summary = "The logged-in user and their permissions",
       .tags = {"auth"},
       .handler = bind(me),
       .response_schema = user_schema()},
      {.method = http::Method::post,
       .path = "/api/v1/auth/password",
       .summary = "Change one's own password",
       .tags = {"auth"},
       .handler = bind(change_password),
       .request_schema = {{"type", "object"},
                          {"required", {"old_password", "new_password"}},
                          {"properties", {{"old_password", string}, {"new_password", string}}}},
       .success_status = 204},
  };
}

}  // namespace wangge::api
