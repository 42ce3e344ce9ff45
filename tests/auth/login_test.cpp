// Logins as a server runs them, against both databases: failures counted per (name, address)
// so that nobody locks another person out from their own address, names that do not exist
// answered exactly as wrong passwords, the account-wide limit, wrong old passwords counted,
// other sessions ended by a password change, the absolute session lifetime, and the
// in-memory throttle and hash gate.
#include <chrono>

#include "auth/audit.h"
#include "auth/login_guard.h"
#include "fixture.h"

namespace wangge::auth {
namespace {

using namespace std::chrono_literals;

constexpr const char* kWrong = "Wrong#2026";
constexpr const char* kNewPassword = "Second#2026";

class LoginTest : public AuthTest {
 protected:
  LoginResult login_from(const std::string& user, const std::string& password,
                         const std::string& address, Instant at) {
    return accounts_.login(*db_, user, password, address, at);
  }
  std::string code_of(const LoginResult& r) { return r.error ? r.error->code() : ""; }
  int64_t audit_rows() {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM audit_log");
  }
};

TEST_P(LoginTest, FailuresFromOneAddressLockOnlyThatAddressOut) {
  create("liwei", Role::grid_worker, "530621101001");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(code_of(login_from("liwei", kWrong, "203.0.113.9", t0_ + 1s * i)), "bad_credentials");
  }
  EXPECT_EQ(code_of(login_from("liwei", kWrong, "203.0.113.9", t0_ + 5s)), "locked");
  EXPECT_EQ(code_of(login_from("liwei", kPassword, "203.0.113.9", t0_ + 6s)), "locked");
  // The owner, from their own address, is not locked out by someone else's guesses.
  auto own = login_from("liwei", kPassword, "10.1.2.3", t0_ + 7s);
  ASSERT_FALSE(own.error) << own.error->message(Lang::en);
  // The guesser's lock runs out after 15 minutes.
  EXPECT_EQ(code_of(login_from("liwei", kPassword, "203.0.113.9", t0_ + 5s + 15min)), "");
}

TEST_P(LoginTest, AnAutomaticLockDoesNotEndOpenSessions) {
  create("liwei", Role::grid_worker, "530621101001");
  Session s = login_from("liwei", kPassword, "10.1.2.3", t0_).value();
  for (int i = 0; i < 5; ++i) login_from("liwei", kWrong, "203.0.113.9", t0_ + 1s);
  EXPECT_EQ(authenticate(s.token, t0_ + 2s).user.username, "liwei");
}

TEST_P(LoginTest, UnknownNamesAreAnsweredAndLockedExactlyAsWrongPasswords) {
  create("liwei", Role::grid_worker, "530621101001");
  std::vector<std::string> real, unknown;
  for (int i = 0; i < 6; ++i) {
    real.push_back(code_of(login_from("liwei", kWrong, "203.0.113.9", t0_ + 1s * i)));
    unknown.push_back(code_of(login_from("nobody", kWrong, "203.0.113.10", t0_ + 1s * i)));
  }
  EXPECT_EQ(real, unknown);
  EXPECT_EQ(unknown.back(), "locked");
  auto a = login_from("liwei", kPassword, "203.0.113.9", t0_ + 10s);
  auto b = login_from("nobody", kPassword, "203.0.113.10", t0_ + 10s);
  EXPECT_EQ(a.error->message(Lang::zh), b.error->message(Lang::zh));
  EXPECT_EQ(a.error->message(Lang::en), b.error->message(Lang::en));
}

TEST_P(LoginTest, TheAccountWideLimitNeedsManyAddresses) {
  create("liwei", Role::grid_worker, "530621101001");
  // 19 addresses × 5 failures = 95: under the account-wide 100, so the owner still gets in.
  for (int a = 0; a < 19; ++a) {
    for (int i = 0; i < 5; ++i) {
      login_from("liwei", kWrong, "198.51.100." + std::to_string(a), t0_ + 1s);
    }
  }
  EXPECT_EQ(code_of(login_from("liwei", kPassword, "10.1.2.3", t0_ + 2s)), "");
  for (int i = 0; i < 5; ++i) login_from("liwei", kWrong, "198.51.100.99", t0_ + 3s);
  // 100 failures within 15 minutes: now the account's logins lock for everyone …
  EXPECT_EQ(code_of(login_from("liwei", kPassword, "10.1.2.3", t0_ + 4s)), "locked");
  // … for 15 minutes.
  EXPECT_EQ(code_of(login_from("liwei", kPassword, "10.1.2.3", t0_ + 3s + 15min)), "");
}

TEST_P(LoginTest, AnUnlockClearsEveryAddressLockout) {
  int64_t id = create("liwei", Role::grid_worker, "530621101001");
  for (int i = 0; i < 5; ++i) login_from("liwei", kWrong, "203.0.113.9", t0_);
  ASSERT_EQ(code_of(login_from("liwei", kPassword, "203.0.113.9", t0_ + 1s)), "locked");
  db_->transact([&](store::Tx& tx) { accounts_.unlock(tx, id, t0_ + 2s, "sec"); });
  EXPECT_EQ(code_of(login_from("liwei", kPassword, "203.0.113.9", t0_ + 3s)), "");
}

TEST_P(LoginTest, WrongOldPasswordsCountTowardTheLockout) {
  int64_t id = create("liwei", Role::grid_worker, "530621101001");
  Session s = login_from("liwei", kPassword, "203.0.113.9", t0_).value();
  auto change = [&](const char* old_pw, Instant at) {
    return error_code([&] {
      accounts_.change_password(*db_, id, s.token, old_pw, kNewPassword, "203.0.113.9", at);
    });
  };
  for (int i = 0; i < 4; ++i) EXPECT_EQ(change(kWrong, t0_ + 1s), "wrong_password");
  EXPECT_NO_THROW(authenticate(s.token, t0_ + 2s));
  EXPECT_EQ(change(kWrong, t0_ + 3s), "wrong_password");
  // The fifth locks this address out and ends the session that was guessing.
  EXPECT_EQ(error_code([&] { authenticate(s.token, t0_ + 4s); }), "session_invalid");
  EXPECT_EQ(code_of(login_from("liwei", kPassword, "203.0.113.9", t0_ + 5s)), "locked");
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM audit_log WHERE action = 'password.change_failed'"),
            4);
}

