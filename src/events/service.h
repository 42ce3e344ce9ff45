// The events service: reporting, the state machine, reads and the escalation sweep.
// Every function takes the caller's transaction and does all its writes in it (the step, the
// event row, the parts, the followers and the outbox rows of its notifications), so a failed
// call leaves nothing behind once the caller lets the transaction roll back.
//
// Who may act (checked here, not in the routes):
//   * Visibility: the owner org lies in the actor's scope (its org subtree), or a part is
//     summoned to an org in that scope, or the actor reported or follows the event. A
//     department handler (Actor::parts_only) sees only the parts' events. An event the actor
//     cannot see is Error(not_found), exactly as one that does not exist. Linking a report
//     to an event the actor cannot see (a duplicate across scope) makes the actor an
//     interested party, told the outcome, never a reader or a rater.
//   * Owner actions (accept, assign, dispatch, start, resolve, return, escalate, extend,
//     cancel, publish) need can_handle and the actor's org either inside the owner's subtree at the
//     owner's level (the grid's own workers, the village's operators) or a strict ancestor of
//     the owner (a supervisor taking over).
//   * acknowledge / resolve_part: can_handle and the actor's org inside the summoned org.
//   * verify_pass / verify_fail (核查): an owner or supervisor as above, or the grid worker
//     who reported the event.
//   * rate (回访): the reporter or a follower, once, after the event is closed.
// An action the state or level does not allow is Error(conflict, …) with a Chinese message
// naming the state; missing or malformed input is Error(bad_input, …, field).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "core/time.h"
#include "core/vault.h"
#include "events/events.h"
#include "store/database.h"

