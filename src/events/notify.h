// The notification sender: drains the event_outbox (outbox.h) to webhooks configured per org
// subtree — WeCom (企业微信) and DingTalk (钉钉) group robots and plain JSON — with retries and
// exponential backoff. Delivery is at least once: a notice is marked sent only after every
// webhook it goes to has answered 2xx, and each webhook that has answered is remembered, so
// a retry goes only to those that failed.
//
// Table notify_webhooks: id, org_code (the subtree whose notices it receives), kind (wecom |
// dingtalk | json), url (http:// or https://), secret_enc (DingTalk's 加签 secret, or the HMAC
// key of the X-Wangge-Signature header for json, encrypted with the data key like ID numbers;
// NULL for none), secret (the plain column of databases made before secret_enc: emptied by
// seal_webhook_secrets, never written again), created_at (unix ms).
// Table notify_deliveries: (outbox_id, webhook_id) answered 2xx, delivered_at.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/time.h"
#include "core/vault.h"
#include "events/outbox.h"
#include "store/database.h"
#include "store/migrations.h"

namespace wangge::events {

enum class WebhookKind { wecom, dingtalk, json };
std::string_view to_string(WebhookKind k);
// Throws Error(bad_input, "invalid_webhook_kind", "kind").
WebhookKind parse_webhook_kind(std::string_view s);

struct Webhook {
  int64_t id = 0;
  std::string org_code;
  WebhookKind kind = WebhookKind::json;
  std::string url;
  std::string secret;  // in clear in memory only
};

// Validates (the org exists; the URL is http:// or https:// with a host; secret ≤ 200
// characters) and stores a webhook, its secret encrypted with vault. Returns its id.
// Error(bad_input) naming the field.
int64_t add_webhook(store::Tx& tx, const Vault& vault, const Webhook& w, Instant now);
// Error(not_found) when there is no such webhook.
void remove_webhook(store::Tx& tx, int64_t id);
// Secrets decrypted with vault (Error(internal) when it holds another key).
std::vector<Webhook> list_webhooks(store::Tx& tx, const Vault& vault);
// The webhooks whose subtree holds org_code, nearest first.
std::vector<Webhook> webhooks_for(store::Tx& tx, const Vault& vault, std::string_view org_code);
// Encrypts the secrets still stored in clear (rows written before secret_enc existed) and
// empties their plain column. Returns how many it sealed; idempotent. The sender runs it when
// it is made, and `wangge webhook` before it reads or writes.
int seal_webhook_secrets(store::Tx& tx, const Vault& vault);

// One HTTP request the sender makes.
struct Outgoing {
  std::string url;  // DingTalk's timestamp and sign already appended when signed
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type included
};
// The request for one notice to one webhook at `now` (DingTalk's timestamp is now's unix ms):
//   wecom:    {"msgtype":"markdown","markdown":{"content":…}}
//   dingtalk: {"msgtype":"markdown","markdown":{"title":…,"text":…}}, signed with
//             sign = urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret)))
//   json:     {"id","kind","event_id","recipient","created_at","payload"}, and when a secret
//             is set the header X-Wangge-Signature: sha256=<hex HMAC-SHA256(secret, body)>
Outgoing render(const Webhook& w, const OutboxRow& notice, Instant now);
// DingTalk's sign before URL encoding (base64).
std::string dingtalk_sign(std::string_view secret, int64_t timestamp_ms);

// What a webhook answered: an HTTP status, or 0 with an error when it could not be reached.
struct PostResult {
  int status = 0;
  std::string error;
  std::string body;
};
using Transport = std::function<PostResult(const Outgoing&)>;
// POST over plain http, or https with the system's CA certificates and host name checks
// (Boost.Beast, OpenSSL), each step bounded by timeout.
PostResult http_post(const Outgoing& out, std::chrono::milliseconds timeout);

struct SenderOptions {
  // After the n-th failed attempt the next is due min(base_delay × 2^(n-1), max_delay) later;
  // after max_attempts failures the notice is given up (next_attempt_at far in the future,
  // last_error says so).
  std::chrono::milliseconds base_delay{std::chrono::seconds(30)};
  std::chrono::milliseconds max_delay{std::chrono::hours(1)};
  int max_attempts = 12;
  int batch = 100;                                              // notices per drain
  std::chrono::milliseconds interval{std::chrono::seconds(5)};  // background drain period
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};  // per HTTP step
  std::function<Instant()> clock;                               // empty: wangge::now()
  Transport transport;                                          // empty: http_post with timeout
};

// The delay before the attempt that follows `failures` failed ones (failures >= 1).
std::chrono::milliseconds backoff(int failures, const SenderOptions& o);
// The next_attempt_at of a notice that was given up.
Instant given_up_at();

struct DrainResult {
  int sent = 0;      // notices marked sent
  int failed = 0;    // notices that will be retried
  int gave_up = 0;   // notices that reached max_attempts
  int requests = 0;  // HTTP requests made
};

class NotificationSender {
 public:
  // db must outlive the sender. Seals plain secrets left by older versions (see above).
  NotificationSender(store::Database& db, const Vault& vault, SenderOptions options = {});
  ~NotificationSender();  // stops the thread
  NotificationSender(const NotificationSender&) = delete;
  NotificationSender& operator=(const NotificationSender&) = delete;

  // Delivers every due notice once, as of the clock's now. A notice with no webhook for its
  // recipient is marked sent. REQUIRES: not called concurrently with itself.
  DrainResult drain_once();

  // A background thread calling drain_once every interval (errors are logged, not fatal).
  void start();
  // Wakes the thread for an immediate drain.
  void poke();
  // Stops and joins the thread; safe to call twice.
  void stop();

 private:
  void deliver(const OutboxRow& n, Instant now, DrainResult& r);
  void run();

  store::Database& db_;
  Vault vault_;
  SenderOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false, poked_ = false;
  std::thread thread_;
};

// notify_webhooks and notify_deliveries; notify 2 adds secret_enc. REQUIRES: events::migrations()
// applied first.
const std::vector<store::Migration>& notify_migrations();

}  // namespace wangge::events
