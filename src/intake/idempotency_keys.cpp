// The idempotency_keys table: a unique constraint decides between concurrent duplicates.
#include "intake/idempotency_keys.h"

namespace wangge::intake {
namespace {

// The status of a record whose request has committed its write and is still making its answer
// (or crashed doing so), and of one whose request ended without keeping an answer.
constexpr int kWritten = -1;
constexpr int kAnswerLost = -2;

// Makes the row fresh (running, from now) if it still has the created_at we read; false when
// another request took it over first.
bool take_over(store::Tx& tx, const IdempotencyKey& k, int64_t old_created, int64_t now) {
  return tx.exec(
             "UPDATE idempotency_keys SET method = ?, path = ?, request_hash = ?, access = ?, "
             "status = 0, content_type = NULL, body = NULL, created_at = ? "
             "WHERE caller = ? AND idem_key = ? AND created_at = ?",
             {k.method, k.path, k.request_hash, k.access, now, k.caller, k.key, old_created}) == 1;
}

}  // namespace

IdempotencyClaim claim_idempotency_key(store::Tx& tx, const Vault& vault, const IdempotencyKey& k,
                                       Instant now_at, std::chrono::milliseconds lease,
                                       std::chrono::milliseconds ttl) {
  using Kind = IdempotencyClaim::Kind;
  const int64_t now = to_unix_ms(now_at);
  if (tx.exec("INSERT INTO idempotency_keys (caller, idem_key, method, path, request_hash, "
              "access, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?) "
              "ON CONFLICT (caller, idem_key) DO NOTHING",
              {k.caller, k.key, k.method, k.path, k.request_hash, k.access, now}) == 1) {
    return {};
  }
  auto row = tx.query_one(
      "SELECT request_hash, status, content_type, body, created_at, access FROM "
      "idempotency_keys WHERE caller = ? AND idem_key = ?",
      {k.caller, k.key});
  if (!row) return {.kind = Kind::running};  // deleted meanwhile: let the client retry
  const int64_t created = row->i64(4);
  const int status = static_cast<int>(row->i64(1));
  const bool expired = now - created > ttl.count();
  const bool stale = now - created > lease.count();  // its runner would have answered by now
  if (expired || (status == 0 && stale && row->text(0) == k.request_hash)) {
    return {.kind = take_over(tx, k, created, now) ? Kind::fresh : Kind::running};
  }
  if (row->text(0) != k.request_hash) return {.kind = Kind::mismatch};
  if (status == 0 || (status == kWritten && !stale)) return {.kind = Kind::running};
  if (status == kWritten || status == kAnswerLost) {
    return {.kind = Kind::written, .access = row->text(5)};
  }
  return {.kind = Kind::replay,
          .kept = {status, row->text(2), vault.decrypt(row->blob(3))},
          .access = row->text(5)};
}

int64_t purge_idempotency_keys(store::Tx& tx, Instant before, int64_t limit) {
  return tx.exec(
      "DELETE FROM idempotency_keys WHERE id IN (SELECT id FROM idempotency_keys "
      "WHERE created_at < ? ORDER BY created_at LIMIT ?)",
      {to_unix_ms(before), limit});
}

void complete_idempotency_key(store::Tx& tx, const Vault& vault, const IdempotencyKey& k,
                              const KeptResponse& r) {
  tx.exec(
      "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? "
      "WHERE caller = ? AND idem_key = ?",
      {r.status, r.content_type, vault.encrypt(r.body), k.caller, k.key});
}

void mark_idempotency_key_written(store::Tx& tx, const IdempotencyKey& k) {
  tx.exec("UPDATE idempotency_keys SET status = ? WHERE caller = ? AND idem_key = ? AND status = 0",
          {kWritten, k.caller, k.key});
}

void release_idempotency_key(store::Tx& tx, const IdempotencyKey& k) {
  tx.exec("DELETE FROM idempotency_keys WHERE caller = ? AND idem_key = ? AND status = 0",
          {k.caller, k.key});
  tx.exec("UPDATE idempotency_keys SET status = ? WHERE caller = ? AND idem_key = ? AND status = ?",
          {kAnswerLost, k.caller, k.key, kWritten});
}

const std::vector<store::Migration>& idempotency_migrations() {
  static const std::vector<store::Migration> list{
      {"idempotency", 1, R"sql(
CREATE TABLE idempotency_keys (
  id {pk},
  caller TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL DEFAULT 0,
  content_type TEXT,
  body {blob},
  created_at BIGINT NOT NULL,
  UNIQUE (caller, idem_key)
);
)sql"},
      // What the caller could do when the request ran (a replay is only for the same access),
      // and the index the purge of records older than a day walks.
      {"idempotency", 2, R"sql(
ALTER TABLE idempotency_keys ADD COLUMN access TEXT NOT NULL DEFAULT '';
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
)sql"},
  };
  return list;
}

}  // namespace wangge::intake
