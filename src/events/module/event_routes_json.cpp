// JSON shapes of the events API: an event, its steps and parts, and the action input.
#include "core/error.h"
#include "events/module/event_routes.h"
#include "events/module/module.h"
#include "http/json_input.h"

namespace wangge::api {

using nlohmann::json;

namespace {

json opt_time(const std::optional<Instant>& t) {
  return t ? json(format_instant(*t)) : json(nullptr);
}

template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// The current clock (亮灯): remaining or overdue minutes and the light; nulls once stopped.
json clock_json(const events::Clock& c) {
  json light = c.light == events::Light::none ? json(nullptr) : json(events::to_string(c.light));
  json left = c.running && !c.overdue() ? json(c.left.count()) : json(nullptr);
  json late = c.overdue() ? json(-c.left.count()) : json(nullptr);
  return {{"running", c.running},
          {"due_at", format_instant(c.due_at)},
          {"remaining_minutes", left},
          {"overdue_minutes", late},
          {"light", light}};
}

}  // namespace

json event_json(const events::Event& e, Instant now) {
  const events::Category* c = events::find_category(e.category);
  const events::Clock clock = events::clock_of(e, now);
  return {{"id", e.id},
          {"category", e.category},
          {"category_name", c ? c->name : e.category},
          {"title", e.title},
          {"description", e.description},
          {"lat", opt(e.lat)},
          {"lng", opt(e.lng)},
          {"address", e.address},
          {"grid", e.grid_code},
          {"owner", e.owner_code},
          {"owner_name", e.owner_name},
          {"dispatcher", or_null(e.dispatcher_code)},
          {"level", e.level},
          {"level_name", events::level_label(e.level)},
          {"state", events::to_string(e.state)},
          {"state_name", events::label(e.state)},
          {"people_affected", e.people_affected},
          {"damage", events::to_string(e.damage)},
          {"urgency", events::to_string(e.urgency)},
          {"sla_class", events::to_string(e.sla)},
          {"source", events::to_string(e.source)},
          {"reporter", e.reporter_name},
          {"external_ref", or_null(e.external_ref)},
          {"attachments", e.attachments},
          {"reported_at", format_instant(e.reported_at)},
          {"clock_started_at", format_instant(e.clock_started_at)},
          {"due_at", format_instant(e.due_at)},
          {"first_due_at", format_instant(e.first_due_at)},
          {"accepted_at", opt_time(e.accepted_at)},
          {"resolved_at", opt_time(e.resolved_at)},
          {"closed_at", opt_time(e.closed_at)},
          {"cancelled_at", opt_time(e.cancelled_at)},
          {"updated_at", format_instant(e.updated_at)},
          {"response_late", opt(e.response_late)},
          {"overdue", clock.overdue()},
          {"was_overdue", e.was_overdue},
          {"clock", clock_json(clock)},
          {"escalations", e.escalations},
          {"extensions", e.extensions},
          {"reopens", e.reopens},
          {"resolved_level", opt(e.resolved_level)},
          {"satisfaction", opt(e.satisfaction)},
          {"recurrence_of", opt(e.recurrence_of)}};
}

json step_json(const events::Step& s) {
  json from = s.from_state ? json(events::to_string(*s.from_state)) : json(nullptr);
  return {{"id", s.id},
          {"at", format_instant(s.at)},
          {"action", events::to_string(s.action)},
          {"action_name", events::label(s.action)},
          {"from_state", from},
          {"to_state", events::to_string(s.to_state)},
          {"actor", s.actor_name},
          {"actor_org", or_null(s.actor_org)},
          {"from_org", or_null(s.from_org)},
          {"to_org", or_null(s.to_org)},
          {"from_level", s.from_level},
          {"to_level", s.to_level},
          {"note", s.note},
          {"attachments", s.attachments}};
}

json part_json(const events::Part& p) {
  return {{"org", p.org_code},
          {"org_name", p.org_name},
          {"summoned_at", format_instant(p.summoned_at)},
          {"acknowledged_at", opt_time(p.acknowledged_at)},
          {"resolved_at", opt_time(p.resolved_at)},
          {"note", p.note}};
}

events::ActionInput parse_action_input(const json& body) {
  http::require_object(body);
  http::reject_unknown_fields(body, {"action", "note", "attachments", "departments", "part_org",
                                     "target_org", "due_at", "score"});
  events::ActionInput in;
  in.action = events::parse_action(http::required_field<std::string>(body, "action"));
  in.note = http::optional_field<std::string>(body, "note").value_or("");
  in.attachments = http::optional_field<std::vector<std::string>>(body, "attachments")
                       .value_or(std::vector<std::string>{});
  in.departments = http::optional_field<std::vector<std::string>>(body, "departments")
                       .value_or(std::vector<std::string>{});
  in.part_org = http::optional_field<std::string>(body, "part_org").value_or("");
  in.target_org = http::optional_field<std::string>(body, "target_org").value_or("");
  if (auto d = http::optional_field<std::string>(body, "due_at")) {
    in.due_at = parse_instant(*d, "due_at");
  }
  in.score = http::optional_field<int>(body, "score");
  return in;
}

events::NewEvent parse_new_event(const json& body) {
  http::require_object(body);
  http::reject_unknown_fields(
      body, {"category", "title", "description", "lat", "lng", "address", "grid", "people_affected",
             "damage", "urgency", "sla_class", "deadline", "source", "attachments", "external_ref",
             "duplicate_of"});
  events::NewEvent e;
  e.category = http::required_field<std::string>(body, "category");
  e.title = http::required_field<std::string>(body, "title");
  e.description = http::optional_field<std::string>(body, "description").value_or("");
  e.lat = http::optional_field<double>(body, "lat");
  e.lng = http::optional_field<double>(body, "lng");
  e.address = http::optional_field<std::string>(body, "address").value_or("");
  e.grid_code = http::optional_field<std::string>(body, "grid").value_or("");
  e.people_affected = http::optional_field<int>(body, "people_affected").value_or(0);
  if (auto v = http::optional_field<std::string>(body, "damage")) {
    e.damage = events::parse_damage(*v);
  }
  if (auto v = http::optional_field<std::string>(body, "urgency")) {
    e.urgency = events::parse_urgency(*v);
  }
  if (auto v = http::optional_field<std::string>(body, "sla_class")) {
    e.sla = events::parse_sla_class(*v);
  }
  if (auto v = http::optional_field<std::string>(body, "deadline")) {
    e.deadline = parse_instant(*v, "deadline");
  }
  if (auto v = http::optional_field<std::string>(body, "source")) {
    e.source = events::parse_source(*v);
  }
  e.attachments = http::optional_field<std::vector<std::string>>(body, "attachments")
                      .value_or(std::vector<std::string>{});
  e.external_ref = http::optional_field<std::string>(body, "external_ref").value_or("");
  // An event id (one the caller may see), or the ref of a duplicate outside its scope.
  if (auto it = body.find("duplicate_of"); it != body.end() && it->is_string()) {
    e.duplicate_ref = it->get<std::string>();
    if (e.duplicate_ref.empty() || e.duplicate_ref.size() > 64) {
      throw_bad_input("invalid_duplicate_of", "duplicate_of 格式不正确",
                      "duplicate_of is malformed", "duplicate_of");
    }
  } else {
    e.duplicate_of = http::optional_field<int64_t>(body, "duplicate_of");
  }
  return e;
}

}  // namespace wangge::api
