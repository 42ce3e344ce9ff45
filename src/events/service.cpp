// Reporting and reading events. The state machine is in actions.cpp, the sweep in sweep.cpp.
#include "events/service.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/text.h"
#include "events/internal.h"
#include "org/geo.h"
#include "org/service.h"

namespace wangge::events {

using detail::Loaded;
using detail::OrgRef;

Actor Actor::system() {
  Actor a;
  a.name = "system";
  a.can_report = true;
  a.can_handle = true;
  return a;
}

namespace {

void check_text(const std::string& s, size_t min, size_t max, const char* field, const char* zh) {
  size_t n = utf8_length(s);
  if (n < min || n > max) {
    throw_bad_input(
        std::string("invalid_") + field,
        std::string(zh) + "须为" + std::to_string(min) + "至" + std::to_string(max) + "个字",
        std::string(field) + " must be " + std::to_string(min) + " to " + std::to_string(max) +
            " characters",
        field);
  }
}

void check_new_event(const NewEvent& e, Instant now) {
  require_category(e.category);
  check_text(e.title, 1, 60, "title", "标题");
  check_text(e.description, 0, 2000, "description", "描述");
  check_text(e.address, 0, 200, "address", "地址");
  if (e.lat.has_value() != e.lng.has_value()) {
    throw_bad_input("invalid_location", "经度和纬度须同时填写", "give both lat and lng", "lat");
  }
  if (e.lat && (!std::isfinite(*e.lat) || *e.lat < 3 || *e.lat > 54)) {
    throw_bad_input("invalid_lat", "纬度不在中国境内", "lat lies outside China", "lat");
  }
  if (e.lng && (!std::isfinite(*e.lng) || *e.lng < 73 || *e.lng > 136)) {
    throw_bad_input("invalid_lng", "经度不在中国境内", "lng lies outside China", "lng");
  }
  if (e.people_affected < 0 || e.people_affected > 10'000'000) {
    throw_bad_input("invalid_people_affected", "影响人数须为0至10000000",
                    "people_affected must be 0 to 10,000,000", "people_affected");
  }
  bool deadline_class = e.sla == SlaClass::deadline;
  if (deadline_class && !e.deadline) {
    throw_bad_input("missing_deadline", "限期结须填写办结期限", "a deadline is required",
                    "deadline");
  }
  if (!deadline_class && e.deadline) {
    throw_bad_input("unexpected_deadline", "只有限期结填写办结期限",
                    "a deadline goes with sla_class deadline only", "deadline");
  }
  if (e.deadline && *e.deadline <= now) {
    throw_bad_input("deadline_passed", "办结期限须晚于当前时间", "the deadline must be later",
                    "deadline");
  }
  check_text(e.external_ref, 0, 64, "external_ref", "外部编号");
  detail::check_attachments(e.attachments);
}

// The grid the place belongs to (see NewEvent::grid_code).
OrgRef resolve_grid(store::Tx& tx, const Actor& actor, const NewEvent& e) {
  std::optional<OrgRef> grid;
  if (!e.grid_code.empty()) {
    auto o = detail::org_by_code(tx, e.grid_code);
    bool reachable = actor.is_system() ||
                     (!actor.org_code.empty() && detail::within(o ? o->code : "", actor.org_code));
    if (o && reachable) grid = detail::grid_of(tx, *o);
    if (!grid) {
      throw_bad_input("invalid_grid", "网格不存在或不在管辖范围内：" + e.grid_code,
                      "no such grid within scope: " + e.grid_code, "grid");
    }
    return *grid;
  }
  if (!actor.org_code.empty()) {
    if (auto mine = detail::org_by_code(tx, actor.org_code)) grid = detail::grid_of(tx, *mine);
    if (grid) return *grid;
  }
  if (e.lat && e.lng) {
    std::string prefix = actor.org_code.empty() ? "" : org::subtree_prefix(actor.org_code);
    if (auto code = locate_grid(tx, *e.lat, *e.lng, prefix)) {
      if (auto o = detail::org_by_code(tx, *code)) return *o;
    }
  }
  throw_bad_input("missing_grid", "请填写事件所在网格", "give the grid of the place", "grid");
}

// The owner of a new report (service.h: Reported).
OrgRef owner_for(store::Tx& tx, Source source, const OrgRef& grid) {
  if (source == Source::grid_patrol || source == Source::resident) return grid;
  auto township = detail::ancestor_at_level(tx, grid, 3);
  if (!township) {
    throw_bad_input("no_township", "网格不属于任何乡镇（街道）", "the grid lies under no township",
                    "grid");
  }
  return *township;
}

Reported link_to(store::Tx& tx, const Actor& actor, const NewEvent& e, Instant now) {
  std::optional<detail::Loaded> found;
  bool interested = false;
  if (e.duplicate_of) {
    // By id: an event the actor may see (in scope, reported or followed).
    found = detail::load(tx, *e.duplicate_of);
    if (found && !detail::visible(tx, actor, *found)) found.reset();
  } else if (auto id = detail::duplicate_offered(tx, actor, e)) {
    found = detail::load(tx, *id);
    interested = found && !detail::visible(tx, actor, *found);
  }
  if (!found) {
    std::string what = e.duplicate_of ? std::to_string(*e.duplicate_of) : e.duplicate_ref;
    throw_not_found("事件不存在：" + what, "no such event: " + what);
  }
  const Event& target = found->e;
  if (!is_open(target.state)) {
    throw_conflict(
        "not_open", "事件已" + std::string(label(target.state)) + "，不能合并上报",
        "the event is " + std::string(to_string(target.state)) + " and takes no linked reports");
  }
  Loaded l = *found;
  if (actor.user_id != 0 && actor.user_id != l.e.reporter_user_id) {
    // Interested parties are told the outcome (an "outcome" notice); followers read and rate.
    const char* table = interested ? "event_interested" : "event_followers";
    tx.exec(std::string("INSERT INTO ") + table +
                " (event_id, user_id, since) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM " +
                table + " WHERE event_id = ? AND user_id = ?)",
            {l.e.id, actor.user_id, to_unix_ms(now), l.e.id, actor.user_id});
  }
  detail::record_step(tx, l, l, Action::link, actor, e.title, e.attachments, now);
  return {l.e.id, true, interested, std::nullopt};
}

std::optional<int64_t> recurrence_for(store::Tx& tx, std::string_view category, int64_t grid_id,
                                      Instant now) {
  auto r = tx.query_one(
      "SELECT id FROM events WHERE category = ? AND grid_id = ? AND state = 'closed' AND "
      "closed_at >= ? AND closed_at <= ? ORDER BY closed_at DESC, id DESC LIMIT 1",
      {category, grid_id, to_unix_ms(now - kRecurrenceWindow), to_unix_ms(now)});
  if (!r) return std::nullopt;
  return r->i64(0);
}

}  // namespace

Reported report(store::Tx& tx, const Actor& actor, const NewEvent& in, Instant now,
                const WorkCalendar& calendar) {
  if (!actor.can_report) {
    throw Error(ErrorKind::forbidden, "forbidden", "无权上报事件",
                "the role may not report events");
  }
  if (in.duplicate_of || !in.duplicate_ref.empty()) {
    if (!in.duplicate_ref.empty() && (!in.lat || !in.lng)) {
      throw_bad_input("missing_field", "合并上报须提供经纬度", "lat and lng are required", "lat");
    }
    detail::check_attachments(in.attachments);
    detail::check_owned_photos(tx, actor, in.attachments);
    return link_to(tx, actor, in, now);
  }
  if (in.source == Source::hotline_12345 && !actor.is_system()) {
    auto mine = detail::org_by_code(tx, actor.org_code);
    if (!mine || mine->level < 4 || mine->kind == "department") {
      throw Error(ErrorKind::forbidden, "forbidden", "12345热线工单须由县级或市级录入",
                  "12345 hotline records are entered at county or city level");
    }
  }
  NewEvent e = in;
  if (!e.sla) e.sla = require_category(e.category).sla;
  check_new_event(e, now);
  detail::check_owned_photos(tx, actor, e.attachments);
  const Category& cat = require_category(e.category);
  OrgRef grid = resolve_grid(tx, actor, e);
  OrgRef owner = owner_for(tx, e.source, grid);
  std::optional<int64_t> dispatcher;
  if (!actor.org_code.empty() && actor.org_code != owner.code &&
      detail::within(owner.code, actor.org_code)) {
    if (auto a = detail::org_by_code(tx, actor.org_code)) dispatcher = a->id;
  }
  Instant due = sla_due(*e.sla, now, calendar, e.deadline);
  auto recurrence = recurrence_for(tx, cat.code, grid.id, now);
  int64_t at = to_unix_ms(now);
  int64_t id = tx.insert_id(
      "INSERT INTO events (category, title, description, lat, lng, address, grid_id, owner_id, "
      "dispatcher_id, level, state, people_affected, damage, urgency, sla_class, source, "
      "reporter_user_id, reporter_name, external_ref, attachments, reported_at, "
      "clock_started_at, due_at, first_due_at, recurrence_of, updated_at) VALUES (?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, 'reported', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {cat.code,
       e.title,
       e.description,
       e.lat,
       e.lng,
       e.address,
       grid.id,
       owner.id,
       dispatcher,
       owner.level,
       e.people_affected,
       to_string(e.damage),
       to_string(e.urgency),
       to_string(*e.sla),
       to_string(e.source),
       actor.user_id,
       actor.name,
       e.external_ref,
       detail::attachments_json(e.attachments),
       at,
       at,
       to_unix_ms(due),
       to_unix_ms(due),
       recurrence,
       at});
  tx.changed(kEvent, id, store::ChangeKind::created);
  Loaded l = *detail::load(tx, id);
  Loaded before = l;
  if (dispatcher) {
    before.owner_id = *dispatcher;
    before.e.level = detail::org_by_id(tx, *dispatcher).level;
  }
  detail::record_step(tx, before, l, Action::report, actor, e.description, e.attachments, now);
  if (recurrence) {
    detail::record_step(tx, l, l, Action::recur, Actor::system(),
                        "复发：90天内同网格同类事件 #" + std::to_string(*recurrence), {}, now);
  }
  detail::notify_org(tx, NoticeKind::new_assignment, l, owner.code, now);
  return {id, false, false, recurrence};
}

