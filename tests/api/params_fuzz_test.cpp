// Every GET route of the route table, with malformed values for each query parameter it
// declares (garbage, huge, negative, not UTF-8, bad escapes): bad input is a 4xx, never a 5xx.
// New routes and parameters are covered as soon as they are declared.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fixture.h"

namespace wangge::api {
namespace {

// What each malformed value stands for, as it goes on the wire (already %-encoded).
const std::vector<std::string>& malformed_values() {
  static const std::vector<std::string> values = {
      "5306abc",                     // an org code with letters
      "abc",                         // a word where a number or code belongs
      "-1",                          // negative
      "-9223372036854775809",        // below int64
      "99999999999999999999999999",  // above int64
      std::string(3000, '9'),        // huge
      "1e309",                       // a double that overflows
      "NaN",
      "0x1F",
      "%FF%FE",          // not UTF-8
      "%zz",             // a bad escape
      "%00",             // NUL
      "%27%20OR%201=1",  // quotes
      "2026-13-45",      // an impossible date
      "%E4%B8%AD",       // 中: valid UTF-8, not a number
      "",                // empty
  };
  return values;
}

// A plausible value for each {name} segment, so the route's own parsing is reached.
std::string fill_path(const std::string& pattern) {
  static const std::map<std::string, std::string> values = {
      {"id", "1"}, {"code", "530621000000"}, {"file", "1.json"}, {"form", "basic"}};
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{') {
      out += pattern[i++];
      continue;
    }
    size_t close = pattern.find('}', i);
    std::string name = pattern.substr(i + 1, close - i - 1);
    auto it = values.find(name);
    out += it == values.end() ? "1" : it->second;
    i = close + 1;
  }
  return out;
}

class ParamsFuzzTest : public ApiTest {};

TEST_P(ParamsFuzzTest, MalformedQueryParametersNeverGiveA5xx) {
  db_->transact([&](store::Tx& tx) {
    auto t = wangge::now();
    int64_t id = accounts_.create_user(
        tx, {"op_city", "市级", auth::Role::city_operator, "530600000000", {}, kInitial}, t,
        "secadmin");
    accounts_.change_password(tx, id, kInitial, kPassword, t);
  });
  std::vector<std::string> tokens = {token("op_city"), token("grid_a")};
  int calls = 0;
  for (const http::Route& route : server_->dispatcher().router().routes()) {
    if (route.method != http::Method::get) continue;
    std::string path = fill_path(route.path);
    for (const http::Param& p : route.query) {
      for (const std::string& value : malformed_values()) {
        for (const std::string& tok : tokens) {
          std::string target = path + "?" + p.name + "=" + value;
          auto r = call("GET", target, {{"Authorization", "Bearer " + tok}});
          ++calls;
          EXPECT_LT(r.status, 500) << "GET " << target << " → " << r.status << " " << r.body;
          if (r.status == 400 && r.error_field() == p.name) {
            // Named and explained in Chinese by default.
            EXPECT_FALSE(r.error_message().empty()) << target;
          }
        }
      }
    }
  }
  EXPECT_GT(calls, 100);  // the table has GET routes with parameters
}

TEST_P(ParamsFuzzTest, MalformedOrgIs400NamingOrgInChinese) {
  for (const char* target :
       {"/api/v1/users?org=5306abc", "/api/v1/residents?org=5306abc", "/api/v1/events?org=5306"}) {
    auto r = call("GET", target, {{"Authorization", "Bearer " + token("op_ludian")}});
    EXPECT_EQ(r.status, 400) << target << " " << r.body;
    EXPECT_EQ(r.error_field(), "org") << target;
    EXPECT_EQ(r.error_message(), "查询参数 org 的格式不正确") << target;
  }
  // A well-formed code outside the caller's scope stays a 404, as before.
  auto outside = call("GET", "/api/v1/users?org=530622000000",
                      {{"Authorization", "Bearer " + token("op_ludian")}});
  EXPECT_NE(outside.status, 400);
}

// Login takes a few hundred bytes: 100 KiB is refused (413, in Chinese) before it is read, and
// nested JSON under the limit is refused before it is parsed.
TEST_P(ParamsFuzzTest, OversizeOrDeepLoginBodyIsRefused) {
  auto big = call("POST", "/api/v1/auth/login", {{"Content-Type", "application/json"}},
                  std::string(100 * 1024, ' '));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.error_code(), "body_too_large");
  EXPECT_EQ(big.error_message(), "请求体超过 65536 字节的上限");
  auto deep = call("POST", "/api/v1/auth/login", {{"Content-Type", "application/json"}},
                   std::string(60 * 1024, '['));
  EXPECT_EQ(deep.status, 400);
  EXPECT_EQ(deep.error_code(), "json_too_deep");
}

INSTANTIATE_TEST_SUITE_P(Backends, ParamsFuzzTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
