// Shared by service.cpp, actions.cpp and sweep.cpp: the event row with its org ids, org
// lookups on the 五级 ladder, the actor rules of service.h, steps and notifications.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/outbox.h"
#include "events/service.h"
#include "store/database.h"

namespace wangge::events::detail {

// An org as the closed loop sees it.
struct OrgRef {
  int64_t id = 0;
  std::string code, name;
  std::string kind;  // org::OrgKind name
  int level = 1;     // org::event_level
  std::optional<int64_t> parent_id;
};
std::optional<OrgRef> org_by_code(store::Tx& tx, std::string_view code);
OrgRef org_by_id(store::Tx& tx, int64_t id);
// The nearest ancestor (or the org itself) at exactly `level`; nullopt when there is none.
std::optional<OrgRef> ancestor_at_level(store::Tx& tx, const OrgRef& org, int level);
// A grid, micro-grid or building normalized to its grid; nullopt for other kinds.
std::optional<OrgRef> grid_of(store::Tx& tx, const OrgRef& org);

// Whether code lies in the subtree of root (root itself included). root "" contains all.
bool within(std::string_view code, std::string_view root);

// An event row with the ids the service needs.
struct Loaded {
  Event e;
  int64_t owner_id = 0, grid_id = 0;
  std::optional<int64_t> dispatcher_id;
  int owner_level = 1;
  int64_t version = 0;
  bool near_notified = false;
  std::optional<Instant> top_overdue_at;
  std::optional<int64_t> published_by;  // the user who published it (公开)
};
// The SELECT … FROM events e JOIN orgs … prefix whose rows read_loaded() reads.
extern const char* const kEventSelect;
Loaded read_loaded(const store::Row& r);
std::optional<Loaded> load(store::Tx& tx, int64_t id);

// The event e.duplicate_ref names among the duplicates offered to the actor for e's place and
// category (service.h: find_duplicates), when the actor may not see it; nullopt otherwise.
std::optional<int64_t> duplicate_offered(store::Tx& tx, const Actor& actor, const NewEvent& e);

// Photos an actor may attach (photo_rows.h): each id is a photo the actor uploaded, or one already
// tied to an event the actor may see. Error(bad_input, "invalid_attachment") otherwise, the
// same for an unknown id as for someone else's. The system may attach any.
void check_owned_photos(store::Tx& tx, const Actor& actor, const std::vector<std::string>& ids);

// Tells the interested parties of an event (event_interested) its outcome: an "outcome"
// notice to "user:<id>" carrying only the public summary (category, state).
void notify_interested(store::Tx& tx, const Loaded& l, Instant now);

// Writes every mutable column of l.e back, guarded by the version it was read at; a change
// in between is Error(conflict, "event_changed").
void save(store::Tx& tx, Loaded& l, Instant now);

// The root of the actor's scope: the actor's org, or its grid when the actor sits on a
// micro-grid or building (their workers see the grid's events). "" for the system.
std::string scope_root(store::Tx& tx, const Actor& actor);
// The visibility rule of service.h.
bool visible(store::Tx& tx, const Actor& actor, const Loaded& l);
// Owner actions: may the actor act for the owner org? (service.h)
bool may_act_as_owner(store::Tx& tx, const Actor& actor, const OrgRef& owner);

// Appends a step. from is the event before the change, to after it.
Step record_step(store::Tx& tx, const Loaded& from, const Loaded& to, Action action,
                 const Actor& actor, std::string_view note,
                 const std::vector<std::string>& attachments, Instant now);

// A notification about the event (payload built from it) to "org:<code>".
Notice org_notice(NoticeKind kind, const Loaded& l, std::string_view org_code);
// Enqueues org_notice().
void notify_org(store::Tx& tx, NoticeKind kind, const Loaded& l, std::string_view org_code,
                Instant now);

std::string attachments_json(const std::vector<std::string>& ids);
std::vector<std::string> parse_attachments(const std::string& json_text);
// Validates photo ids: at most 20, each 1–128 of [0-9A-Za-z._-].
void check_attachments(const std::vector<std::string>& ids);

// list_events' WHERE clause and its parameters for the filter (query.cpp), over
// "FROM events e JOIN orgs g ON g.id = e.grid_id JOIN orgs o ON o.id = e.owner_id".
std::pair<std::string, store::Params> list_where(store::Tx& tx, const Actor& actor,
                                                 const EventFilter& f, Instant now);

// The owner moves one level up with a fresh clock (manual or by the sweep). REQUIRES: level<5.
Step climb(store::Tx& tx, Loaded& l, const Actor& actor, std::string_view note, Instant now,
           const WorkCalendar& calendar, bool by_sweep);

}  // namespace wangge::events::detail