std::optional<Event> find_event(store::Tx& tx, int64_t id) {
  auto l = detail::load(tx, id);
  if (!l) return std::nullopt;
  return l->e;
}

Event get_event(store::Tx& tx, const Actor& actor, int64_t id) {
  auto l = detail::load(tx, id);
  if (!l || !detail::visible(tx, actor, *l)) {
    throw_not_found("事件不存在：" + std::to_string(id), "no such event: " + std::to_string(id));
  }
  return l->e;
}

std::vector<Step> steps_of(store::Tx& tx, int64_t event_id) {
  std::vector<Step> out;
  for (const auto& r :
       tx.query("SELECT s.id, s.at, s.action, s.from_state, s.to_state, s.actor_user_id, "
                "s.actor_name, a.code, f.code, t.code, s.from_level, s.to_level, s.note, "
                "s.attachments FROM event_steps s LEFT JOIN orgs a ON a.id = s.actor_org_id "
                "LEFT JOIN orgs f ON f.id = s.from_org_id LEFT JOIN orgs t ON t.id = s.to_org_id "
                "WHERE s.event_id = ? ORDER BY s.id",
                {event_id})) {
    Step s;
    s.id = r.i64(0);
    s.event_id = event_id;
    s.at = from_unix_ms(r.i64(1));
    s.action = parse_action(r.text(2));
    if (!r.is_null(3)) s.from_state = parse_state(r.text(3));
    s.to_state = parse_state(r.text(4));
    s.actor_user_id = r.i64(5);
    s.actor_name = r.text(6);
    s.actor_org = r.opt_text(7).value_or("");
    s.from_org = r.opt_text(8).value_or("");
    s.to_org = r.opt_text(9).value_or("");
    s.from_level = static_cast<int>(r.i64(10));
    s.to_level = static_cast<int>(r.i64(11));
    s.note = r.text(12);
    s.attachments = detail::parse_attachments(r.text(13));
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Part> parts_of(store::Tx& tx, int64_t event_id) {
  std::vector<Part> out;
  for (const auto& r : tx.query(
           "SELECT o.code, o.name, p.summoned_at, p.acknowledged_at, p.resolved_at, p.note "
           "FROM event_parts p JOIN orgs o ON o.id = p.org_id WHERE p.event_id = ? ORDER BY p.id",
           {event_id})) {
    Part p;
    p.org_code = r.text(0);
    p.org_name = r.text(1);
    p.summoned_at = from_unix_ms(r.i64(2));
    if (!r.is_null(3)) p.acknowledged_at = from_unix_ms(r.i64(3));
    if (!r.is_null(4)) p.resolved_at = from_unix_ms(r.i64(4));
    p.note = r.text(5);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<int64_t> followers_of(store::Tx& tx, int64_t event_id) {
  std::vector<int64_t> out;
  for (const auto& r :
       tx.query("SELECT user_id FROM event_followers WHERE event_id = ? ORDER BY since, user_id",
                {event_id})) {
    out.push_back(r.i64(0));
  }
  return out;
}

std::optional<std::string> locate_grid(store::Tx& tx, double lat, double lng,
                                       std::string_view prefix) {
  // A box of about ±0.2° first (grids are small); the whole set only when it is empty.
  std::string hi = std::string(prefix) + ":";
  struct Candidate {
    double m;
    std::string code;
    std::optional<std::string> boundary;
  };
  for (double box : {0.2, 400.0}) {
    std::vector<Candidate> near;
    tx.each(
        "SELECT code, lat, lng, boundary FROM orgs WHERE kind = 'grid' AND lat IS NOT NULL AND "
        "lat BETWEEN ? AND ? AND lng BETWEEN ? AND ? AND code >= ? AND code < ?",
        {lat - box, lat + box, lng - box, lng + box, std::string(prefix), hi},
        [&](const store::Row& r) {
          near.push_back({distance_m(lat, lng, r.f64(1), r.f64(2)), r.text(0), r.opt_text(3)});
        });
    if (near.empty()) continue;
    std::sort(near.begin(), near.end(), [](const Candidate& a, const Candidate& b) {
      return a.m < b.m || (a.m == b.m && a.code < b.code);
    });
    // The grid whose outline holds the point, among the nearest few by their points (it is
    // nearly always one of them); else the nearest.
    for (size_t i = 0; i < near.size() && i < 8; ++i) {
      if (!near[i].boundary) continue;
      try {
        if (org::geo::contains(org::geo::parse(*near[i].boundary), {lng, lat})) {
          return near[i].code;
        }
      } catch (const Error&) {
        // A stored outline that no longer parses does not decide.
      }
    }
    return near.front().code;
  }
  return std::nullopt;
}

}  // namespace wangge::events
