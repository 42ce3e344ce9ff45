// The auth tables. Sessions are keyed by the SHA-256 of the token, so a copy of the database
// does not hand out live sessions. audit_head is the chain's lock row and its tip, so appends
// serialise on both databases and a truncated tail is noticed.
#include "auth/audit.h"
#include "auth/auth.h"

namespace wangge::auth {
namespace {

std::string seed_grants() {
  std::string sql;
  for (const auto& [role, permission] : default_grants()) {
    sql += "INSERT INTO permissions (role, permission) VALUES ('";
    sql += to_string(role);
    sql += "', '";
    sql += permission;
    sql += "');\n";
  }
  return sql;
}

}  // namespace

const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> list{
      {"auth", 1, std::string(R"sql(
CREATE TABLE users (
  id {pk},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  household_id BIGINT,
  must_change_password INTEGER NOT NULL DEFAULT 1,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);
CREATE TABLE password_history (
  id {pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE permissions (
  role TEXT NOT NULL,
  permission TEXT NOT NULL,
  PRIMARY KEY (role, permission)
);
CREATE TABLE audit_log (
  id {pk},
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL
);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)sql") + seed_grants()},
      // Indexes for the audit administrator's filters; auth_epoch counts changes to users and
      // sessions, so servers that remember checked sessions notice changes made elsewhere.
      {"auth", 2, R"sql(
CREATE INDEX audit_log_actor ON audit_log(actor, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TABLE auth_epoch (
  id INTEGER PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO auth_epoch (id, value) VALUES (1, 0);
)sql"},
      // 五级: grid workers handle the events of their own grid (网格先解决) and verify what
      // they reported (核查), so they hold event.handle too.
      {"auth", 3, R"sql(
INSERT INTO permissions (role, permission)
  SELECT 'grid_worker', 'event.handle' WHERE NOT EXISTS
  (SELECT 1 FROM permissions WHERE role = 'grid_worker' AND permission = 'event.handle');
)sql"},
      // Leaders (领导驾驶舱) read the events behind their KPIs, dashboard and reports, and act on
      // none: event.read is neither event.report nor event.handle.
      {"auth", 4, R"sql(
INSERT INTO permissions (role, permission)
  SELECT 'leader', 'event.read' WHERE NOT EXISTS
  (SELECT 1 FROM permissions WHERE role = 'leader' AND permission = 'event.read');
)sql"},
      // Failed logins per (name as typed, client address) and per name (address '*'): an
      // address locks itself out of one account, not the account's owner. Names that do not
      // exist are counted alike, so the answers do not tell them apart.
      {"auth", 5, R"sql(
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  address TEXT NOT NULL,
  failures INTEGER NOT NULL,
  first_at BIGINT NOT NULL,
  last_at BIGINT NOT NULL,
  locked_until BIGINT,
  PRIMARY KEY (username, address)
);
CREATE INDEX login_failures_last ON login_failures(last_at);
)sql"},
      audit::key_migration(),  // auth 6: the audit chain's MAC, client addresses, data_keys
  };
  return list;
}

}  // namespace wangge::auth
