// Helpers shared by the events service files (internal.h).
#include "events/internal.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "events/photo_rows.h"
#include "org/org.h"
#include "org/service.h"

namespace wangge::events::detail {
namespace {

OrgRef read_org(const store::Row& r) {
  OrgRef o;
  o.id = r.i64(0);
  o.code = r.text(1);
  o.name = r.text(2);
  o.kind = r.text(3);
  o.level = org::event_level(org::parse_kind(o.kind));
  o.parent_id = r.opt_i64(4);
  return o;
}

constexpr const char* kOrgSelect = "SELECT id, code, name, kind, parent_id FROM orgs ";

std::optional<Instant> opt_instant(const store::Row& r, size_t col) {
  if (r.is_null(col)) return std::nullopt;
  return from_unix_ms(r.i64(col));
}

std::optional<int64_t> ms(const std::optional<Instant>& t) {
  if (!t) return std::nullopt;
  return to_unix_ms(*t);
}

}  // namespace

std::optional<OrgRef> org_by_code(store::Tx& tx, std::string_view code) {
  auto r = tx.query_one(std::string(kOrgSelect) + "WHERE code = ?", {code});
  if (!r) return std::nullopt;
  return read_org(*r);
}

OrgRef org_by_id(store::Tx& tx, int64_t id) {
  auto r = tx.query_one(std::string(kOrgSelect) + "WHERE id = ?", {id});
  if (!r) throw Error(ErrorKind::internal, "missing_org", "组织机构不存在", "missing org");
  return read_org(*r);
}

std::optional<OrgRef> ancestor_at_level(store::Tx& tx, const OrgRef& org, int level) {
  OrgRef at = org;
  for (int guard = 0; guard < 16; ++guard) {
    if (at.level == level && at.kind != "department") return at;
    if (!at.parent_id || at.level > level) return std::nullopt;
    at = org_by_id(tx, *at.parent_id);
  }
  return std::nullopt;
}

std::optional<OrgRef> grid_of(store::Tx& tx, const OrgRef& org) {
  OrgRef at = org;
  for (int guard = 0; guard < 4; ++guard) {
    if (at.kind == "grid") return at;
    if ((at.kind != "micro_grid" && at.kind != "building") || !at.parent_id) return std::nullopt;
    at = org_by_id(tx, *at.parent_id);
  }
  return std::nullopt;
}

bool within(std::string_view code, std::string_view root) {
  if (root.empty()) return true;
  return code.starts_with(org::subtree_prefix(root));
}

const char* const kEventSelect =
    "SELECT e.id, e.category, e.title, e.description, e.lat, e.lng, e.address, g.code, "
    "o.code, o.name, d.code, e.level, e.state, e.people_affected, e.damage, e.urgency, "
    "e.sla_class, e.source, e.reporter_user_id, e.reporter_name, e.external_ref, "
    "e.reported_at, e.clock_started_at, e.due_at, e.first_due_at, e.updated_at, "
    "e.accepted_at, e.resolved_at, e.closed_at, e.cancelled_at, e.response_late, e.overdue, "
    "e.escalations, e.extensions, e.reopens, e.resolved_level, e.satisfaction, "
    "e.recurrence_of, e.attachments, e.owner_id, e.grid_id, e.dispatcher_id, e.version, "
    "e.near_notified, e.top_overdue_at, e.published_at, e.published_by "
    "FROM events e JOIN orgs g ON g.id = e.grid_id JOIN orgs o ON o.id = e.owner_id "
    "LEFT JOIN orgs d ON d.id = e.dispatcher_id ";

Loaded read_loaded(const store::Row& r) {
  Loaded l;
  Event& e = l.e;
  e.id = r.i64(0);
  e.category = r.text(1);
  e.title = r.text(2);
  e.description = r.text(3);
  e.lat = r.opt_f64(4);
  e.lng = r.opt_f64(5);
  e.address = r.text(6);
  e.grid_code = r.text(7);
  e.owner_code = r.text(8);
  e.owner_name = r.text(9);
  e.dispatcher_code = r.opt_text(10).value_or("");
  e.level = static_cast<int>(r.i64(11));
  e.state = parse_state(r.text(12));
  e.people_affected = static_cast<int>(r.i64(13));
  e.damage = parse_damage(r.text(14));
  e.urgency = parse_urgency(r.text(15));
  e.sla = parse_sla_class(r.text(16));
  e.source = parse_source(r.text(17));
  e.reporter_user_id = r.i64(18);
  e.reporter_name = r.text(19);
  e.external_ref = r.text(20);
  e.reported_at = from_unix_ms(r.i64(21));
  e.clock_started_at = from_unix_ms(r.i64(22));
  e.due_at = from_unix_ms(r.i64(23));
  e.first_due_at = from_unix_ms(r.i64(24));
  e.updated_at = from_unix_ms(r.i64(25));
  e.accepted_at = opt_instant(r, 26);
  e.resolved_at = opt_instant(r, 27);
  e.closed_at = opt_instant(r, 28);
  e.cancelled_at = opt_instant(r, 29);
  if (!r.is_null(30)) e.response_late = r.i64(30) != 0;
  e.was_overdue = r.i64(31) != 0;
  e.escalations = static_cast<int>(r.i64(32));
  e.extensions = static_cast<int>(r.i64(33));
  e.reopens = static_cast<int>(r.i64(34));
  if (!r.is_null(35)) e.resolved_level = static_cast<int>(r.i64(35));
  if (!r.is_null(36)) e.satisfaction = static_cast<int>(r.i64(36));
  e.recurrence_of = r.opt_i64(37);
  e.attachments = parse_attachments(r.text(38));
  l.owner_id = r.i64(39);
  l.grid_id = r.i64(40);
  l.dispatcher_id = r.opt_i64(41);
  l.owner_level = e.level;
  l.version = r.i64(42);
  l.near_notified = r.i64(43) != 0;
  l.top_overdue_at = opt_instant(r, 44);
  e.published_at = opt_instant(r, 45);
  l.published_by = r.opt_i64(46);
  return l;
}

std::optional<Loaded> load(store::Tx& tx, int64_t id) {
  auto r = tx.query_one(std::string(kEventSelect) + "WHERE e.id = ?", {id});
  if (!r) return std::nullopt;
  return read_loaded(*r);
}

void save(store::Tx& tx, Loaded& l, Instant now) {
  const Event& e = l.e;
  std::optional<int64_t> late;
  if (e.response_late) late = *e.response_late ? 1 : 0;
  int64_t changed = tx.exec(
      "UPDATE events SET owner_id = ?, dispatcher_id = ?, level = ?, state = ?, due_at = ?, "
      "clock_started_at = ?, first_due_at = ?, accepted_at = ?, response_late = ?, "
      "resolved_at = ?, resolved_level = ?, closed_at = ?, cancelled_at = ?, overdue = ?, "
      "escalations = ?, extensions = ?, reopens = ?, satisfaction = ?, near_notified = ?, "
      "top_overdue_at = ?, published_at = ?, published_by = ?, version = version + 1, "
      "updated_at = ? WHERE id = ? AND version = ?",
      {l.owner_id,
       l.dispatcher_id,
       e.level,
       to_string(e.state),
       to_unix_ms(e.due_at),
       to_unix_ms(e.clock_started_at),
       to_unix_ms(e.first_due_at),
       ms(e.accepted_at),
       late,
       ms(e.resolved_at),
       e.resolved_level,
       ms(e.closed_at),
       ms(e.cancelled_at),
       e.was_overdue ? 1 : 0,
       e.escalations,
       e.extensions,
       e.reopens,
       e.satisfaction,
       l.near_notified ? 1 : 0,
       ms(l.top_overdue_at),
       ms(e.published_at),
       l.published_by,
       to_unix_ms(now),
       e.id,
       l.version});
  if (changed != 1) {
    throw_conflict("event_changed", "事件已被他人修改，请刷新后重试",
                   "the event was changed meanwhile; reload and try again");
  }
  ++l.version;
  l.e.updated_at = now;
  tx.changed(kEvent, e.id);
}

bool may_act_as_owner(store::Tx& tx, const Actor& actor, const OrgRef& owner) {
  if (actor.is_system()) return true;
  if (!actor.can_handle || actor.role == auth::Role::department_handler) return false;
  // The owner's supervisors (and the owner org's own staff) …
  if (within(owner.code, actor.org_code)) return true;
  // … and the staff posted below the owner at its level (micro-grid workers of a grid).
  if (!within(actor.org_code, owner.code)) return false;
  auto mine = org_by_code(tx, actor.org_code);
  return mine && mine->level == owner.level;
}

std::string scope_root(store::Tx& tx, const Actor& actor) {
  if (actor.org_code.empty()) return "";
  auto mine = org_by_code(tx, actor.org_code);
  if (mine && (mine->kind == "micro_grid" || mine->kind == "building")) {
    if (auto grid = grid_of(tx, *mine)) return grid->code;
  }
  return actor.org_code;
}

bool visible(store::Tx& tx, const Actor& actor, const Loaded& l) {
  if (actor.is_system()) return true;
  std::string root = actor.resident_only() ? "" : scope_root(tx, actor);
  if (!root.empty() && !actor.parts_only() &&
      (within(l.e.owner_code, root) || within(l.e.grid_code, root))) {
    return true;
  }
  if (actor.user_id != 0) {
    if (l.e.reporter_user_id == actor.user_id) return true;
    if (tx.query_one("SELECT 1 FROM event_followers WHERE event_id = ? AND user_id = ?",
                     {l.e.id, actor.user_id})) {
      return true;
    }
  }
  if (!root.empty()) {
    for (const auto& r : tx.query(
             "SELECT o.code FROM event_parts p JOIN orgs o ON o.id = p.org_id WHERE p.event_id = ?",
             {l.e.id})) {
      if (within(r.text(0), root)) return true;
    }
  }
  return false;
}

Step record_step(store::Tx& tx, const Loaded& from, const Loaded& to, Action action,
                 const Actor& actor, std::string_view note,
                 const std::vector<std::string>& attachments, Instant now) {
  std::optional<int64_t> actor_org;
  if (!actor.org_code.empty()) {
    if (auto o = org_by_code(tx, actor.org_code)) actor_org = o->id;
  }
  std::optional<std::string> from_state;
  if (action != Action::report) from_state = std::string(to_string(from.e.state));
  Step s;
  s.id = tx.insert_id(
      "INSERT INTO event_steps (event_id, at, action, from_state, to_state, actor_user_id, "
      "actor_name, actor_org_id, from_org_id, to_org_id, from_level, to_level, note, "
      "attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {to.e.id, to_unix_ms(now), to_string(action), from_state, to_string(to.e.state),
       actor.user_id, actor.name, actor_org, from.owner_id, to.owner_id, from.e.level, to.e.level,
       note, attachments_json(attachments)});
  // The photos now belong to this event, so people who can see it may fetch them.
  attach_photos(tx, to.e.id, attachments);
  s.event_id = to.e.id;
  s.at = now;
  s.action = action;
  if (from_state) s.from_state = from.e.state;
  s.to_state = to.e.state;
  s.actor_user_id = actor.user_id;
  s.actor_name = actor.name;
  s.actor_org = actor.org_code;
  s.from_org = from.e.owner_code;
  s.to_org = to.e.owner_code;
  s.from_level = from.e.level;
  s.to_level = to.e.level;
  s.note = std::string(note);
  s.attachments = attachments;
  return s;
}

