// Routing, parameters, errors and request bodies, through a real socket.
#include <gtest/gtest.h>

#include "fixture.h"

namespace wangge::http {
namespace {

using testing::Client;
using testing::HeaderList;

TEST_F(ServerTest, RoutesAndPathParams) {
  Client c(port_);
  auto hello = c.get("/api/test/hello");
  EXPECT_EQ(hello.status, 200);
  EXPECT_EQ(hello.json()["hello"], "world");
  EXPECT_EQ(hello.header("Content-Type"), "application/json; charset=utf-8");

  auto org = c.get("/api/v1/orgs/530621000000");
  EXPECT_EQ(org.json()["code"], "530621000000");
  // A literal segment wins over {code}.
  EXPECT_EQ(c.get("/api/v1/orgs/stats").json()["stats"], true);
  // Parameters are percent-decoded.
  EXPECT_EQ(c.get("/api/v1/orgs/%E9%B2%81%E7%94%B8").json()["code"], "鲁甸");
}

TEST_F(ServerTest, QueryParameters) {
  Client c(port_);
  auto r = c.get("/api/v1/orgs/5306/children?page=3&q=%E6%98%AD%E9%80%9A+%E5%B8%82");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["code"], "5306");
  EXPECT_EQ(r.json()["page"], 3);
  EXPECT_EQ(r.json()["q"], "昭通 市");
  EXPECT_EQ(c.get("/api/v1/orgs/5306/children").json()["page"], 1);
}

TEST_F(ServerTest, BadQueryNumberIs400NamingTheField) {
  Client c(port_);
  auto r = c.get("/api/v1/orgs/5306/children?page=abc");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["code"], "invalid_number");
  EXPECT_EQ(r.json()["error"]["field"], "page");
  // In the handler's own range check too (page must be 1..1000).
  auto out_of_range = c.get("/api/v1/orgs/5306/children?page=0");
  EXPECT_EQ(out_of_range.status, 400);
  EXPECT_EQ(out_of_range.json()["error"]["field"], "page");
  auto missing = c.get("/api/test/count");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json()["error"]["code"], "missing_query");
  EXPECT_EQ(c.get("/api/test/count?n=99999999999999999999").status, 400);
  EXPECT_EQ(c.get("/api/test/count?n=%zz").status, 400);
  EXPECT_EQ(c.get("/api/test/count?n=42").json()["n"], 42);
}

TEST_F(ServerTest, UnknownPathIs404Json) {
  Client c(port_);
  auto r = c.get("/api/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json()["error"]["code"], "not_found");
  EXPECT_EQ(r.json()["error"]["message"], "请求的地址不存在");
  EXPECT_TRUE(r.json()["error"]["field"].is_null());
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  Client c(port_);
  auto r = c.request("DELETE", "/api/test/hello");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, HEAD");
  EXPECT_EQ(r.json()["error"]["code"], "method_not_allowed");
  EXPECT_EQ(c.get("/api/test/echo").header("Allow"), "POST");
}

TEST_F(ServerTest, HeadSendsHeadersOnly) {
  Client c(port_);
  auto get = c.get("/api/test/hello");
  auto head = c.request("HEAD", "/api/test/hello");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size()));
  // The connection is still in sync after a HEAD.
  EXPECT_EQ(c.get("/api/test/hello").status, 200);
}

