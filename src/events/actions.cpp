// The state machine: which action may run in which state, who may run it, what it needs, and
// what it changes. Every action records one immutable step (service.h, DESIGN §5).
#include <algorithm>
#include <initializer_list>

#include "core/error.h"
#include "core/text.h"
#include "events/internal.h"
#include "events/service.h"
#include "org/service.h"

namespace wangge::events {
namespace {

using detail::Loaded;
using detail::OrgRef;

// require_owner()'s answer for one event and actor, shared by the probes of
// allowed_actions() (each would otherwise read the owner and its ancestors again).
struct OwnerCheck {
  std::optional<OrgRef> owner;
  bool may = false;
};

// What one action works on.
struct Ctx {
  store::Tx& tx;
  const Actor& actor;
  const ActionInput& in;
  Instant now;
  const WorkCalendar& calendar;
  Loaded& l;
  bool probe = false;  // allowed_actions(): stop where the checks end and the writes begin
  OwnerCheck* owner_check = nullptr;  // probes: shared across the actions of one event
};

// A probe stops where an action's checks of state and actor end: most actions return an
// empty Step there ("if (c.probe) return {};", so that allowed_actions() throws only for
// refusals); those whose checks run up to the first write throw this from before_write().
struct Probed {};
void before_write(const Ctx& c) {
  if (c.probe) throw Probed{};
}

[[noreturn]] void illegal(const Ctx& c) {
  std::string action(to_string(c.in.action)), state(to_string(c.l.e.state));
  throw_conflict("illegal_transition",
                 "事件当前状态为“" + std::string(label(c.l.e.state)) + "”，不能执行“" +
                     std::string(label(c.in.action)) + "”操作",
                 "cannot " + action + " an event that is " + state);
}

// The states each action may start from (DESIGN §5): the one table of them, read by every
// action's first check and by allowed_actions() before it probes.
bool starts_from(Action a, State s) {
  using enum State;
  auto in = [s](std::initializer_list<State> allowed) {
    return std::find(allowed.begin(), allowed.end(), s) != allowed.end();
  };
  switch (a) {
    case Action::accept:
      return in({reported, returned});
    case Action::assign:
      return in({reported, returned, accepted});
    case Action::dispatch:
    case Action::resolve:
      return in({accepted, in_progress, reopened, dispatched});
    case Action::acknowledge:
    case Action::resolve_part:
      return in({dispatched, in_progress});
    case Action::start:
      return in({accepted, reopened});
    case Action::verify_pass:
    case Action::verify_fail:
      return s == resolved;
    case Action::return_back:
      return in({reported, accepted});
    case Action::escalate:
      return in({reported, accepted, dispatched, in_progress, reopened, returned});
    case Action::extend:
      return in({accepted, dispatched, in_progress, reopened});
    case Action::cancel:
      return in({reported, accepted, returned});
    case Action::rate:
      return s == closed;
    case Action::follow:
      return s != cancelled && s != closed;
    case Action::publish:
      return s != cancelled;
    case Action::report:
    case Action::link:
    case Action::recur:
      break;
  }
  return false;
}

void require_state(const Ctx& c) {
  if (!starts_from(c.in.action, c.l.e.state)) illegal(c);
}

[[noreturn]] void not_allowed(const std::string& zh, const std::string& en) {
  throw Error(ErrorKind::forbidden, "forbidden", zh, en);
}

// Every action calls it before it changes the owner, so one answer serves all probes.
void require_owner(const Ctx& c) {
  OwnerCheck local;
  OwnerCheck& k = c.owner_check ? *c.owner_check : local;
  if (!k.owner) {
    k.owner = detail::org_by_id(c.tx, c.l.owner_id);
    k.may = detail::may_act_as_owner(c.tx, c.actor, *k.owner);
  }
  if (!k.may) {
    not_allowed("只有承办单位“" + k.owner->name + "”或其上级可以执行此操作",
                "only the owner org " + k.owner->code + " or its superiors may do this");
  }
}

void require_note(const Ctx& c, const char* zh_what) {
  size_t n = utf8_length(c.in.note);
  if (n < 2 || n > 500) {
    throw_bad_input("invalid_note", std::string("请填写") + zh_what + "（2至500个字）",
                    "note must be 2 to 500 characters", "note");
  }
}

Step finish(const Ctx& c, const Loaded& before, Action action) {
  before_write(c);
  detail::save(c.tx, c.l, c.now);
  return detail::record_step(c.tx, before, c.l, action, c.actor, c.in.note, c.in.attachments,
                             c.now);
}

Step do_accept(const Ctx& c) {
  require_state(c);
  require_owner(c);
  if (c.probe) return {};
  Loaded before = c.l;
  Event& e = c.l.e;
  if (!e.accepted_at) {
    e.accepted_at = c.now;
    if (e.urgency == Urgency::urgent) e.response_late = c.now - e.reported_at > kUrgentResponse;
    if (e.sla != SlaClass::deadline) {
      e.due_at = sla_due(e.sla, c.now, c.calendar);
      e.clock_started_at = c.now;
      e.first_due_at = e.due_at;
      c.l.near_notified = false;
    }
  }
  e.state = State::accepted;
  return finish(c, before, Action::accept);
}

Step do_assign(const Ctx& c) {
  require_state(c);
  require_owner(c);
  if (c.probe) return {};
  if (c.in.target_org.empty()) {
    throw_bad_input("missing_field", "请选择交办单位", "target_org is required", "target_org");
  }
  auto target = detail::org_by_code(c.tx, c.in.target_org);
  if (target && target->kind != "grid" && target->level == 1)
    target = detail::grid_of(c.tx, *target);
  if (!target || target->kind == "department" || target->id == c.l.owner_id ||
      !detail::within(target->code, c.l.e.owner_code) || target->level >= c.l.e.level) {
    throw_bad_input("invalid_target_org", "交办单位须为承办单位的下级：" + c.in.target_org,
                    "target_org must lie below the owner: " + c.in.target_org, "target_org");
  }
  Loaded before = c.l;
  c.l.dispatcher_id = c.l.owner_id;
  c.l.e.dispatcher_code = c.l.e.owner_code;
  c.l.owner_id = target->id;
  c.l.e.owner_code = target->code;
  c.l.e.owner_name = target->name;
  c.l.e.level = target->level;
  c.l.e.state = State::reported;
  Step s = finish(c, before, Action::assign);
  detail::notify_org(c.tx, NoticeKind::new_assignment, c.l, target->code, c.now);
  return s;
}

// 吹哨: departments of the owner's county or city, or orgs below the owner.
OrgRef summonable(const Ctx& c, const std::string& code) {
  auto o = detail::org_by_code(c.tx, code);
  bool ok = false;
  if (o && o->kind == "department" && o->parent_id) {
    OrgRef parent = detail::org_by_id(c.tx, *o->parent_id);
    ok = detail::within(c.l.e.owner_code, parent.code);
  } else if (o) {
    ok = o->id != c.l.owner_id && detail::within(o->code, c.l.e.owner_code);
  }
  if (!ok) {
    throw_bad_input("invalid_department", "不能向该单位吹哨：" + code,
                    "cannot summon this org: " + code, "departments");
  }
  return *o;
}

Step do_dispatch(const Ctx& c) {
  require_state(c);
  if (c.l.e.level < 3) {
    throw_conflict("level_too_low", "吹哨报到须由乡镇（街道）及以上承办单位发起",
                   "only an owner at township level or above may summon departments");
  }
  require_owner(c);
  if (c.probe) return {};
  const auto& codes = c.in.departments;
  if (codes.empty() || codes.size() > 20) {
    throw_bad_input("invalid_departments", "请选择1至20个报到单位", "summon 1 to 20 orgs",
                    "departments");
  }
  std::vector<OrgRef> orgs;
  for (const auto& code : codes) {
    OrgRef o = summonable(c, code);
    if (std::any_of(orgs.begin(), orgs.end(), [&](const OrgRef& x) { return x.id == o.id; })) {
      throw_bad_input("duplicate_department", "报到单位重复：" + code, "listed twice: " + code,
                      "departments");
    }
    auto open = c.tx.query_one(
        "SELECT 1 FROM event_parts WHERE event_id = ? AND org_id = ? AND resolved_at IS NULL",
        {c.l.e.id, o.id});
    if (open) {
      throw_conflict("already_summoned", "“" + o.name + "”已在报到中",
                     "already summoned and not yet resolved: " + code);
    }
    orgs.push_back(o);
  }
  before_write(c);
  Loaded before = c.l;
  int64_t at = to_unix_ms(c.now);
  for (const auto& o : orgs) {
    c.tx.exec("DELETE FROM event_parts WHERE event_id = ? AND org_id = ?", {c.l.e.id, o.id});
    c.tx.exec("INSERT INTO event_parts (event_id, org_id, summoned_at, note) VALUES (?, ?, ?, '')",
              {c.l.e.id, o.id, at});
  }
  c.l.e.state = State::dispatched;
  Step s = finish(c, before, Action::dispatch);
  for (const auto& o : orgs) {
    detail::notify_org(c.tx, NoticeKind::new_assignment, c.l, o.code, c.now);
  }
  return s;
}

struct PartRow {
  int64_t id = 0;
  std::string code, name;
  bool acknowledged = false, resolved = false;
};

// The part the actor acts on: part_org, or the actor's only part still waiting (or only
// part at all, so that acting twice is a conflict rather than a refusal).
PartRow pick_part(const Ctx& c, bool for_resolve) {
  if (!c.actor.can_handle) not_allowed("无权处理报到任务", "the role may not handle parts");
  std::vector<PartRow> reachable, waiting;
  for (const auto& r : c.tx.query(
           "SELECT p.id, o.code, o.name, p.acknowledged_at, p.resolved_at FROM event_parts p "
           "JOIN orgs o ON o.id = p.org_id WHERE p.event_id = ? ORDER BY p.id",
           {c.l.e.id})) {
    PartRow p{r.i64(0), r.text(1), r.text(2), !r.is_null(3), !r.is_null(4)};
    bool reach = c.actor.is_system() ||
                 (!c.actor.org_code.empty() && detail::within(p.code, c.actor.org_code));
    if (!reach) continue;
    if (!c.in.part_org.empty() && p.code == c.in.part_org) return p;
    reachable.push_back(p);
    if (!p.resolved && (for_resolve || !p.acknowledged)) waiting.push_back(p);
  }
  if (!c.in.part_org.empty()) {
    not_allowed("没有可处理的报到任务：" + c.in.part_org, "no part of yours: " + c.in.part_org);
  }
  if (waiting.size() == 1) return waiting.front();
  if (waiting.empty() && reachable.size() == 1) return reachable.front();
  if (reachable.empty()) not_allowed("本单位没有报到任务", "no part of yours");
  throw_bad_input("missing_part_org", "请指明报到单位", "part_org is required", "part_org");
}

Step do_acknowledge(const Ctx& c) {
  require_state(c);
  PartRow p = pick_part(c, false);
  if (p.acknowledged) {
    throw_conflict("already_acknowledged", "“" + p.name + "”已报到", "already acknowledged");
  }
  before_write(c);
  c.tx.exec("UPDATE event_parts SET acknowledged_at = ? WHERE id = ?", {to_unix_ms(c.now), p.id});
  Loaded before = c.l;
  c.l.e.state = State::in_progress;
  return finish(c, before, Action::acknowledge);
}

Step do_resolve_part(const Ctx& c) {
  require_state(c);
  PartRow p = pick_part(c, true);
  if (p.resolved) throw_conflict("already_resolved", "“" + p.name + "”已办结", "already resolved");
  if (!p.acknowledged) {
    throw_conflict("not_acknowledged", "“" + p.name + "”尚未报到，不能办结",
                   "acknowledge the part before resolving it");
  }
  require_note(c, "办理结果");
  before_write(c);
  c.tx.exec("UPDATE event_parts SET resolved_at = ?, note = ? WHERE id = ?",
            {to_unix_ms(c.now), c.in.note, p.id});
  int64_t waiting = c.tx.query_int(
      "SELECT COUNT(*) FROM event_parts WHERE event_id = ? AND resolved_at IS NULL", {c.l.e.id});
  Loaded before = c.l;
  if (waiting == 0) {
    c.l.e.state = State::resolved;
    c.l.e.resolved_at = c.now;
    c.l.e.resolved_level = c.l.e.level;
  } else {
    c.l.e.state = State::in_progress;
  }
  return finish(c, before, Action::resolve_part);
}

Step do_start(const Ctx& c) {
  require_state(c);
  require_owner(c);
  if (c.probe) return {};
  Loaded before = c.l;
  c.l.e.state = State::in_progress;
  return finish(c, before, Action::start);
}

Step do_resolve(const Ctx& c) {
  require_state(c);
  int64_t waiting = c.tx.query_int(
      "SELECT COUNT(*) FROM event_parts WHERE event_id = ? AND resolved_at IS NULL", {c.l.e.id});
  if (waiting > 0) {
    throw_conflict("parts_pending",
                   "还有" + std::to_string(waiting) + "个报到单位未办结，不能办结事件",
                   std::to_string(waiting) + " summoned parts are not resolved yet");
  }
  require_owner(c);
  if (c.probe) return {};
  require_note(c, "办理结果");
  Loaded before = c.l;
  c.l.e.state = State::resolved;
  c.l.e.resolved_at = c.now;
  c.l.e.resolved_level = c.l.e.level;
  return finish(c, before, Action::resolve);
}

// 核查: the owner or a superior, or the grid worker who reported it.
void require_verifier(const Ctx& c) {
  bool reporter = c.actor.user_id != 0 && c.actor.user_id == c.l.e.reporter_user_id &&
                  c.actor.role == auth::Role::grid_worker;
  if (reporter) return;
  require_owner(c);
}

Step do_verify(const Ctx& c, bool passed) {
  require_state(c);
  require_verifier(c);
  if (c.probe) return {};
  Loaded before = c.l;
  if (passed) {
    c.l.e.state = State::closed;
    c.l.e.closed_at = c.now;
    Step s = finish(c, before, Action::verify_pass);
    detail::notify_interested(c.tx, c.l, c.now);
    return s;
  }
  require_note(c, "核查不通过的原因");
  c.l.e.state = State::reopened;
  c.l.e.resolved_at.reset();
  c.l.e.resolved_level.reset();
  ++c.l.e.reopens;
  c.l.e.due_at = fresh_due(c.l.e.sla, c.now, c.l.e.clock_started_at, c.l.e.due_at, c.calendar);
  c.l.e.clock_started_at = c.now;
  c.l.near_notified = false;
  c.l.top_overdue_at.reset();
  return finish(c, before, Action::verify_fail);
}

Step do_return(const Ctx& c) {
  require_state(c);
  if (!c.l.dispatcher_id) {
    throw_conflict("no_dispatcher", "该事件不是上级交办的，无处退回",
                   "the event was not routed here; there is no one to return it to");
  }
  require_owner(c);
  if (c.probe) return {};
  require_note(c, "退回理由");
  OrgRef back = detail::org_by_id(c.tx, *c.l.dispatcher_id);
  Loaded before = c.l;
  c.l.owner_id = back.id;
  c.l.e.owner_code = back.code;
  c.l.e.owner_name = back.name;
  c.l.e.level = back.level;
  c.l.dispatcher_id.reset();
  c.l.e.dispatcher_code.clear();
  c.l.e.state = State::returned;
  Step s = finish(c, before, Action::return_back);
  detail::notify_org(c.tx, NoticeKind::new_assignment, c.l, back.code, c.now);
  return s;
}

Step do_escalate(const Ctx& c) {
  require_state(c);
  if (c.l.e.level >= kMaxLevel) {
    throw_conflict("top_level", "事件已在市级，不能再上报", "the event is at city level already");
  }
  require_owner(c);
  if (c.probe) return {};
  require_note(c, "上报理由");
  before_write(c);
  return detail::climb(c.tx, c.l, c.actor, c.in.note, c.now, c.calendar, false);
}

Step do_extend(const Ctx& c) {
  require_state(c);
  require_owner(c);
  if (c.probe) return {};
  if (!c.in.due_at) {
    throw_bad_input("missing_field", "请填写延期后的办结期限", "due_at is required", "due_at");
  }
  if (*c.in.due_at <= c.l.e.due_at || *c.in.due_at <= c.now) {
    throw_bad_input("invalid_due_at", "延期后的期限须晚于原期限",
                    "due_at must be later than the current due time", "due_at");
  }
  require_note(c, "延期理由");
  Loaded before = c.l;
  c.l.e.due_at = *c.in.due_at;
  c.l.e.first_due_at = std::max(c.l.e.first_due_at, *c.in.due_at);
  ++c.l.e.extensions;
  c.l.near_notified = false;
  c.l.top_overdue_at.reset();
  return finish(c, before, Action::extend);
}

Step do_cancel(const Ctx& c) {
  require_state(c);
  require_owner(c);
  if (c.probe) return {};
  require_note(c, "作废理由");
  Loaded before = c.l;
  c.l.e.state = State::cancelled;
  c.l.e.cancelled_at = c.now;
  Step s = finish(c, before, Action::cancel);
  detail::notify_interested(c.tx, c.l, c.now);
  return s;
}

// 公开: the owner (or a superior) reviewed the report's words and address and publishes them
// through Open311 (intake/open311.h); only in a category the city publishes (Category::is_public).
Step do_publish(const Ctx& c) {
  require_state(c);
  const Category* cat = find_category(c.l.e.category);
  if (!cat || !cat->is_public) {
    throw_conflict("category_not_public", "该类事件不对外公开，不能公开发布",
                   "the city does not publish this category");
  }
  require_owner(c);
  if (c.l.e.published_at) throw_conflict("already_published", "已公开发布", "already published");
  if (c.probe) return {};
  Loaded before = c.l;
  c.l.e.published_at = c.now;
  c.l.published_by = c.actor.user_id;
  return finish(c, before, Action::publish);
}

Step do_rate(const Ctx& c) {
  require_state(c);
  bool follower = c.actor.user_id != 0 &&
                  c.tx.query_one("SELECT 1 FROM event_followers WHERE event_id = ? AND user_id = ?",
                                 {c.l.e.id, c.actor.user_id});
  bool reporter = c.actor.user_id != 0 && c.actor.user_id == c.l.e.reporter_user_id;
  if (!reporter && !follower) {
    not_allowed("只有上报人或关注人可以评价", "only the reporter or a follower may rate");
  }
  if (c.l.e.satisfaction) throw_conflict("already_rated", "已评价过", "already rated");
  if (c.probe) return {};
  if (!c.in.score || *c.in.score < 1 || *c.in.score > 5) {
    throw_bad_input("invalid_score", "满意度须为1至5分", "score must be 1 to 5", "score");
  }
  Loaded before = c.l;
  c.l.e.satisfaction = *c.in.score;
  return finish(c, before, Action::rate);
}

Step do_follow(const Ctx& c) {
  require_state(c);
  if (c.actor.user_id == 0) not_allowed("只有登录用户可以关注", "only users may follow");
  bool already = c.actor.user_id == c.l.e.reporter_user_id ||
                 c.tx.query_one("SELECT 1 FROM event_followers WHERE event_id = ? AND user_id = ?",
                                {c.l.e.id, c.actor.user_id});
  if (already) throw_conflict("already_following", "已关注该事件", "already following");
  if (c.probe) return {};
  before_write(c);
  c.tx.exec("INSERT INTO event_followers (event_id, user_id, since) VALUES (?, ?, ?)",
            {c.l.e.id, c.actor.user_id, to_unix_ms(c.now)});
  Loaded before = c.l;
  return finish(c, before, Action::follow);
}

Step run(const Ctx& c);

}  // namespace

Step act(store::Tx& tx, const Actor& actor, int64_t event_id, const ActionInput& in, Instant now,
         const WorkCalendar& calendar) {
  auto loaded = detail::load(tx, event_id);
  if (!loaded || !detail::visible(tx, actor, *loaded)) {
    throw_not_found("事件不存在：" + std::to_string(event_id),
                    "no such event: " + std::to_string(event_id));
  }
  detail::check_attachments(in.attachments);
  detail::check_owned_photos(tx, actor, in.attachments);
  if (utf8_length(in.note) > 500) {
    throw_bad_input("invalid_note", "说明不能超过500个字", "note must be at most 500 characters",
                    "note");
  }
  Ctx c{tx, actor, in, now, calendar, *loaded};
  return run(c);
}

namespace {

Step run(const Ctx& c) {
  // The route checks event.handle for all but rate and follow; the probe needs it too. Rate and
  // follow need event.report or event.handle: a reader (领导, event.read only) acts on nothing.
  bool by_public = c.in.action == Action::rate || c.in.action == Action::follow;
  if (!c.actor.can_handle && !(by_public && c.actor.can_report))
    not_allowed("无权处理事件", "the role may not handle events");
  switch (c.in.action) {
    case Action::accept:
      return do_accept(c);
    case Action::assign:
      return do_assign(c);
    case Action::dispatch:
      return do_dispatch(c);
    case Action::acknowledge:
      return do_acknowledge(c);
    case Action::resolve_part:
      return do_resolve_part(c);
    case Action::start:
      return do_start(c);
    case Action::resolve:
      return do_resolve(c);
    case Action::verify_pass:
      return do_verify(c, true);
    case Action::verify_fail:
      return do_verify(c, false);
    case Action::return_back:
      return do_return(c);
    case Action::escalate:
      return do_escalate(c);
    case Action::extend:
      return do_extend(c);
    case Action::cancel:
      return do_cancel(c);
    case Action::rate:
      return do_rate(c);
    case Action::follow:
      return do_follow(c);
    case Action::publish:
      return do_publish(c);
    case Action::report:
    case Action::link:
    case Action::recur:
      break;
  }
  throw_bad_input("invalid_action", "该操作不能直接执行：" + std::string(to_string(c.in.action)),
                  "not an action of this endpoint: " + std::string(to_string(c.in.action)),
                  "action");
}

}  // namespace

// allowed_actions() and check_action(): run() itself, as a probe with empty input that stops
// before the first write, so the rules exist once. Every check of state and actor comes
// before an action's input is read, so bad_input in a probe means "allowed, input missing".
namespace {

constexpr Action kUserActions[] = {
    Action::accept,       Action::assign,      Action::dispatch, Action::acknowledge,
    Action::resolve_part, Action::start,       Action::resolve,  Action::verify_pass,
    Action::verify_fail,  Action::return_back, Action::escalate, Action::extend,
    Action::cancel,       Action::rate,        Action::follow,   Action::publish};

// What run() would refuse with for the rules with this input; nothing when they pass.
// Refusals come back as values: a probe throws once (run() itself), never again on the way out.
std::optional<Error> probe_with(store::Tx& tx, const Actor& actor, const Loaded& loaded,
                                const ActionInput& in, Instant now, const WorkCalendar& calendar,
                                OwnerCheck* owner_check) {
  Loaded copy = loaded;  // some actions change the loaded row before their first write
  Ctx c{tx, actor, in, now, calendar, copy, true, owner_check};
  try {
    run(c);
  } catch (const Probed&) {
    return std::nullopt;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::bad_input || e.code() == "missing_part_org") return e;
  }
  return std::nullopt;
}

// As probe_with() on empty input; an actor above several parts (who must name one) may take
// a part's action when it may on one of them.
std::optional<Error> probe(store::Tx& tx, const Actor& actor, const Loaded& loaded, Action action,
                           Instant now, const WorkCalendar& calendar,
                           OwnerCheck* owner_check = nullptr) {
  ActionInput in;
  in.action = action;
  auto refusal = probe_with(tx, actor, loaded, in, now, calendar, owner_check);
  if (!refusal || refusal->code() != "missing_part_org") return refusal;
  std::optional<Error> last;
  for (const auto& r : tx.query("SELECT o.code FROM event_parts p JOIN orgs o ON o.id = p.org_id "
                                "WHERE p.event_id = ? ORDER BY p.id",
                                {loaded.e.id})) {
    in.part_org = r.text(0);
    last = probe_with(tx, actor, loaded, in, now, calendar, owner_check);
    if (!last) return last;
  }
  return last;
}

Loaded load_visible(store::Tx& tx, const Actor& actor, int64_t event_id) {
  auto loaded = detail::load(tx, event_id);
  if (!loaded || !detail::visible(tx, actor, *loaded)) {
    throw_not_found("事件不存在：" + std::to_string(event_id),
                    "no such event: " + std::to_string(event_id));
  }
  return *loaded;
}

}  // namespace

