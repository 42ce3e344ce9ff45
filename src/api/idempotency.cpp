// The Idempotency-Key layer: claim the key in its own short transaction (a unique
// constraint decides between concurrent duplicates), run the handler, keep its response.
#include "api/idempotency.h"

#include <sodium.h>

#include <array>

#include "api/context.h"
#include "core/digest.h"
#include "core/error.h"
#include "events/apikeys.h"
#include "events/notify.h"
#include "events/open311.h"
#include "events/photos.h"
#include "http/errors.h"

namespace wangge::api {
namespace {

struct Stored {
  int status = 0;
  std::string content_type, body;
};

// What claiming a key found.
struct Claim {
  enum class Kind { fresh, replay, mismatch, running } kind = Kind::fresh;
  Stored stored;  // for replay
};

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

std::string caller_key(const http::Request& req) {
  if (const Caller* c = req.context_as<Caller>()) return "user:" + std::to_string(c->user.id);
  if (std::string key = api_key_of(req); !key.empty()) return "apikey:" + sha256_hex(key);
  return "addr:" + req.client_address;
}

std::string request_hash(const http::Request& req) {
  std::string text(http::method_name(req.method));
  text += '\n' + req.target + '\n' + std::string(req.header("Content-Type").value_or("")) + '\n';
  text += req.body;
  return sha256_hex(text);
}

struct KeyRow {
  std::string caller, key, method, path, hash;
};

// Makes the row fresh (running, from now) if it still has the created_at we read; false when
// another request took it over first.
bool take_over(store::Tx& tx, const KeyRow& k, int64_t old_created, int64_t now) {
  return tx.exec(
             "UPDATE idempotency_keys SET method = ?, path = ?, request_hash = ?, status = 0, "
             "content_type = NULL, body = NULL, created_at = ? "
             "WHERE caller = ? AND idem_key = ? AND created_at = ?",
             {k.method, k.path, k.hash, now, k.caller, k.key, old_created}) == 1;
}

Claim claim(Context& ctx, const KeyRow& k, Instant now_at) {
  const int64_t now = to_unix_ms(now_at);
  auto tx = ctx.db.begin(store::TxMode::write);
  if (tx->exec("INSERT INTO idempotency_keys (caller, idem_key, method, path, request_hash, "
               "status, created_at) VALUES (?, ?, ?, ?, ?, 0, ?) "
               "ON CONFLICT (caller, idem_key) DO NOTHING",
               {k.caller, k.key, k.method, k.path, k.hash, now}) == 1) {
    tx->commit();
    return {};
  }
  auto row = tx->query_one(
      "SELECT request_hash, status, content_type, body, created_at FROM idempotency_keys "
      "WHERE caller = ? AND idem_key = ?",
      {k.caller, k.key});
  if (!row) return {.kind = Claim::Kind::running};  // deleted meanwhile: let the client retry
  const int64_t created = row->i64(4);
  const int status = static_cast<int>(row->i64(1));
  const bool expired = now - created > std::chrono::milliseconds(kIdempotencyTtl).count();
  const bool abandoned =
      status == 0 && now - created > std::chrono::milliseconds(kIdempotencyLease).count();
  if (expired || (abandoned && row->text(0) == k.hash)) {
    bool mine = take_over(*tx, k, created, now);
    tx->commit();
    return {.kind = mine ? Claim::Kind::fresh : Claim::Kind::running};
  }
  if (row->text(0) != k.hash) return {.kind = Claim::Kind::mismatch};
  if (status == 0) return {.kind = Claim::Kind::running};
  return {.kind = Claim::Kind::replay,
          .stored = {status, row->text(2), ctx.vault.decrypt(row->blob(3))}};
}

void complete(Context& ctx, const KeyRow& k, const http::Response& r) {
  ctx.db.transact([&](store::Tx& tx) {
    tx.exec(
        "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? "
        "WHERE caller = ? AND idem_key = ?",
        {r.status, std::string(r.content_type()), ctx.vault.encrypt(r.body), k.caller, k.key});
  });
}

// Forgets a running claim whose request failed without an answer worth keeping (5xx).
void release(Context& ctx, const KeyRow& k) noexcept {
  try {
    ctx.db.transact([&](store::Tx& tx) {
      tx.exec("DELETE FROM idempotency_keys WHERE caller = ? AND idem_key = ? AND status = 0",
              {k.caller, k.key});
    });
  } catch (...) {  // NOLINT(bugprone-empty-catch): the lease expires the claim anyway
  }
}

http::Response run_once(Context& ctx, const http::Handler& inner, const http::Request& req,
                        const KeyRow& k) {
  http::Response r;
  try {
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
  } else {
    complete(ctx, k, r);
  }
  return r;
}

http::Response handle(Context& ctx, const http::Handler& inner, const http::Request& req) {
  auto key = req.header("Idempotency-Key");
  if (!key) return inner(req);
  check_key(*key);
  KeyRow k{caller_key(req), std::string(*key), std::string(http::method_name(req.method)), req.path,
           request_hash(req)};
  Claim c = claim(ctx, k, ctx.now());
  switch (c.kind) {
    case Claim::Kind::fresh:
      return run_once(ctx, inner, req, k);
    case Claim::Kind::replay: {
      http::Response r =
          http::Response::bytes(c.stored.status, std::move(c.stored.body), c.stored.content_type);
      r.headers.set("Idempotent-Replayed", "true");
      return r;
    }
    case Claim::Kind::mismatch:
      return http::error_response(
          422,
          Error(ErrorKind::bad_input, "idempotency_key_reused",
                "该 Idempotency-Key 已用于另一个不同的请求，请换一个新的键",
                "this Idempotency-Key was used for a different request; use a new key",
                "Idempotency-Key"),
          req.lang);
    case Claim::Kind::running:
      break;
  }
  throw Error(ErrorKind::conflict, "idempotency_in_progress", "相同的请求正在处理中，请稍后重试",
              "the same request is still being processed; retry later", "Idempotency-Key");
}

}  // namespace

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
  };
  return list;
}

std::vector<store::Migration> intake_migrations() {
  // The photo table comes with events::migrations().
  std::vector<store::Migration> out;
  for (const auto* list : {&idempotency_migrations(), &events::notify_migrations(),
                           &events::apikey_migrations(), &events::open311::open311_migrations()}) {
    out.insert(out.end(), list->begin(), list->end());
  }
  return out;
}

}  // namespace wangge::api
