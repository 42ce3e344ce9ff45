// The events API (DESIGN §7): report, list, detail with the steps timeline and the parts,
// actions of the state machine, nearby duplicates and the category taxonomy. Routes only
// validate and call events/service.h; who may act is decided there.
#include "events/module/event_routes.h"

#include <map>

#include "api/context.h"
#include "core/error.h"
#include "events/module/module.h"
#include "events/module/work_stream.h"
#include "events/outbox.h"
#include "http/body_stream.h"
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

// Who acted, as people read it: the name and the post (单位 · 角色), not the login; the
// system's steps are 系统.
struct Person {
  std::string name, post;
};
Person person_of(Context& ctx, store::Tx& tx, const events::Step& s,
                 std::map<int64_t, Person>& seen) {
  if (s.actor_user_id == 0) {
    return s.actor_name == "system" ? Person{"系统", ""} : Person{s.actor_name, ""};
  }
  auto it = seen.find(s.actor_user_id);
  if (it != seen.end()) return it->second;
  Person p{s.actor_name, ""};
  try {
    auth::User u = ctx.accounts.get_user(tx, s.actor_user_id);
    if (!u.display_name.empty()) p.name = u.display_name;
    auto org = org::find_org(tx, u.org_code);
    p.post = (org ? org->name + " · " : std::string()) + std::string(auth::label(u.role));
  } catch (const Error&) {
    // A user since removed: the login recorded on the step.
  }
  return seen[s.actor_user_id] = p;
}

