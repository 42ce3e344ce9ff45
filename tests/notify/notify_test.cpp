// The notification sender against a local receiver (a small Beast listener) that fails the
// first attempts: delivery counts, the robots' payload shapes, DingTalk's signature, the
// backoff schedule on an injected clock — on both databases.
// clang-format off
#include <utility>  // Boost 1.74's asio needs it first
// clang-format on

#include "notify/notify.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "auth/audit.h"
#include "auth/auth.h"
#include "core/error.h"
#include "events/events.h"
#include "events/service.h"
#include "org/org.h"
#include "org/service.h"
#include "testing/testing.h"

namespace wangge::notify {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Received {
  std::string target, body, content_type, signature;
};

// Answers each POST with the status `answer(n)` gives for the n-th request (1-based).
class Receiver {
 public:
  explicit Receiver(std::function<int(int)> answer)
      : answer_(std::move(answer)), acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { loop(); });
  }
  ~Receiver() {
    // Wake the blocking accept with a request that ends the loop.
    asio::io_context ioc;
    tcp::socket s(ioc);
    s.connect({asio::ip::make_address("127.0.0.1"), port()});
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/stop", 11};
    req.prepare_payload();
    bhttp::write(s, req);
    boost::beast::flat_buffer b;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(s, b, res);
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }
  std::vector<Received> got() {
    std::lock_guard lock(mu_);
    return got_;
  }
  // Waits until n requests have arrived; false after the deadline.
  bool wait_for(size_t n, milliseconds deadline) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, deadline, [&] { return got_.size() >= n; });
  }

 private:
  void loop() {
    for (;;) {
      tcp::socket s(ioc_);
      acceptor_.accept(s);
      boost::beast::flat_buffer b;
      bhttp::request<bhttp::string_body> req;
      boost::system::error_code ec;
      bhttp::read(s, b, req, ec);
      if (ec) continue;
      bool stop = req.target() == "/stop";
      int status = 200;
      if (!stop) {
        std::lock_guard lock(mu_);
        got_.push_back({std::string(req.target()), req.body(),
                        std::string(req[bhttp::field::content_type]),
                        std::string(req["X-Wangge-Signature"])});
        status = answer_(static_cast<int>(got_.size()));
      }
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
      res.body() = status == 299 ? R"({"errcode":310000,"errmsg":"sign not match"})"
                                 : R"({"errcode":0,"errmsg":"ok"})";
      if (status == 299) res.result(200);
      res.prepare_payload();
      bhttp::write(s, res, ec);
      cv_.notify_all();
      if (stop) return;
    }
  }

  std::function<int(int)> answer_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Received> got_;
  std::thread thread_;
};

TEST(Backoff, DoublesFromTheBaseUpToTheCap) {
  SenderOptions o;
  o.base_delay = seconds(30);
  o.max_delay = std::chrono::hours(1);
  EXPECT_EQ(backoff(1, o), seconds(30));
  EXPECT_EQ(backoff(2, o), seconds(60));
  EXPECT_EQ(backoff(3, o), seconds(120));
  EXPECT_EQ(backoff(7, o), seconds(1920));
  EXPECT_EQ(backoff(8, o), std::chrono::hours(1));
  EXPECT_EQ(backoff(60, o), std::chrono::hours(1));
}

TEST(DingTalk, SignMatchesTheDocumentedAlgorithm) {
  // base64(HMAC-SHA256(secret, "<ts>\n<secret>")) as computed by Python's hmac module.
  EXPECT_EQ(dingtalk_sign("SECabc123", 1772413200000),
            "lDhH7RvPXtK/Lt3B6MnmBd5WKU+XKoBNanlJYC6UgSg=");
}

events::OutboxRow sample_notice() {
  events::OutboxRow n;
  n.id = 9;
  n.created_at = parse_instant("2026-03-02T09:00:00+08:00");
  n.kind = events::NoticeKind::escalated;
  n.event_id = 77;
  n.recipient = "org:530621101000";
  n.payload = json{{"event_id", 77},
                   {"title", "安江社区污水外溢"},
                   {"category_name", "排水与化粪池"},
                   {"owner_name", "文屏镇"},
                   {"level", 3},
                   {"due_at", "2026-03-02T16:00:00.000Z"},
                   {"text", "事件已升级到文屏镇，请及时处置"}}
                  .dump();
  return n;
}

