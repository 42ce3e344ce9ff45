// 看听问记报: the patrol log API. POST /api/v1/patrols records one entry (offline phones send
// it with an Idempotency-Key, as reports), GET /api/v1/patrols lists entries in scope. Who may
// log and read is decided in events/patrols.h.
#include "api/context.h"
#include "core/error.h"
#include "events/module/event_routes.h"
#include "events/module/module.h"
#include "events/patrols.h"
#include "http/json_input.h"

namespace wangge::api {
namespace {

using nlohmann::json;

events::NewPatrol parse_patrol(const json& body) {
  http::require_object(body);
  http::reject_unknown_fields(
      body, {"grid", "started_at", "ended_at", "kinds", "households_visited", "note", "lat", "lng",
             "event_id", "attachments"});
  events::NewPatrol p;
  p.grid_code = http::optional_field<std::string>(body, "grid").value_or("");
  p.started_at = parse_instant(http::required_field<std::string>(body, "started_at"), "started_at");
  p.ended_at = parse_instant(http::required_field<std::string>(body, "ended_at"), "ended_at");
  p.kinds = http::required_field<std::vector<std::string>>(body, "kinds");
  p.households_visited = http::optional_field<int>(body, "households_visited").value_or(0);
  p.note = http::optional_field<std::string>(body, "note").value_or("");
  p.lat = http::optional_field<double>(body, "lat");
  p.lng = http::optional_field<double>(body, "lng");
  p.event_id = http::optional_field<int64_t>(body, "event_id");
  p.attachments = http::optional_field<std::vector<std::string>>(body, "attachments")
                      .value_or(std::vector<std::string>{});
  return p;
}

json patrol_json(const events::Patrol& p) {
  return {{"id", p.id},
          {"grid", p.grid_code},
          {"grid_name", p.grid_name},
          {"worker", p.worker_name},
          {"started_at", format_instant(p.started_at)},
          {"ended_at", format_instant(p.ended_at)},
          {"created_at", format_instant(p.created_at)},
          {"kinds", p.kinds},
          {"households_visited", p.households_visited},
          {"note", p.note},
          {"lat", p.lat ? json(*p.lat) : json(nullptr)},
          {"lng", p.lng ? json(*p.lng) : json(nullptr)},
          {"event_id", p.event_id ? json(*p.event_id) : json(nullptr)},
          {"attachments", p.attachments}};
}

http::Response create(Context& ctx, const http::Request& req) {
  const auth::User& u = caller_of(req).user;
  auth::check_access(ctx.permissions, u, auth::perm::event_report);
  events::Actor a = event_actor(ctx, u);
  events::NewPatrol p = parse_patrol(req.json());
  events::Patrol saved =
      ctx.db.transact([&](store::Tx& tx) { return events::log_patrol(tx, a, p, ctx.now()); });
  return http::Response::json(201, patrol_json(saved));
}

http::Response list(Context& ctx, const http::Request& req) {
  const auth::User& u = caller_of(req).user;
  if (!ctx.allows(u, auth::perm::event_read) && !ctx.allows(u, auth::perm::event_report)) {
    auth::check_access(ctx.permissions, u, auth::perm::event_handle);
  }
  events::Actor a = event_actor(ctx, u);
  const http::Query& q = req.query;
  events::PatrolFilter f;
  f.org_code = q.get_or("org", "");
  if (auto s = q.get("from"); s && !s->empty()) f.from = parse_instant(*s, "from");
  if (auto s = q.get("to"); s && !s->empty()) f.to = parse_instant(*s, "to");
  f.page = static_cast<int>(q.get_int_or("page", 1, 1, 1'000'000));
  f.size = static_cast<int>(q.get_int_or("size", 20, 1, 100));
  auto tx = ctx.db.begin(store::TxMode::read);
  events::PatrolPage page = events::list_patrols(*tx, a, f);
  json items = json::array();
  for (const auto& p : page.items) items.push_back(patrol_json(p));
  return http::Response::json(
      200, {{"total", page.total}, {"page", f.page}, {"size", f.size}, {"items", items}});
}

}  // namespace

std::vector<http::Route> patrol_routes(const std::shared_ptr<Context>& ctx) {
  using http::ParamType;
  auto bind = [&ctx](ApiHandler fn) { return bind_handler(ctx, fn); };
  json str = {{"type", "string"}}, num = {{"type", "number"}}, integer = {{"type", "integer"}};
  json strs = {{"type", "array"}, {"items", str}};
  json props = {{"grid", str},
                {"started_at", str},
                {"ended_at", str},
                {"kinds", strs},
                {"households_visited", integer},
                {"note", str},
                {"lat", num},
                {"lng", num},
                {"event_id", integer},
                {"attachments", strs}};
  return {
      {.method = http::Method::post,
       .path = "/api/v1/patrols",
       .summary = "看听问记报: log a patrol in a grid (kinds among look, listen, ask, record, "
                  "report); Idempotency-Key makes a resubmission return the first entry",
       .tags = {"events"},
       .handler = bind(create),
       .request_schema = {{"type", "object"},
                          {"required", {"started_at", "ended_at", "kinds"}},
                          {"properties", props}},
       .success_status = 201},
      {.method = http::Method::get,
       .path = "/api/v1/patrols",
       .summary = "Patrol log entries of the grids in the caller's scope, newest first",
       .tags = {"events"},
       .handler = bind(list),
       .query = {{.name = "org", .description = "grids within this org's subtree"},
                 {.name = "from", .description = "started at or after (ISO 8601)"},
                 {.name = "to", .description = "started before (ISO 8601)"},
                 {.name = "page", .type = ParamType::integer},
                 {.name = "size", .type = ParamType::integer, .description = "1–100"}}},
  };
}

}  // namespace wangge::api
