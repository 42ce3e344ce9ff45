// The pieces without a socket: languages, queries, cookies, UTF-8, JSON fields, routing,
// metrics text and content types.
#include <gtest/gtest.h>

#include "http/dispatcher.h"
#include "http/errors.h"
#include "http/json_input.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"

namespace wangge::http {
namespace {

ErrorKind kind_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::internal;  // "did not throw" reads as a failure below
}

TEST(Language, WeighsQValues) {
  EXPECT_EQ(preferred_language("en-US,en;q=0.9,zh;q=0.8"), Lang::en);
  EXPECT_EQ(preferred_language("zh-CN,zh;q=0.9,en;q=0.8"), Lang::zh);
  EXPECT_EQ(preferred_language("zh;q=0.3, en;q=0.7"), Lang::en);
  EXPECT_EQ(preferred_language("fr-FR,en;q=0.5"), Lang::en);
  EXPECT_EQ(preferred_language("en;q=0, zh;q=0.1"), Lang::zh);
  EXPECT_EQ(preferred_language("EN"), Lang::en);
  EXPECT_EQ(preferred_language("fr, de"), Lang::zh);
  EXPECT_EQ(preferred_language(""), Lang::zh);
  EXPECT_EQ(preferred_language("en;q=abc"), Lang::zh);
}

TEST(QueryString, DecodesAndRepeats) {
  auto q = Query::parse("tag=%E4%BD%8E%E4%BF%9D&tag=a+b&empty=&flag&x=1%2B1");
  EXPECT_EQ(q.all("tag"), (std::vector<std::string>{"低保", "a b"}));
  EXPECT_EQ(q.get("empty"), "");
  EXPECT_TRUE(q.has("flag"));
  EXPECT_EQ(q.get("x"), "1+1");
  EXPECT_FALSE(q.get("missing").has_value());
  EXPECT_EQ(kind_of([] { Query::parse("a=%4"); }), ErrorKind::bad_input);
  EXPECT_EQ(kind_of([] { Query::parse("a=%FF"); }), ErrorKind::bad_input);  // not UTF-8
}

TEST(QueryString, TypedAccessors) {
  auto q = Query::parse("page=3&neg=-4&bad=abc&frac=1.5&big=99999999999999999999&lat=27.3&b=true");
  EXPECT_EQ(q.get_int("page"), 3);
  EXPECT_EQ(q.get_int("neg"), -4);
  EXPECT_EQ(q.get_int_or("missing", 20, 1, 100), 20);
  EXPECT_EQ(q.get_double("lat"), 27.3);
  EXPECT_EQ(q.get_bool("b"), true);
  for (const char* key : {"bad", "frac", "big"}) {
    EXPECT_EQ(kind_of([&] { q.get_int(key); }), ErrorKind::bad_input) << key;
  }
  EXPECT_EQ(kind_of([&] { q.get_int("page", 4, 10); }), ErrorKind::bad_input);
  EXPECT_EQ(kind_of([&] { q.get_double("bad"); }), ErrorKind::bad_input);
  EXPECT_EQ(kind_of([&] { q.get_bool("page"); }), ErrorKind::bad_input);
  try {
    q.get_int("bad");
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "bad");
    EXPECT_EQ(e.code(), "invalid_number");
  }
}

TEST(Cookies, ParsesPairs) {
  auto c = parse_cookies(R"(sid=abc; theme="dark"; broken; =x; lang=zh)");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], (std::pair<std::string, std::string>{"sid", "abc"}));
  EXPECT_EQ(c[1].second, "dark");
  EXPECT_EQ(c[2].first, "lang");
  Response r;
  r.set_cookie("sid", "xyz", {.max_age_seconds = 3600});
  EXPECT_EQ(r.headers.get("Set-Cookie"),
            "sid=xyz; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict");
}

TEST(Utf8, AcceptsWellFormedOnly) {
  EXPECT_TRUE(valid_utf8("昭通市 ok 😀"));
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(valid_utf8("\xE6\x98"));          // truncated
  EXPECT_FALSE(valid_utf8("\x80"));              // stray continuation
}

TEST(JsonFields, TypedAndNamed) {
  auto body = nlohmann::json::parse(
      R"({"name":"李四","age":30,"ok":true,"ratio":0.5,"tags":["a"],"n":null})");
  EXPECT_EQ(required_field<std::string>(body, "name"), "李四");
  EXPECT_EQ(required_field<int64_t>(body, "age"), 30);
  EXPECT_EQ(required_field<double>(body, "age"), 30.0);
  EXPECT_EQ(required_field<bool>(body, "ok"), true);
  EXPECT_EQ(optional_field<std::vector<std::string>>(body, "tags")->front(), "a");
  EXPECT_FALSE(optional_field<int>(body, "n").has_value());
  EXPECT_FALSE(optional_field<int>(body, "absent").has_value());
  try {
    required_field<int>(body, "ratio");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "invalid_field_type");
    EXPECT_EQ(e.field(), "ratio");
    EXPECT_EQ(e.message(Lang::zh), "字段 ratio 应为整数");
  }
  EXPECT_EQ(kind_of([&] { required_field<int>(body, "n"); }), ErrorKind::bad_input);
  EXPECT_EQ(kind_of([&] { required_field<uint8_t>(body, "name"); }), ErrorKind::bad_input);
  EXPECT_EQ(kind_of([&] { optional_field<std::vector<int>>(body, "tags"); }), ErrorKind::bad_input);
  EXPECT_EQ(kind_of([&] { reject_unknown_fields(body, {"name"}); }), ErrorKind::bad_input);
  EXPECT_EQ(kind_of([] { parse_json_body("{\"a\":1,}"); }), ErrorKind::bad_input);
  EXPECT_EQ(kind_of([] { parse_json_body(""); }), ErrorKind::bad_input);
}

