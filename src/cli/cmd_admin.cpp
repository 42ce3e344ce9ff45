// Operators' commands: `wangge user add|passwd|lock|list` and `wangge audit verify`.
#include <fmt/format.h>

#include "auth/accounts.h"
#include "auth/audit.h"
#include "auth/scope.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"

namespace wangge::cli {
namespace {

constexpr const char* kActor = "cli";

auth::User require_user(store::Tx& tx, auth::Accounts& accounts, const std::string& username) {
  auto u = accounts.find_user(tx, username);
  if (!u) throw_not_found("用户不存在：" + username, "no such user: " + username);
  return *u;
}

}  // namespace

int run_user(const UserArgs& args) {
  if (args.db.empty()) {
    throw_bad_input("missing_db", "须用 --db 指定数据库", "--db is required", "db");
  }
  auto db = open_database(args.db);
  open_vault_if_any(*db, args.db);  // the audit rows of account changes carry the chain's MAC
  auth::Accounts accounts;
  const Instant t = now();
  if (args.action == "add") {
    auth::NewUser u{args.username,
                    args.name.empty() ? args.username : args.name,
                    auth::parse_role(args.role),
                    args.org,
                    args.household,
                    args.password};
    int64_t id =
        db->transact([&](store::Tx& tx) { return accounts.create_user(tx, u, t, kActor); });
    fmt::print("已创建用户 {}（{}），编号 {}；首次登录须修改密码\n", args.username,
               auth::label(u.role), id);
  } else if (args.action == "passwd") {
    db->transact([&](store::Tx& tx) {
      auto u = require_user(tx, accounts, args.username);
      accounts.reset_password(tx, u.id, args.password, t, kActor);
    });
    fmt::print("已重置 {} 的密码；该用户已退出登录，下次登录须修改密码\n", args.username);
  } else if (args.action == "lock") {
    db->transact([&](store::Tx& tx) {
      auto u = require_user(tx, accounts, args.username);
      if (args.unlock) {
        accounts.unlock(tx, u.id, t, kActor);
      } else {
        std::optional<Instant> until;
        if (args.minutes > 0) until = t + std::chrono::minutes(args.minutes);
        accounts.lock(tx, u.id, until, t, kActor);
      }
    });
    fmt::print("{} {}\n", args.username, args.unlock ? "已解锁" : "已锁定");
  } else {  // list
    auto tx = db->begin(store::TxMode::read);
    auto users =
        accounts.list_users(*tx, auth::scope_of(args.org.empty() ? "530600000000" : args.org));
    for (const auto& u : users) {
      bool locked = u.locked_until && *u.locked_until > t;
      fmt::print("{:<16} {:<14} {:<22} {}{}{}\n", u.username, auth::label(u.role), u.org_code,
                 u.disabled ? "停用 " : "", locked ? "锁定 " : "",
                 u.must_change_password ? "待改密码" : "");
    }
  }
  return 0;
}

int run_audit_verify(const std::string& url) {
  auto db = open_existing_database(url);
  const bool keyed = open_vault_if_any(*db, url).has_value();
  auto tx = db->begin(store::TxMode::read);
  int64_t rows = tx->query_int("SELECT COUNT(*) FROM audit_log");
  if (auto broken = auth::audit::verify(*tx)) {
    fmt::print("审计日志被篡改：第一处断链在第 {} 条 (audit chain broken at id {})\n", *broken,
               *broken);
    return 1;
  }
  fmt::print("审计日志完整：{} 条 (audit chain intact: {} entries)\n", rows, rows);
  if (auto from = auth::audit::mac_from(*tx); from && keyed) {
    fmt::print("第 {} 条起以密钥校验 (keyed MAC checked from entry {}); 之前的以 SHA-256 链校验\n",
               *from, *from);
  } else {
    fmt::print("未使用密钥校验，只校验了 SHA-256 链 (no key: SHA-256 chain only)\n");
  }
  return 0;
}

}  // namespace wangge::cli
