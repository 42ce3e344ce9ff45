// The Idempotency-Key layer: claim the key in its own short transaction (the table and its
// SQL are intake/idempotency_keys.h), run the handler, keep its response.
#include "api/idempotency.h"

#include <spdlog/spdlog.h>

#include "api/context.h"
#include "core/digest.h"
#include "core/error.h"
#include "http/errors.h"
#include "intake/apikeys.h"
#include "intake/idempotency_keys.h"

namespace wangge::api {
namespace {

void check_key(std::string_view key) {
  bool ok = !key.empty() && key.size() <= 255;
  for (char c : key) ok = ok && c >= 0x21 && c <= 0x7e;
  if (!ok) {
    throw_bad_input("invalid_idempotency_key", "Idempotency-Key 须为 1–255 个可见 ASCII 字符",
                    "Idempotency-Key must be 1-255 visible ASCII characters", "Idempotency-Key");
  }
}

// The API key of a client without a login (Open311), from the query or a form body.
std::string api_key_of(const http::Request& req) {
  if (auto k = req.query.get("api_key")) return *k;
  try {
    if (auto k = http::Query::parse(req.body).get("api_key")) return *k;
  } catch (const Error&) {  // not a form: no key there
  }
  return {};
}

// Who may have idempotency: a logged-in user, or a client with a valid API key (Open311).
// Anyone else's Idempotency-Key is ignored: no record is made for anonymous callers.
struct Holder {
  std::string caller;  // "user:<id>" or "apikey:<sha256>"
  std::string access;  // what a replay must find unchanged
};

std::optional<Holder> holder_of(Context& ctx, const http::Request& req) {
  if (const Caller* c = req.context_as<Caller>()) {
    // The role, the scope and the role's permissions: a replay answers only while they are
    // what they were when the request ran (the handler checked them then).
    std::string access = std::string(auth::to_string(c->user.role)) + '\n' + c->user.org_code;
    for (const auto& p : ctx.permissions.of(c->user.role)) access += '\n' + p;
    return Holder{"user:" + std::to_string(c->user.id), sha256_hex(access)};
  }
  std::string key = api_key_of(req);
  if (key.empty()) return std::nullopt;
  auto tx = ctx.db.begin(store::TxMode::read);
  if (!intake::check_api_key(*tx, key)) return std::nullopt;
  return Holder{"apikey:" + sha256_hex(key), "apikey"};
}

std::string request_hash(const http::Request& req) {
  std::string text(http::method_name(req.method));
  text += '\n' + req.target + '\n' + std::string(req.header("Content-Type").value_or("")) + '\n';
  text += req.body;
  return sha256_hex(text);
}

using intake::IdempotencyClaim;
using intake::IdempotencyKey;

// Records older than kIdempotencyTtl go, a batch at a time, at most once a minute (of the
// server's clock) and in the claim's own transaction.
void purge_if_due(Context& ctx, store::Tx& tx) {
  constexpr int64_t kBatch = 1000;
  const Instant now = ctx.now();
  int64_t due = ctx.idempotency_purge_due_ms.load();
  if (to_unix_ms(now) < due || !ctx.idempotency_purge_due_ms.compare_exchange_strong(
                                   due, to_unix_ms(now + std::chrono::minutes(1)))) {
    return;
  }
  // A full batch leaves more behind: come back at the next claim.
  if (intake::purge_idempotency_keys(tx, now - kIdempotencyTtl, kBatch) == kBatch) {
    ctx.idempotency_purge_due_ms.store(0);
  }
}

IdempotencyClaim claim(Context& ctx, const IdempotencyKey& k) {
  auto tx = ctx.db.begin(store::TxMode::write);
  purge_if_due(ctx, *tx);
  IdempotencyClaim c = intake::claim_idempotency_key(*tx, ctx.vault, k, ctx.now(),
                                                     kIdempotencyLease, kIdempotencyTtl);
  tx->commit();
  return c;
}

void complete(Context& ctx, const IdempotencyKey& k, const http::Response& r) {
  ctx.db.transact([&](store::Tx& tx) {
    intake::complete_idempotency_key(tx, ctx.vault, k,
                                     {r.status, std::string(r.content_type()), r.body});
  });
}

// Ends a claim whose request failed without an answer worth keeping (5xx): forgotten when it
// wrote nothing, "answer lost" when its write had committed (intake::release_idempotency_key).
void release(Context& ctx, const IdempotencyKey& k) noexcept {
  try {
    ctx.db.transact([&](store::Tx& tx) { intake::release_idempotency_key(tx, k); });
  } catch (...) {  // NOLINT(bugprone-empty-catch): the lease expires the claim anyway
  }
}

thread_local const IdempotencyKey* running_key = nullptr;

// The key whose record the request's writes mark, while the handler runs on this thread.
class RunningKey {
 public:
  explicit RunningKey(const IdempotencyKey& k) : previous_(std::exchange(running_key, &k)) {}
  ~RunningKey() { running_key = previous_; }
  RunningKey(const RunningKey&) = delete;
  RunningKey& operator=(const RunningKey&) = delete;

