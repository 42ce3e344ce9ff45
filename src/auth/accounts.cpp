#include "auth/accounts.h"

#include <algorithm>
#include <cctype>
#include <thread>

#include "auth/audit.h"
#include "auth/crypto.h"
#include "auth/login_guard.h"
#include "org/service.h"

namespace wangge::auth {
namespace {

using namespace std::chrono_literals;

// A manual lock without an end: 9999-12-31T23:59:59Z.
constexpr int64_t kForeverMs = 253402300799000;

constexpr std::string_view kUserSelect =
    "SELECT u.id, u.username, u.display_name, u.role, u.org_id, o.code, u.household_id, "
    "u.must_change_password, u.failed_logins, u.locked_until, u.disabled, u.created_at, "
    "u.password_changed_at FROM users u JOIN orgs o ON o.id = u.org_id ";

User user_of(const store::Row& r) {
  User u;
  u.id = r.i64(0);
  u.username = r.text(1);
  u.display_name = r.text(2);
  u.role = parse_role(r.text(3));
  u.org_id = r.i64(4);
  u.org_code = r.text(5);
  u.household_id = r.opt_i64(6);
  u.must_change_password = r.i64(7) != 0;
  u.failed_logins = static_cast<int>(r.i64(8));
  if (auto ms = r.opt_i64(9)) u.locked_until = from_unix_ms(*ms);
  u.disabled = r.i64(10) != 0;
  u.created_at = from_unix_ms(r.i64(11));
  u.password_changed_at = from_unix_ms(r.i64(12));
  return u;
}

bool is_locked(const User& u, Instant now) { return u.locked_until && now < *u.locked_until; }

Error unauthorized(std::string code, std::string zh, std::string en) {
  return Error(ErrorKind::unauthorized, std::move(code), std::move(zh), std::move(en));
}

[[noreturn]] void throw_session_invalid() {
  throw unauthorized("session_invalid", "登录已失效，请重新登录", "the session is not valid");
}

size_t code_points(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

void check_new_user(const NewUser& u) {
  bool name_ok = u.username.size() >= 3 && u.username.size() <= 32 &&
                 std::all_of(u.username.begin(), u.username.end(), [](unsigned char c) {
                   return std::isalnum(c) || c == '_' || c == '.' || c == '-';
                 });
  if (!name_ok) {
    throw_bad_input("invalid_username", "用户名须为3至32位字母、数字或 _ . -",
                    "a username is 3–32 of letters, digits, _ . -", "username");
  }
  size_t n = code_points(u.display_name);
  if (n == 0 || n > 40) {
    throw_bad_input("invalid_display_name", "姓名须为1至40个字符",
                    "a display name is 1–40 characters", "display_name");
  }
  if (u.role == Role::resident && (!u.household_id || *u.household_id <= 0)) {
    throw_bad_input("household_required", "居民账户须关联户",
                    "a resident account needs a household", "household_id");
  }
  if (u.role != Role::resident && u.household_id) {
    throw_bad_input("household_not_allowed", "只有居民账户关联户",
                    "only resident accounts have a household", "household_id");
  }
  check_password_policy(u.initial_password, u.username, "initial_password");
}

// At most max_bytes of s, cut at a character boundary (PostgreSQL refuses broken UTF-8).
std::string utf8_prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

std::string user_subject(int64_t id) { return "user:" + std::to_string(id); }

void bump_epoch(store::Tx& tx) { tx.exec("UPDATE auth_epoch SET value = value + 1 WHERE id = 1"); }

// login_failures keys: a name as typed (unknown ones too, so that they lock alike) and a
// client address, or kAnyAddress for the name's count from everywhere.
constexpr std::string_view kAnyAddress = "*";
std::string failure_name(std::string_view username) { return utf8_prefix(username, 64); }
std::string failure_address(std::string_view address) { return utf8_prefix(address, 64); }
// Counts of names nobody has tried for a day are forgotten.
constexpr int64_t kForgetFailuresMs = 24LL * 3600 * 1000;

// Logins are POSTs, so they run on the server's write pool (8 threads on SQLite): at most two
// hashes and two waiting leave at least half of it for writes, whatever the core count.
int hash_slots(const AuthOptions& o) {
  if (o.hash_slots > 0) return o.hash_slots;
  return std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 2);
}

RetryLater busy() {
  return RetryLater("busy", "登录请求过多，请稍后重试",
                    "too many logins at once; try again shortly", std::chrono::seconds(1));
}

RetryLater throttled(std::chrono::seconds wait) {
  return RetryLater(
      "throttled", "失败次数过多，请" + std::to_string(wait.count()) + "秒后再试",
      "too many failed attempts; try again in " + std::to_string(wait.count()) + " seconds", wait);
}

}  // namespace

std::string token_hash(std::string_view token) { return detail::sha256_hex(token); }

int64_t auth_epoch(store::Tx& tx) {
  return tx.query_int("SELECT value FROM auth_epoch WHERE id = 1");
}

Accounts::Accounts(AuthOptions opts)
    : opts_(opts),
      dummy_hash_(hash_password("no-such-user#0", opts_.password)),
      throttle_(std::make_shared<LoginThrottle>(opts_.throttle_burst, opts_.throttle_per_minute)),
      gate_(std::make_shared<HashGate>(
          hash_slots(opts_), opts_.hash_queue > 0 ? opts_.hash_queue : hash_slots(opts_))) {}

const Session& LoginResult::value() const {
  if (error) throw *error;
  return *session;
}

void check_access(const Permissions& perms, const User& user, std::string_view permission) {
  if (user.must_change_password) {
    throw Error(ErrorKind::forbidden, "password_change_required", "请先修改初始密码",
                "change the initial password first");
  }
  perms.require(user.role, permission);
}

int64_t Accounts::create_user(store::Tx& tx, const NewUser& u, Instant now,
                              std::string_view actor) {
  check_new_user(u);
  auto org = org::find_org(tx, u.org_code);
  if (!org) {
    throw_bad_input("unknown_org", "组织机构不存在：" + u.org_code, "no such org: " + u.org_code,
                    "org_code");
  }
  if (find_user(tx, u.username)) {
    throw_conflict("duplicate_username", "用户名已存在：" + u.username,
                   "username taken: " + u.username);
  }
  int64_t id = tx.insert_id(
      "INSERT INTO users (username, display_name, password_hash, role, org_id, household_id, "
      "must_change_password, failed_logins, disabled, created_at, password_changed_at) "
      "VALUES (?, ?, '', ?, ?, ?, 1, 0, 0, ?, ?)",
      {u.username, u.display_name, to_string(u.role), org->id, u.household_id, to_unix_ms(now),
       to_unix_ms(now)});
  set_password(tx, id, u.initial_password, true, now);
  audit::append(tx, actor, "user.create", user_subject(id),
                u.username + " " + std::string(to_string(u.role)) + " " + u.org_code, now);
  return id;
}

void Accounts::set_password(store::Tx& tx, int64_t user_id, std::string_view password,
                            bool must_change, Instant now) {
  set_password_hash(tx, user_id, hash_password(password, opts_.password), must_change, now);
}

void Accounts::set_password_hash(store::Tx& tx, int64_t user_id, const std::string& hash,
                                 bool must_change, Instant now) {
  tx.exec(
      "UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ? "
      "WHERE id = ?",
      {hash, must_change ? 1 : 0, to_unix_ms(now), user_id});
  tx.exec("INSERT INTO password_history (user_id, hash, created_at) VALUES (?, ?, ?)",
          {user_id, hash, to_unix_ms(now)});
  // Only the last history_depth hashes matter; older ones are kept out of reach.
  tx.exec(
      "DELETE FROM password_history WHERE user_id = ? AND id NOT IN (SELECT id FROM "
      "password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?)",
      {user_id, user_id, std::max(opts_.history_depth, 1)});
}

Accounts::LoginState Accounts::read_login(store::Tx& tx, std::string_view username,
                                          std::string_view address, Instant now) {
  LoginState st;
  st.user = find_user(tx, username);
  if (st.user) {
    st.hash = tx.query_one("SELECT password_hash FROM users WHERE id = ?", {st.user->id})->text(0);
    st.locked = is_locked(*st.user, now);
  }
  st.locked = st.locked || tx.query_int(
                               "SELECT COUNT(*) FROM login_failures WHERE username = ? AND "
                               "address IN (?, ?) AND locked_until > ?",
                               {failure_name(username), failure_address(address), kAnyAddress,
                                to_unix_ms(now)}) > 0;
  return st;
}

bool Accounts::record_failure(store::Tx& tx, std::string_view username, std::string_view address,
                              std::optional<int64_t> user_id, Instant now) {
  const int64_t t = to_unix_ms(now);
  const std::string name = failure_name(username);
  bool lock = false;
  for (const std::string& addr : {failure_address(address), std::string(kAnyAddress)}) {
    const bool any = addr == kAnyAddress;
    tx.exec(
        "INSERT INTO login_failures (username, address, failures, first_at, last_at) "
        "VALUES (?, ?, 0, ?, ?) ON CONFLICT (username, address) DO NOTHING",
        {name, addr, t, t});
    auto row = tx.query_one(
        "SELECT failures, first_at FROM login_failures WHERE username = ? AND address = ?",
        {name, addr});
    int64_t failures = row->i64(0);
    int64_t first = row->i64(1);
    // The name's count is of the last `lockout`; an address's count is of consecutive failures.
    if (any && t - first >= opts_.lockout.count()) failures = 0;
    if (failures == 0) first = t;
    ++failures;
    const bool lock_here = failures >= (any ? opts_.account_max_failures : opts_.max_failures);
    std::optional<int64_t> until;
    if (lock_here) {
      until = to_unix_ms(now + opts_.lockout);
      failures = 0;  // a lock that has run out starts a fresh count
    }
    tx.exec(
        "UPDATE login_failures SET failures = ?, first_at = ?, last_at = ?, locked_until = ? "
        "WHERE username = ? AND address = ?",
        {failures, first, t, until, name, addr});
    lock = lock || lock_here;
  }
  if (user_id) {
    tx.exec("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", {*user_id});
  }
  tx.exec(
      "DELETE FROM login_failures WHERE last_at < ? AND (locked_until IS NULL OR "
      "locked_until < ?)",
      {t - kForgetFailuresMs, t});
  return lock;
}

std::optional<LoginResult> Accounts::record_login(store::Tx& tx, std::string_view username,
                                                  std::string_view address, const LoginState& seen,
                                                  bool password_ok, Instant now) {
  auto fail = [&](std::string code, std::string zh, std::string en) {
    return LoginResult{std::nullopt, unauthorized(std::move(code), std::move(zh), std::move(en))};
  };
  auto bad_credentials = [&] {
    return fail("bad_credentials", "用户名或密码错误", "wrong username or password");
  };
  auto locked = [&] {
    auto minutes = std::chrono::duration_cast<std::chrono::minutes>(opts_.lockout).count();
    return fail("locked", "账户已锁定，请" + std::to_string(minutes) + "分钟后再试",
                "the account is locked; try again in " + std::to_string(minutes) + " minutes");
  };

  LoginState st = read_login(tx, username, address, now);
  if (!(st == seen)) return std::nullopt;
  // The name is caller input: keep at most 64 bytes of it in the log.
  const std::string actor = utf8_prefix(username, 64);
  const std::string subject = st.user ? user_subject(st.user->id) : "user:unknown";
  if (st.locked) {
    audit::append(tx, actor, "login_failed", subject, "locked", now);
    return locked();
  }
  if (!password_ok) {
    std::optional<int64_t> id;
    if (st.user) id = st.user->id;
    bool lock_now = record_failure(tx, username, address, id, now);
    std::string detail =
        st.user ? "failures=" + std::to_string(st.user->failed_logins + 1) : "no such user";
    audit::append(tx, actor, lock_now ? "account_locked" : "login_failed", subject, detail, now);
    return lock_now ? locked() : bad_credentials();
  }
  const User& user = *st.user;
  if (user.disabled) {
    audit::append(tx, actor, "login_failed", subject, "disabled", now);
    return fail("disabled", "账户已停用，请联系安全管理员", "the account is disabled");
  }
  tx.exec("DELETE FROM login_failures WHERE username = ? AND address = ?",
          {failure_name(username), failure_address(address)});
  tx.exec("UPDATE users SET failed_logins = 0 WHERE id = ?", {user.id});
  Session s{detail::random_token(), detail::random_token(), get_user(tx, user.id)};
  tx.exec(
      "INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {token_hash(s.token), user.id, s.csrf_token, to_unix_ms(now), to_unix_ms(now)});
  audit::append(tx, actor, "login", subject, "", now);
  return LoginResult{std::move(s), std::nullopt};
}

LoginResult Accounts::login(store::Tx& tx, std::string_view username, std::string_view password,
                            Instant now, std::string_view address) {
  LoginState st = read_login(tx, username, address, now);
  bool ok = !st.locked && verify_password(password, st.user ? st.hash : dummy_hash_);
  return *record_login(tx, username, address, st, ok, now);
}

LoginResult Accounts::login(store::Database& db, std::string_view username,
                            std::string_view password, std::string_view address, Instant now) {
  auto refuse = [](const RetryLater& e) {
    return LoginResult{std::nullopt, Error(e), e.retry_after()};
  };
  if (auto wait = throttle_->blocked(address, now)) return refuse(throttled(*wait));
  // Twice at most: a password changed (or a lock) between the check and the write voids the
  // check.
  for (int attempt = 0; attempt < 2; ++attempt) {
    LoginState st = [&] {
      auto tx = db.begin(store::TxMode::read);
      return read_login(*tx, username, address, now);
    }();
    bool ok = false;
    if (!st.locked) {
      auto ticket = gate_->enter();
      if (!ticket) return refuse(busy());
      ok = verify_password(password, st.user ? st.hash : dummy_hash_);
    }
    auto tx = db.begin(store::TxMode::write);
    std::optional<LoginResult> r = record_login(*tx, username, address, st, ok, now);
    if (!r) continue;
    tx->commit();
    if (r->error && r->error->code() != "disabled") throttle_->failed(address, now);
    return std::move(*r);
  }
  throttle_->failed(address, now);
  return LoginResult{std::nullopt, unauthorized("bad_credentials", "用户名或密码错误",
                                                "wrong username or password")};
}

namespace {

[[noreturn]] void throw_wrong_password() {
  throw_bad_input("wrong_password", "原密码错误", "the old password is wrong", "old_password");
}

[[noreturn]] void throw_reused(int depth) {
  throw_bad_input("password_reused",
                  "新密码不能与最近" + std::to_string(depth) + "次使用的密码相同",
                  "the new password was used recently", "new_password");
}

std::vector<std::string> history_of(store::Tx& tx, int64_t user_id, int depth) {
  std::vector<std::string> out;
  for (const auto& row :
       tx.query("SELECT hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                {user_id, depth})) {
    out.push_back(row.text(0));
  }
  return out;
}

}  // namespace

void Accounts::end_other_sessions(store::Tx& tx, int64_t user_id, std::string_view keep_token,
                                  Instant now) {
  tx.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?",
          {to_unix_ms(now), user_id, keep_token.empty() ? std::string() : token_hash(keep_token)});
}

void Accounts::change_password(store::Tx& tx, int64_t user_id, std::string_view old_password,
                               std::string_view new_password, Instant now,
                               std::string_view keep_token) {
  User user = get_user(tx, user_id);
  std::string hash =
      tx.query_one("SELECT password_hash FROM users WHERE id = ?", {user_id})->text(0);
  if (!verify_password(old_password, hash)) throw_wrong_password();
  check_password_policy(new_password, user.username, "new_password");
  for (const auto& h : history_of(tx, user_id, opts_.history_depth)) {
    if (verify_password(new_password, h)) throw_reused(opts_.history_depth);
  }
  set_password(tx, user_id, new_password, false, now);
  end_other_sessions(tx, user_id, keep_token, now);
  bump_epoch(tx);
  audit::append(tx, user.username, "password.change", user_subject(user_id), "", now);
}

void Accounts::change_password(store::Database& db, int64_t user_id, std::string_view keep_token,
                               std::string_view old_password, std::string_view new_password,
                               std::string_view address, Instant now) {
  // No address throttle here: the caller holds a session, and wrong old passwords count
  // toward the lockout instead.
  for (int attempt = 0; attempt < 2; ++attempt) {
    User user;
    std::string hash;
    std::vector<std::string> history;
    {
      auto tx = db.begin(store::TxMode::read);
      user = get_user(*tx, user_id);
      hash = tx->query_one("SELECT password_hash FROM users WHERE id = ?", {user_id})->text(0);
      history = history_of(*tx, user_id, opts_.history_depth);
    }
    bool old_ok = false;
    std::string new_hash;
    {
      auto ticket = gate_->enter();
      if (!ticket) throw busy();
      old_ok = verify_password(old_password, hash);
      if (old_ok) {
        check_password_policy(new_password, user.username, "new_password");
        for (const auto& h : history) {
          if (verify_password(new_password, h)) throw_reused(opts_.history_depth);
        }
        new_hash = hash_password(new_password, opts_.password);
      }
    }
    auto tx = db.begin(store::TxMode::write);
    auto now_hash = tx->query_one("SELECT password_hash FROM users WHERE id = ?", {user_id});
    if (!now_hash) throw_not_found("用户不存在", "no such user");
    if (now_hash->text(0) != hash) continue;  // changed meanwhile: check against the new one
    if (!old_ok) {
      // Someone holding the session may be guessing: count it as a failed login.
      bool lock_now = record_failure(*tx, user.username, address, user.id, now);
      if (lock_now) {
        tx->exec("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                 {to_unix_ms(now), token_hash(keep_token)});
        bump_epoch(*tx);
      }
      audit::append(*tx, user.username, lock_now ? "account_locked" : "password.change_failed",
                    user_subject(user_id), "wrong old password", now);
      tx->commit();
      throw_wrong_password();
    }
    set_password_hash(*tx, user_id, new_hash, false, now);
    end_other_sessions(*tx, user_id, keep_token, now);
    bump_epoch(*tx);
    audit::append(*tx, user.username, "password.change", user_subject(user_id), "", now);
    tx->commit();
    return;
  }
  throw_conflict("password_changed", "密码刚被修改，请重新登录后再试",
                 "the password was just changed; log in again and retry");
}

void Accounts::reset_password(store::Tx& tx, int64_t user_id, std::string_view initial_password,
                              Instant now, std::string_view actor) {
  User user = get_user(tx, user_id);
  check_password_policy(initial_password, user.username, "initial_password");
  set_password(tx, user_id, initial_password, true, now);
  tx.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
          {to_unix_ms(now), user_id});
  bump_epoch(tx);
  audit::append(tx, actor, "password.reset", user_subject(user_id), "", now);
}

Authenticated Accounts::authenticate(store::Tx& tx, std::string_view token, Instant now) {
  Authenticated who = check_session(tx, token, now);
  if (who.needs_touch) touch_session(tx, token, now);
  who.needs_touch = false;
  return who;
}

void Accounts::touch_session(store::Tx& tx, std::string_view token, Instant now) {
  tx.exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?",
          {to_unix_ms(now), token_hash(token)});
}

Authenticated Accounts::check_session(store::Tx& tx, std::string_view token, Instant now) {
  auto row = tx.query_one(
      "SELECT user_id, csrf_token, last_seen_at, revoked_at, created_at FROM sessions WHERE id = ?",
      {token_hash(token)});
  if (!row || !row->is_null(3)) throw_session_invalid();
  Instant last_seen = from_unix_ms(row->i64(2));
  if (now - last_seen >= opts_.idle_timeout) throw_session_invalid();
  Instant expires = from_unix_ms(row->i64(4)) + opts_.session_lifetime;
  if (now >= expires) throw_session_invalid();
  User user = get_user(tx, row->i64(0));
  if (user.disabled || is_locked(user, now)) throw_session_invalid();
  return {std::move(user), row->text(1), now - last_seen >= opts_.touch_interval, last_seen,
          expires};
}

void Accounts::logout(store::Tx& tx, std::string_view token, Instant now) {
  tx.exec("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
          {to_unix_ms(now), token_hash(token)});
  bump_epoch(tx);
}

int64_t Accounts::revoke_all(store::Tx& tx, int64_t user_id, Instant now, std::string_view actor) {
  int64_t n = tx.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                      {to_unix_ms(now), user_id});
  bump_epoch(tx);
  audit::append(tx, actor, "session.revoke_all", user_subject(user_id),
                "sessions=" + std::to_string(n), now);
  return n;
}

