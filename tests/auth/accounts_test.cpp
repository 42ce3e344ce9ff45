// Accounts and sessions against both databases: lockout, idle timeout, forced change of the
// initial password, password history, revocation.
#include <chrono>

#include "fixture.h"

namespace wangge::auth {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNew[] = {"Second#2026", "Third#2026", "Fourth#2026", "Fifth#2026",
                                "Sixth#2026"};

TEST_P(AuthTest, CreatesUsersAndRefusesBadOnes) {
  int64_t id = create("wang.county", Role::county_operator, "530621000000");
  {
    auto tx = db_->begin(store::TxMode::read);
    User u = accounts_.get_user(*tx, id);
    EXPECT_EQ(u.username, "wang.county");
    EXPECT_EQ(u.role, Role::county_operator);
    EXPECT_EQ(u.org_code, "530621000000");
    EXPECT_TRUE(u.must_change_password);
    EXPECT_EQ(u.scope().prefix, "530621");
  }
  auto attempt = [&](NewUser u) {
    return error_code([&] {
      db_->transact([&](store::Tx& tx) { accounts_.create_user(tx, u, t0_, "secadmin"); });
    });
  };
  EXPECT_EQ(attempt({"wang.county", "重名", Role::leader, "530621000000", {}, kPassword}),
            "duplicate_username");
  EXPECT_EQ(attempt({"a b", "空格", Role::leader, "530621000000", {}, kPassword}),
            "invalid_username");
  EXPECT_EQ(attempt({"nobody", "无组织", Role::leader, "539999000000", {}, kPassword}),
            "unknown_org");
  EXPECT_EQ(attempt({"resident1", "居民", Role::resident, "530621101001", {}, kPassword}),
            "household_required");
  EXPECT_EQ(attempt({"leader1", "领导", Role::leader, "530621000000", 7, kPassword}),
            "household_not_allowed");
  EXPECT_EQ(attempt({"weak1", "弱密码", Role::leader, "530621000000", {}, "password"}),
            "weak_password");
  EXPECT_NE(create("resident1", Role::resident, "530621101001", 42), 0);
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM users"), 2);
}

TEST_P(AuthTest, WrongPasswordsLockForFifteenMinutes) {
  create("liwei", Role::grid_worker, "530621101001");
  for (int i = 0; i < 4; ++i) {
    auto r = login("liwei", "Wrong#2026", t0_ + std::chrono::seconds(i));
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->code(), "bad_credentials");
    EXPECT_EQ(r.error->message(Lang::zh), "用户名或密码错误");
    EXPECT_EQ(r.error->kind(), ErrorKind::unauthorized);
  }
  EXPECT_EQ(login("liwei", "Wrong#2026", t0_ + 5s).error->code(), "locked");
  // Locked: even the right password fails, with the lock message.
  auto r = login("liwei", kPassword, t0_ + 14min);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message(Lang::zh), "账户已锁定，请15分钟后再试");
  EXPECT_THROW(r.value(), Error);
  // After 15 minutes the lock has run out and the right password works.
  auto ok = login("liwei", kPassword, t0_ + 5s + 15min);
  ASSERT_FALSE(ok.error) << ok.error->message(Lang::en);
  EXPECT_EQ(ok.value().user.failed_logins, 0);
  EXPECT_FALSE(ok.value().user.locked_until);
}

TEST_P(AuthTest, UnknownUserGetsTheSameMessageAsAWrongPassword) {
  create("liwei", Role::grid_worker, "530621101001");
  auto unknown = login("nobody", kPassword, t0_);
  auto wrong = login("liwei", "Wrong#2026", t0_);
  ASSERT_TRUE(unknown.error && wrong.error);
  EXPECT_EQ(unknown.error->message(Lang::zh), wrong.error->message(Lang::zh));
  // A long made-up name goes into the log cut at a character boundary (valid UTF-8).
  std::string long_name;
  for (int i = 0; i < 30; ++i) long_name += "网格";
  EXPECT_EQ(login(long_name, kPassword, t0_).error->code(), "bad_credentials");
  auto tx = db_->begin(store::TxMode::read);
  auto actor = tx->query_one("SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1")->text(0);
  EXPECT_EQ(actor.size(), 63u);  // 21 characters of 3 bytes
  EXPECT_TRUE(long_name.starts_with(actor));
}

TEST_P(AuthTest, ASuccessResetsTheFailureCount) {
  create("liwei", Role::grid_worker, "530621101001");
  for (int i = 0; i < 4; ++i) login("liwei", "Wrong#2026", t0_);
  ASSERT_FALSE(login("liwei", kPassword, t0_ + 1s).error);
  for (int i = 0; i < 4; ++i) login("liwei", "Wrong#2026", t0_ + 2s);
  EXPECT_FALSE(login("liwei", kPassword, t0_ + 3s).error);  // 4 + 4 failures, never 5 in a row
}

