// The notification sender: drains the event_outbox (events/outbox.h) to webhooks configured per org
// subtree — WeCom (企业微信) and DingTalk (钉钉) group robots and plain JSON — with retries and
// exponential backoff. Delivery is at least once: a notice is marked sent only after every
// webhook it goes to has answered 2xx, and each webhook that has answered is remembered, so
// a retry goes only to those that failed.
//
// Table notify_webhooks: id, org_code (the subtree whose notices it receives), kind (wecom |
// dingtalk | json), url (for display only: scheme and host, the rest masked, since robots'
// URLs carry their token: WeCom key=, DingTalk access_token=), url_enc (the whole URL
// encrypted with the data key; NULL on rows made before notify 3 until sealed), secret_enc
// (DingTalk's 加签 secret, or the HMAC key of the X-Wangge-Signature header for json, encrypted
// with the data key like ID numbers; NULL for none), secret (the plain column of databases made
// before secret_enc: emptied by seal_webhook_secrets, never written again), created_at (unix ms).
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

namespace wangge::notify {

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

// Where webhooks may point. By default only public addresses: never loopback, private
// (RFC 1918, CGNAT, ULA), link-local, multicast, unspecified, reserved or documentation
// addresses, IPv4 or IPv6, so a webhook cannot be used to reach the server's own network
// (SSRF). may_reach_intranet lifts that for intranet deployments whose robots live there.
struct WebhookTargets {
  bool may_reach_intranet = false;
};
// True for an address a webhook may reach by default (see WebhookTargets); false for text that
// is no IP address.
bool is_public_address(std::string_view ip);
// The first address the URL's host names (an IP literal, or resolved by DNS now) that
// `targets` does not allow, or "" when there is none or the name does not resolve (the sender
// checks again at send time, on the address it connects to).
std::string forbidden_target(std::string_view url, WebhookTargets targets);
// "https://qyapi.weixin.qq.com/…": the URL as lists show it, its path and query (tokens) hidden.
std::string masked_url(std::string_view url);

// Validates (the org exists; the URL is http:// or https:// with a host and no user info, and
// its host is allowed by `targets`; secret ≤ 200 characters) and stores a webhook, its URL and
// secret encrypted with vault, and an audit row ("webhook.add", by actor; host and kind, no
// token). Returns its id. Error(bad_input) naming the field.
int64_t add_webhook(store::Tx& tx, const Vault& vault, const Webhook& w, Instant now,
                    std::string_view actor = "system", WebhookTargets targets = {});
// Error(not_found) when there is no such webhook. Audited ("webhook.remove", by actor).
void remove_webhook(store::Tx& tx, int64_t id, std::string_view actor = "system");
// URLs and secrets decrypted with vault (Error(internal) when it holds another key).
std::vector<Webhook> list_webhooks(store::Tx& tx, const Vault& vault);
// The webhooks whose subtree holds org_code, nearest first.
std::vector<Webhook> webhooks_for(store::Tx& tx, const Vault& vault, std::string_view org_code);
// Encrypts the secrets and URLs still stored in clear (rows written before secret_enc and
// url_enc existed), empties the plain secret and masks the plain URL. Returns how many rows it
// sealed; idempotent. The sender runs it when
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
Outgoing render(const Webhook& w, const events::OutboxRow& notice, Instant now);
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
// (Boost.Beast, OpenSSL), each step bounded by timeout. The host is resolved once and every
// address it resolves to is checked against `targets` before connecting to exactly those
// (so a name that resolves elsewhere at send time — DNS rebinding — is refused too).
PostResult http_post(const Outgoing& out, std::chrono::milliseconds timeout,
                     WebhookTargets targets = {});

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
  Transport transport;     // empty: http_post with timeout and targets
  WebhookTargets targets;  // where the default transport may connect
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
  void deliver(const events::OutboxRow& n, Instant now, DrainResult& r);
  void run();

  store::Database& db_;
  Vault vault_;
  SenderOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false, poked_ = false;
  std::thread thread_;
};

// notify_webhooks and notify_deliveries; notify 2 adds secret_enc, notify 3 url_enc. REQUIRES:
// events::migrations() applied first.
const std::vector<store::Migration>& notify_migrations();

}  // namespace wangge::notify
