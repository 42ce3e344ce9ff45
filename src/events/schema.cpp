// The events tables. Times are unix milliseconds (UTC); enums are stored by their English
// names (events.h); org references are orgs.id.
//
// events — one row per hazard (一患一档), the current state of the file:
//   id; category (code, events.h Category); title; description; lat, lng (WGS-84, NULL when
//   unknown); address; grid_id (the grid of the place); owner_id (the org that must act now)
//   and level (its 五级 level 1..5); dispatcher_id (the org that routed it to the owner, NULL
//   when reported there); state; people_affected; damage; urgency (normal|urgent); sla_class
//   (same_day|three_day|deadline); source; reporter_user_id (0 without a user) and
//   reporter_name; external_ref (12345 ticket, Open311 token); attachments (JSON array of
//   photo ids); reported_at; clock_started_at and due_at (the current SLA clock, fresh after
//   every escalation or reopening); first_due_at (the clock at acceptance, or at report until
//   accepted, moved only by 延期: 按期结案 means closed_at <= first_due_at); accepted_at;
//   response_late (urgent only: 1 when accepted more than 10 minutes after the report, 0 when
//   in time, NULL otherwise); resolved_at; resolved_level (the level it was resolved at);
//   closed_at; cancelled_at; overdue (1 once a due time passed while open); escalations
//   (levels climbed, by hand or by the sweep); extensions (延期 count); reopens (返工 count:
//   failed verifications); satisfaction (1..5, NULL until rated); recurrence_of (the closed
//   event of the same category and grid within 90 days that this one repeats, NULL if none);
//   near_notified (1 once deadline_near went out for the current clock); top_overdue_at (when
//   the sweep flagged it overdue at level 5); version (bumped by every change, for optimistic
//   concurrency); updated_at.
// event_steps — immutable history, one row per action: event_id, at, action, from_state
//   (NULL for the report), to_state, actor_user_id, actor_name, actor_org_id (NULL for the
//   system), from_org_id/to_org_id and from_level/to_level (owner before/after), note,
//   attachments (JSON array of photo ids).
// event_parts — 吹哨报到, one row per summoned org: event_id, org_id, summoned_at,
//   acknowledged_at, resolved_at, note. UNIQUE (event_id, org_id).
// event_followers — (event_id, user_id, since): people who follow an event (linked duplicate
//   reporters, residents who asked to be kept informed).
// event_outbox — notifications, see outbox.h.
// events.published_at, published_by (events 4) — 公开: when and by whom (user id) an owner
//   reviewed the report and published it; NULL until then. Open311 shows an event's
//   description and address only once it is published.
// event_interested — (event_id, user_id, since) (events 4): people who linked a report to an
//   event they may not see (a duplicate across scope). They are told the outcome (an
//   "outcome" notice when it closes or is cancelled) and nothing else: no read, no rating.
#include "events/events.h"
#include "events/patrols.h"
#include "events/photo_rows.h"