TEST_P(AuthTest, SessionsTimeOutAfterThirtyIdleMinutesAndSlide) {
  create("liwei", Role::grid_worker, "530621101001");
  const Session s = login("liwei", kPassword, t0_).value();
  EXPECT_EQ(s.token.size(), 43u);  // 32 bytes in base64url
  EXPECT_NE(s.token, s.csrf_token);
  Authenticated a = authenticate(s.token, t0_ + 20min);
  EXPECT_EQ(a.user.username, "liwei");
  EXPECT_EQ(a.csrf_token, s.csrf_token);
  // 45 minutes after login but 25 after the last request: still valid (sliding).
  EXPECT_NO_THROW(authenticate(s.token, t0_ + 45min));
  // Within a minute of the last write, last_seen_at is not rewritten.
  authenticate(s.token, t0_ + 45min + 30s);
  {
    auto tx = db_->begin(store::TxMode::read);
    EXPECT_EQ(tx->query_int("SELECT last_seen_at FROM sessions"), to_unix_ms(t0_ + 45min));
    // Only the hash of the token is stored.
    EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM sessions WHERE id = ?", {s.token}), 0);
    EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM sessions WHERE id = ?", {token_hash(s.token)}),
              1);
  }
  EXPECT_NO_THROW(authenticate(s.token, t0_ + 45min + 29min + 59s));
  // Now idle for 30 minutes since the last recorded request.
  EXPECT_EQ(error_code([&] { authenticate(s.token, t0_ + 45min + 29min + 59s + 30min); }),
            "session_invalid");
  EXPECT_EQ(error_code([&] { authenticate("not-a-token", t0_); }), "session_invalid");
}

TEST_P(AuthTest, IdleExactlyThirtyMinutesExpires) {
  create("liwei", Role::grid_worker, "530621101001");
  const Session s = login("liwei", kPassword, t0_).value();
  EXPECT_NO_THROW(authenticate(s.token, t0_ + 29min + 59s));
  const Session s2 = login("liwei", kPassword, t0_).value();
  EXPECT_EQ(error_code([&] { authenticate(s2.token, t0_ + 30min); }), "session_invalid");
}

TEST_P(AuthTest, CheckingASessionInAReadTransactionWritesNothing) {
  create("liwei", Role::grid_worker, "530621101001");
  const Session s = login("liwei", kPassword, t0_).value();
  auto last_seen = [&] {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int("SELECT last_seen_at FROM sessions");
  };
  const int64_t before = last_seen();
  {
    auto tx = db_->begin(store::TxMode::read);  // a write here would fail
    EXPECT_FALSE(accounts_.check_session(*tx, s.token, t0_ + 30s).needs_touch);
    EXPECT_TRUE(accounts_.check_session(*tx, s.token, t0_ + 5min).needs_touch);
  }
  EXPECT_EQ(last_seen(), before);
  db_->transact([&](store::Tx& tx) { accounts_.touch_session(tx, s.token, t0_ + 5min); });
  EXPECT_EQ(last_seen(), to_unix_ms(t0_ + 5min));
  // Renewed: 29 minutes after the touch is still inside the idle window.
  EXPECT_NO_THROW(authenticate(s.token, t0_ + 5min + 29min));
}

TEST_P(AuthTest, TheInitialPasswordMustBeChanged) {
  create("liwei", Role::county_operator, "530621000000");
  Permissions perms = [&] {
    auto tx = db_->begin(store::TxMode::read);
    return Permissions::load(*tx);
  }();
  Session s = login("liwei", kPassword, t0_).value();
  EXPECT_TRUE(s.user.must_change_password);
  EXPECT_EQ(error_code([&] { check_access(perms, s.user, perm::resident_read); }),
            "password_change_required");
  auto change = [&](const std::string& old_pw, const std::string& new_pw) {
    return error_code([&] {
      db_->transact([&](store::Tx& tx) {
        accounts_.change_password(tx, s.user.id, old_pw, new_pw, t0_ + 1min);
      });
    });
  };
  EXPECT_EQ(change("Wrong#2026", kNew[0]), "wrong_password");
  EXPECT_EQ(change(kPassword, "short"), "weak_password");
  EXPECT_EQ(change(kPassword, "liwei"), "weak_password");
  EXPECT_EQ(change(kPassword, kPassword), "password_reused");
  EXPECT_EQ(change(kPassword, kNew[0]), "");
  EXPECT_FALSE(login("liwei", kPassword, t0_ + 2min).session);
  Session again = login("liwei", kNew[0], t0_ + 2min).value();
  EXPECT_FALSE(again.user.must_change_password);
  EXPECT_EQ(again.user.password_changed_at, t0_ + 1min);
  EXPECT_NO_THROW(check_access(perms, again.user, perm::resident_read));
  EXPECT_EQ(error_code([&] { check_access(perms, again.user, perm::user_manage); }), "forbidden");
}