void Accounts::lock(store::Tx& tx, int64_t user_id, std::optional<Instant> until, Instant now,
                    std::string_view actor) {
  get_user(tx, user_id);
  int64_t until_ms = until ? to_unix_ms(*until) : kForeverMs;
  tx.exec("UPDATE users SET locked_until = ? WHERE id = ?", {until_ms, user_id});
  tx.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
          {to_unix_ms(now), user_id});
  bump_epoch(tx);
  audit::append(tx, actor, "user.lock", user_subject(user_id),
                until ? format_instant(*until) : "indefinite", now);
}

void Accounts::unlock(store::Tx& tx, int64_t user_id, Instant now, std::string_view actor) {
  User user = get_user(tx, user_id);
  tx.exec("UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE id = ?", {user_id});
  tx.exec("DELETE FROM login_failures WHERE username = ?", {failure_name(user.username)});
  bump_epoch(tx);
  audit::append(tx, actor, "user.unlock", user_subject(user_id), "", now);
}

void Accounts::set_disabled(store::Tx& tx, int64_t user_id, bool disabled, Instant now,
                            std::string_view actor) {
  get_user(tx, user_id);
  tx.exec("UPDATE users SET disabled = ? WHERE id = ?", {disabled ? 1 : 0, user_id});
  if (disabled) {
    tx.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
            {to_unix_ms(now), user_id});
  }
  bump_epoch(tx);
  audit::append(tx, actor, disabled ? "user.disable" : "user.enable", user_subject(user_id), "",
                now);
}

