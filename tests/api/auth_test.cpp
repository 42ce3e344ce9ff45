// Login, sessions, the CSRF rule for cookie-authenticated writes, and the forced password
// change, through a real server on both databases.
#include <gtest/gtest.h>

#include "fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

TEST_P(ApiTest, LoginGivesTokenUserAndSessionCookie) {
  auto r = login("op_ludian", kPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  json body = r.json();
  std::string tok = body["token"];
  EXPECT_GE(tok.size(), 40u);
  EXPECT_FALSE(body["csrf_token"].get<std::string>().empty());
  EXPECT_EQ(body["user"]["username"], "op_ludian");
  EXPECT_EQ(body["user"]["role"], "county_operator");
  EXPECT_EQ(body["user"]["role_label"], "县级操作员");
  EXPECT_EQ(body["user"]["org_code"], "530621000000");
  EXPECT_EQ(body["user"]["must_change_password"], false);
  std::string cookie = r.header("Set-Cookie");
  EXPECT_EQ(cookie.rfind("wangge_session=" + tok + ";", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;

  auto me = call("GET", "/api/v1/auth/me", {{"Authorization", "Bearer " + tok}});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["username"], "op_ludian");
}

TEST_P(ApiTest, BadLoginIs401InChineseOrEnglish) {
  auto zh = login("op_ludian", "Wrong#Pass2026");
  EXPECT_EQ(zh.status, 401);
  EXPECT_EQ(zh.error_code(), "bad_credentials");
  EXPECT_EQ(zh.error_message(), "用户名或密码错误");
  EXPECT_TRUE(zh.all("Set-Cookie").empty());
  auto en = login("nobody", "Wrong#Pass2026", {{"Accept-Language", "en"}});
  EXPECT_EQ(en.status, 401);
  EXPECT_EQ(en.error_code(), "bad_credentials");
  EXPECT_EQ(en.error_message(), "wrong username or password");
}

TEST_P(ApiTest, LoginRejectsMalformedBodies) {
  EXPECT_EQ(call("POST", "/api/v1/auth/login", {}, "{").error_code(), "invalid_json");
  auto missing = call("POST", "/api/v1/auth/login", {}, R"({"username":"op_ludian"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.error_field(), "password");
  auto extra =
      call("POST", "/api/v1/auth/login", {}, R"({"username":"a","password":"b","remember":true})");
  EXPECT_EQ(extra.status, 400);
  EXPECT_EQ(extra.error_field(), "remember");
}

TEST_P(ApiTest, FiveFailuresLockTheAccountWithAClearMessage) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("grid_a", "Wrong#Pass2026").status, 401);
  auto zh = login("grid_a", kPassword);
  EXPECT_EQ(zh.status, 401);
  EXPECT_EQ(zh.error_code(), "locked");
  EXPECT_EQ(zh.error_message(), "账户已锁定，请15分钟后再试");
  auto en = login("grid_a", kPassword, {{"Accept-Language", "en-US,en;q=0.9"}});
  EXPECT_EQ(en.error_code(), "locked");
  EXPECT_NE(en.error_message().find("locked"), std::string::npos) << en.body;
}

TEST_P(ApiTest, ProtectedRoutesNeedASession) {
  auto none = call("GET", "/api/v1/auth/me");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.error_code(), "not_logged_in");
  auto bogus = call("GET", "/api/v1/residents", {{"Authorization", "Bearer not-a-token"}});
  EXPECT_EQ(bogus.status, 401);
  EXPECT_EQ(bogus.error_code(), "session_invalid");
  EXPECT_EQ(call("GET", "/api/v1/auth/me", {{"Authorization", "Basic abc"}}).status, 401);
  // Public routes stay open.
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  auto doc = call("GET", "/api/openapi.json");
  ASSERT_EQ(doc.status, 200);
  json spec = doc.json();
  EXPECT_TRUE(spec["paths"].contains("/api/v1/residents"));
  EXPECT_TRUE(spec["paths"].contains("/api/v1/residents/{id}/reveal"));
  EXPECT_TRUE(spec["components"]["securitySchemes"].contains("bearer"));
}

TEST_P(ApiTest, CookieWritesNeedTheCsrfTokenBearerWritesDoNot) {
  auto r = login("op_ludian", kPassword);
  ASSERT_EQ(r.status, 200);
  std::string tok = r.json()["token"], csrf = r.json()["csrf_token"];
  testing::HeaderList cookie = {{"Cookie", "wangge_session=" + tok}};
  json reveal = {{"field", "phone"}, {"reason", "入户走访核实"}};
  std::string target = path("/api/v1/residents/", zhang_san_, "/reveal");

  // Reads by cookie need no token.
  EXPECT_EQ(call("GET", "/api/v1/auth/me", cookie).status, 200);
  auto no_csrf = call("POST", target, cookie, reveal.dump());
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(no_csrf.error_code(), "csrf_failed");
  auto wrong = cookie;
  wrong.emplace_back("X-CSRF-Token", "forged");
  EXPECT_EQ(call("POST", target, wrong, reveal.dump()).status, 403);
  auto right = cookie;
  right.emplace_back("X-CSRF-Token", csrf);
  auto ok = call("POST", target, right, reveal.dump());
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["value"], "13812345678");
  auto bearer = call("POST", target, {{"Authorization", "Bearer " + tok}}, reveal.dump());
  EXPECT_EQ(bearer.status, 200) << bearer.body;
}

