#include "store/migrations.h"

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
