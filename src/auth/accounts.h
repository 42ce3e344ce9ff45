// Accounts and sessions (身份鉴别): users tied to an org (their data scope), argon2id passwords
// with a policy and history, lockout after repeated failures, and server-side sessions with an
// idle timeout and an absolute lifetime. Every function takes the current time, so tests move
// the clock instead of sleeping; most take the caller's transaction. The two a server runs on
// every login and password change take the database instead: they hash outside any
// transaction (argon2 is slow on purpose) and write only the outcome. Security-relevant changes
// are written to the audit chain.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth.h"
#include "auth/password.h"
#include "auth/scope.h"
#include "core/error.h"
#include "core/time.h"
#include "store/database.h"

namespace wangge::auth {

struct AuthOptions {
  PasswordOptions password;
  // Consecutive failures for one account from one client address before that address is
  // locked out of that account for `lockout` (others, the owner included, are not).
  int max_failures = 5;
  // Failures for one account from all addresses within `lockout` before its logins lock for
  // everyone for `lockout`. High, so that locking someone out takes many addresses (with
  // max_failures 5: 20 of them); sessions already open go on.
  int account_max_failures = 100;
  std::chrono::milliseconds lockout = std::chrono::minutes(15);
  // Failed logins per client address: a burst, then a steady rate per minute; beyond it the
  // answer is 429 with Retry-After, before any hashing.
  int throttle_burst = 10;
  int throttle_per_minute = 10;
  // argon2 hashes at once (0: the cores, at most 2) and waiting beyond those (0: as many as
  // slots); beyond both the answer is 503 at once. Logins run on the server's write pool, so
  // these bound how many of its threads hashing may hold.
  int hash_slots = 0;
  int hash_queue = 0;
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
  // A session ends this long after the login whatever its use.
  std::chrono::milliseconds session_lifetime = std::chrono::hours(12);
  std::chrono::milliseconds touch_interval = std::chrono::minutes(1);  // last_seen_at writes
  int history_depth = 5;  // a new password differs from the last n
};

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::resident;
  int64_t org_id = 0;
  std::string org_code;
  std::optional<int64_t> household_id;  // residents only
  bool must_change_password = false;
  int failed_logins = 0;                // consecutive failures since the last login, any address
  std::optional<Instant> locked_until;  // a manual lock (安全管理员 or `wangge user lock`)
  bool disabled = false;
  Instant created_at;
  Instant password_changed_at;

  Scope scope() const { return scope_of(org_code); }
};

struct NewUser {
  std::string username;  // 3–32 of [A-Za-z0-9_.-]
  std::string display_name;
  Role role = Role::resident;
  std::string org_code;                 // the post's org; its subtree is the user's scope
  std::optional<int64_t> household_id;  // required for residents, refused for others
  std::string initial_password;         // must be changed at first login
};

struct Session {
  std::string token;       // 32 random bytes, base64url; only its SHA-256 is stored
  std::string csrf_token;  // echo in X-CSRF-Token on cookie-authenticated writes
  User user;
};

// A login attempt's outcome. A failed attempt still writes (the failure count, the lock and
// the audit entry), so the caller commits the transaction in both cases and then calls value().
struct LoginResult {
  std::optional<Session> session;
  // unauthorized: "bad_credentials", "locked", "disabled"; unavailable: "throttled" (answer
  // 429), "busy" (503), both with retry_after.
  std::optional<Error> error;
  std::chrono::seconds retry_after{0};
  // The session, or throws the error.
  const Session& value() const;
};

// An authenticated request's identity.
struct Authenticated {
  User user;
  std::string csrf_token;
  // Set by check_session when the idle clock is due to be renewed (touch_session).
  bool needs_touch = false;
  Instant last_seen;  // the session's last recorded use
  Instant expires;    // the end of the session's absolute lifetime
};

// Thrown when an address has used up its failed attempts (code "throttled": answer 429) or
// too many password hashes are waiting (code "busy": 503); come back after retry_after.
class RetryLater : public Error {
 public:
  RetryLater(std::string code, std::string zh, std::string en, std::chrono::seconds retry_after)
      : Error(ErrorKind::unavailable, std::move(code), std::move(zh), std::move(en)),
        retry_after_(retry_after) {}
  std::chrono::seconds retry_after() const { return retry_after_; }
  int status() const { return code() == "throttled" ? 429 : 503; }

 private:
  std::chrono::seconds retry_after_;
};

class LoginThrottle;
class HashGate;

class Accounts {
 public:
  explicit Accounts(AuthOptions opts = {});
  const AuthOptions& options() const { return opts_; }

  // Throws Error(bad_input) naming the field (username, display_name, org_code, household_id,
  // initial_password) or Error(conflict, "duplicate_username").
  int64_t create_user(store::Tx& tx, const NewUser& u, Instant now, std::string_view actor);

  // A server's login. "用户名或密码错误" for an unknown user and a wrong password alike, with
  // the same work (an argon2 check against a dummy hash) and the same writes. After
  // max_failures consecutive failures from `address` the name is locked for that address for
  // `lockout`; after account_max_failures from anywhere, for everyone; while locked even the
  // right password gets "账户已锁定，请15分钟后再试" (unknown names lock the same way, so the
  // answers do not tell them apart). An address that used up its failed attempts gets
  // "throttled" without any of this work. The password is checked outside any transaction
  // (at most hash_slots at once); the outcome is written in one short write transaction.
  LoginResult login(store::Database& db, std::string_view username, std::string_view password,
                    std::string_view address, Instant now);
  // The same rules in the caller's transaction (the CLI, tests), without the throttle; commit
  // whatever the outcome (failures are counted).
  LoginResult login(store::Tx& tx, std::string_view username, std::string_view password,
                    Instant now, std::string_view address = {});