Notice org_notice(NoticeKind kind, const Loaded& l, std::string_view org_code) {
  const Event& e = l.e;
  const Category* c = find_category(e.category);
  std::string cname = c ? c->name : e.category;
  std::string text;
  switch (kind) {
    case NoticeKind::new_assignment:
      text = "【新事件】" + cname + "：" + e.title + "，请于" + format_local(e.due_at) + "前办结";
      break;
    case NoticeKind::deadline_near:
      text = "【即将超时】" + cname + "：" + e.title + "，办结期限" + format_local(e.due_at);
      break;
    case NoticeKind::escalated:
      text = "【超时上报】" + cname + "：" + e.title + "，已上报至" + e.owner_name + "（" +
             std::string(level_label(e.level)) + "级）";
      break;
    case NoticeKind::outcome:  // to people, not orgs (notify_interested)
      text = "【办理结果】" + cname + "：" + e.title + "，" + std::string(label(e.state));
      break;
  }
  nlohmann::json payload = {{"event_id", e.id},
                            {"title", e.title},
                            {"category", e.category},
                            {"category_name", cname},
                            {"state", to_string(e.state)},
                            {"level", e.level},
                            {"owner", e.owner_code},
                            {"owner_name", e.owner_name},
                            {"due_at", format_instant(e.due_at)},
                            {"text", text}};
  return {kind, e.id, "org:" + std::string(org_code), std::move(payload)};
}