void check_action(store::Tx& tx, const Actor& actor, int64_t event_id, Action action, Instant now,
                  const WorkCalendar& calendar) {
  if (auto refusal = probe(tx, actor, load_visible(tx, actor, event_id), action, now, calendar)) {
    throw *refusal;
  }
}

namespace {

std::vector<Action> allowed_for(store::Tx& tx, const Actor& actor, const Loaded& loaded,
                                Instant now, const WorkCalendar& calendar) {
  std::vector<Action> out;
  OwnerCheck owner_check;
  for (Action a : kUserActions) {
    // The state table answers most actions without a probe.
    if (!starts_from(a, loaded.e.state)) continue;
    auto refusal = probe(tx, actor, loaded, a, now, calendar, &owner_check);
    if (!refusal) {
      out.push_back(a);
    } else if (refusal->kind() != ErrorKind::conflict && refusal->kind() != ErrorKind::forbidden) {
      throw *refusal;
    }
  }
  return out;
}

}  // namespace

std::vector<Action> allowed_actions(store::Tx& tx, const Actor& actor, int64_t event_id,
                                    Instant now, const WorkCalendar& calendar) {
  return allowed_for(tx, actor, load_visible(tx, actor, event_id), now, calendar);
}

EventWithActions event_with_actions(store::Tx& tx, const Actor& actor, int64_t event_id,
                                    Instant now, const WorkCalendar& calendar) {
  Loaded loaded = load_visible(tx, actor, event_id);
  std::vector<Action> allowed = allowed_for(tx, actor, loaded, now, calendar);
  return {std::move(loaded.e), std::move(allowed)};
}

}  // namespace wangge::events