TEST(Errors, KindsMapToStatuses) {
  EXPECT_EQ(status_for(ErrorKind::bad_input), 400);
  EXPECT_EQ(status_for(ErrorKind::unauthorized), 401);
  EXPECT_EQ(status_for(ErrorKind::forbidden), 403);
  EXPECT_EQ(status_for(ErrorKind::not_found), 404);
  EXPECT_EQ(status_for(ErrorKind::conflict), 409);
  EXPECT_EQ(status_for(ErrorKind::too_large), 413);
  EXPECT_EQ(status_for(ErrorKind::unavailable), 503);
  EXPECT_EQ(status_for(ErrorKind::internal), 500);
}

Response ok(const Request&) { return Response::empty(204); }

TEST(RouterTable, MatchesMostSpecificAndReports405) {
  Router r;
  r.add({.method = Method::get, .path = "/a/{x}/c", .handler = ok});
  r.add({.method = Method::get, .path = "/a/b/{y}", .handler = ok});
  r.add({.method = Method::patch, .path = "/a/b/{y}", .handler = ok});
  r.add({.method = Method::get, .path = "/", .handler = ok});
  auto m = r.match(Method::get, "/a/b/c");
  ASSERT_EQ(m.kind, Match::Kind::found);
  EXPECT_EQ(m.route->path, "/a/b/{y}");
  EXPECT_EQ(m.params, (std::vector<std::pair<std::string, std::string>>{{"y", "c"}}));
  EXPECT_EQ(r.match(Method::head, "/").kind, Match::Kind::found);
  EXPECT_EQ(r.match(Method::get, "/a//c").kind, Match::Kind::not_found);  // empty {x}
  EXPECT_EQ(r.match(Method::get, "/a/b").kind, Match::Kind::not_found);
  auto wrong = r.match(Method::post, "/a/b/z");
  EXPECT_EQ(wrong.kind, Match::Kind::method_not_allowed);
  EXPECT_EQ(wrong.allowed, (std::vector<Method>{Method::get, Method::patch, Method::head}));
  EXPECT_EQ(kind_of([&] { r.match(Method::get, "/a/%FF/c"); }), ErrorKind::bad_input);
}

TEST(RouterTable, RejectsBadDeclarations) {
  Router r;
  r.add({.method = Method::get, .path = "/x/{id}", .handler = ok});
  EXPECT_THROW(r.add({.method = Method::get, .path = "/x/{other}", .handler = ok}),
               std::invalid_argument);
  EXPECT_THROW(r.add({.method = Method::get, .path = "no-slash", .handler = ok}),
               std::invalid_argument);
  EXPECT_THROW(r.add({.method = Method::get, .path = "/y/pre{id}", .handler = ok}),
               std::invalid_argument);
  EXPECT_THROW(r.add({.method = Method::get, .path = "/z", .handler = {}}), std::invalid_argument);
  EXPECT_THROW(r.add({.method = Method::get,
                      .path = "/w/{id}",
                      .handler = ok,
                      .path_params = {{.name = "code"}}}),
               std::invalid_argument);
}

TEST(Metrics, RendersPrometheusText) {
  MetricsRegistry m;
  m.counter("jobs_total", "Jobs done", {{"kind", "a\"b"}}).inc(2);
  m.gauge("queue_depth", "Queued").set(5);
  auto& h = m.histogram("latency_seconds", "Latency", {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(7);
  std::string text = m.render();
  EXPECT_NE(text.find("# TYPE jobs_total counter\njobs_total{kind=\"a\\\"b\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("queue_depth 5\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_sum 7.55\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_count 3\n"), std::string::npos);
  EXPECT_THROW(m.gauge("jobs_total", "clash"), std::invalid_argument);
  EXPECT_THROW(m.counter("bad name", "x"), std::invalid_argument);
}

TEST(StaticTypes, ByExtension) {
  EXPECT_EQ(content_type_for("a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("font.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("README"), "application/octet-stream");
}

TEST(DispatcherOnly, HandlesWithoutASocket) {
  Dispatcher d({.access_log = false});
  d.router().add({.method = Method::get,
                  .path = "/api/v1/events/{id}",
                  .handler =
                      [](const Request& req) {
                        return Response::json(200, {{"id", req.param_int("id", 1)}});
                      },
                  .path_params = {{.name = "id", .type = ParamType::integer}}});
  Request req;
  req.target = "/api/v1/events/17";
  EXPECT_EQ(d.handle(req).body, R"({"id":17})");
  Request bad;
  bad.target = "/api/v1/events/x1";
  bad.headers.add("Accept-Language", "en");
  Response r = d.handle(bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["message"],
            "Path parameter id must be an integer");

  d.customize_openapi([](nlohmann::json& doc) {
    doc["security"] = {{{"bearerAuth", nlohmann::json::array()}}};
  });
  Request spec;
  spec.target = "/api/openapi.json";
  auto doc = nlohmann::json::parse(d.handle(spec).body);
  EXPECT_EQ(doc["security"][0].count("bearerAuth"), 1u);
  EXPECT_EQ(doc["paths"]["/api/v1/events/{id}"]["get"]["parameters"][0]["schema"]["type"],
            "integer");
}

}  // namespace
}  // namespace wangge::http