TEST(Render, WeComAndDingTalkRobotsGetMarkdown) {
  Instant now = parse_instant("2026-03-02T09:00:00+08:00");
  auto wecom = render({1, "530621000000", WebhookKind::wecom, "https://qyapi/x?key=k", ""},
                      sample_notice(), now);
  json w = json::parse(wecom.body);
  EXPECT_EQ(w["msgtype"], "markdown");
  std::string content = w["markdown"]["content"];
  EXPECT_NE(content.find("安江社区污水外溢"), std::string::npos);
  EXPECT_NE(content.find("事件已升级到文屏镇"), std::string::npos);
  EXPECT_NE(content.find("已升级"), std::string::npos);
  EXPECT_NE(content.find("2026-03-03 00:00"), std::string::npos);  // due, local time
  EXPECT_EQ(wecom.url, "https://qyapi/x?key=k");

  auto ding = render({2, "530621000000", WebhookKind::dingtalk,
                      "https://oapi/robot/send?access_token=t", "SECabc123"},
                     sample_notice(), from_unix_ms(1772413200000));
  json d = json::parse(ding.body);
  EXPECT_EQ(d["msgtype"], "markdown");
  EXPECT_EQ(d["markdown"]["title"], "网格事件·已升级");
  EXPECT_NE(d["markdown"]["text"].get<std::string>().find("文屏镇"), std::string::npos);
  EXPECT_EQ(ding.url,
            "https://oapi/robot/send?access_token=t&timestamp=1772413200000&sign="
            "lDhH7RvPXtK%2FLt3B6MnmBd5WKU%2BXKoBNanlJYC6UgSg%3D");
  auto unsigned_ding =
      render({3, "530621000000", WebhookKind::dingtalk, "https://oapi/robot/send", ""},
             sample_notice(), now);
  EXPECT_EQ(unsigned_ding.url, "https://oapi/robot/send");
}

TEST(Render, PlainJsonCarriesTheNoticeAndAnHmacWhenSigned) {
  auto out = render({4, "530621000000", WebhookKind::json, "http://h/n", "k3y"}, sample_notice(),
                    wangge::now());
  json j = json::parse(out.body);
  EXPECT_EQ(j["id"], 9);
  EXPECT_EQ(j["kind"], "escalated");
  EXPECT_EQ(j["event_id"], 77);
  EXPECT_EQ(j["recipient"], "org:530621101000");
  EXPECT_EQ(j["payload"]["owner_name"], "文屏镇");
  // Checked with OpenSSL's HMAC, independent of the libsodium one that made it.
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), "k3y", 3, reinterpret_cast<const unsigned char*>(out.body.data()),
       out.body.size(), mac, &len);
  std::string hex;
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", mac[i]);
  std::string sig;
  for (const auto& [n, v] : out.headers) {
    if (n == "X-Wangge-Signature") sig = v;
  }
  EXPECT_EQ(sig, "sha256=" + hex);
}

class NotifyTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = wangge::testing::fresh_database(GetParam());
    std::vector<store::Migration> all = org::migrations();
    for (const auto* l : {&auth::migrations(), &events::migrations(), &notify_migrations()}) {
      all.insert(all.end(), l->begin(), l->end());
    }
    store::migrate(*db_, all);
    db_->transact([&](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
      org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
      org::create_org(tx, {"530621101201", "530621101000", "village", "龙井村"});
      org::create_org(tx, {"530621101201001", "530621101201", "", "第1网格"});
      org::create_org(tx, {"530622000000", "530600000000", "", "巧家县"});
      events::Actor a;
      a.name = "grid_a";
      a.role = auth::Role::grid_worker;
      a.org_code = "530621101201001";
      a.can_report = true;
      events::NewEvent e;
      e.category = "infra.sewage";
      e.title = "污水外溢";
      e.grid_code = "530621101201001";
      event_ = report(tx, a, e, t0_).id;
      tx.exec("DELETE FROM event_outbox");  // the test's own notices only
    });
    options_.base_delay = seconds(30);
    options_.targets.may_reach_intranet = true;  // the receivers listen on loopback
    options_.max_delay = seconds(300);
    options_.clock = [this] { return now_; };
  }
  int64_t enqueue_notice(const std::string& recipient,
                         events::NoticeKind kind = events::NoticeKind::escalated) {
    return db_->transact([&](store::Tx& tx) {
      return events::enqueue(tx, {kind, event_, recipient, json::parse(sample_notice().payload)},
                             now_);
    });
  }
  int64_t webhook(const std::string& org, WebhookKind kind, const std::string& url,
                  const std::string& secret = "") {
    return db_->transact([&](store::Tx& tx) {
      // The test's receivers listen on loopback: the explicit intranet allowance.
      return add_webhook(tx, vault_, {0, org, kind, url, secret}, t0_, "test",
                         {.may_reach_intranet = true});
    });
  }
  events::OutboxRow notice(int64_t id) {
    auto tx = db_->begin(store::TxMode::read);
    for (auto& n : events::notices_of(*tx, event_)) {
      if (n.id == id) return n;
    }
    ADD_FAILURE() << "no notice " << id;
    return {};
  }
  DrainResult drain_at(milliseconds after_t0) {
    now_ = t0_ + after_t0;
    NotificationSender s(*db_, vault_, options_);
    return s.drain_once();
  }

  std::unique_ptr<store::Database> db_;
  Instant t0_ = parse_instant("2026-03-02T09:00:00+08:00");
  Instant now_ = t0_;
  SenderOptions options_;
  Vault vault_{Vault::Key{9, 9, 9}};
  int64_t event_ = 0;
};

TEST_P(NotifyTest, RetriesWithBackoffUntilTheReceiverAccepts) {
  Receiver rx([](int n) { return n <= 2 ? 500 : 200; });  // fails the first two attempts
  webhook("530621000000", WebhookKind::wecom, rx.url("/wecom?key=abc"));
  int64_t id = enqueue_notice("org:530621101201001");  // a grid in the county

  DrainResult r = drain_at(seconds(0));
  EXPECT_EQ(r.requests, 1);
  EXPECT_EQ(r.failed, 1);
  events::OutboxRow n = notice(id);
  EXPECT_EQ(n.attempts, 1);
  EXPECT_EQ(n.next_attempt_at, t0_ + seconds(30));
  EXPECT_FALSE(n.sent_at);
  EXPECT_NE(n.last_error->find("HTTP 500"), std::string::npos);

  EXPECT_EQ(drain_at(seconds(29)).requests, 0);  // not due yet
  r = drain_at(seconds(30));
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(notice(id).next_attempt_at, t0_ + seconds(30 + 60));
  EXPECT_EQ(drain_at(seconds(89)).requests, 0);
  r = drain_at(seconds(90));
  EXPECT_EQ(r.sent, 1);
  n = notice(id);
  EXPECT_EQ(n.sent_at, t0_ + seconds(90));
  EXPECT_EQ(n.attempts, 3);
  EXPECT_EQ(drain_at(seconds(1000)).requests, 0);  // delivered: never again

  auto got = rx.got();
  ASSERT_EQ(got.size(), 3u);
  for (const auto& g : got) {
    EXPECT_EQ(g.target, "/wecom?key=abc");
    EXPECT_EQ(g.content_type, "application/json; charset=utf-8");
    json body = json::parse(g.body);
    EXPECT_EQ(body["msgtype"], "markdown");
    EXPECT_NE(body["markdown"]["content"].get<std::string>().find("安江社区污水外溢"),
              std::string::npos);
  }
}

