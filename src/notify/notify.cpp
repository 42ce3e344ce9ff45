// Webhooks, the robot message formats and the sender loop. The HTTP client is in
// notify_http.cpp, so only that file pays for Beast.
#include "notify/notify.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <optional>
#include <set>

#include "auth/audit.h"
#include "core/error.h"
#include "events/events.h"
#include "org/service.h"

namespace wangge::notify {
namespace {

using nlohmann::json;

std::array<unsigned char, crypto_auth_hmacsha256_BYTES> hmac_sha256(std::string_view key,
                                                                    std::string_view data) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&st, mac.data());
  return mac;
}

std::string hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 0xf];
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string_view kind_label(events::NoticeKind k) {
  switch (k) {
    case events::NoticeKind::new_assignment:
      return "新派单";
    case events::NoticeKind::deadline_near:
      return "即将超时";
    case events::NoticeKind::escalated:
      return "已升级";
    case events::NoticeKind::outcome:
      return "办理结果";
  }
  return "";
}

std::string str(const json& p, const char* key) {
  auto it = p.find(key);
  if (it == p.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// The markdown both robots show: a heading, the ready-made text and the facts.
std::string markdown(const events::OutboxRow& n, const json& p) {
  std::string md = "### 【网格事件·" + std::string(kind_label(n.kind)) + "】" + str(p, "title");
  md += "\n> " + str(p, "text");
  md += "\n\n- 事件编号：" + std::to_string(n.event_id);
  if (auto c = str(p, "category_name"); !c.empty()) md += "\n- 类别：" + c;
  if (auto o = str(p, "owner_name"); !o.empty()) {
    md += "\n- 责任单位：" + o;
    if (p.contains("level") && p["level"].is_number_integer()) {
      md += "（" + std::string(events::level_label(p["level"].get<int>())) + "级）";
    }
  }
  if (auto d = str(p, "due_at"); !d.empty()) {
    try {
      std::string local = format_local(parse_instant(d));  // "2026-03-03T00:00:00+08:00"
      md += "\n- 办理时限：" + local.substr(0, 10) + " " + local.substr(11, 5);
    } catch (const Error&) {
      md += "\n- 办理时限：" + d;
    }
  }
  return md;
}

// A row of SELECT id, org_code, kind, url, secret_enc, secret, url_enc.
Webhook read_webhook(const store::Row& r, const Vault& vault) {
  std::string secret = r.is_null(4) ? r.text(5) : vault.decrypt(r.blob(4));
  std::string url = r.is_null(6) ? r.text(3) : vault.decrypt(r.blob(6));
  return {r.i64(0), r.text(1), parse_webhook_kind(r.text(2)), std::move(url), std::move(secret)};
}

constexpr const char* kWebhookColumns =
    "SELECT id, org_code, kind, url, secret_enc, secret, url_enc FROM notify_webhooks ";

std::optional<Bytes> sealed(const Vault& vault, const std::string& secret) {
  if (secret.empty()) return std::nullopt;
  return vault.encrypt(secret);
}

void check_url(const std::string& url) {
  auto scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  bool ok = (scheme == "http" || scheme == "https") && url.size() > scheme_end + 3 &&
            url.size() <= 2000 && url.find_first_of(" \t\r\n") == std::string::npos;
  // No user info: "http://public.example@10.0.0.1/" reads as one host and goes to another.
  const std::string authority =
      ok ? url.substr(scheme_end + 3, url.find_first_of("/?#", scheme_end + 3) - scheme_end - 3)
         : "";
  ok = ok && !authority.empty() && authority.find('@') == std::string::npos;
  if (!ok) {
    throw_bad_input("invalid_webhook_url", "回调地址须以 http:// 或 https:// 开头",
                    "the webhook URL must start with http:// or https://", "url");
  }
}

// The org a recipient names: "org:<code>", or the org of "user:<id>".
std::string recipient_org(store::Tx& tx, std::string_view recipient) {
  if (recipient.starts_with("org:")) return std::string(recipient.substr(4));
  if (recipient.starts_with("user:")) {
    auto row =
        tx.query_one("SELECT o.code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?",
                     {std::stoll(std::string(recipient.substr(5)))});
    if (row) return row->text(0);
  }
  return {};
}

// Robots answer 200 with {"errcode": non-zero} when they refuse a message.
bool accepted(const PostResult& res) {
  if (res.status < 200 || res.status >= 300) return false;
  auto body = json::parse(res.body, nullptr, false);
  return !(body.is_object() && body.contains("errcode") && body["errcode"] != 0);
}

std::string failure_text(const Webhook& w, const PostResult& res) {
  std::string what = res.status ? "HTTP " + std::to_string(res.status) : res.error;
  if (res.status && !res.body.empty()) what += " " + res.body.substr(0, 200);
  return std::string(to_string(w.kind)) + " #" + std::to_string(w.id) + ": " + what;
}

}  // namespace

std::string_view to_string(WebhookKind k) {
  switch (k) {
    case WebhookKind::wecom:
      return "wecom";
    case WebhookKind::dingtalk:
      return "dingtalk";
    case WebhookKind::json:
      return "json";
  }
  return "";
}

WebhookKind parse_webhook_kind(std::string_view s) {
  for (auto k : {WebhookKind::wecom, WebhookKind::dingtalk, WebhookKind::json}) {
    if (to_string(k) == s) return k;
  }
  throw_bad_input("invalid_webhook_kind", "回调类型须为 wecom、dingtalk 或 json",
                  "the webhook kind must be wecom, dingtalk or json", "kind");
}

std::string masked_url(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "…";
  auto rest = url.find_first_of("/?#", scheme_end + 3);
  std::string out(url.substr(0, rest));
  if (rest != std::string_view::npos) out += "/…";
  return out;
}

int64_t add_webhook(store::Tx& tx, const Vault& vault, const Webhook& w, Instant now,
                    std::string_view actor, WebhookTargets targets) {
  if (!org::find_org(tx, w.org_code)) {
    throw_bad_input("unknown_org", "组织机构不存在：" + w.org_code, "no such org: " + w.org_code,
                    "org");
  }
  check_url(w.url);
  if (std::string bad = forbidden_target(w.url, targets); !bad.empty()) {
    throw_bad_input("webhook_target_private",
                    "回调地址指向本机、内网或保留地址（" + bad +
                        "），不允许；内网部署确需如此请使用 --may-reach-intranet",
                    "the webhook URL points at a loopback, private or reserved address (" + bad +
                        "); intranet deployments may allow it with --may-reach-intranet",
                    "url");
  }
  if (w.secret.size() > 200) {
    throw_bad_input("invalid_secret", "密钥过长", "the secret is too long", "secret");
  }
  const std::string shown = masked_url(w.url);
  int64_t id = tx.insert_id(
      "INSERT INTO notify_webhooks (org_code, kind, url, url_enc, secret_enc, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {w.org_code, to_string(w.kind), shown, vault.encrypt(w.url), sealed(vault, w.secret),
       to_unix_ms(now)});
  json detail{{"org", w.org_code},
              {"kind", to_string(w.kind)},
              {"url", shown},
              {"signed", !w.secret.empty()},
              {"may_reach_intranet", targets.may_reach_intranet}};
  auth::audit::append(tx, actor, "webhook.add", "webhook:" + std::to_string(id), detail.dump(),
                      now);
  return id;
}