void notify_org(store::Tx& tx, NoticeKind kind, const Loaded& l, std::string_view org_code,
                Instant now) {
  enqueue(tx, org_notice(kind, l, org_code), now);
}

void check_owned_photos(store::Tx& tx, const Actor& actor, const std::vector<std::string>& ids) {
  if (actor.is_system()) return;
  for (const auto& id : ids) {
    auto photo = find_photo(tx, id);
    bool ok = photo && actor.user_id != 0 && photo->uploaded_by == actor.user_id;
    if (photo && !ok) {
      for (const auto& r :
           tx.query("SELECT event_id FROM event_photos WHERE sha256 = ? ORDER BY event_id LIMIT 20",
                    {id})) {
        auto l = load(tx, r.i64(0));
        if (l && visible(tx, actor, *l)) {
          ok = true;
          break;
        }
      }
    }
    if (!ok) {
      throw_bad_input("invalid_attachment", "附件须为本人上传的照片：" + id,
                      "an attachment must be a photo you uploaded: " + id, "attachments");
    }
  }
}

void notify_interested(store::Tx& tx, const Loaded& l, Instant now) {
  const Category* c = find_category(l.e.category);
  std::string cname = c ? c->name : l.e.category;
  std::string state(label(l.e.state));
  std::vector<Notice> out;
  for (const auto& r : tx.query(
           "SELECT user_id FROM event_interested WHERE event_id = ? ORDER BY user_id", {l.e.id})) {
    // Only the public summary: no title, place, owner or reporter of an event they may not see.
    std::string text = "【办理结果】您合并上报的“";
    text.append(cname).append("”问题已").append(state);
    nlohmann::json payload = {{"category", l.e.category},
                              {"category_name", cname},
                              {"state", to_string(l.e.state)},
                              {"state_name", state},
                              {"text", std::move(text)}};
    out.push_back(
        {NoticeKind::outcome, l.e.id, "user:" + std::to_string(r.i64(0)), std::move(payload)});
  }
  if (!out.empty()) enqueue_all(tx, out, now);
}