TEST_P(AuthTest, TheLastFivePasswordsCannotBeReused) {
  int64_t id = create("liwei", Role::grid_worker, "530621101001");
  auto change = [&](const std::string& old_pw, const std::string& new_pw) {
    return error_code([&] {
      db_->transact([&](store::Tx& tx) { accounts_.change_password(tx, id, old_pw, new_pw, t0_); });
    });
  };
  std::string current = kPassword;
  for (int i = 0; i < 4; ++i) {  // initial + 4 changes = 5 passwords in the history
    ASSERT_EQ(change(current, kNew[i]), "");
    current = kNew[i];
  }
  EXPECT_EQ(change(current, kPassword), "password_reused");
  EXPECT_EQ(change(current, kNew[1]), "password_reused");
  ASSERT_EQ(change(current, kNew[4]), "");  // the initial password is now six back
  EXPECT_EQ(change(kNew[4], kPassword), "");
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM password_history WHERE user_id = ?", {id}), 5);
}

TEST_P(AuthTest, LogoutAndRevokeAllEndSessions) {
  int64_t id = create("liwei", Role::grid_worker, "530621101001");
  int64_t other = create("zhao", Role::grid_worker, "530621101001");
  Session a = login("liwei", kPassword, t0_).value();
  Session b = login("liwei", kPassword, t0_).value();
  Session c = login("liwei", kPassword, t0_).value();
  Session z = login("zhao", kPassword, t0_).value();
  db_->transact([&](store::Tx& tx) { accounts_.logout(tx, a.token, t0_ + 1min); });
  EXPECT_EQ(error_code([&] { authenticate(a.token, t0_ + 2min); }), "session_invalid");
  EXPECT_NO_THROW(authenticate(b.token, t0_ + 2min));
  int64_t n =
      db_->transact([&](store::Tx& tx) { return accounts_.revoke_all(tx, id, t0_ + 3min, "sec"); });
  EXPECT_EQ(n, 2);
  EXPECT_EQ(error_code([&] { authenticate(b.token, t0_ + 4min); }), "session_invalid");
  EXPECT_EQ(error_code([&] { authenticate(c.token, t0_ + 4min); }), "session_invalid");
  EXPECT_EQ(authenticate(z.token, t0_ + 4min).user.id, other);
}

TEST_P(AuthTest, ManualLockAndDisableEndSessionsUntilUnlocked) {
  int64_t id = create("liwei", Role::grid_worker, "530621101001");
  Session s = login("liwei", kPassword, t0_).value();
  db_->transact([&](store::Tx& tx) { accounts_.lock(tx, id, std::nullopt, t0_, "sec"); });
  EXPECT_EQ(error_code([&] { authenticate(s.token, t0_ + 1min); }), "session_invalid");
  EXPECT_EQ(login("liwei", kPassword, t0_ + 1000min).error->code(), "locked");
  db_->transact([&](store::Tx& tx) { accounts_.unlock(tx, id, t0_, "sec"); });
  EXPECT_TRUE(login("liwei", kPassword, t0_ + 1001min).session);
  db_->transact([&](store::Tx& tx) { accounts_.set_disabled(tx, id, true, t0_, "sec"); });
  EXPECT_EQ(login("liwei", kPassword, t0_ + 1002min).error->code(), "disabled");
  EXPECT_EQ(login("liwei", "Wrong#2026", t0_ + 1002min).error->code(), "bad_credentials");
}

TEST_P(AuthTest, ListsOnlyUsersInScope) {
  create("county.a", Role::county_operator, "530621000000");
  create("village.a", Role::village_operator, "530621101201");
  create("village.b", Role::village_operator, "530622101201");
  auto tx = db_->begin(store::TxMode::read);
  auto names = [&](std::string_view code) {
    std::vector<std::string> out;
    for (const User& u : accounts_.list_users(*tx, scope_of(code))) out.push_back(u.username);
    return out;
  };
  EXPECT_EQ(names("530621000000"), (std::vector<std::string>{"county.a", "village.a"}));
  EXPECT_EQ(names("530622000000"), (std::vector<std::string>{"village.b"}));
  EXPECT_EQ(names("530600000000").size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::auth
