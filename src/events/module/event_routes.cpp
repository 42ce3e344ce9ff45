// The events API (DESIGN §7): report, list, detail with the steps timeline and the parts,
// actions of the state machine, nearby duplicates and the category taxonomy. Routes only
// validate and call events/service.h; who may act is decided there.
#include "events/module/event_routes.h"

#include "api/context.h"
#include "core/error.h"
#include "events/module/module.h"
#include "http/json_input.h"
#include "org/service.h"

namespace wangge::api {

events::Actor event_actor(const Context& ctx, const auth::User& u) {
  events::Actor a;
  a.user_id = u.id;
  a.name = u.username;
  a.role = u.role;
  a.org_code = u.org_code;
  a.can_report = ctx.allows(u, auth::perm::event_report);
  a.can_handle = ctx.allows(u, auth::perm::event_handle);
  return a;
}

namespace {

using nlohmann::json;

events::Actor actor_of(const Context& ctx, const auth::User& u) { return event_actor(ctx, u); }

// Reading events needs one of the event permissions (report, handle, or read only).
events::Actor reader(const Context& ctx, const http::Request& req) {
  const auth::User& u = caller_of(req).user;
  if (!ctx.allows(u, auth::perm::event_read) && !ctx.allows(u, auth::perm::event_report)) {
    auth::check_access(ctx.permissions, u, auth::perm::event_handle);
  }
  return actor_of(ctx, u);
}

// What anyone may know of an event outside their scope: its category and state.
json public_summary(const std::string& category, events::State state) {
  const events::Category* c = events::find_category(category);
  return {{"category", category},
          {"category_name", c ? c->name : category},
          {"state", events::to_string(state)},
          {"state_name", events::label(state)}};
}

// A nearby open event: in scope, the event (whole, or its id when !whole) and the distance;
// out of scope, the public summary, the rounded distance and the opaque ref duplicate_of takes.
json duplicate_json(const events::Duplicate& d, Instant now, bool whole) {
  json j;
  if (d.event) {
    j = whole ? event_json(*d.event, now) : json{{"id", d.event->id}};
    j["visible"] = true;
  } else {
    j = public_summary(d.category, d.state);
    j["ref"] = d.ref;
    j["visible"] = false;
  }
  j["metres"] = d.metres;
  return j;
}

json detail(store::Tx& tx, const events::Actor& a, int64_t id, Instant now) {
  events::EventWithActions ev = events::event_with_actions(tx, a, id, now);
  json out = event_json(ev.event, now);
  json allowed = json::array();
  for (events::Action act : ev.allowed) allowed.push_back(events::to_string(act));
  out["allowed_actions"] = std::move(allowed);
  json steps = json::array(), parts = json::array();
  for (const auto& s : events::steps_of(tx, id)) steps.push_back(step_json(s));
  for (const auto& p : events::parts_of(tx, id)) parts.push_back(part_json(p));
  out["steps"] = std::move(steps);
  out["parts"] = std::move(parts);
  out["followers"] = events::followers_of(tx, id).size();
  return out;
}

http::Response create(Context& ctx, const http::Request& req) {
  const auth::User& u = caller_of(req).user;
  auth::check_access(ctx.permissions, u, auth::perm::event_report);
  events::Actor a = actor_of(ctx, u);
  events::NewEvent e = parse_new_event(req.json());
  bool source_given = req.json().contains("source");
  if (u.role == auth::Role::resident) {
    if (source_given && e.source != events::Source::resident) {
      throw_bad_input("invalid_source", "居民上报的来源只能是群众上报",
                      "residents report with source resident", "source");
    }
    e.source = events::Source::resident;
  }
  e.duplicate_vault = &ctx.vault;
  const Instant now = ctx.now();
  events::Reported r =
      ctx.db.transact([&](store::Tx& tx) { return events::report(tx, a, e, now); });
  // The answer is read after the commit, outside the one-at-a-time write transaction.
  auto tx = ctx.db.begin(store::TxMode::read);
  if (r.interested_only) {
    // Linked to an event the caller may not see: the caller is told its outcome, not shown it.
    const events::Event target = *events::find_event(*tx, r.id);
    json out = public_summary(target.category, target.state);
    out["linked"] = true;
    out["ref"] = e.duplicate_ref;
    out["visible"] = false;
    return http::Response::json(200, out);
  }
  json out = detail(*tx, a, r.id, now);
  out["linked"] = r.linked;
  json dups = json::array();
  if (!r.linked && e.lat && e.lng) {
    for (const auto& d : events::find_duplicates(*tx, a, e.category, *e.lat, *e.lng, ctx.vault)) {
      if (d.event && d.event->id == r.id) continue;
      dups.push_back(duplicate_json(d, now, false));
    }
  }
  out["possible_duplicates"] = std::move(dups);
  return http::Response::json(r.linked ? 200 : 201, out);
}

http::Response list(Context& ctx, const http::Request& req) {
  events::Actor a = reader(ctx, req);
  const http::Query& q = req.query;
  events::EventFilter f;
  f.org_code = q.get_or("org", "");
  if (auto s = q.get("state"); s && !s->empty()) f.state = events::parse_state(*s);
  if (auto l = q.get_int("level", events::kMinLevel, events::kMaxLevel)) {
    f.level = static_cast<int>(*l);
  }
  f.overdue = q.get_bool("overdue");
  f.category = q.get_or("category", "");
  if (auto s = q.get("updated_since"); s && !s->empty()) {
    f.updated_since = parse_instant(*s, "updated_since");
  }
  f.page = static_cast<int>(q.get_int_or("page", 1, 1, 1'000'000));
  f.size = static_cast<int>(q.get_int_or("size", 20, 1, 100));
  const Instant now = ctx.now();
  auto tx = ctx.db.begin(store::TxMode::read);
  events::EventPage page = events::list_events(*tx, a, f, now);
  json items = json::array();
  for (const auto& e : page.items) items.push_back(event_json(e, now));
  return http::Response::json(
      200, {{"total", page.total}, {"page", f.page}, {"size", f.size}, {"items", items}});
}

http::Response get_one(Context& ctx, const http::Request& req) {
  events::Actor a = reader(ctx, req);
  int64_t id = req.param_int("id", 1);
  auto tx = ctx.db.begin(store::TxMode::read);
  return http::Response::json(200, detail(*tx, a, id, ctx.now()));
}

http::Response post_action(Context& ctx, const http::Request& req) {
  const auth::User& u = caller_of(req).user;
  events::ActionInput in = parse_action_input(req.json());
  bool by_public = in.action == events::Action::rate || in.action == events::Action::follow;
  if (by_public) {  // reporters and handlers; not readers (event.read acts on nothing)
    if (!ctx.allows(u, auth::perm::event_report)) {
      auth::check_access(ctx.permissions, u, auth::perm::event_handle);
    }
  } else {
    auth::check_access(ctx.permissions, u, auth::perm::event_handle);
  }
  events::Actor a = actor_of(ctx, u);
  int64_t id = req.param_int("id", 1);
  const Instant now = ctx.now();
  events::Step step =
      ctx.db.transact([&](store::Tx& tx) { return events::act(tx, a, id, in, now); });
  auto tx = ctx.db.begin(store::TxMode::read);
  json out = {{"step", step_json(step)}, {"event", detail(*tx, a, id, now)}};
  return http::Response::json(200, out);
}

// 吹哨报到: the departments the caller may summon to the event now.
http::Response summonable(Context& ctx, const http::Request& req) {
  const auth::User& u = caller_of(req).user;
  auth::check_access(ctx.permissions, u, auth::perm::event_handle);
  events::Actor a = actor_of(ctx, u);
  int64_t id = req.param_int("id", 1);
  auto tx = ctx.db.begin(store::TxMode::read);
  json items = json::array();
  for (const auto& o : events::summonable_departments(*tx, a, id, ctx.now())) {
    items.push_back({{"id", o.id},
                     {"code", o.code},
                     {"name", o.name},
                     {"kind", o.kind},
                     {"parent", o.parent_code},
                     {"parent_name", o.parent_name}});
  }
  return http::Response::json(200, {{"items", items}});
}

http::Response duplicates(Context& ctx, const http::Request& req) {
  events::Actor a = reader(ctx, req);
  auto lat = req.query.get_double("lat");
  auto lng = req.query.get_double("lng");
  if (!lat || !lng) {
    throw_bad_input("missing_field", "请提供经纬度", "lat and lng are required",
                    lat ? "lng" : "lat");
  }
  const Instant now = ctx.now();
  auto tx = ctx.db.begin(store::TxMode::read);
  json items = json::array();
  for (const auto& d :
       events::find_duplicates(*tx, a, req.query.get_or("category", ""), *lat, *lng, ctx.vault)) {
    items.push_back(duplicate_json(d, now, true));
  }
  return http::Response::json(200, {{"items", items}});
}

http::Response categories(Context&, const http::Request& req) {
  caller_of(req);
  json items = json::array();
  for (const auto& c : events::categories()) {
    items.push_back({{"code", c.code},
                     {"name", c.name},
                     {"parent", c.parent.empty() ? json(nullptr) : json(c.parent)},
                     {"sla_class", events::to_string(c.sla)},
                     {"reportable", c.reportable}});
  }
  return http::Response::json(200, {{"items", items}});
}

}  // namespace

std::vector<http::Route> event_routes(const std::shared_ptr<Context>& ctx) {
  using http::ParamType;
  auto bind = [&ctx](ApiHandler fn) { return bind_handler(ctx, fn); };
  json str = {{"type", "string"}}, num = {{"type", "number"}}, integer = {{"type", "integer"}};
  json strs = {{"type", "array"}, {"items", str}};
  json report_props = {{"category", str},     {"title", str},
                       {"description", str},  {"lat", num},
                       {"lng", num},          {"address", str},
                       {"grid", str},         {"people_affected", integer},
                       {"damage", str},       {"urgency", str},
                       {"sla_class", str},    {"deadline", str},
                       {"source", str},       {"attachments", strs},
                       {"external_ref", str}, {"duplicate_of", {{"oneOf", {integer, str}}}}};
  json action_props = {{"action", str},       {"note", str},     {"attachments", strs},
                       {"departments", strs}, {"part_org", str}, {"target_org", str},
                       {"due_at", str},       {"score", integer}};
  http::Param id{.name = "id", .type = ParamType::integer, .required = true};
  std::vector<http::Route> routes = {
      {.method = http::Method::post,
       .path = "/api/v1/events",
       .summary = "Report an event (一患一档); a 12345 record entered at county or city is "
                  "routed down to the township of its grid; duplicate_of (an event id, or the "
                  "ref of a duplicate outside the caller's scope) links instead",
       .tags = {"events"},
       .handler = bind(create),
       .request_schema = {{"type", "object"},
                          {"required", {"category", "title"}},
                          {"properties", report_props}},
       .success_status = 201},
      {.method = http::Method::get,
       .path = "/api/v1/events",
       .summary = "Events within the caller's scope, newest first",
       .tags = {"events"},
       .handler = bind(list),
       .query = {{.name = "org", .description = "owner within this org's subtree"},
                 {.name = "state", .description = "reported / accepted / … / cancelled"},
                 {.name = "level", .type = ParamType::integer, .description = "1–5"},
                 {.name = "overdue", .type = ParamType::boolean},
                 {.name = "category", .description = "code; a parent takes its children"},
                 {.name = "updated_since", .description = "ISO 8601 time"},
                 {.name = "page", .type = ParamType::integer},
                 {.name = "size", .type = ParamType::integer, .description = "1–100"}}},
      {.method = http::Method::get,
       .path = "/api/v1/events/duplicates",
       .summary = "Open events of a category within 250 m of a place: in scope whole, out of "
                  "scope only category, state, distance (10 m) and an opaque ref",
       .tags = {"events"},
       .handler = bind(duplicates),
       .query = {{.name = "lat", .type = ParamType::number, .required = true},
                 {.name = "lng", .type = ParamType::number, .required = true},
                 {.name = "category", .required = true}}},
      {.method = http::Method::get,
       .path = "/api/v1/events/{id}",
       .summary = "One event with its steps timeline and summoned parts",
       .tags = {"events"},
       .handler = bind(get_one),
       .path_params = {id}},
      {.method = http::Method::post,
       .path = "/api/v1/events/{id}/actions",
       .summary = "Apply an action of the state machine (accept, assign, dispatch, acknowledge, "
                  "resolve_part, start, resolve, verify_pass, verify_fail, return, escalate, "
                  "extend, cancel, rate, follow); an illegal one is 409",
       .tags = {"events"},
       .handler = bind(post_action),
       .path_params = {id},
       .request_schema = {{"type", "object"},
                          {"required", {"action"}},
                          {"properties", action_props}}},
      {.method = http::Method::get,
       .path = "/api/v1/events/{id}/summonable",
       .summary = "吹哨报到: the departments the caller may summon to the event now (those of "
                  "the owner's township, county and city); 409 when it may not dispatch now",
       .tags = {"events"},
       .handler = bind(summonable),
       .path_params = {id}},
      {.method = http::Method::get,
       .path = "/api/v1/event-categories",
       .summary = "The two-level event taxonomy with each category's default SLA class",
       .tags = {"events"},
       .handler = bind(categories)},
  };
  for (auto& r : patrol_routes(ctx)) routes.push_back(std::move(r));
  return routes;
}

}  // namespace wangge::api