std::string attachments_json(const std::vector<std::string>& ids) {
  return nlohmann::json(ids).dump();
}

std::vector<std::string> parse_attachments(const std::string& json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

void check_attachments(const std::vector<std::string>& ids) {
  if (ids.size() > 20) {
    throw_bad_input("too_many_attachments", "附件不能超过20个", "at most 20 attachments",
                    "attachments");
  }
  for (const auto& id : ids) {
    if (id.empty() || id.size() > 128 ||
        id.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-") !=
            std::string::npos) {
      throw_bad_input("invalid_attachment", "附件编号格式不正确：" + id,
                      "invalid attachment id: " + id, "attachments");
    }
  }
}

Step climb(store::Tx& tx, Loaded& l, const Actor& actor, std::string_view note, Instant now,
           const WorkCalendar& calendar, bool by_sweep) {
  Loaded before = l;
  OrgRef owner = org_by_id(tx, l.owner_id);
  std::optional<OrgRef> up;
  for (int level = l.e.level + 1; level <= kMaxLevel && !up; ++level) {
    up = ancestor_at_level(tx, owner, level);
  }
  if (!up) {
    throw_conflict("no_higher_level", "没有可上报的上级组织",
                   "there is no higher level to climb to");
  }
  l.owner_id = up->id;
  l.e.owner_code = up->code;
  l.e.owner_name = up->name;
  l.e.level = up->level;
  l.dispatcher_id.reset();
  l.e.dispatcher_code.clear();
  // A clock that ran out stays in the history even when the owner escalates by hand.
  if (by_sweep || l.e.due_at <= now) l.e.was_overdue = true;
  l.e.due_at = fresh_due(l.e.sla, now, l.e.clock_started_at, l.e.due_at, calendar);
  l.e.clock_started_at = now;
  l.near_notified = false;
  ++l.e.escalations;
  save(tx, l, now);
  Step s = record_step(tx, before, l, Action::escalate, actor, note, {}, now);
  notify_org(tx, NoticeKind::escalated, l, up->code, now);
  return s;
}

}  // namespace wangge::events::detail