  // A server's password change by the user: the old password, the policy, the history, then
  // the new hash, all outside any transaction; clears must_change_password and ends every
  // other session of the user (keep_token's session goes on). A wrong old password counts as
  // a failed login from `address` (committed before the throw); at the lock the session of
  // keep_token ends too. Throws RetryLater, Error(bad_input): "wrong_password" (field
  // old_password), "weak_password", "password_reused" (field new_password).
  void change_password(store::Database& db, int64_t user_id, std::string_view keep_token,
                       std::string_view old_password, std::string_view new_password,
                       std::string_view address, Instant now);
  // The same checks in the caller's transaction, without counting failures (the CLI, tests).
  void change_password(store::Tx& tx, int64_t user_id, std::string_view old_password,
                       std::string_view new_password, Instant now,
                       std::string_view keep_token = {});
  // 安全管理员 resets a password: a new initial password, changed at next login; sessions end.
  void reset_password(store::Tx& tx, int64_t user_id, std::string_view initial_password,
                      Instant now, std::string_view actor);

  // The session's user. Throws Error(unauthorized, "session_invalid") for an unknown, revoked,
  // idle (> idle_timeout since last seen) or old (> session_lifetime since the login) session
  // or a disabled/locked user. Renews the
  // idle clock, writing last_seen_at at most once per touch_interval (needs a write tx).
  Authenticated authenticate(store::Tx& tx, std::string_view token, Instant now);
  // The same checks without writing (a read transaction will do): most requests then need no
  // write at all. When needs_touch is set, renew the clock with touch_session.
  Authenticated check_session(store::Tx& tx, std::string_view token, Instant now);
  void touch_session(store::Tx& tx, std::string_view token, Instant now);

  void logout(store::Tx& tx, std::string_view token, Instant now);
  // Revokes every live session of the user; returns how many.
  int64_t revoke_all(store::Tx& tx, int64_t user_id, Instant now, std::string_view actor);

  // A manual lock (until the given time, or indefinitely) ends the user's sessions.
  void lock(store::Tx& tx, int64_t user_id, std::optional<Instant> until, Instant now,
            std::string_view actor);
  // Clears a lock, the failure counts and the lockouts of every address.
  void unlock(store::Tx& tx, int64_t user_id, Instant now, std::string_view actor);
  void set_disabled(store::Tx& tx, int64_t user_id, bool disabled, Instant now,
                    std::string_view actor);

  // Throws Error(not_found).
  User get_user(store::Tx& tx, int64_t user_id);
  std::optional<User> find_user(store::Tx& tx, std::string_view username);
  // Users whose org lies within scope, by username.
  std::vector<User> list_users(store::Tx& tx, const Scope& scope);
  // One page of them (offset rows skipped, at most limit), and how many there are in all.
  std::vector<User> list_users(store::Tx& tx, const Scope& scope, int64_t offset, int64_t limit);
  int64_t count_users(store::Tx& tx, const Scope& scope);

 private:
  // What a login attempt found before checking the password.
  struct LoginState {
    std::optional<User> user;
    std::string hash;  // the user's password hash; empty for an unknown name
    bool locked = false;
    bool operator==(const LoginState& o) const {
      return (user ? user->id : 0) == (o.user ? o.user->id : 0) && hash == o.hash &&
             locked == o.locked;
    }
  };
  LoginState read_login(store::Tx& tx, std::string_view username, std::string_view address,
                        Instant now);
  // Writes the outcome of a check made against `seen`; nullopt (nothing written) when the
  // account changed since (a new password, a lock): check again.
  std::optional<LoginResult> record_login(store::Tx& tx, std::string_view username,
                                          std::string_view address, const LoginState& seen,
                                          bool password_ok, Instant now);
  // Counts a failure for (username, address) and for the name; true when it locks.
  bool record_failure(store::Tx& tx, std::string_view username, std::string_view address,
                      std::optional<int64_t> user_id, Instant now);
  void set_password(store::Tx& tx, int64_t user_id, std::string_view password, bool must_change,
                    Instant now);
  void set_password_hash(store::Tx& tx, int64_t user_id, const std::string& hash, bool must_change,
                         Instant now);
  void end_other_sessions(store::Tx& tx, int64_t user_id, std::string_view keep_token, Instant now);

  AuthOptions opts_;
  std::string dummy_hash_;  // verified against for unknown users, so timing does not tell
  std::shared_ptr<LoginThrottle> throttle_;
  std::shared_ptr<HashGate> gate_;
};

// The number auth_epoch holds: every write here that ends sessions or changes what a session
// may do (logout, revoke, lock, unlock, disable, password change or reset, a lock after failed
// logins) adds one in the same transaction.
int64_t auth_epoch(store::Tx& tx);

// The one access check for a request: a user who must change their password may do nothing
// else (Error(forbidden, "password_change_required")); otherwise the role must hold the
// permission (Error(forbidden, "forbidden")).
void check_access(const Permissions& perms, const User& user, std::string_view permission);

// The SHA-256 (hex) of a token, as stored in sessions.id.
std::string token_hash(std::string_view token);

}  // namespace wangge::auth
