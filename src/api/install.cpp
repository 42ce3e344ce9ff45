// Wiring: the shared context, the authentication hook and every route table.
#include <string_view>

#include "api/api.h"
#include "api/context.h"
#include "api/idempotency.h"
#include "api/route_kit.h"
#include "auth/audit.h"
#include "core/error.h"

namespace wangge::api {
namespace {

bool state_changing(http::Method m) {
  return m == http::Method::post || m == http::Method::patch || m == http::Method::put ||
         m == http::Method::delete_;
}

// The bearer token of an "Authorization: Bearer …" header, if any.
std::optional<std::string> bearer_token(const http::Request& req) {
  auto h = req.header("Authorization");
  if (!h) return std::nullopt;
  constexpr std::string_view kScheme = "Bearer ";
  if (h->size() <= kScheme.size() || h->substr(0, kScheme.size()) != kScheme) {
    throw Error(ErrorKind::unauthorized, "invalid_authorization", "认证信息格式不正确",
                "the Authorization header must be \"Bearer <token>\"");
  }
  return std::string(h->substr(kScheme.size()));
}

// The routes a user who must change the initial password may still call: who am I, change
// it, log out. Everything else answers 403 "password_change_required", checked here once
// rather than in each handler.
bool open_before_password_change(const http::Route& route) {
  return route.path == "/api/v1/auth/me" || route.path == "/api/v1/auth/password" ||
         route.path == "/api/v1/auth/logout";
}

// Compares without an early exit, so response times do not tell how much of a guess matched.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

const Caller& caller_of(const http::Request& req) {
  const Caller* c = req.context_as<Caller>();
  if (!c) throw Error(ErrorKind::unauthorized, "not_logged_in", "请先登录", "please log in");
  return *c;
}

http::Handler bind_handler(const std::shared_ptr<Context>& ctx, ApiHandler fn) {
  return [ctx, fn](const http::Request& req) { return fn(*ctx, req); };
}

void authenticate_request(Context& ctx, http::Request& req) {
  if (!req.route || !req.route->authenticated) return;
  Caller caller;
  if (auto token = bearer_token(req)) {
    caller.token = std::move(*token);
  } else if (auto cookie = req.cookie(ctx.options.cookie_name); cookie && !cookie->empty()) {
    caller.token = std::move(*cookie);
    caller.via_cookie = true;
  } else {
    throw Error(ErrorKind::unauthorized, "not_logged_in", "请先登录", "please log in");
  }
  // Most requests find their session in memory; the rest check it in a read transaction and
  // renew the idle clock in a write only when due (at most once a minute per session), so
  // reads do not queue behind SQLite's single writer.
  const Instant at = ctx.now();
  const std::string hash = auth::token_hash(caller.token);
  ctx.sessions.sync(ctx.db);
  std::optional<auth::Authenticated> cached =
      ctx.sessions.find(hash, at, ctx.accounts.options().touch_interval);
  auth::Authenticated who;
  if (cached) {
    who = std::move(*cached);
  } else {
    const uint64_t epoch = ctx.sessions.epoch();
    who = [&] {
      auto tx = ctx.db.begin(store::TxMode::read);
      return ctx.accounts.check_session(*tx, caller.token, at);
    }();
    if (who.needs_touch) {
      ctx.db.transact([&](store::Tx& tx) { ctx.accounts.touch_session(tx, caller.token, at); });
      who.last_seen = at;
    }
    ctx.sessions.put(hash, who, epoch);
  }
  // A cookie rides along with any request the browser makes, so a state-changing one must
  // prove it came from our page (double submit of the session's CSRF token).
  if (caller.via_cookie && state_changing(req.method) &&
      !same_secret(req.header("X-CSRF-Token").value_or(""), who.csrf_token)) {
    throw Error(ErrorKind::forbidden, "csrf_failed", "请求缺少有效的 CSRF 令牌，请刷新页面后重试",
                "missing or wrong X-CSRF-Token header");
  }
  if (who.user.must_change_password && !open_before_password_change(*req.route)) {
    throw Error(ErrorKind::forbidden, "password_change_required", "请先修改初始密码",
                "change the initial password first");
  }
  caller.user = std::move(who.user);
  caller.csrf_token = std::move(who.csrf_token);
  req.context = std::move(caller);
}

void install(http::Dispatcher& dispatcher, store::Database& db, const Vault& vault,
             const ApiOptions& options, const app::Registry& modules) {
  auto ctx = std::make_shared<Context>(db, vault, options, modules);
  {
    auto tx = db.begin(store::TxMode::read);
    ctx->permissions = auth::Permissions::load(*tx);
  }
  dispatcher.before([ctx](http::Request& req) {
    auth::audit::set_origin(req.client_address);  // audit rows of this request record it
    authenticate_request(*ctx, req);
  });
  for (const auto& table : modules.route_tables()) {
    auto routes = with_idempotency(ctx, table(ctx));
    declare_shared_formats(routes);
    dispatcher.router().add_all(std::move(routes));
  }
  register_gauges(dispatcher.metrics(), ctx);
  dispatcher.customize_openapi([name = options.cookie_name](nlohmann::json& doc) {
    doc["components"]["securitySchemes"] = {
        {"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
        {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", name}}}};
    doc["security"] = nlohmann::json::array(
        {{{"bearer", nlohmann::json::array()}}, {{"cookie", nlohmann::json::array()}}});
  });
}

void install(http::Server& server, store::Database& db, const Vault& vault,
             const ApiOptions& options, const app::Registry& modules) {
  install(server.dispatcher(), db, vault, options, modules);
}

}  // namespace wangge::api