void remove_webhook(store::Tx& tx, int64_t id, std::string_view actor) {
  auto row = tx.query_one("SELECT org_code, kind, url FROM notify_webhooks WHERE id = ?", {id});
  if (!row || tx.exec("DELETE FROM notify_webhooks WHERE id = ?", {id}) == 0) {
    throw_not_found("回调不存在：" + std::to_string(id), "no such webhook: " + std::to_string(id));
  }
  json detail{{"org", row->text(0)}, {"kind", row->text(1)}, {"url", masked_url(row->text(2))}};
  auth::audit::append(tx, actor, "webhook.remove", "webhook:" + std::to_string(id), detail.dump());
}

std::vector<Webhook> list_webhooks(store::Tx& tx, const Vault& vault) {
  std::vector<Webhook> out;
  for (const auto& r : tx.query(std::string(kWebhookColumns) + "ORDER BY id")) {
    out.push_back(read_webhook(r, vault));
  }
  return out;
}

int seal_webhook_secrets(store::Tx& tx, const Vault& vault) {
  int n = 0;
  for (const auto& r :
       tx.query("SELECT id, secret, url, CASE WHEN url_enc IS NULL THEN 1 ELSE 0 END "
                "FROM notify_webhooks "
                "WHERE secret <> '' OR url_enc IS NULL")) {
    if (!r.text(1).empty()) {
      tx.exec("UPDATE notify_webhooks SET secret_enc = ?, secret = '' WHERE id = ?",
              {vault.encrypt(r.text(1)), r.i64(0)});
    }
    if (r.i64(3) != 0) {
      tx.exec("UPDATE notify_webhooks SET url_enc = ?, url = ? WHERE id = ?",
              {vault.encrypt(r.text(2)), masked_url(r.text(2)), r.i64(0)});
    }
    ++n;
  }
  return n;
}