json detail(Context& ctx, store::Tx& tx, const events::Actor& a, int64_t id, Instant now) {
  events::EventWithActions ev = events::event_with_actions(tx, a, id, now);
  json out = event_json(ev.event, now);
  json allowed = json::array();
  for (events::Action act : ev.allowed) allowed.push_back(events::to_string(act));
  out["allowed_actions"] = std::move(allowed);
  json steps = json::array(), parts = json::array();
  std::map<int64_t, Person> people;
  for (const auto& s : events::steps_of(tx, id)) {
    json j = step_json(s);
    Person p = person_of(ctx, tx, s, people);
    j["actor_display"] = p.name;
    j["actor_post"] = p.post;
    j["by_system"] = s.actor_user_id == 0 && s.actor_name == "system";
    steps.push_back(std::move(j));
  }
  // 临期提醒: the system's reminders before a due time, for the timeline.
  json reminders = json::array();
  for (const auto& n : events::notices_of(tx, id)) {
    if (n.kind != events::NoticeKind::deadline_near) continue;
    reminders.push_back({{"at", format_instant(n.created_at)}, {"kind", "deadline_near"}});
  }
  out["reminders"] = std::move(reminders);
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
  json out = detail(ctx, *tx, a, r.id, now);
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

// "a,b,c" → [a, b, c], empty items dropped.
std::vector<std::string> comma_list(std::string_view text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = text.find(',', at);
    if (end == std::string_view::npos) end = text.size();
    if (end > at) out.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

// A time range bound: a local day (YYYY-MM-DD; `to` takes the whole day) or an ISO time.
std::optional<Instant> bound(const http::Query& q, const char* name, bool end_of_day) {
  auto v = q.get(name);
  if (!v || v->empty()) return std::nullopt;
  if (auto d = try_parse_date(*v); d && v->size() == 10) {
    return local_midnight(end_of_day ? date_from_days(days_since_epoch(*d) + 1) : *d);
  }
  return parse_instant(*v, name);
}

// The list's filter from the query (GET /api/v1/events and its export).
events::EventFilter list_filter(const http::Query& q) {
  events::EventFilter f;
  f.org_code = q.get_or("org", "");
  for (const auto& s : comma_list(q.get_or("state", ""))) {
    f.states.push_back(events::parse_state(s));
  }
  for (const auto& s : comma_list(q.get_or("source", ""))) {
    f.sources.push_back(events::parse_source(s, "source"));
  }
  if (auto l = q.get_int("level", events::kMinLevel, events::kMaxLevel)) {
    f.level = static_cast<int>(*l);
  }
  f.overdue = q.get_bool("overdue");
  f.open = q.get_bool("open");
  f.category = q.get_or("category", "");
  f.number = q.get_or("number", "");
  f.keyword = q.get_or("q", "");
  f.reported_from = bound(q, "from", false);
  f.reported_to = bound(q, "to", true);
  if (auto s = q.get("updated_since"); s && !s->empty()) {
    f.updated_since = parse_instant(*s, "updated_since");
  }
  return f;
}

http::Response list(Context& ctx, const http::Request& req) {
  events::Actor a = reader(ctx, req);
  const http::Query& q = req.query;
  events::EventFilter f = list_filter(q);
  if (auto tab = q.get("tab"); tab && !tab->empty()) {
    events::apply_tab(f, events::parse_work_tab(*tab), a);
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

// 待办: the workbench's tabs with their counts in the caller's scope (or under org).
http::Response workbench(Context& ctx, const http::Request& req) {
  events::Actor a = reader(ctx, req);
  events::EventFilter f;
  f.org_code = req.query.get_or("org", "");
  const Instant now = ctx.now();
  auto tx = ctx.db.begin(store::TxMode::read);
  std::vector<int64_t> counts = events::count_tabs(*tx, a, f, now);
  json tabs = json::array();
  size_t i = 0;
  for (events::WorkTab t : events::kWorkTabs) {
    tabs.push_back(
        {{"key", events::to_string(t)}, {"label", events::label(t)}, {"count", counts.at(i++)}});
  }
  return http::Response::json(200, {{"tabs", tabs}, {"as_of", format_instant(now)}});
}

// 待办's live feed: server-sent events naming the events in the caller's scope that change.
http::Response work_stream(Context& ctx, const http::Request& req, WorkStreams& streams) {
  events::Actor a = reader(ctx, req);
  // A client that does not ask for an event stream (EventSource always does) gets the first
  // message and the end, as with ?once=true, rather than an answer that never ends.
  bool streams_asked =
      req.header("Accept").value_or("").find("text/event-stream") != std::string_view::npos;
  bool once = req.query.get_bool("once").value_or(false) || !streams_asked;
  auto tx = ctx.db.begin(store::TxMode::read);
  http::Response r = http::Response::text(200, "", "text/event-stream; charset=utf-8");
  r.headers.set(std::string(http::kStreamHeader), http::hand_over(streams.open(*tx, a, once)));
  return r;
}

// 导出: the list's events (the same filter) as CSV or XLSX, one row each.
http::Response export_list(Context& ctx, const http::Request& req) {
  events::Actor a = reader(ctx, req);
  events::EventFilter f = list_filter(req.query);
  std::string format = req.query.get_or("format", "xlsx");
  if (format != "csv" && format != "xlsx") {
    throw_bad_input("invalid_format", "导出格式须为 csv 或 xlsx", "format must be csv or xlsx",
                    "format");
  }
  const Instant now = ctx.now();
  auto tx = ctx.db.begin(store::TxMode::read);
  std::vector<events::Event> list = events::export_events(*tx, a, f, now);
  return events_download(list, now, format);
}

http::Response get_one(Context& ctx, const http::Request& req) {
  events::Actor a = reader(ctx, req);
  int64_t id = req.param_int("id", 1);
  auto tx = ctx.db.begin(store::TxMode::read);
  return http::Response::json(200, detail(ctx, *tx, a, id, ctx.now()));
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
  json out = {{"step", step_json(step)}, {"event", detail(ctx, *tx, a, id, now)}};
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
                 {.name = "state",
                  .description = "reported / accepted / … / cancelled; several: comma-separated"},
                 {.name = "level", .type = ParamType::integer, .description = "1–5"},
                 {.name = "overdue",
                  .type = ParamType::boolean,
                  .description = "open and the current clock has run out (只看超期)"},
                 {.name = "open", .type = ParamType::boolean, .description = "the clock runs"},
                 {.name = "category", .description = "code; a parent takes its children"},
                 {.name = "source", .description = "grid_patrol / hotline_12345 / …; comma list"},
                 {.name = "number", .description = "编号: the event id or the 12345 ticket"},
                 {.name = "q", .description = "keyword in title, description or address"},
                 {.name = "from", .description = "reported from (YYYY-MM-DD or ISO time)"},
                 {.name = "to", .description = "reported up to (YYYY-MM-DD inclusive, or ISO)"},
                 {.name = "updated_since", .description = "ISO 8601 time"},
                 {.name = "tab",
                  .description = "待办 tab: to_accept / in_hand / due_soon / overdue / done",
                  .allowed = {"to_accept", "in_hand", "due_soon", "overdue", "done"}},
                 {.name = "page", .type = ParamType::integer},
                 {.name = "size", .type = ParamType::integer, .description = "1–100"}}},
      {.method = http::Method::get,
       .path = "/api/v1/workbench",
       .summary = "待办: the workbench's tabs (待受理, 办理中, 即将超期, 已超期, 已办) with their "
                  "counts in the caller's scope; GET /api/v1/events?tab= lists one",
       .tags = {"events"},
       .handler = bind(workbench),
       .query = {{.name = "org", .description = "an org of the caller's scope"}}},
      {.method = http::Method::get,
       .path = "/api/v1/workbench/stream",
       .summary = "待办's live feed (text/event-stream): an event \"work\" {ids, created} each "
                  "time events in the caller's scope change; the client re-reads its counts; "
                  "?once=true, or an Accept without text/event-stream, ends after the first "
                  "message (hello)",
       .tags = {"events"},
       .handler = [ctx, streams = WorkStreams::create(ctx->db)](
                      const http::Request& req) { return work_stream(*ctx, req, *streams); }},
      {.method = http::Method::get,
       .path = "/api/v1/events/export",
       .summary = "导出: the events of the list's filter (no paging, at most 20000) as CSV or XLSX",
       .tags = {"events"},
       .handler = bind(export_list),
       .query = {{.name = "format",
                  .description = "xlsx (default) or csv",
                  .allowed = {"csv", "xlsx"}},
                 {.name = "org"},
                 {.name = "state"},
                 {.name = "level", .type = ParamType::integer},
                 {.name = "overdue", .type = ParamType::boolean},
                 {.name = "open", .type = ParamType::boolean},
                 {.name = "category"},
                 {.name = "source"},
                 {.name = "number"},
                 {.name = "q"},
                 {.name = "from"},
                 {.name = "to"}}},
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
