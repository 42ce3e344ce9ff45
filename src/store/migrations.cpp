#include "store/migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <utility>

#include "core/error.h"
#include "store/internal.h"

namespace wangge::store {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " module TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " applied_at BIGINT NOT NULL,"  // Unix milliseconds, UTC
    " PRIMARY KEY (module, version))";

std::string name_of(const Migration& m) { return m.module + "/" + std::to_string(m.version); }

// Each module's versions must be positive and ascend in the order given.
void check_order(std::span<const Migration> migrations) {
  std::map<std::string, int> last;
  for (const Migration& m : migrations) {
    if (m.module.empty() || m.version < 1) {
      detail::throw_misuse("migration needs a module and a version >= 1: " + name_of(m));
    }
    auto [it, first] = last.emplace(m.module, m.version);
    if (!first && m.version <= it->second) {
      detail::throw_misuse("migrations of module " + m.module + " must ascend: " +
                           std::to_string(m.version) + " after " + std::to_string(it->second));
    }
    it->second = m.version;
  }
}

int64_t unix_ms_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Applies one migration with its schema_migrations row in one transaction; false when another
// process got there first.
bool apply(Database& db, const Migration& m) {
  auto tx = db.begin(TxMode::write);
  if (db.dialect() == Dialect::postgres) {
    // Concurrent migrators queue here (SQLite's write lock does the same).
    tx->exec("LOCK TABLE schema_migrations IN EXCLUSIVE MODE");
  }
  if (tx->query_one("SELECT 1 FROM schema_migrations WHERE module = ? AND version = ?",
                    {m.module, m.version})) {
    return false;
  }
  tx->exec_script(ddl(db.dialect(), m.sql));
  tx->exec("INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)",
           {m.module, m.version, unix_ms_now()});
  tx->commit();
  return true;
}

}  // namespace

void create_schema(Tx& tx, std::span<const Migration> migrations) {
  check_order(migrations);
  tx.exec_script(kCreateTable);
  for (const Migration& m : migrations) tx.exec_script(ddl(tx.dialect(), m.sql));
}

std::map<std::string, int64_t> schema_versions(Tx& tx) {
  const bool exists = tx.dialect() == Dialect::sqlite
                          ? tx.query_one(
                                  "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                                  "'schema_migrations'")
                                .has_value()
                          : tx.query_one(
                                  "SELECT 1 FROM information_schema.tables WHERE table_name = "
                                  "'schema_migrations' AND table_schema = current_schema()")
                                .has_value();
  std::map<std::string, int64_t> out;
  if (!exists) return out;
  tx.each("SELECT module, MAX(version) FROM schema_migrations GROUP BY module", {},
          [&](const Row& r) { out[r.text(0)] = r.i64(1); });
  return out;
}

void refuse_newer_schema(Database& db, std::span<const Migration> known) {
  std::map<std::string, int> newest;
  for (const Migration& m : known) newest[m.module] = std::max(newest[m.module], m.version);
  std::map<std::string, int64_t> found;
  {
    auto tx = db.begin(TxMode::read);
    found = schema_versions(*tx);
  }
  for (const auto& [module, version] : found) {
    auto it = newest.find(module);
    if (it != newest.end() && version <= it->second) continue;
    const std::string ours = it == newest.end() ? "无" : std::to_string(it->second);
    const std::string ours_en = it == newest.end() ? "none" : std::to_string(it->second);
    throw Error(
        ErrorKind::unavailable, "schema_too_new",
        fmt::format("数据库由更新版本的 wangge 写入：模块 {} 的数据库结构版本为 {}，本程序"
                    "最高只认识 {}。拒绝打开，以免旧程序改坏新数据；请升级 wangge 后再运行。",
                    module, version, ours),
        fmt::format("the database was written by a newer wangge: module {} is at schema "
                    "version {}, this program knows up to {}. Refusing to open it (an "
                    "older program could damage newer data); upgrade wangge and run again.",
                    module, version, ours_en));
  }
}

int migrate(Database& db, std::span<const Migration> migrations) {
  check_order(migrations);
  db.transact([&](Tx& tx) { tx.exec_script(kCreateTable); });

  std::set<std::pair<std::string, int64_t>> applied;
  {
    auto tx = db.begin(TxMode::read);
    tx->each("SELECT module, version FROM schema_migrations", {},
             [&](const Row& row) { applied.emplace(row.text(0), row.i64(1)); });
  }

  int count = 0;
  for (const Migration& m : migrations) {
    if (applied.contains({m.module, m.version})) continue;
    try {
      if (apply(db, m)) ++count;
    } catch (const Error& e) {
      ErrorKind kind = e.kind() == ErrorKind::unavailable ? e.kind() : ErrorKind::internal;
      throw Error(kind, "migration_failed",
                  "数据库迁移 " + name_of(m) + " 失败：" + e.message(Lang::zh),
                  "migration " + name_of(m) + " failed: " + e.message(Lang::en));
    }
  }
  return count;
}

}  // namespace wangge::store
