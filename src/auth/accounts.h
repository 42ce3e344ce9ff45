// Accounts and sessions (身份鉴别): users tied to an org (their data scope), argon2id passwords
// with a policy and history, lockout after repeated failures, and server-side sessions with an
// idle timeout. Every function takes the caller's transaction and the current time, so tests
// move the clock instead of sleeping. Security-relevant changes are written to the audit chain.
#pragma once

#include <chrono>
#include <cstdint>
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
  int max_failures = 5;  // consecutive failures before a lock
  std::chrono::milliseconds lockout = std::chrono::minutes(15);
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
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
  int failed_logins = 0;
  std::optional<Instant> locked_until;
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
  std::optional<Error> error;  // unauthorized: "bad_credentials", "locked", "disabled"
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
};

class Accounts {
 public:
  explicit Accounts(AuthOptions opts = {});
  const AuthOptions& options() const { return opts_; }

  // Throws Error(bad_input) naming the field (username, display_name, org_code, household_id,
  // initial_password) or Error(conflict, "duplicate_username").
  int64_t create_user(store::Tx& tx, const NewUser& u, Instant now, std::string_view actor);

  // Generic "用户名或密码错误" for an unknown user or a wrong password; after max_failures
  // consecutive failures the account locks for `lockout`, during which even the right password
  // gets "账户已锁定，请15分钟后再试".
  LoginResult login(store::Tx& tx, std::string_view username, std::string_view password,
                    Instant now);

  // Checks the old password, the policy and the history; clears must_change_password.
  // Throws Error(bad_input): "wrong_password" (field old_password), "weak_password",
  // "password_reused" (field new_password).
  void change_password(store::Tx& tx, int64_t user_id, std::string_view old_password,
                       std::string_view new_password, Instant now);
  // 安全管理员 resets a password: a new initial password, changed at next login; sessions end.
  void reset_password(store::Tx& tx, int64_t user_id, std::string_view initial_password,
                      Instant now, std::string_view actor);

  // The session's user. Throws Error(unauthorized, "session_invalid") for an unknown, revoked
  // or idle (> idle_timeout since last seen) session or a disabled/locked user. Renews the
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
  // Clears a lock and the failure count.
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
  void set_password(store::Tx& tx, int64_t user_id, std::string_view password, bool must_change,
                    Instant now);

  AuthOptions opts_;
  std::string dummy_hash_;  // verified against for unknown users, so timing does not tell
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
