// The audit log for the audit administrator (审计管理员): read-only pages of the hash chain
// with each row's link checked, and a walk of the whole chain reporting the first broken link.
// There is no route that edits or deletes the log.
#include "api/context.h"
#include "auth/audit.h"
#include "auth/module/module.h"
#include "core/error.h"

namespace wangge::api {
namespace {

using nlohmann::json;

// "2026-03-01" (a local day: from its start; as `to`, through its end) or an ISO instant.
std::optional<Instant> time_param(const http::Request& req, std::string_view key, bool end) {
  auto v = req.query.get(key);
  if (!v || v->empty()) return std::nullopt;
  if (v->size() == 10) {
    Date d = parse_date(*v, key);
    return end ? local_midnight(date_from_days(days_since_epoch(d) + 1)) : local_midnight(d);
  }
  return parse_instant(*v, key);
}

// The reason a row records, when its detail is JSON with one (reveals, colour changes).
json reason_of(const std::string& detail) {
  if (detail.empty() || detail.front() != '{') return nullptr;
  json d = json::parse(detail, nullptr, false);
  if (d.is_object() && d.contains("reason") && d["reason"].is_string()) return d["reason"];
  return nullptr;
}

http::Response list(Context& ctx, const http::Request& req) {
  auth::check_access(ctx.permissions, caller_of(req).user, auth::perm::audit_read);
  auth::audit::Filter f;
  f.from = time_param(req, "from", false);
  f.to = time_param(req, "to", true);
  f.actor = req.query.get_or("actor", "");
  f.action = req.query.get_or("action", "");
  for (const auto* s : {&f.actor, &f.action}) {
    if (utf8_length(*s) > 64) {
      throw_bad_input("invalid_query", "查询词不能超过64个字", "at most 64 characters",
                      s == &f.actor ? "actor" : "action");
    }
  }
  f.page = req.query.get_int_or("page", 1, 1, 1'000'000);
  f.size = req.query.get_int_or("size", 50, 1, 500);
  auto tx = ctx.db.begin(store::TxMode::read);
  auth::audit::Page page = auth::audit::search(*tx, f);
  json items = json::array();
  for (const auto& [e, ok] : page.items) {
    items.push_back({{"id", e.id},
                     {"at", format_instant(e.at)},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"target", e.subject},
                     {"reason", reason_of(e.detail)},
                     {"detail", e.detail},
                     {"client_addr", e.client_addr.empty() ? json() : json(e.client_addr)},
                     {"keyed", !e.mac.empty()},
                     {"verified", ok}});
  }
  return http::Response::json(
      200, {{"items", items}, {"total", page.total}, {"page", f.page}, {"size", f.size}});
}

http::Response verify(Context& ctx, const http::Request& req) {
  auth::check_access(ctx.permissions, caller_of(req).user, auth::perm::audit_read);
  auto tx = ctx.db.begin(store::TxMode::read);
  auto broken = auth::audit::verify(*tx);
  auto from = auth::audit::mac_from(*tx);
  return http::Response::json(200, {{"intact", !broken.has_value()},
                                    {"first_broken_id", broken ? json(*broken) : json()},
                                    {"keyed_from_id", from ? json(*from) : json()}});
}

}  // namespace

std::vector<http::Route> audit_routes(const std::shared_ptr<Context>& ctx) {
  auto bind = [&ctx](ApiHandler fn) { return bind_handler(ctx, fn); };
  using http::ParamType;
  json string = {{"type", "string"}};
  json entry = {{"type", "object"},
                {"properties",
                 {{"id", {{"type", "integer"}}},
                  {"at", string},
                  {"actor", string},
                  {"action", string},
                  {"target", string},
                  {"reason", {{"type", "string"}, {"nullable", true}}},
                  {"detail", string},
                  {"verified", {{"type", "boolean"}}}}}};
  return {
      {.method = http::Method::get,
       .path = "/api/v1/audit",
       .summary = "The audit log, newest first, each row's hash link checked (审计管理员)",
       .tags = {"audit"},
       .handler = bind(list),
       .query = {{.name = "from", .description = "date (local) or ISO time, inclusive"},
                 {.name = "to", .description = "date (local, inclusive) or ISO time (exclusive)"},
                 {.name = "actor", .description = "username"},
                 {.name = "action", .description = "login, resident.reveal, user.lock …"},
                 {.name = "page", .type = ParamType::integer, .description = "from 1"},
                 {.name = "size", .type = ParamType::integer, .description = "1–500, default 50"}},
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"items", {{"type", "array"}, {"items", entry}}},
                             {"total", {{"type", "integer"}}}}}}},
      {.method = http::Method::get,
       .path = "/api/v1/audit/verify",
       .summary = "Walk the whole chain; the first broken link, if any",
       .tags = {"audit"},
       .handler = bind(verify),
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"intact", {{"type", "boolean"}}},
                             {"first_broken_id", {{"type", "integer"}, {"nullable", true}}}}}}},
  };
}

}  // namespace wangge::api