TEST_P(ApiTest, LogoutEndsTheSessionAndClearsTheCookie) {
  auto r = login("op_ludian", kPassword);
  std::string tok = r.json()["token"], csrf = r.json()["csrf_token"];
  testing::HeaderList cookie = {{"Cookie", "wangge_session=" + tok}};
  EXPECT_EQ(call("POST", "/api/v1/auth/logout", cookie).status, 403);  // no CSRF token
  cookie.emplace_back("X-CSRF-Token", csrf);
  auto out = call("POST", "/api/v1/auth/logout", cookie);
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos)
      << out.header("Set-Cookie");
  EXPECT_EQ(call("GET", "/api/v1/auth/me", cookie).status, 401);
  EXPECT_EQ(call("GET", "/api/v1/auth/me", {{"Authorization", "Bearer " + tok}}).status, 401);
}

TEST_P(ApiTest, MustChangePasswordBlocksAllButMePasswordAndLogout) {
  std::string tok = token("newbie", kInitial);
  testing::HeaderList bearer = {{"Authorization", "Bearer " + tok}};
  auto list = call("GET", "/api/v1/residents", bearer);
  EXPECT_EQ(list.status, 403);
  EXPECT_EQ(list.error_code(), "password_change_required");
  EXPECT_EQ(call("GET", "/api/v1/orgs/530621000000", bearer).error_code(),
            "password_change_required");
  auto me = call("GET", "/api/v1/auth/me", bearer);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["must_change_password"], true);

  auto weak = call("POST", "/api/v1/auth/password", bearer,
                   json{{"old_password", kInitial}, {"new_password", "123"}}.dump());
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.error_field(), "new_password");
  auto wrong = call("POST", "/api/v1/auth/password", bearer,
                    json{{"old_password", "Nope#2026x"}, {"new_password", kPassword}}.dump());
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.error_field(), "old_password");
  auto changed = call("POST", "/api/v1/auth/password", bearer,
                      json{{"old_password", kInitial}, {"new_password", kPassword}}.dump());
  EXPECT_EQ(changed.status, 204) << changed.body;
  // The new password works and the block is gone.
  EXPECT_EQ(get_as("newbie", "/api/v1/residents").status, 200);
}

TEST_P(ApiTest, ThrottledAddressesGet429WithRetryAfterAndNothingWritten) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(login("nobody" + std::to_string(i), "Wrong#Pass2026").status, 401);
  }
  auto rows = [&] {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM audit_log");
  };
  const int64_t before = rows();
  auto r = login("op_ludian", kPassword);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.error_code(), "throttled");
  EXPECT_NE(r.error_message().find("失败次数过多"), std::string::npos) << r.body;
  EXPECT_EQ(r.header("Retry-After"), "6");
  EXPECT_EQ(rows(), before);
  // A minute later the address may try again.
  clock_offset_ms_ += 60'000;
  EXPECT_EQ(login("op_ludian", kPassword).status, 200);
}

TEST_P(ApiTest, APasswordChangeEndsTheOtherSessionsButNotThisOne) {
  std::string here = token("op_ludian"), other = token("op_ludian");
  testing::HeaderList bearer = {{"Authorization", "Bearer " + here}};
  ASSERT_EQ(call("GET", "/api/v1/auth/me", {{"Authorization", "Bearer " + other}}).status, 200);
  auto changed = call("POST", "/api/v1/auth/password", bearer,
                      json{{"old_password", kPassword}, {"new_password", "Changed#2026x"}}.dump());
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(call("GET", "/api/v1/auth/me", bearer).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/auth/me", {{"Authorization", "Bearer " + other}}).status, 401);
}

TEST_P(ApiTest, WrongOldPasswordsCountTowardTheLockout) {
  std::string tok = token("op_ludian");
  testing::HeaderList bearer = {{"Authorization", "Bearer " + tok}};
  json wrong = {{"old_password", "Nope#Pass2026"}, {"new_password", "Changed#2026x"}};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(call("POST", "/api/v1/auth/password", bearer, wrong.dump()).status, 400);
  }
  // The guessing session is over and this address is locked out of the account.
  EXPECT_EQ(call("GET", "/api/v1/auth/me", bearer).status, 401);
  EXPECT_EQ(login("op_ludian", kPassword).error_code(), "locked");
}

TEST_P(ApiTest, UnknownNamesLockLikeRealOnes) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(login("grid_a", "Wrong#Pass2026").body, login("no_such", "Wrong#Pass2026").body);
  }
  clock_offset_ms_ += 60'000;  // past the throttle, within the 15-minute lock
  auto real = login("grid_a", kPassword), fake = login("no_such", kPassword);
  EXPECT_EQ(real.error_code(), "locked");
  EXPECT_EQ(real.status, fake.status);
  EXPECT_EQ(real.body, fake.body);
}

// A server whose sessions last 30 seconds: shorter than the minute a remembered session is
// trusted without looking at the database, so only the lifetime check can end it.
class ShortSessionTest : public ApiTest {
 protected:
  void customize(ApiOptions& options) override {
    options.auth.session_lifetime = std::chrono::seconds(30);
  }
};

TEST_P(ShortSessionTest, TheRememberedSessionEndsWithItsLifetime) {
  std::string tok = token("op_ludian");
  testing::HeaderList bearer = {{"Authorization", "Bearer " + tok}};
  clock_offset_ms_ += 10'000;
  ASSERT_EQ(call("GET", "/api/v1/auth/me", bearer).status, 200);  // checked, then remembered
  ASSERT_EQ(call("GET", "/api/v1/auth/me", bearer).status, 200);
  clock_offset_ms_ += 25'000;  // 35 s after the login, 25 s after the last check
  auto r = call("GET", "/api/v1/auth/me", bearer);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error_code(), "session_invalid");
}

INSTANTIATE_TEST_SUITE_P(Backends, ShortSessionTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