namespace wangge::events {

// Who acts. The route fills it from the authenticated user; the sweep acts as the system.
struct Actor {
  int64_t user_id = 0;  // 0: the system or an API client without a user (Open311)
  std::string name;     // username, "system", "open311:<client>"
  // The auth role; none for the system. A department handler acts on the parts summoned to
  // it, never as an owner.
  std::optional<auth::Role> role;
  std::string org_code;     // the actor's post; its subtree is the actor's scope
  bool can_report = false;  // holds event.report
  bool can_handle = false;  // holds event.handle
  // The system (the sweep, the demo generator): sees and may do everything.
  static Actor system();
  bool is_system() const { return user_id == 0 && name == "system" && org_code.empty(); }
  // Residents (Role::resident) see only the events they reported or follow, whatever their
  // org. An API client without a user (Open311) should pass Role::resident, its own name and
  // the prefecture's code as org_code (reports are then placed by lat/lng).
  bool resident_only() const { return role == auth::Role::resident; }
  // 吹哨报到: a department handler sees only the events whose parts are summoned to an org in
  // its scope (and those it reported or follows), never the events of the orgs around it,
  // even when its post is a county (the demo's "department" account was).
  bool parts_only() const { return role == auth::Role::department_handler; }
};

// A new report (一患一档).
struct NewEvent {
  std::string category;            // code or name of a reportable category
  std::string title;               // 1–60 characters
  std::string description;         // 0–2000 characters
  std::optional<double> lat, lng;  // both or neither; WGS-84 within China's bounds
  std::string address;             // 0–200 characters
  // The grid the place belongs to (a grid, micro-grid or building code; normalized to the
  // grid). Empty: the actor's own grid when the actor sits at grid level or below, else the
  // nearest grid to lat/lng within the actor's scope; Error(bad_input, "missing_grid").
  std::string grid_code;
  int people_affected = 0;  // 0 … 10,000,000
  Damage damage = Damage::none;
  Urgency urgency = Urgency::normal;
  std::optional<SlaClass> sla;      // default: the category's
  std::optional<Instant> deadline;  // required (and only allowed) for SlaClass::deadline
  Source source = Source::grid_patrol;
  std::vector<std::string> attachments;  // photo ids (before)
  std::string external_ref;              // the 12345 ticket number, an Open311 token …
  // Link the report to this open event instead of opening a second file, and record a "link"
  // step on it. An event the actor may see: the actor (a user) becomes a follower. One it may
  // not see (duplicate_ref): the actor becomes an interested party, told the outcome only.
  std::optional<int64_t> duplicate_of;
  // The reference find_duplicates() gave for an event the actor may not see; report() then
  // needs duplicate_vault, lat and lng, and links only an event offered for that place.
  std::string duplicate_ref;
  const Vault* duplicate_vault = nullptr;
};

// The owner of a new report: the grid for grid_patrol and resident; the township over the
// grid (routed down, 12345 接诉即办) for hotline_12345, department and suggestion.
struct Reported {
  int64_t id = 0;                        // the new event, or the linked one
  bool linked = false;                   // true when duplicate_of or duplicate_ref was taken
  bool interested_only = false;          // linked to an event the actor may not see
  std::optional<int64_t> recurrence_of;  // a closed event of the same category and grid
};
Reported report(store::Tx& tx, const Actor& actor, const NewEvent& e, Instant now,
                const WorkCalendar& calendar = WorkCalendar::china());

// Input of one action; which fields each action needs:
//   accept, start, resolve, follow, publish: none (note optional);  assign: target_org;
//   dispatch: departments (1–20 org codes: departments of the owner's county or city, or
//   orgs below the owner);  acknowledge, resolve_part: part_org when the actor's org has
//   several parts (default: the actor's own);  verify_fail, return, escalate, cancel: note
//   (2–500 characters);  extend: due_at later than the current due time, and note;
//   rate: score 1–5.
struct ActionInput {
  Action action = Action::accept;
  std::string note;
  std::vector<std::string> attachments;  // photo ids (after, for resolve)
  std::vector<std::string> departments;
  std::string part_org;
  std::string target_org;
  std::optional<Instant> due_at;
  std::optional<int> score;
};

struct Step {
  int64_t id = 0;
  int64_t event_id = 0;
  Instant at;
  Action action = Action::report;
  std::optional<State> from_state;  // none for the first report
  State to_state = State::reported;
  int64_t actor_user_id = 0;
  std::string actor_name;
  std::string actor_org;         // code; empty for the system
  std::string from_org, to_org;  // owner before and after (codes)
  int from_level = 0, to_level = 0;
  std::string note;
  std::vector<std::string> attachments;
};

// Applies one action; returns the step it recorded (the last one, when an action also
// completes the event, as the last resolve_part does).
Step act(store::Tx& tx, const Actor& actor, int64_t event_id, const ActionInput& in, Instant now,
         const WorkCalendar& calendar = WorkCalendar::china());

// The actions the actor may take on the event now (those of act() but report, link and
// recur), in a fixed order; decided by act()'s own checks of state and actor, run without
// input and without writing, so an action listed here fails only on its input (an actor
// above several parts lists acknowledge/resolve_part when it may on one of them, which it
// then names as part_org). Works in a read transaction. Error(not_found) when the event is
// missing or invisible.
std::vector<Action> allowed_actions(store::Tx& tx, const Actor& actor, int64_t event_id,
                                    Instant now,
                                    const WorkCalendar& calendar = WorkCalendar::china());
// Throws the Error act() would throw for this action's rules of state and actor (not_found,
// conflict, forbidden); returns when only its input is left to check.
void check_action(store::Tx& tx, const Actor& actor, int64_t event_id, Action action, Instant now,
                  const WorkCalendar& calendar = WorkCalendar::china());

// 吹哨报到: the departments the actor may summon to the event now (summon.cpp): the department
// orgs whose parent is the owner or one of its ancestors (the township's, the county's and
// the city's), ordered by code. Throws what check_action(dispatch) throws when the actor may
// not dispatch the event now (not_found, forbidden, conflict "level_too_low" …).
struct SummonableOrg {
  int64_t id = 0;
  std::string code, name, kind;  // kind is "department"
  std::string parent_code, parent_name;
};
std::vector<SummonableOrg> summonable_departments(
    store::Tx& tx, const Actor& actor, int64_t event_id, Instant now,
    const WorkCalendar& calendar = WorkCalendar::china());

// 吹哨报到: one summoned org's part.
struct Part {
  std::string org_code, org_name;
  Instant summoned_at;
  std::optional<Instant> acknowledged_at, resolved_at;
  std::string note;
};

struct Event {
  int64_t id = 0;
  std::string category, title, description;
  std::optional<double> lat, lng;
  std::string address;
  std::string grid_code, owner_code, owner_name;
  std::string dispatcher_code;  // who routed it to the owner; empty when reported there
  int level = 1;
  State state = State::reported;
  int people_affected = 0;
  Damage damage = Damage::none;
  Urgency urgency = Urgency::normal;
  SlaClass sla = SlaClass::same_day;
  Source source = Source::grid_patrol;
  int64_t reporter_user_id = 0;
  std::string reporter_name, external_ref;
  Instant reported_at, clock_started_at, due_at, updated_at;
  Instant first_due_at;  // the due time to close by for 按期结案 (moved only by 延期)
  std::optional<Instant> accepted_at, resolved_at, closed_at, cancelled_at;
  std::optional<bool> response_late;  // urgent only: accepted after 10 minutes
  // The history of lateness: once a due time passed while open (the sweep escalated it, it
  // was flagged at the city, or it was escalated by hand after its due time). It stays set
  // when an escalation starts a fresh clock; whether the event is overdue now is its clock's
  // (clock_of) and nothing else. The KPIs' overdue counts read this column.
  bool was_overdue = false;
  int escalations = 0, extensions = 0, reopens = 0;
  std::optional<int> resolved_level;  // the level it was resolved at
  std::optional<int> satisfaction;
  std::optional<int64_t> recurrence_of;
  std::vector<std::string> attachments;  // photo ids of the report
  // 公开: when an owner reviewed the report and published it (Open311 then shows its
  // description and address); none until then.
  std::optional<Instant> published_at;
};

// The current SLA clock of an event as of `now` (数字城管's 亮灯): one meaning of a deadline,
// used by the list filter, the API and the console. The clock runs while the event is open
// (is_open); an escalation or a reopening starts a fresh one, so an event escalated after
// missing its due time is not overdue again until the fresh clock runs out.
enum class Light { none, green, yellow, red };  // none: the clock is stopped
std::string_view to_string(Light l);            // "green"; "" for none
struct Clock {
  bool running = false;          // the event is open
  Instant due_at;                // the current clock's due time
  std::chrono::minutes left{0};  // time to due_at; negative once it has passed
  Light light = Light::none;     // red: overdue; yellow: within kDeadlineNear; green: otherwise
  bool overdue() const { return running && left.count() < 0; }
};
Clock clock_of(const Event& e, Instant now);

// Without a scope check (internal readers, Open311's public status).
std::optional<Event> find_event(store::Tx& tx, int64_t id);
// With the visibility rule above; Error(not_found) when missing or invisible.
Event get_event(store::Tx& tx, const Actor& actor, int64_t id);
// get_event() and allowed_actions() from one read of the event (the event's page).
struct EventWithActions {
  Event event;
  std::vector<Action> allowed;
};
EventWithActions event_with_actions(store::Tx& tx, const Actor& actor, int64_t event_id,
                                    Instant now,
                                    const WorkCalendar& calendar = WorkCalendar::china());
std::vector<Step> steps_of(store::Tx& tx, int64_t event_id);  // oldest first
std::vector<Part> parts_of(store::Tx& tx, int64_t event_id);
std::vector<int64_t> followers_of(store::Tx& tx, int64_t event_id);  // user ids

struct EventFilter {
  std::string org_code;  // owner within this subtree (must be in scope); empty: the scope
  std::optional<State> state;
  std::vector<State> states;  // any of these (with state: both must hold); empty: any
  std::optional<int> level;
  std::optional<bool> overdue;  // open and its current clock has run out (clock_of)
  std::optional<bool> open;     // the clock runs (is_open) / has stopped
  std::string category;         // code; a parent code takes its children too
  std::vector<Source> sources;  // any of these; empty: any
  // 编号: the event's number (its id) or its external reference (the 12345 ticket number),
  // exactly; empty: any.
  std::string number;
  // A keyword in the title, description or address (up to 50 characters); empty: any.
  std::string keyword;
  std::optional<Instant> reported_from, reported_to;  // reported in [from, to)
  std::optional<Instant> updated_since;
  bool due_soon = false;    // open, due within kDeadlineNear (即将超期, the yellow light)
  int64_t handled_by = 0;   // a user who recorded a step on it (已办); 0: anyone
  int page = 1, size = 20;  // size 1–100 (list_events); export_events takes up to kExportRows
};
struct EventPage {
  int64_t total = 0;
  std::vector<Event> items;  // newest report first
};
// Events the actor may see (owner in scope, parts summoned in scope, reported or followed).
EventPage list_events(store::Tx& tx, const Actor& actor, const EventFilter& f, Instant now);
// 待办: the tabs of the workbench, each a preset of the list's filter for the actor (the
// list's scope and order): to_accept 待受理 (reported or returned), in_hand 办理中 (accepted,
// dispatched, in progress, reopened), due_soon 即将超期, overdue 已超期 (both open, by the
// current clock), done 已办 (events the actor recorded a step on, report included).
enum class WorkTab { to_accept, in_hand, due_soon, overdue, done };
inline constexpr WorkTab kWorkTabs[] = {WorkTab::to_accept, WorkTab::in_hand, WorkTab::due_soon,
                                        WorkTab::overdue, WorkTab::done};
std::string_view to_string(WorkTab t);  // "to_accept"
std::string_view label(WorkTab t);      // "待受理"
WorkTab parse_work_tab(std::string_view s, std::string_view field = "tab");
// Sets the tab's conditions on f for the actor (a tab's states replace f.states).
void apply_tab(EventFilter& f, WorkTab tab, const Actor& actor);
// The number of events of every tab (kWorkTabs' order) within f (its org) for the actor.
std::vector<int64_t> count_tabs(store::Tx& tx, const Actor& actor, const EventFilter& f,
                                Instant now);

// Every event of the filter (page and size ignored), as list_events orders them, for an export
// of the list; Error(bad_input, "too_many_rows") when more than kExportRows match.
inline constexpr int64_t kExportRows = 20000;
std::vector<Event> export_events(store::Tx& tx, const Actor& actor, const EventFilter& f,
                                 Instant now);

// Open events of the same category within kDuplicateMetres of a place, nearest first (at
// most 20), whether or not the actor may otherwise see them: a reporter must find the file
// before opening a second one. An event the actor may see comes whole; one it may not see
// comes only as a public summary (category, state, distance rounded to 10 m) with an opaque
// reference that names it to NewEvent::duplicate_ref for this place and nothing else.
struct Duplicate {
  std::optional<Event> event;  // only when the actor may see it
  std::string category;
  State state = State::reported;
  double metres = 0;
  std::string ref;  // only when the actor may not see it
};
std::vector<Duplicate> find_duplicates(store::Tx& tx, const Actor& actor, std::string_view category,
                                       double lat, double lng, const Vault& vault);
// The opaque reference of an event offered as a duplicate: a keyed hash of its id ("d" and 32
// hex characters), so it neither shows the id nor can be made without the data key.
std::string duplicate_ref(const Vault& vault, int64_t event_id);

// The grid a point lies in among the grids whose codes start with prefix (empty: all): the one
// whose outline holds it, else the nearest by the grids' representative lat/lng. nullopt when
// no grid has a point.
std::optional<std::string> locate_grid(store::Tx& tx, double lat, double lng,
                                       std::string_view prefix = {});

// The escalation sweep as of `now` (五级): every open event whose due time has passed climbs
// to its owner's ancestor at the next level with a fresh clock (an "escalate" step by the
// system and an "escalated" notification); at level 5 it stays and is flagged overdue; every
// open event within kDeadlineNear of its due time gets one "deadline_near" notification per
// clock. Idempotent: a second sweep for the same `now` changes nothing.
// An event climbs at most one level per sweep (its fresh clock starts at `now`).
struct SweepResult {
  int64_t escalated = 0;         // climbed one level
  int64_t flagged_overdue = 0;   // newly flagged at level 5
  int64_t near_notified = 0;     // deadline_near notifications written
  std::vector<int64_t> changed;  // ids of the events written, for readers that keep a copy
};
SweepResult sweep(store::Tx& tx, Instant now, const WorkCalendar& calendar = WorkCalendar::china());

}  // namespace wangge::events
