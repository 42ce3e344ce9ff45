// The forced change of the initial password (等保三级), checked once in the authentication
// hook: for every route of the router's own table that needs a login, a user still on the
// initial password gets 403 "password_change_required" — whatever the route, the method or
// the record — except who-am-I, the password change itself and logout. A new route cannot
// skip it: the test walks the table.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "fixture.h"

namespace wangge::api {
namespace {

const std::set<std::string> kOpen = {"/api/v1/auth/me", "/api/v1/auth/password",
                                     "/api/v1/auth/logout"};

TEST_P(ApiTest, EveryRouteButThreeRefusesAUserOnTheInitialPassword) {
  const std::string tok = token("newbie", kInitial);
  const testing::HeaderList bearer = {{"Authorization", "Bearer " + tok}};
  int checked = 0;
  for (const http::Route& route : server_->router().routes()) {
    if (!route.authenticated || kOpen.count(route.path)) continue;
    // Any record: the refusal comes before the route looks at it. 1 names a record that
    // exists for most rooms (and would be in newbie's county scope).
    std::string target = std::regex_replace(route.path, std::regex("\\{[^}]+\\}"), "1");
    std::string method(http::method_name(route.method));
    auto r = call(method, target, bearer, route.request_schema.is_null() ? "" : "{}");
    EXPECT_EQ(r.status, 403) << method << " " << route.path << ": " << r.body;
    EXPECT_EQ(r.error_code(), "password_change_required") << method << " " << route.path;
    EXPECT_EQ(r.error_message(), "请先修改初始密码") << method << " " << route.path;
    ++checked;
  }
  EXPECT_GT(checked, 30);
  // The three that stay open.
  EXPECT_EQ(call("GET", "/api/v1/auth/me", bearer).status, 200);
  nlohmann::json change = {{"old_password", kInitial}, {"new_password", "Newbie#2026x"}};
  ASSERT_EQ(call("POST", "/api/v1/auth/password", bearer, change.dump()).status, 204);
  // Changed: the same session now reaches the rest.
  EXPECT_EQ(call("GET", "/api/v1/events", bearer).status, 200);
  EXPECT_EQ(call("POST", "/api/v1/auth/logout", bearer).status, 204);
}

}  // namespace
}  // namespace wangge::api
