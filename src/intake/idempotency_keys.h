// The stored side of Idempotency-Key (DESIGN §5: offline clients resubmit their reports): one
// row per (caller, key) holding the request's hash and, once answered, the response. The HTTP
// layer (api/idempotency.h) decides what a caller and a request are; this file owns the table.
//
// Table idempotency_keys: caller ("user:<id>" or "apikey:<sha256>"), idem_key, method, path,
// request_hash (SHA-256 hex), access (what the caller could do when the request ran: a replay
// is only for the same access), status (0 while running, -1 once its write has committed
// and until its answer is kept, -2 when its runner ended without one, else the answer's),
// content_type, body (encrypted with
// the data key: a response may hold personal data), created_at (unix ms).
// UNIQUE (caller, idem_key) is what keeps concurrent duplicates from both running.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/vault.h"
#include "store/database.h"
#include "store/migrations.h"

namespace wangge::intake {

struct IdempotencyKey {
  std::string caller, key, method, path, request_hash;
  std::string access;  // the caller's role, scope and permissions, as a digest
};

// A kept response.
struct KeptResponse {
  int status = 0;
  std::string content_type, body;
};

// What claiming a key found.
struct IdempotencyClaim {
  enum class Kind {
    fresh,     // the caller holds the key now: run the request, then complete() or release()
    replay,    // answered before with the same request: `kept` is the answer
    mismatch,  // the key was used for a different request
    running,   // the same request is still running (or was just deleted: retry)
    written,   // the same request's write committed, but its answer was never kept (lost):
               // its runner ended without one, or has not made one within the lease
  } kind = Kind::fresh;
  KeptResponse kept;   // for replay
  std::string access;  // for replay: the access the request ran with
};

// Claims the key in the caller's write transaction (commit it at once, before running the
// request, so a concurrent duplicate sees the claim). A record older than ttl, or a running
// one older than lease with the same request (its runner crashed), is taken over.
IdempotencyClaim claim_idempotency_key(store::Tx& tx, const Vault& vault, const IdempotencyKey& k,
                                       Instant now, std::chrono::milliseconds lease,
                                       std::chrono::milliseconds ttl);
// Keeps the response of a claimed key (its body encrypted with vault).
void complete_idempotency_key(store::Tx& tx, const Vault& vault, const IdempotencyKey& k,
                              const KeptResponse& r);
// Marks a claimed key as written, inside the request's own write transaction: if that commits
// and the answer is then lost (a crash, a lost COMMIT reply), a resubmission finds the write
// done (Kind::written) instead of running it a second time. While its runner may still be
// making the answer (within the lease) a resubmission is told it is running; a written record
// is never taken over.
void mark_idempotency_key_written(store::Tx& tx, const IdempotencyKey& k);
// Ends a claim whose request failed without an answer worth keeping: forgotten when it wrote
// nothing, marked answer-lost (Kind::written at once) when its write had committed.
void release_idempotency_key(store::Tx& tx, const IdempotencyKey& k);

// Deletes at most `limit` records made before `before`; returns how many.
int64_t purge_idempotency_keys(store::Tx& tx, Instant before, int64_t limit);

// The idempotency_keys table (module "idempotency", as it always was).
const std::vector<store::Migration>& idempotency_migrations();

}  // namespace wangge::intake
