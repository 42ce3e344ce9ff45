// The notification outbox (transactional outbox): rows written in the same transaction as the
// event step that causes them, drained later by a sender (webhooks with retries). A recipient
// is "org:<org code>" (the people posted there) or "user:<user id>".
//
// Table event_outbox: id, created_at (unix ms), kind (new_assignment | deadline_near |
// escalated | outcome), event_id, recipient, payload (JSON text), attempts, next_attempt_at (unix
// ms), sent_at (unix ms, NULL until delivered), last_error (NULL or the last failure).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "store/database.h"

namespace wangge::events {

// outcome: to an interested party (a duplicate linked across scope) when the event closes or
// is cancelled; its payload is only {"category","category_name","state","state_name","text"}.
enum class NoticeKind { new_assignment, deadline_near, escalated, outcome };
std::string_view to_string(NoticeKind k);
NoticeKind parse_notice_kind(std::string_view s);

struct Notice {
  NoticeKind kind = NoticeKind::new_assignment;
  int64_t event_id = 0;
  std::string recipient;  // "org:530621101000" or "user:42"
  // {"event_id","title","category","category_name","state","level","owner","owner_name",
  //  "due_at","text"} — "text" is a one-line Chinese message ready for a group robot.
  nlohmann::json payload;
};

// Writes one outbox row, due for sending at `now`. Returns its id.
int64_t enqueue(store::Tx& tx, const Notice& n, Instant now);
// Writes one row per notice, many per statement (the sweep's thousands at once).
void enqueue_all(store::Tx& tx, const std::vector<Notice>& notices, Instant now);

struct OutboxRow {
  int64_t id = 0;
  Instant created_at;
  NoticeKind kind = NoticeKind::new_assignment;
  int64_t event_id = 0;
  std::string recipient;
  std::string payload;  // JSON text
  int attempts = 0;
  Instant next_attempt_at;
  std::optional<Instant> sent_at;
  std::optional<std::string> last_error;
};

// Unsent rows whose next_attempt_at <= now, oldest first, at most limit.
std::vector<OutboxRow> pending_notices(store::Tx& tx, Instant now, int limit = 100);
// Every row of one event, oldest first (tests, the event's detail page).
std::vector<OutboxRow> notices_of(store::Tx& tx, int64_t event_id);
void mark_sent(store::Tx& tx, int64_t id, Instant at);
// Counts an attempt, keeps the error and schedules the next try.
void mark_failed(store::Tx& tx, int64_t id, std::string_view error, Instant next_attempt_at);

}  // namespace wangge::events
