// Idempotency-Key (DESIGN §5: offline clients resubmit). A POST carrying the header is run
// once per (caller, key): its response (status, type and body) is kept, and a resubmission
// with the same key and the same request (method, path, type and body) gets that response
// again without running the handler, so nothing is written twice. The same key with a
// different request is 422; a resubmission while the first is still running is 409.
//
// Only a logged-in user ("user:<id>") or a client with a valid API key ("apikey:<sha256>",
// Open311) gets this; an anonymous caller's header is ignored (the request runs as if it had
// none, and nothing is kept). A replay goes only to the same caller, after the authentication
// hook has checked the session and the forced password change again, and only while the
// caller's role, scope and the role's permissions are what they were (403
// "idempotency_access_changed" otherwise). The records are kept by intake/idempotency_keys.h.
//
// Exactly once across crashes: every write transaction the request makes marks its record
// written in that same transaction (MeteredDatabase, through running_idempotency_key()). The
// answer is kept afterwards, in a transaction of its own; when that never happens (a crash, a
// COMMIT whose reply was lost, a failure to keep it), a resubmission finds the record written
// and gets 200 "idempotency_answer_lost" (the write is done; the client looks it up) instead of
// a second write: at once when the request ended without an answer, after kIdempotencyLease
// when it crashed (until then 409, as it may still be answering). A request that crashed before its
// write committed leaves a running record: a resubmission gets 409 until kIdempotencyLease has
// passed, then runs it. A handler should make one write transaction: after the first commits the
// record counts as written. Records expire after kIdempotencyTtl and are deleted then (at a claim,
// at most once a minute).
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "http/router.h"
#include "intake/idempotency_keys.h"
#include "store/migrations.h"

namespace wangge::api {

struct Context;

inline constexpr std::chrono::minutes kIdempotencyLease{5};
inline constexpr std::chrono::hours kIdempotencyTtl{24};

// The Idempotency-Key record of the request this thread is running inside idempotent(), or
// null: MeteredDatabase marks it written in each write transaction the handler makes.
const intake::IdempotencyKey* running_idempotency_key();

// The handler wrapped: requests without an Idempotency-Key header pass straight through.
// A key must be 1–255 visible ASCII characters (bad_input "invalid_idempotency_key").
http::Handler idempotent(const std::shared_ptr<Context>& ctx, http::Handler inner);

// The routes with every POST handler wrapped, except those of /api/v1/auth/ (a login's
// token must not be kept).
std::vector<http::Route> with_idempotency(const std::shared_ptr<Context>& ctx,
                                          std::vector<http::Route> routes);

}  // namespace wangge::api