std::vector<Webhook> webhooks_for(store::Tx& tx, const Vault& vault, std::string_view org_code) {
  std::vector<std::pair<size_t, Webhook>> hits;
  for (auto& w : list_webhooks(tx, vault)) {
    std::string prefix = org::subtree_prefix(w.org_code);
    if (!org_code.empty() && org_code.starts_with(prefix)) hits.emplace_back(prefix.size(), w);
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Webhook> out;
  out.reserve(hits.size());
  for (auto& [len, w] : hits) out.push_back(std::move(w));
  return out;
}

std::string dingtalk_sign(std::string_view secret, int64_t timestamp_ms) {
  auto mac = hmac_sha256(secret, std::to_string(timestamp_ms) + "\n" + std::string(secret));
  std::string b64(sodium_base64_ENCODED_LEN(mac.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), mac.data(), mac.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return b64;
}

Outgoing render(const Webhook& w, const events::OutboxRow& n, Instant now) {
  json payload = json::parse(n.payload, nullptr, false);
  if (payload.is_discarded()) payload = json::object();
  Outgoing out{w.url, {}, {{"Content-Type", "application/json; charset=utf-8"}}};
  switch (w.kind) {
    case WebhookKind::wecom:
      out.body =
          json{{"msgtype", "markdown"}, {"markdown", {{"content", markdown(n, payload)}}}}.dump();
      break;
    case WebhookKind::dingtalk: {
      std::string title = "网格事件·" + std::string(kind_label(n.kind));
      out.body = json{{"msgtype", "markdown"},
                      {"markdown", {{"title", title}, {"text", markdown(n, payload)}}}}
                     .dump();
      if (!w.secret.empty()) {
        const int64_t ts = to_unix_ms(now);
        out.url += (w.url.find('?') == std::string::npos ? "?" : "&");
        out.url +=
            "timestamp=" + std::to_string(ts) + "&sign=" + url_encode(dingtalk_sign(w.secret, ts));
      }
      break;
    }
    case WebhookKind::json:
      out.body = json{
          {"id", n.id},
          {"kind", to_string(n.kind)},
          {"event_id", n.event_id},
          {"recipient", n.recipient},
          {"created_at", format_instant(n.created_at)},
          {"payload",
           payload}}.dump();
      if (!w.secret.empty()) {
        auto mac = hmac_sha256(w.secret, out.body);
        out.headers.emplace_back("X-Wangge-Signature", "sha256=" + hex(mac.data(), mac.size()));
      }
      break;
  }
  return out;
}

std::chrono::milliseconds backoff(int failures, const SenderOptions& o) {
  auto d = o.base_delay;
  for (int i = 1; i < failures && d < o.max_delay; ++i) d *= 2;
  return std::min(d, o.max_delay);
}

Instant given_up_at() { return from_unix_ms(253402300799000); }  // 9999-12-31T23:59:59Z

NotificationSender::NotificationSender(store::Database& db, const Vault& vault,
                                       SenderOptions options)
    : db_(db), vault_(vault), options_(std::move(options)) {
  if (int n = db_.transact([&](store::Tx& tx) { return seal_webhook_secrets(tx, vault_); })) {
    spdlog::info("notification sender: encrypted {} webhook secrets stored in clear", n);
  }
  if (!options_.transport) {
    options_.transport = [t = options_.timeout, targets = options_.targets](const Outgoing& o) {
      return http_post(o, t, targets);
    };
  }
}

NotificationSender::~NotificationSender() { stop(); }

DrainResult NotificationSender::drain_once() {
  const Instant now = options_.clock ? options_.clock() : wangge::now();
  std::vector<events::OutboxRow> due;
  {
    auto tx = db_.begin(store::TxMode::read);
    due = events::pending_notices(*tx, now, options_.batch);
  }
  DrainResult r;
  for (const auto& n : due) deliver(n, now, r);
  return r;
}

void NotificationSender::deliver(const events::OutboxRow& n, Instant now, DrainResult& r) {
  std::vector<Webhook> hooks;
  std::set<int64_t> done;
  {
    auto tx = db_.begin(store::TxMode::read);
    hooks = webhooks_for(*tx, vault_, recipient_org(*tx, n.recipient));
    for (const auto& row :
         tx->query("SELECT webhook_id FROM notify_deliveries WHERE outbox_id = ?", {n.id})) {
      done.insert(row.i64(0));
    }
  }
  // No transaction is held while the webhooks answer.
  std::vector<int64_t> delivered;
  std::string errors;
  for (const auto& w : hooks) {
    if (done.contains(w.id)) continue;
    PostResult res = options_.transport(render(w, n, now));
    ++r.requests;
    if (accepted(res)) {
      delivered.push_back(w.id);
    } else {
      errors += (errors.empty() ? "" : "; ") + failure_text(w, res);
    }
  }
  db_.transact([&](store::Tx& tx) {
    for (int64_t id : delivered) {
      tx.exec(
          "INSERT INTO notify_deliveries (outbox_id, webhook_id, delivered_at) VALUES (?, ?, ?) "
          "ON CONFLICT (outbox_id, webhook_id) DO NOTHING",
          {n.id, id, to_unix_ms(now)});
    }
    if (errors.empty()) {
      events::mark_sent(tx, n.id, now);
      ++r.sent;
      return;
    }
    const int failures = n.attempts + 1;
    if (failures >= options_.max_attempts) {
      events::mark_failed(tx, n.id, "放弃（" + std::to_string(failures) + "次失败）: " + errors,
                          given_up_at());
      ++r.gave_up;
    } else {
      events::mark_failed(tx, n.id, errors, now + backoff(failures, options_));
      ++r.failed;
    }
  });
  if (!errors.empty()) spdlog::warn("notification {} not delivered: {}", n.id, errors);
}

void NotificationSender::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void NotificationSender::poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

void NotificationSender::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NotificationSender::run() {
  for (;;) {
    try {
      drain_once();
    } catch (const std::exception& e) {
      spdlog::error("notification sender: {}", e.what());
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.interval, [this] { return stopping_ || poked_; });
    if (stopping_) return;
    poked_ = false;
  }
}

const std::vector<store::Migration>& notify_migrations() {
  static const std::vector<store::Migration> list{
      {"notify", 1, R"sql(
CREATE TABLE notify_webhooks (
  id {pk},
  org_code TEXT NOT NULL,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE TABLE notify_deliveries (
  outbox_id BIGINT NOT NULL,
  webhook_id BIGINT NOT NULL,
  delivered_at BIGINT NOT NULL,
  PRIMARY KEY (outbox_id, webhook_id)
);
)sql"},
      // Secrets at rest are encrypted with the data key; rows already there are sealed by
      // seal_webhook_secrets (a migration cannot hold the key).
      {"notify", 2, R"sql(
ALTER TABLE notify_webhooks ADD COLUMN secret_enc {blob};
)sql"},
      // URLs carry the robots' tokens: sealed like the secrets (seal_webhook_secrets seals the
      // rows already there and leaves only a masked URL in the plain column).
      {"notify", 3, R"sql(
ALTER TABLE notify_webhooks ADD COLUMN url_enc {blob};
)sql"},
  };
  return list;
}

}  // namespace wangge::notify
