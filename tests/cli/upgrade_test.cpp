// Upgrades: a database at every earlier schema version (every prefix of the program's migration
// list), with a row in each table that takes one, migrates to the current schema with its rows
// intact; and the schema of each release (tests/store/upgrade/vN.sql, written by
// scripts/upgrade-fixture.sh) migrates to the current one with its data. SQLite: the fixtures
// are SQLite dumps and the rows are made from SQLite's own description of each table.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "auth/audit.h"
#include "cli/app.h"
#include "core/error.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;

std::vector<store::Migration> all_migrations() {
  auto all = app::migrations();
  auto rest = registry().migrations();
  all.insert(all.end(), rest.begin(), rest.end());
  return all;
}

std::vector<std::string> tables(store::Tx& tx) {
  std::vector<std::string> out;
  tx.each(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      "ORDER BY rowid",
      {}, [&](const store::Row& r) { out.push_back(r.text(0)); });
  return out;
}

struct Column {
  std::string name, type;
  bool not_null = false, has_default = false;
};

std::vector<Column> columns(store::Tx& tx, const std::string& table) {
  std::vector<Column> out;
  tx.each("SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(?) ORDER BY cid",
          {table}, [&](const store::Row& r) {
            out.push_back({r.text(0), r.text(1), r.i64(2) != 0, !r.is_null(3)});
          });
  return out;
}

// A table's rows as text (quote() of each column, '|' between), sorted, with its columns.
struct TableRows {
  std::vector<std::string> columns, rows;
};
using Contents = std::map<std::string, TableRows>;

std::vector<std::string> rows_of(store::Tx& tx, const std::string& table,
                                 const std::vector<std::string>& cols) {
  std::string select = "SELECT ''";
  for (const auto& c : cols) select += " || quote(" + c + ") || '|'";
  std::vector<std::string> out;
  tx.each(select + " FROM " + table, {}, [&](const store::Row& r) { out.push_back(r.text(0)); });
  std::sort(out.begin(), out.end());
  return out;
}

Contents contents(store::Database& db) {
  Contents out;
  auto tx = db.begin(store::TxMode::read);
  for (const auto& t : tables(*tx)) {
    auto& table = out[t];
    for (const auto& c : columns(*tx, t)) table.columns.push_back(c.name);
    table.rows = rows_of(*tx, t, table.columns);
  }
  return out;
}

// Every row of `before` is still there, in the columns it had (later migrations add some).
void expect_kept(store::Database& db, const Contents& before, const std::string& at) {
  auto tx = db.begin(store::TxMode::read);
  for (const auto& [table, old] : before) {
    if (old.rows.empty()) continue;
    ASSERT_FALSE(columns(*tx, table).empty())
        << "table " << table << " with rows vanished after " << at;
    const auto got = rows_of(*tx, table, old.columns);
    // Rows may be added by a later migration (seeds); none of the earlier ones may go.
    for (const auto& row : old.rows) {
      EXPECT_TRUE(std::binary_search(got.begin(), got.end(), row))
          << "after " << at << ", " << table << " lost or changed the row " << row;
    }
  }
}

// One made-up row per table where its constraints allow, parents first; returns how many
// tables took one. Values: 1 for numbers (the first row of a referenced table has id 1),
// "x<n>" for text, a byte for blobs.
int fill(store::Database& db) {
  int filled = 0;
  std::vector<std::string> names;
  {
    auto tx = db.begin(store::TxMode::read);
    names = tables(*tx);
  }
  for (const auto& t : names) {
    if (t == "schema_migrations") continue;
    try {
      db.transact([&](store::Tx& tx) {
        std::string cols, marks;
        store::Params p;
        int n = 0;
        for (const auto& c : columns(tx, t)) {
          if (!c.not_null && c.has_default) continue;
          cols += (cols.empty() ? "" : ", ") + c.name;
          marks += marks.empty() ? "?" : ", ?";
          std::string type = c.type;
          if (type.find("INT") != std::string::npos) {
            p.emplace_back(1);
          } else if (type == "REAL" || type.find("DOUBLE") != std::string::npos) {
            p.emplace_back(1.5);
          } else if (type == "BLOB") {
            p.emplace_back(store::Blob{7});
          } else {
            p.emplace_back("x" + std::to_string(++n));
          }
        }
        tx.exec("INSERT INTO " + t + " (" + cols + ") VALUES (" + marks + ")", p);
      });
      ++filled;
    } catch (const Error&) {
      // A CHECK, a unique key or a foreign key the made-up row does not meet: left empty.
    }
  }
  return filled;
}

TEST(Upgrade, EverySchemaVersionMigratesToTheCurrentOneWithItsRows) {
  const auto all = all_migrations();
  int tables_filled = 0;
  for (size_t k = 1; k < all.size(); ++k) {
    const std::string at = all[k - 1].module + "/" + std::to_string(all[k - 1].version);
    auto db = store::Database::open(testing::fresh_database_url("sqlite"), {.pool_size = 1});
    std::vector<store::Migration> prefix(all.begin(), all.begin() + static_cast<long>(k));
    ASSERT_EQ(store::migrate(*db, prefix), static_cast<int>(k)) << at;
    tables_filled += fill(*db);
    const Contents before = contents(*db);
    EXPECT_NO_THROW(registry().migrate(*db)) << "from " << at;
    expect_kept(*db, before, at);
  }
  EXPECT_GT(tables_filled, static_cast<int>(all.size()));  // the rows were not all refused
  std::cout << all.size() << " schema versions, " << tables_filled << " tables given a row\n";
}

// The negative control of the check above: a migration that loses a row is caught.
TEST(Upgrade, AMigrationThatLosesARowIsCaught) {
  static std::unique_ptr<store::Database> db;
  static Contents before;
  db = store::Database::open(testing::fresh_database_url("sqlite"), {.pool_size = 1});
  std::vector<store::Migration> first{{"t", 1, "CREATE TABLE t (id {pk}, x TEXT)"}};
  store::migrate(*db, first);
  ASSERT_EQ(fill(*db), 1);
  before = contents(*db);
  first.push_back({"t", 2, "DELETE FROM t"});
  store::migrate(*db, first);
  EXPECT_NONFATAL_FAILURE(expect_kept(*db, before, "t/2"), "lost or changed the row");
  db.reset();
}

// The current schema is release 1; each release adds tests/store/upgrade/v<N>.sql.
TEST(Upgrade, EachReleasedSchemaMigratesToTheCurrentOneWithItsData) {
  const fs::path dir = testing::source_dir() / "tests/store/upgrade";
  int releases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".sql") continue;
    ++releases;
    std::ifstream in(entry.path());
    std::stringstream sql;
    sql << in.rdbuf();
    auto db = store::Database::open(testing::fresh_database_url("sqlite"), {.pool_size = 1});
    db->transact([&](store::Tx& tx) {
      tx.exec("PRAGMA defer_foreign_keys = ON");
      tx.exec_script(sql.str());
    });
    const Contents before = contents(*db);
    ASSERT_GT(before.at("residents").rows.size(), 0u) << entry.path();
    ASSERT_GT(before.at("events").rows.size(), 0u) << entry.path();
    ASSERT_GT(before.at("audit_log").rows.size(), 0u) << entry.path();
    EXPECT_NO_THROW(registry().migrate(*db)) << entry.path();
    expect_kept(*db, before, entry.path().filename().string());
    auto tx = db->begin(store::TxMode::read);
    EXPECT_EQ(auth::audit::verify(*tx), std::nullopt) << entry.path();
  }
  EXPECT_GE(releases, 1);
}

}  // namespace
}  // namespace wangge::cli
