// The transport's defences: body limits per route and JSON depth, security headers, the Secure
// cookie and trusted proxies, /metrics access, internal errors that name a reference but not
// their cause, the connection cap and the header and body timeouts.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "client.h"
#include "fixture.h"
#include "testing/testing.h"

namespace wangge::http {
namespace {

using testing::Client;

class SecurityTest : public ::testing::Test {
 protected:
  // Starts a server with the test routes, a cookie route and a larger upload route.
  void start(ServerOptions o) {
    server_ = std::make_unique<Server>(std::move(o));
    add_test_routes(*server_);
    server_->router().add({.method = Method::post,
                           .path = "/api/test/upload",
                           .summary = "Takes up to 512 KiB",
                           .handler =
                               [](const Request& req) {
                                 return Response::json(200, {{"size", req.body.size()}});
                               },
                           .max_body_bytes = 512 * 1024});
    server_->router().add({.method = Method::post,
                           .path = "/api/test/login",
                           .summary = "Sets a session cookie",
                           .handler =
                               [](const Request&) {
                                 Response r = Response::empty(204);
                                 r.set_cookie("sid", "abc");
                                 return r;
                               },
                           .authenticated = false});
    server_->router().add({.method = Method::get,
                           .path = "/api/test/internal",
                           .summary = "Throws an internal wangge::Error",
                           .handler = [](const Request&) -> Response {
                             throw Error(ErrorKind::internal, "db_down",
                                         "数据库 db.internal:5432 不可用",
                                         "database db.internal:5432 unavailable");
                           }});
    port_ = server_->start();
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  // The number of open connections the server counts.
  std::string open_connections() {
    std::string text = server_->metrics().render();
    auto at = text.find("\nwangge_http_connections_open ");
    if (at == std::string::npos) return "";
    at += 30;
    return text.substr(at, text.find('\n', at) - at);
  }

  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

ServerOptions roomy_options() {
  ServerOptions o = test_options();
  o.max_body_bytes = 1024 * 1024;  // the ceiling: routes take less
  o.body_timeout = std::chrono::seconds(30);
  return o;
}

const testing::HeaderList kJson = {{"Content-Type", "application/json"}};

TEST(JsonDepth, CountsNestingOutsideStrings) {
  EXPECT_EQ(json_depth("1"), 0u);
  EXPECT_EQ(json_depth("[[1],{\"a\":[2]}]"), 3u);
  EXPECT_EQ(json_depth(R"({"s":"[[[[[[\"[["})"), 1u);  // brackets in strings do not count
  std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(parse_json_body(ok).is_array());
  try {
    parse_json_body("[" + ok + "]");
    ADD_FAILURE() << "33 levels accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "json_too_deep");
  }
}

TEST_F(SecurityTest, DeeplyNestedJsonIs400BeforeParsing) {
  start(roomy_options());
  Client c(port_);
  // 60 KiB of '[' (under the route's 64 KiB): refused by depth, in Chinese.
  auto r = c.request("POST", "/api/test/echo", std::string(60 * 1024, '['), kJson);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["code"], "json_too_deep");
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("嵌套过深"), std::string::npos);
}

TEST_F(SecurityTest, BodyLimitIsTheRoutesNotTheServers) {
  start(roomy_options());
  Client c(port_);
  // The default route limit (64 KiB) well below the 1 MiB ceiling.
  auto big = c.request("POST", "/api/test/echo", std::string(100 * 1024, ' '), kJson);
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.json()["error"]["code"], "body_too_large");
  EXPECT_NE(big.json()["error"]["message"].get<std::string>().find("65536"), std::string::npos)
      << big.body;
  // A route that declares more takes it …
  Client c2(port_);
  auto upload = c2.request("POST", "/api/test/upload", std::string(300 * 1024, 'x'));
  EXPECT_EQ(upload.status, 200);
  EXPECT_EQ(upload.json()["size"], 300 * 1024);
  // … up to its own limit.
  auto over = c2.request("POST", "/api/test/upload", std::string(600 * 1024, 'x'));
  EXPECT_EQ(over.status, 413);
}

TEST_F(SecurityTest, AnnouncedOversizeBodyIsRefusedUnread) {
  start(roomy_options());
  Client c(port_);
  // Only the header is sent: the answer comes without the server waiting for the body.
  auto r = c.raw(
      "POST /api/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 200000\r\n\r\n");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["error"]["message"], "请求体超过 65536 字节的上限");
}

TEST_F(SecurityTest, EveryAnswerCarriesTheSecurityHeaders) {
  auto root = wangge::testing::temp_dir() / "web";
  std::filesystem::create_directories(root);
  std::ofstream(root / "index.html") << "<!doctype html><title>t</title>";
  server_ = std::make_unique<Server>(test_options());
  add_test_routes(*server_);
  server_->serve_static({.root = root});
  port_ = server_->start();
  Client c(port_);
  for (const char* target : {"/api/test/hello", "/api/test/fail", "/nowhere/at/all", "/",
                             "/index.html", "/api/openapi.json"}) {
    auto r = c.get(target);
    SCOPED_TRACE(target);
    EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.header("Referrer-Policy"), "same-origin");
    std::string csp = r.header("Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("img-src 'self' data: blob: https:"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  }
  // Errors the server writes itself (413 here) carry them too.
  Client c2(port_);
  auto big = c2.request("POST", "/api/test/echo", std::string(4096, 'x'), kJson);
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.header("X-Frame-Options"), "DENY");
}

TEST_F(SecurityTest, CookieIsSecureBehindATrustedTlsProxy) {
  start(test_options());  // automatic; loopback is a trusted proxy
  Client c(port_);
  auto plain = c.request("POST", "/api/test/login");
  EXPECT_EQ(plain.header("Set-Cookie").find("Secure"), std::string::npos)
      << plain.header("Set-Cookie");
  auto tls = c.request("POST", "/api/test/login", {}, {{"X-Forwarded-Proto", "https"}});
  EXPECT_NE(tls.header("Set-Cookie").find("; Secure"), std::string::npos);
  EXPECT_NE(tls.header("Set-Cookie").find("HttpOnly"), std::string::npos);
}

TEST_F(SecurityTest, UntrustedPeersCannotClaimTlsOrAnAddress) {
  ServerOptions o = test_options();
  o.trusted_proxies = {};
  start(o);
  Client c(port_);
  auto r = c.request("POST", "/api/test/login", {}, {{"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(r.header("Set-Cookie").find("Secure"), std::string::npos);
  auto who = c.get("/api/test/whoami", {{"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(who.json()["client"], "127.0.0.1");
}

TEST_F(SecurityTest, TrustedProxyNamesTheClient) {
  start(test_options());
  Client c(port_);
  // The client may prepend anything; the proxy's own hop (the last one) is believed.
  auto who = c.get("/api/test/whoami", {{"X-Forwarded-For", "10.1.1.1, 203.0.113.9"}});
  EXPECT_EQ(who.json()["client"], "203.0.113.9");
  auto garbage = c.get("/api/test/whoami", {{"X-Forwarded-For", "not-an-address"}});
  EXPECT_EQ(garbage.json()["client"], "127.0.0.1");
}

TEST_F(SecurityTest, SecureCookieAlwaysAndNever) {
  ServerOptions o = test_options();
  o.dispatch.secure_cookie = SecureCookie::always;
  start(o);
  Client c(port_);
  EXPECT_NE(c.request("POST", "/api/test/login").header("Set-Cookie").find("; Secure"),
            std::string::npos);
  server_->stop();
  o.dispatch.secure_cookie = SecureCookie::never;
  start(o);
  Client c2(port_);
  auto r = c2.request("POST", "/api/test/login", {}, {{"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(r.header("Set-Cookie").find("Secure"), std::string::npos);
}

TEST_F(SecurityTest, MetricsOnlyForLoopbackOrTheToken) {
  ServerOptions o = test_options();
  o.dispatch.metrics_token = "scrape-me";
  start(o);
  Client c(port_);
  EXPECT_EQ(c.get("/metrics").status, 200);  // this machine, no proxy
  // Forwarded by a proxy on this machine: someone elsewhere.
  auto proxied = c.get("/metrics", {{"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(proxied.status, 403);
  EXPECT_EQ(proxied.json()["error"]["code"], "metrics_forbidden");
  EXPECT_EQ(proxied.body.find("wangge_http"), std::string::npos);
  EXPECT_EQ(
      c.get("/metrics", {{"X-Forwarded-For", "203.0.113.9"}, {"Authorization", "Bearer wrong"}})
          .status,
      403);
  auto with_token = c.get(
      "/metrics", {{"X-Forwarded-For", "203.0.113.9"}, {"Authorization", "Bearer scrape-me"}});
  EXPECT_EQ(with_token.status, 200);
  EXPECT_NE(with_token.body.find("wangge_http_connections_open"), std::string::npos);
}

TEST_F(SecurityTest, InternalErrorsNameAReferenceNotTheCause) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  start(test_options());
  std::vector<std::pair<std::string, std::string>> seen;  // (ref, body)
  for (const char* target : {"/api/test/boom", "/api/test/internal"}) {
    Client c(port_);
    auto r = c.get(target);
    EXPECT_EQ(r.status, 500) << target;
    EXPECT_EQ(r.json()["error"]["code"], "internal");
    seen.emplace_back(r.json()["error"]["ref"].get<std::string>(), r.body);
  }
  server_->stop();
  spdlog::set_default_logger(previous);
  const auto& [boom_ref, boom_body] = seen[0];
  const auto& [internal_ref, internal_body] = seen[1];
  EXPECT_EQ(boom_body.find("hunter2"), std::string::npos) << boom_body;
  EXPECT_EQ(internal_body.find("db.internal"), std::string::npos) << internal_body;
  EXPECT_NE(boom_body.find(boom_ref), std::string::npos);  // the message names the reference
  EXPECT_NE(boom_ref, internal_ref);
  std::string text = log.str();
  // The log has the whole cause under the same reference.
  EXPECT_NE(text.find("[" + boom_ref + "] GET /api/test/boom: password=hunter2"), std::string::npos)
      << text;
  EXPECT_NE(text.find("[" + internal_ref + "] GET /api/test/internal"), std::string::npos) << text;
  EXPECT_NE(text.find("db.internal:5432"), std::string::npos) << text;
}

TEST_F(SecurityTest, ConnectionsBeyondTheCapAreRefused) {
  ServerOptions o = test_options();
  o.max_connections = 2;
  start(o);
  auto a = std::make_unique<Client>(port_);
  Client b(port_);
  // Both answered: both are counted as open.
  ASSERT_EQ(a->get("/api/test/hello").status, 200);
  ASSERT_EQ(b.get("/api/test/hello").status, 200);
  {
    Client extra(port_);
    auto r = extra.raw("");  // sends nothing; the server answers at once and closes
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.json()["error"]["code"], "too_many_connections");
    EXPECT_TRUE(extra.wait_closed());
  }
  EXPECT_NE(server_->metrics().render().find("wangge_http_connections_refused_total 1"),
            std::string::npos);
  a.reset();  // one closes: its slot is free once the server has seen it go
  while (open_connections() != "1") std::this_thread::yield();
  Client d(port_);
  EXPECT_EQ(d.get("/api/test/hello").status, 200);
}

TEST_F(SecurityTest, HalfAHeaderIsClosedAfterTheHeaderTimeout) {
  ServerOptions o = test_options();
  o.header_timeout = std::chrono::milliseconds(200);
  o.idle_timeout = std::chrono::minutes(10);
  start(o);
  Client slow(port_);
  slow.send("GET /api/test/hello HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  EXPECT_TRUE(slow.wait_closed());
  // A connection that never sends a byte owes its first header too (not the idle wait).
  Client silent(port_);
  EXPECT_TRUE(silent.wait_closed());
}

TEST_F(SecurityTest, SlowBodyIsClosedAtTheMinimumRate) {
  ServerOptions o = roomy_options();
  o.header_timeout = std::chrono::milliseconds(200);
  o.body_timeout = std::chrono::minutes(10);
  o.min_body_rate = 1024 * 1024;  // 1000 bytes are due within 201 ms
  start(o);
  Client slow(port_);
  slow.send(
      "POST /api/test/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
      "only a few bytes");
  EXPECT_TRUE(slow.wait_closed());
}

}  // namespace
}  // namespace wangge::http