TEST_P(LoginTest, APasswordChangeEndsEveryOtherSession) {
  int64_t id = create("liwei", Role::grid_worker, "530621101001");
  Session here = login_from("liwei", kPassword, "10.1.2.3", t0_).value();
  Session phone = login_from("liwei", kPassword, "10.9.9.9", t0_).value();
  accounts_.change_password(*db_, id, here.token, kPassword, kNewPassword, "10.1.2.3", t0_ + 1min);
  EXPECT_NO_THROW(authenticate(here.token, t0_ + 2min));
  EXPECT_EQ(error_code([&] { authenticate(phone.token, t0_ + 2min); }), "session_invalid");
  EXPECT_FALSE(login_from("liwei", kPassword, "10.1.2.3", t0_ + 3min).session);
  EXPECT_TRUE(login_from("liwei", kNewPassword, "10.1.2.3", t0_ + 3min).session);
}

TEST_P(LoginTest, SessionsEndTwelveHoursAfterTheLoginHoweverBusy) {
  create("liwei", Role::grid_worker, "530621101001");
  Session s = login_from("liwei", kPassword, "10.1.2.3", t0_).value();
  Instant at = t0_;
  // A request every 20 minutes keeps the idle clock fresh …
  while (at + 20min < t0_ + 12h) {
    at += 20min;
    ASSERT_NO_THROW(authenticate(s.token, at)) << format_instant(at);
  }
  // … but not past the absolute lifetime.
  EXPECT_EQ(error_code([&] { authenticate(s.token, t0_ + 12h); }), "session_invalid");
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(error_code([&] { accounts_.check_session(*tx, s.token, t0_ + 12h); }),
            "session_invalid");
}

TEST_P(LoginTest, AThrottledAddressIsRefusedBeforeAnyWork) {
  create("liwei", Role::grid_worker, "530621101001");
  for (int i = 0; i < 10; ++i) login_from("nobody" + std::to_string(i), kWrong, "203.0.113.9", t0_);
  const int64_t rows = audit_rows();
  auto r = login_from("liwei", kPassword, "203.0.113.9", t0_);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code(), "throttled");
  EXPECT_EQ(r.retry_after, 6s);   // one attempt back every 6 seconds
  EXPECT_EQ(audit_rows(), rows);  // nothing read, hashed or written
  // Other addresses are not held up, and the address gets an attempt back with time.
  EXPECT_TRUE(login_from("liwei", kPassword, "10.1.2.3", t0_ + 1s).session);
  EXPECT_TRUE(login_from("liwei", kPassword, "203.0.113.9", t0_ + 6s).session);
}

TEST(LoginThrottleTest, RefillsAtTheRateUpToTheBurst) {
  LoginThrottle t(3, 6);  // 3 at once, one back every 10 s
  Instant t0 = parse_instant("2026-03-01T08:00:00Z");
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(t.blocked("a", t0));
    t.failed("a", t0);
  }
  EXPECT_EQ(t.blocked("a", t0), std::chrono::seconds(10));
  EXPECT_FALSE(t.blocked("b", t0));
  EXPECT_EQ(t.blocked("a", t0 + 5s), std::chrono::seconds(5));
  EXPECT_FALSE(t.blocked("a", t0 + 10s));
  t.failed("a", t0 + 10s);
  EXPECT_TRUE(t.blocked("a", t0 + 10s));
  EXPECT_FALSE(t.blocked("a", t0 + 1h));
}

TEST(HashGateTest, BeyondTheSlotsAndTheQueueTheAnswerIsAtOnce) {
  HashGate gate(1, 0);
  auto first = gate.enter();
  ASSERT_TRUE(first);
  EXPECT_FALSE(gate.enter());
  first.reset();
  EXPECT_TRUE(gate.enter());
}

INSTANTIATE_TEST_SUITE_P(Backends, LoginTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::auth
