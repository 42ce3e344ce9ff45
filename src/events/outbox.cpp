// The outbox rows. Plain SQL on both databases; the sender (another room) drains them.
#include "events/outbox.h"

#include <algorithm>

#include "core/error.h"

namespace wangge::events {
namespace {

constexpr const char* kColumns =
    "SELECT id, created_at, kind, event_id, recipient, payload, attempts, next_attempt_at, "
    "sent_at, last_error FROM event_outbox ";

OutboxRow read_row(const store::Row& r) {
  OutboxRow o;
  o.id = r.i64(0);
  o.created_at = from_unix_ms(r.i64(1));
  o.kind = parse_notice_kind(r.text(2));
  o.event_id = r.i64(3);
  o.recipient = r.text(4);
  o.payload = r.text(5);
  o.attempts = static_cast<int>(r.i64(6));
  o.next_attempt_at = from_unix_ms(r.i64(7));
  if (auto s = r.opt_i64(8)) o.sent_at = from_unix_ms(*s);
  o.last_error = r.opt_text(9);
  return o;
}

}  // namespace

std::string_view to_string(NoticeKind k) {
  switch (k) {
    case NoticeKind::new_assignment:
      return "new_assignment";
    case NoticeKind::deadline_near:
      return "deadline_near";
    case NoticeKind::escalated:
      return "escalated";
    case NoticeKind::outcome:
      return "outcome";
  }
  return "";
}

NoticeKind parse_notice_kind(std::string_view s) {
  for (auto k : {NoticeKind::new_assignment, NoticeKind::deadline_near, NoticeKind::escalated,
                 NoticeKind::outcome}) {
    if (to_string(k) == s) return k;
  }
  throw Error(ErrorKind::internal, "invalid_notice_kind", "未知的通知类型",
              "unknown notice kind: " + std::string(s));
}

int64_t enqueue(store::Tx& tx, const Notice& n, Instant now) {
  int64_t at = to_unix_ms(now);
  return tx.insert_id(
      "INSERT INTO event_outbox (created_at, kind, event_id, recipient, payload, attempts, "
      "next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
      {at, to_string(n.kind), n.event_id, n.recipient, n.payload.dump(), at});
}

void enqueue_all(store::Tx& tx, const std::vector<Notice>& notices, Instant now) {
  constexpr size_t kRows = 500;  // 6 parameters a row: far below both databases' limits
  int64_t at = to_unix_ms(now);
  for (size_t from = 0; from < notices.size(); from += kRows) {
    size_t n = std::min(kRows, notices.size() - from);
    std::string sql =
        "INSERT INTO event_outbox (created_at, kind, event_id, recipient, payload, attempts, "
        "next_attempt_at) VALUES ";
    store::Params p;
    p.reserve(n * 6);
    for (size_t i = from; i < from + n; ++i) {
      const Notice& x = notices[i];
      sql += i == from ? "(?, ?, ?, ?, ?, 0, ?)" : ", (?, ?, ?, ?, ?, 0, ?)";
      p.insert(p.end(), {at, to_string(x.kind), x.event_id, x.recipient, x.payload.dump(), at});
    }
    tx.exec(sql, p);
  }
}

std::vector<OutboxRow> pending_notices(store::Tx& tx, Instant now, int limit) {
  std::vector<OutboxRow> out;
  for (const auto& r :
       tx.query(std::string(kColumns) +
                    "WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                {to_unix_ms(now), limit})) {
    out.push_back(read_row(r));
  }
  return out;
}

std::vector<OutboxRow> notices_of(store::Tx& tx, int64_t event_id) {
  std::vector<OutboxRow> out;
  for (const auto& r :
       tx.query(std::string(kColumns) + "WHERE event_id = ? ORDER BY id", {event_id})) {
    out.push_back(read_row(r));
  }
  return out;
}

void mark_sent(store::Tx& tx, int64_t id, Instant at) {
  tx.exec("UPDATE event_outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?",
          {to_unix_ms(at), id});
}

void mark_failed(store::Tx& tx, int64_t id, std::string_view error, Instant next_attempt_at) {
  tx.exec(
      "UPDATE event_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
      "WHERE id = ?",
      {error, to_unix_ms(next_attempt_at), id});
}

}  // namespace wangge::events