 private:
  const IdempotencyKey* previous_;
};

http::Response run_once(Context& ctx, const http::Handler& inner, const http::Request& req,
                        const IdempotencyKey& k) {
  http::Response r;
  try {
    RunningKey running(k);
    r = inner(req);
  } catch (const Error& e) {
    if (http::status_for(e.kind()) >= 500) {
      release(ctx, k);
      throw;
    }
    r = http::error_response(e, req.lang);
  } catch (...) {
    release(ctx, k);
    throw;
  }
  if (r.status >= 500) {
    release(ctx, k);
    return r;
  }
  try {
    complete(ctx, k, r);
  } catch (const std::exception& e) {
    // The handler's transaction has committed: its answer is the truth, and an error here
    // would tell the client a write failed that is on disk. Its write marked the record
    // written, so a resubmission is told the write is done (idempotency_answer_lost); a
    // handler that wrote nothing leaves nothing to replay and the key free again.
    spdlog::warn("{} {}: the answer of Idempotency-Key {} was not kept: {}",
                 http::method_name(req.method), req.path, k.key, e.what());
    release(ctx, k);  // a resubmission is then told at once that the write is done
  }
  return r;
}

http::Response handle(Context& ctx, const http::Handler& inner, const http::Request& req) {
  auto key = req.header("Idempotency-Key");
  if (!key) return inner(req);
  check_key(*key);
  std::optional<Holder> holder = holder_of(ctx, req);
  if (!holder) return inner(req);
  IdempotencyKey k{holder->caller, std::string(*key), std::string(http::method_name(req.method)),
                   req.path,       request_hash(req), holder->access};
  IdempotencyClaim c = claim(ctx, k);
  switch (c.kind) {
    case IdempotencyClaim::Kind::fresh:
      return run_once(ctx, inner, req, k);
    case IdempotencyClaim::Kind::replay: {
      // The forced password change and the session were checked by the hook just now; the
      // permissions are checked by finding the access the first answer was made with.
      if (c.access != k.access) {
        throw Error(
            ErrorKind::forbidden, "idempotency_access_changed",
            "账户的角色、范围或权限已变更，不能重放此前的结果，请用新的 Idempotency-Key 重新提交",
            "the account's role, scope or permissions changed since; resubmit with a new "
            "Idempotency-Key",
            "Idempotency-Key");
      }
      http::Response r =
          http::Response::bytes(c.kept.status, std::move(c.kept.body), c.kept.content_type);
      r.headers.set("Idempotent-Replayed", "true");
      return r;
    }
    case IdempotencyClaim::Kind::written: {
      // Done before, its answer lost: saying so beats running it a second time. A 2xx, so an
      // offline queue counts it as sent.
      nlohmann::json body = {
          {"code", "idempotency_answer_lost"},
          {"message", req.lang == Lang::en
                          ? "this request was carried out before, but its answer was lost; "
                            "look up the result"
                          : "该请求此前已提交成功，但当时的答复未能保存，请在列表中查看结果"}};
      http::Response r = http::Response::json(200, body);
      r.headers.set("Idempotent-Replayed", "true");
      return r;
    }
    case IdempotencyClaim::Kind::mismatch:
      return http::error_response(
          422,
          Error(ErrorKind::bad_input, "idempotency_key_reused",
                "该 Idempotency-Key 已用于另一个不同的请求，请换一个新的键",
                "this Idempotency-Key was used for a different request; use a new key",
                "Idempotency-Key"),
          req.lang);
    case IdempotencyClaim::Kind::running:
      break;
  }
  throw Error(ErrorKind::conflict, "idempotency_in_progress", "相同的请求正在处理中，请稍后重试",
              "the same request is still being processed; retry later", "Idempotency-Key");
}

}  // namespace

const intake::IdempotencyKey* running_idempotency_key() { return running_key; }

http::Handler idempotent(const std::shared_ptr<Context>& ctx, http::Handler inner) {
  return [ctx, inner = std::move(inner)](const http::Request& req) {
    return handle(*ctx, inner, req);
  };
}

std::vector<http::Route> with_idempotency(const std::shared_ptr<Context>& ctx,
                                          std::vector<http::Route> routes) {
  for (auto& r : routes) {
    if (r.method != http::Method::post || r.path.starts_with("/api/v1/auth/")) continue;
    r.handler = idempotent(ctx, std::move(r.handler));
  }
  return routes;
}

}  // namespace wangge::api