TEST_P(NotifyTest, ARetryGoesOnlyToTheWebhooksThatFailed) {
  Receiver good([](int) { return 200; });
  Receiver flaky([](int n) { return n == 1 ? 503 : 200; });
  webhook("530621000000", WebhookKind::json, good.url("/county"));
  webhook("530621101000", WebhookKind::dingtalk, flaky.url("/town"), "SECabc123");
  int64_t id = enqueue_notice("org:530621101201001");
  EXPECT_EQ(drain_at(seconds(0)).requests, 2);
  EXPECT_EQ(drain_at(seconds(30)).requests, 1);
  EXPECT_TRUE(notice(id).sent_at);
  EXPECT_EQ(good.got().size(), 1u);
  auto f = flaky.got();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_NE(f[1].target.find("timestamp=" + std::to_string(to_unix_ms(t0_ + seconds(30)))),
            std::string::npos);
  EXPECT_NE(f[1].target.find("&sign="), std::string::npos);
  EXPECT_EQ(json::parse(f[1].body)["markdown"]["title"], "网格事件·已升级");
}

TEST_P(NotifyTest, OnlyWebhooksOfTheRecipientsSubtreeReceive) {
  Receiver ludian([](int) { return 200; });
  Receiver qiaojia([](int) { return 200; });
  webhook("530621101000", WebhookKind::json, ludian.url());
  webhook("530622000000", WebhookKind::json, qiaojia.url());
  int64_t in_town = enqueue_notice("org:530621101201");
  int64_t county = enqueue_notice("org:530621000000");  // above the town's webhook
  DrainResult r = drain_at(seconds(0));
  EXPECT_EQ(r.requests, 1);
  EXPECT_EQ(r.sent, 2);  // one delivered, one with nobody to tell
  EXPECT_TRUE(notice(in_town).sent_at);
  EXPECT_TRUE(notice(county).sent_at);
  EXPECT_EQ(ludian.got().size(), 1u);
  EXPECT_EQ(qiaojia.got().size(), 0u);
  EXPECT_EQ(json::parse(ludian.got()[0].body)["recipient"], "org:530621101201");
}

TEST_P(NotifyTest, AUserRecipientReachesTheWebhooksOfTheUsersOrg) {
  Receiver rx([](int) { return 200; });
  webhook("530621101000", WebhookKind::json, rx.url());
  int64_t user = db_->transact([&](store::Tx& tx) {
    int64_t org = tx.query_int("SELECT id FROM orgs WHERE code = '530621101201001'");
    return tx.insert_id(
        "INSERT INTO users (username, display_name, role, org_id, password_hash, created_at, "
        "password_changed_at) VALUES ('grid_a', '网格员', 'grid_worker', ?, 'x', 0, 0)",
        {org});
  });
  enqueue_notice("user:" + std::to_string(user));
  EXPECT_EQ(drain_at(seconds(0)).sent, 1);
  EXPECT_EQ(rx.got().size(), 1u);
}

TEST_P(NotifyTest, GivesUpAfterTheCapAndSaysSo) {
  Receiver rx([](int) { return 500; });
  webhook("530621000000", WebhookKind::wecom, rx.url());
  options_.max_attempts = 3;
  int64_t id = enqueue_notice("org:530621101201001");
  EXPECT_EQ(drain_at(seconds(0)).failed, 1);
  EXPECT_EQ(drain_at(seconds(30)).failed, 1);
  EXPECT_EQ(drain_at(seconds(90)).gave_up, 1);
  events::OutboxRow n = notice(id);
  EXPECT_EQ(n.attempts, 3);
  EXPECT_EQ(n.next_attempt_at, given_up_at());
  EXPECT_NE(n.last_error->find("放弃"), std::string::npos);
  EXPECT_EQ(drain_at(std::chrono::hours(24 * 365)).requests, 0);
  EXPECT_EQ(rx.got().size(), 3u);
}

TEST_P(NotifyTest, ARobotThatAnswers200WithAnErrcodeHasNotAccepted) {
  Receiver rx([](int n) { return n == 1 ? 299 : 200; });  // 299: 200 with errcode 310000
  webhook("530621000000", WebhookKind::dingtalk, rx.url(), "wrong-secret");
  int64_t id = enqueue_notice("org:530621101201001");
  EXPECT_EQ(drain_at(seconds(0)).failed, 1);
  EXPECT_NE(notice(id).last_error->find("310000"), std::string::npos);
  EXPECT_EQ(drain_at(seconds(30)).sent, 1);
}