namespace wangge::events {

const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> list{
      {"events", 1, R"sql(
CREATE TABLE events (
  id {pk},
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  lat {real},
  lng {real},
  address TEXT NOT NULL DEFAULT '',
  grid_id BIGINT NOT NULL REFERENCES orgs(id),
  owner_id BIGINT NOT NULL REFERENCES orgs(id),
  dispatcher_id BIGINT REFERENCES orgs(id),
  level INTEGER NOT NULL,
  state TEXT NOT NULL,
  people_affected INTEGER NOT NULL DEFAULT 0,
  damage TEXT NOT NULL DEFAULT 'none',
  urgency TEXT NOT NULL DEFAULT 'normal',
  sla_class TEXT NOT NULL,
  source TEXT NOT NULL,
  reporter_user_id BIGINT NOT NULL DEFAULT 0,
  reporter_name TEXT NOT NULL DEFAULT '',
  external_ref TEXT NOT NULL DEFAULT '',
  attachments TEXT NOT NULL DEFAULT '[]',
  reported_at BIGINT NOT NULL,
  clock_started_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  first_due_at BIGINT NOT NULL,
  accepted_at BIGINT,
  response_late INTEGER,
  resolved_at BIGINT,
  resolved_level INTEGER,
  closed_at BIGINT,
  cancelled_at BIGINT,
  overdue INTEGER NOT NULL DEFAULT 0,
  escalations INTEGER NOT NULL DEFAULT 0,
  extensions INTEGER NOT NULL DEFAULT 0,
  reopens INTEGER NOT NULL DEFAULT 0,
  satisfaction INTEGER,
  recurrence_of BIGINT REFERENCES events(id),
  near_notified INTEGER NOT NULL DEFAULT 0,
  top_overdue_at BIGINT,
  version INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);
CREATE TABLE event_steps (
  id {pk},
  event_id BIGINT NOT NULL REFERENCES events(id),
  at BIGINT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor_user_id BIGINT NOT NULL DEFAULT 0,
  actor_name TEXT NOT NULL,
  actor_org_id BIGINT REFERENCES orgs(id),
  from_org_id BIGINT REFERENCES orgs(id),
  to_org_id BIGINT REFERENCES orgs(id),
  from_level INTEGER,
  to_level INTEGER,
  note TEXT NOT NULL DEFAULT '',
  attachments TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE event_parts (
  id {pk},
  event_id BIGINT NOT NULL REFERENCES events(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  summoned_at BIGINT NOT NULL,
  acknowledged_at BIGINT,
  resolved_at BIGINT,
  note TEXT NOT NULL DEFAULT '',
  UNIQUE (event_id, org_id)
);
CREATE TABLE event_followers (
  event_id BIGINT NOT NULL REFERENCES events(id),
  user_id BIGINT NOT NULL,
  since BIGINT NOT NULL,
  PRIMARY KEY (event_id, user_id)
);
CREATE TABLE event_outbox (
  id {pk},
  created_at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  event_id BIGINT NOT NULL REFERENCES events(id),
  recipient TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  sent_at BIGINT,
  last_error TEXT
);
)sql"},
      // Indexes in their own step so a bulk load can create them after the rows are in.
      {"events", 2, R"sql(
CREATE INDEX events_owner ON events(owner_id, state);
CREATE INDEX events_grid ON events(grid_id, category);
CREATE INDEX events_open_due ON events(state, due_at);
CREATE INDEX events_category ON events(category, state);
CREATE INDEX events_reporter ON events(reporter_user_id);
CREATE INDEX event_steps_event ON event_steps(event_id, id);
CREATE INDEX event_parts_org ON event_parts(org_id);
CREATE INDEX event_followers_user ON event_followers(user_id);
CREATE INDEX event_outbox_pending ON event_outbox(sent_at, next_attempt_at);
CREATE INDEX event_outbox_event ON event_outbox(event_id);
)sql"},
      // The recurrence check of every report (the last closed event of the grid and category
      // within 90 days) walked every event of the grid and category; it is now one seek.
      {"events", 3, R"sql(
DROP INDEX events_grid;
CREATE INDEX events_grid ON events(grid_id, category, state, closed_at);
)sql"},
      {"events", 4, R"sql(
ALTER TABLE events ADD COLUMN published_at BIGINT;
ALTER TABLE events ADD COLUMN published_by BIGINT;
CREATE TABLE event_interested (
  event_id BIGINT NOT NULL REFERENCES events(id),
  user_id BIGINT NOT NULL,
  since BIGINT NOT NULL,
  PRIMARY KEY (event_id, user_id)
);
)sql"},
  };
  // Steps attach their photos (photo_rows.h), so the photo table comes with the events'.
  static const std::vector<store::Migration> with_photos = [] {
    std::vector<store::Migration> out = list;
    const auto& photos = photo_migrations();
    out.insert(out.end(), photos.begin(), photos.end());
    out.insert(out.end(), patrol_migrations().begin(), patrol_migrations().end());
    return out;
  }();
  return with_photos;
}

}  // namespace wangge::events