TEST_F(ServerTest, ErrorBodyInChineseByDefault) {
  Client c(port_);
  auto r = c.get("/api/test/fail");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json()["error"]["code"], "already_closed");
  EXPECT_EQ(r.json()["error"]["message"], "事件已结案");
  EXPECT_EQ(r.json()["error"]["field"], "state");
  auto zh = c.get("/api/test/fail", {{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"}});
  EXPECT_EQ(zh.json()["error"]["message"], "事件已结案");
}

TEST_F(ServerTest, ErrorBodyInEnglishWhenPreferred) {
  Client c(port_);
  auto r = c.get("/api/test/fail", {{"Accept-Language", "en-US,en;q=0.9,zh;q=0.8"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json()["error"]["message"], "The event is closed");
  auto q = c.get("/api/test/fail", {{"Accept-Language", "zh;q=0.5, en;q=0.8"}});
  EXPECT_EQ(q.json()["error"]["message"], "The event is closed");
}

TEST_F(ServerTest, UnexpectedExceptionIsGeneric500) {
  Client c(port_);
  auto r = c.get("/api/test/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.json()["error"]["code"], "internal");
  std::string ref = r.json()["error"]["ref"];
  EXPECT_EQ(r.json()["error"]["message"], "服务器内部错误（错误编号 " + ref + "），请稍后重试");
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(r.body.find("db.internal"), std::string::npos);
}

TEST_F(ServerTest, JsonBodyRoundTrip) {
  Client c(port_);
  HeaderList json = {{"Content-Type", "application/json"}};
  auto r = c.request("POST", "/api/test/echo", R"({"name":"张三","age":41})", json);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.json()["name"], "张三");
  EXPECT_EQ(r.json()["age"], 41);
}

TEST_F(ServerTest, MalformedJsonIs400) {
  Client c(port_);
  HeaderList json = {{"Content-Type", "application/json"}};
  auto r = c.request("POST", "/api/test/echo", R"({"name":)", json);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["code"], "invalid_json");
  EXPECT_EQ(c.request("POST", "/api/test/echo", "[1,2]", json).json()["error"]["code"],
            "expected_object");
}

TEST_F(ServerTest, BadUtf8Is400) {
  Client c(port_);
  HeaderList json = {{"Content-Type", "application/json"}};
  auto r = c.request("POST", "/api/test/echo", "{\"name\":\"\xC0\xAF\"}", json);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["code"], "invalid_utf8");
  // Also when the client does not say it is JSON: the handler's parse catches it.
  auto untyped = c.request("POST", "/api/test/echo", "{\"name\":\"\xE4\xB8\"}");
  EXPECT_EQ(untyped.json()["error"]["code"], "invalid_utf8");
}

TEST_F(ServerTest, WrongFieldTypesAre400NotServerErrors) {
  Client c(port_);
  HeaderList json = {{"Content-Type", "application/json"}};
  auto type = c.request("POST", "/api/test/echo", R"({"name":5})", json);
  EXPECT_EQ(type.status, 400);
  EXPECT_EQ(type.json()["error"]["code"], "invalid_field_type");
  EXPECT_EQ(type.json()["error"]["field"], "name");
  auto missing = c.request("POST", "/api/test/echo", R"({"age":5})", json);
  EXPECT_EQ(missing.json()["error"]["code"], "missing_field");
  EXPECT_EQ(missing.json()["error"]["field"], "name");
  auto unknown = c.request("POST", "/api/test/echo", R"({"name":"a","agee":5})", json);
  EXPECT_EQ(unknown.json()["error"]["code"], "unknown_field");
  EXPECT_EQ(unknown.json()["error"]["field"], "agee");
  auto range = c.request("POST", "/api/test/echo", R"({"name":"a","age":1e99})", json);
  EXPECT_EQ(range.json()["error"]["code"], "invalid_field_type");
  auto too_big = c.request("POST", "/api/test/echo", R"({"name":"a","age":99999999999})", json);
  EXPECT_EQ(too_big.json()["error"]["code"], "field_out_of_range");
  EXPECT_EQ(too_big.json()["error"]["field"], "age");
  // A handler using nlohmann directly on the body: its type errors are still 400s.
  auto by_hand = c.request("POST", "/api/test/by-hand", R"({"n":"seven"})", json);
  EXPECT_EQ(by_hand.status, 400);
  EXPECT_EQ(c.request("POST", "/api/test/by-hand", R"({"m":1})", json).status, 400);
}

TEST_F(ServerTest, OversizedBodyIs413) {
  Client c(port_);
  auto r = c.request("POST", "/api/test/echo", std::string(4096, 'x'),
                     {{"Content-Type", "application/json"}, {"Accept-Language", "en"}});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["error"]["code"], "body_too_large");
  EXPECT_EQ(r.json()["error"]["message"], "The request body exceeds the limit of 1024 bytes");
  EXPECT_EQ(r.header("Connection"), "close");
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
  Client c(port_);
  std::string chunk(800, 'y');
  std::string raw =
      "POST /api/test/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "320\r\n" +
      chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n";
  auto r = c.raw(raw);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["error"]["code"], "body_too_large");
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  Client c(port_);
  auto r = c.get("/api/test/hello", {{"X-Padding", std::string(4096, 'p')}});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.json()["error"]["code"], "header_too_large");
}

TEST_F(ServerTest, MalformedRequestIs400) {
  Client c(port_);
  auto r = c.raw("GET /api/test/hello HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["code"], "bad_request");
}

TEST_F(ServerTest, KeepAliveReusesOneConnection) {
  Client c(port_);
  for (int i = 0; i < 5; ++i) {
    auto r = c.get("/api/test/hello");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.header("Connection"), "close");
  }
  // Every request above and this one came over the single connection the server accepted.
  auto metrics = c.get("/metrics").body;
  EXPECT_NE(metrics.find("\nwangge_http_connections_total 1\n"), std::string::npos) << metrics;
}

TEST_F(ServerTest, BeforeHookFillsContextAndRejects) {
  Client c(port_);
  auto ok =
      c.get("/api/test/whoami", {{"X-Test-User", "grid-worker-7"}, {"Cookie", "a=1; sid=s3"}});
  EXPECT_EQ(ok.json()["user"], "grid-worker-7");
  EXPECT_EQ(ok.json()["cookie"], "s3");
  EXPECT_EQ(ok.json()["client"], "127.0.0.1");
  auto rejected = c.get("/api/test/whoami", {{"X-Test-Reject", "1"}, {"Accept-Language", "en"}});
  EXPECT_EQ(rejected.status, 401);
  EXPECT_EQ(rejected.json()["error"]["code"], "not_logged_in");
  EXPECT_EQ(rejected.json()["error"]["message"], "Please log in");
}

TEST_F(ServerTest, HealthzIsOk) {
  Client c(port_);
  auto r = c.get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), nlohmann::json({{"status", "ok"}}));
}

}  // namespace
}  // namespace wangge::http