TEST_P(NotifyTest, AnUnreachableWebhookIsRetried) {
  uint16_t closed_port = 0;
  {
    Receiver gone([](int) { return 200; });
    closed_port = gone.port();
  }
  webhook("530621000000", WebhookKind::json,
          "http://127.0.0.1:" + std::to_string(closed_port) + "/x");
  int64_t id = enqueue_notice("org:530621101201001");
  DrainResult r = drain_at(seconds(0));
  EXPECT_EQ(r.failed, 1);
  EXPECT_FALSE(notice(id).last_error->empty());
  EXPECT_EQ(notice(id).next_attempt_at, t0_ + seconds(30));
}

TEST_P(NotifyTest, TheBackgroundThreadDeliversWhenPoked) {
  Receiver rx([](int) { return 200; });
  webhook("530621000000", WebhookKind::json, rx.url());
  options_.interval = std::chrono::hours(1);  // only the poke can wake it in time
  NotificationSender sender(*db_, vault_, options_);
  sender.start();
  int64_t id = enqueue_notice("org:530621101201001");
  sender.poke();
  ASSERT_TRUE(rx.wait_for(1, seconds(20)));
  sender.stop();
  EXPECT_TRUE(notice(id).sent_at);
}

TEST_P(NotifyTest, WebhooksAreValidated) {
  auto code = [&](const Webhook& w) {
    try {
      db_->transact([&](store::Tx& tx) { add_webhook(tx, vault_, w, t0_); });
    } catch (const Error& e) {
      return e.code();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(code({0, "530699000000", WebhookKind::json, "http://h/x", ""}), "unknown_org");
  EXPECT_EQ(code({0, "530621000000", WebhookKind::json, "ftp://h/x", ""}), "invalid_webhook_url");
  EXPECT_EQ(code({0, "530621000000", WebhookKind::json, "https://", ""}), "invalid_webhook_url");
  EXPECT_EQ(code({0, "530621000000", WebhookKind::wecom, "https://qyapi/x", ""}), "accepted");
  EXPECT_THROW(parse_webhook_kind("slack"), Error);
  auto tx = db_->begin(store::TxMode::write);
  auto all = list_webhooks(*tx, vault_);
  ASSERT_EQ(all.size(), 1u);
  remove_webhook(*tx, all[0].id);
  EXPECT_TRUE(list_webhooks(*tx, vault_).empty());
  EXPECT_THROW(remove_webhook(*tx, all[0].id), Error);
}

// "sha256=<hex HMAC-SHA256(key, body)>", computed with OpenSSL.
std::string openssl_signature(const std::string& key, const std::string& body) {
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  std::string hex;
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", mac[i]);
  return "sha256=" + hex;
}

TEST_P(NotifyTest, SecretsAreEncryptedAtRestAndStillSign) {
  const std::string json_key = "hmac-key-for-json-7f3a", ding_key = "SECdingtalk-secret-51c9";
  Receiver rx([](int) { return 200; });
  webhook("530621000000", WebhookKind::json, rx.url("/json"), json_key);
  webhook("530621000000", WebhookKind::dingtalk, rx.url("/ding?access_token=t"), ding_key);
  {
    auto tx = db_->begin(store::TxMode::read);
    auto rows = tx->query("SELECT secret, secret_enc FROM notify_webhooks ORDER BY id");
    ASSERT_EQ(rows.size(), 2u);
    for (size_t i = 0; i < rows.size(); ++i) {
      const std::string& plain = i == 0 ? json_key : ding_key;
      EXPECT_EQ(rows[i].text(0), "");
      const Bytes& enc = rows[i].blob(1);
      std::string stored(enc.begin(), enc.end());
      EXPECT_EQ(stored.find(plain), std::string::npos) << "secret stored in clear";
      EXPECT_EQ(vault_.decrypt(enc), plain);
      // Another key cannot read it.
      EXPECT_THROW(Vault(Vault::Key{1}).decrypt(enc), Error);
    }
  }
  enqueue_notice("org:530621101201001");
  DrainResult r = drain_at(milliseconds(0));
  EXPECT_EQ(r.sent, 1);
  ASSERT_EQ(rx.got().size(), 2u);
  for (const auto& g : rx.got()) {
    if (g.target == "/json") {
      EXPECT_EQ(g.signature, openssl_signature(json_key, g.body));
    } else {
      // DingTalk: timestamp is the sender's now; sign = urlencode(base64(HMAC(…))).
      int64_t ts = to_unix_ms(now_);
      EXPECT_NE(g.target.find("timestamp=" + std::to_string(ts)), std::string::npos) << g.target;
      std::string sign = dingtalk_sign(ding_key, ts), encoded;
      for (char c : sign) {
        encoded += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
      }
      EXPECT_NE(g.target.find("sign=" + encoded), std::string::npos) << g.target;
    }
  }
}

TEST_P(NotifyTest, PlainSecretsOfAnOlderDatabaseAreSealedAndStillSign) {
  const std::string key = "legacy-plain-secret-0042";
  Receiver rx([](int) { return 200; });
  // A row as the first version wrote it: the secret in clear.
  db_->transact([&](store::Tx& tx) {
    tx.exec(
        "INSERT INTO notify_webhooks (org_code, kind, url, secret, created_at) "
        "VALUES (?, 'json', ?, ?, ?)",
        {"530621000000", rx.url("/old"), key, to_unix_ms(t0_)});
  });
  enqueue_notice("org:530621101201001");
  DrainResult r = drain_at(milliseconds(0));  // making the sender seals the row
  EXPECT_EQ(r.sent, 1);
  {
    auto tx = db_->begin(store::TxMode::read);
    auto row = tx->query_one("SELECT secret, secret_enc FROM notify_webhooks");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->text(0), "");
    EXPECT_EQ(vault_.decrypt(row->blob(1)), key);
  }
  ASSERT_EQ(rx.got().size(), 1u);
  EXPECT_EQ(rx.got()[0].signature, openssl_signature(key, rx.got()[0].body));
  // Sealing again changes nothing.
  EXPECT_EQ(db_->transact([&](store::Tx& tx) { return seal_webhook_secrets(tx, vault_); }), 0);
}

TEST(WebhookTargets, OnlyPublicAddressesByDefault) {
  for (const char* ip : {"127.0.0.1",
                         "127.8.9.10",
                         "10.1.2.3",
                         "172.16.0.1",
                         "172.31.255.255",
                         "192.168.1.1",
                         "169.254.169.254",
                         "100.64.0.1",
                         "0.0.0.0",
                         "224.0.0.1",
                         "255.255.255.255",
                         "240.0.0.1",
                         "192.0.2.5",
                         "198.18.0.1",
                         "::",
                         "::1",
                         "fe80::1",
                         "fc00::1",
                         "fd12:3456::1",
                         "ff02::1",
                         "fec0::1",
                         "::ffff:127.0.0.1",
                         "::ffff:10.0.0.1",
                         "64:ff9b::a00:1",
                         "::127.0.0.1",
                         "2001:db8::1",
                         "not-an-ip"}) {
    EXPECT_FALSE(is_public_address(ip)) << ip;
  }
  for (const char* ip : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "101.37.1.1", "223.5.5.5",
                         "2400:3200::1", "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
    EXPECT_TRUE(is_public_address(ip)) << ip;
  }
}

TEST_P(NotifyTest, PrivateTargetsAreRefusedAtAddUnlessAllowed) {
  auto code = [&](const std::string& url, bool intranet) {
    try {
      db_->transact([&](store::Tx& tx) {
        add_webhook(tx, vault_, {0, "530621000000", WebhookKind::json, url, ""}, t0_, "test",
                    {.may_reach_intranet = intranet});
      });
    } catch (const Error& e) {
      return e.code();
    }
    return std::string("accepted");
  };
  for (const char* url :
       {"http://127.0.0.1:8080/x", "http://[::1]:8080/x", "http://10.0.0.8/hook",
        "http://169.254.169.254/latest/meta-data", "https://192.168.1.20/x", "http://[fd00::5]/",
        "http://[::ffff:127.0.0.1]/", "http://localhost:9000/x", "http://0.0.0.0/"}) {
    EXPECT_EQ(code(url, false), "webhook_target_private") << url;
  }
  // "public@10.0.0.1" reads as a public name and goes to the private address.
  EXPECT_EQ(code("http://qyapi.weixin.qq.com@10.0.0.1/x", true), "invalid_webhook_url");
  EXPECT_EQ(code("http://8.8.8.8/hook", false), "accepted");
  EXPECT_EQ(code("http://10.0.0.8/hook", true), "accepted");
}

TEST_P(NotifyTest, ThePrivateCheckIsMadeAgainOnTheAddressTheSenderConnectsTo) {
  Receiver rx([](int) { return 200; });
  // Added when the name looked public (allowed here to stand for it); now it resolves to
  // loopback (DNS rebinding): a sender without the allowance refuses to connect.
  std::string url = rx.url("/rebound");
  url.replace(url.find("127.0.0.1"), 9, "localhost");
  webhook("530621000000", WebhookKind::json, url);
  int64_t id = enqueue_notice("org:530621101201001");
  options_.targets.may_reach_intranet = false;
  DrainResult r = drain_at(milliseconds(0));
  EXPECT_EQ(r.sent, 0);
  EXPECT_EQ(r.failed, 1);
  EXPECT_TRUE(rx.got().empty());
  EXPECT_NE(notice(id).last_error.value_or("").find("refused"), std::string::npos)
      << notice(id).last_error.value_or("");
  options_.targets.may_reach_intranet = true;
  EXPECT_EQ(drain_at(std::chrono::hours(1)).sent, 1);
  EXPECT_EQ(rx.got().size(), 1u);
}

TEST_P(NotifyTest, UrlsAreSealedListedMaskedAndChangesAudited) {
  const std::string url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-token-693";
  int64_t id = webhook("530621000000", WebhookKind::wecom, url);
  {
    auto tx = db_->begin(store::TxMode::read);
    auto row = tx->query_one("SELECT url, url_enc FROM notify_webhooks WHERE id = ?", {id});
    ASSERT_TRUE(row);
    EXPECT_EQ(row->text(0), "https://qyapi.weixin.qq.com/…");
    EXPECT_EQ(vault_.decrypt(row->blob(1)), url);
    EXPECT_EQ(list_webhooks(*tx, vault_).at(0).url, url);  // the sender needs it whole
  }
  EXPECT_EQ(masked_url(url), "https://qyapi.weixin.qq.com/…");
  db_->transact([&](store::Tx& tx) { remove_webhook(tx, id, "os:ops"); });
  auto tx = db_->begin(store::TxMode::read);
  auto rows = auth::audit::entries(*tx);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].action, "webhook.add");
  EXPECT_EQ(rows[0].subject, "webhook:" + std::to_string(id));
  EXPECT_EQ(rows[1].action, "webhook.remove");
  EXPECT_EQ(rows[1].actor, "os:ops");
  for (const auto& e : rows) EXPECT_EQ(e.detail.find("abc-token"), std::string::npos) << e.detail;
}

TEST_P(NotifyTest, PlainUrlsOfAnOlderDatabaseAreSealed) {
  const std::string url = "https://oapi.dingtalk.com/robot/send?access_token=plain-tok-17";
  db_->transact([&](store::Tx& tx) {
    tx.exec(
        "INSERT INTO notify_webhooks (org_code, kind, url, created_at) "
        "VALUES ('530621000000', 'dingtalk', ?, 0)",
        {url});
  });
  EXPECT_EQ(db_->transact([&](store::Tx& tx) { return seal_webhook_secrets(tx, vault_); }), 1);
  auto tx = db_->begin(store::TxMode::read);
  auto row = tx->query_one("SELECT url, url_enc FROM notify_webhooks");
  EXPECT_EQ(row->text(0), "https://oapi.dingtalk.com/…");
  EXPECT_EQ(vault_.decrypt(row->blob(1)), url);
  EXPECT_EQ(list_webhooks(*tx, vault_).at(0).url, url);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotifyTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::notify