User Accounts::get_user(store::Tx& tx, int64_t user_id) {
  auto row = tx.query_one(std::string(kUserSelect) + "WHERE u.id = ?", {user_id});
  if (!row) throw_not_found("用户不存在", "no such user");
  return user_of(*row);
}

std::optional<User> Accounts::find_user(store::Tx& tx, std::string_view username) {
  auto row = tx.query_one(std::string(kUserSelect) + "WHERE u.username = ?", {username});
  if (!row) return std::nullopt;
  return user_of(*row);
}

std::vector<User> Accounts::list_users(store::Tx& tx, const Scope& scope) {
  SqlFilter f = scope_sql(scope, "o.code");
  std::vector<User> out;
  for (const auto& row :
       tx.query(std::string(kUserSelect) + "WHERE " + f.where + " ORDER BY u.username", f.params)) {
    out.push_back(user_of(row));
  }
  return out;
}

std::vector<User> Accounts::list_users(store::Tx& tx, const Scope& scope, int64_t offset,
                                       int64_t limit) {
  SqlFilter f = scope_sql(scope, "o.code");
  store::Params params = f.params;
  params.emplace_back(limit);
  params.emplace_back(offset);
  std::vector<User> out;
  for (const auto& row : tx.query(
           std::string(kUserSelect) + "WHERE " + f.where + " ORDER BY u.username LIMIT ? OFFSET ?",
           params)) {
    out.push_back(user_of(row));
  }
  return out;
}

int64_t Accounts::count_users(store::Tx& tx, const Scope& scope) {
  SqlFilter f = scope_sql(scope, "o.code");
  return tx.query_int(
      "SELECT COUNT(*) FROM users u JOIN orgs o ON o.id = u.org_id WHERE " + f.where, f.params);
}

}  // namespace wangge::auth
