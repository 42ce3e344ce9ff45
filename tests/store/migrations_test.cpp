#include "store/migrations.h"

#include <gtest/gtest.h>

#include <vector>

#include "store_test_util.h"

namespace wangge::store {
namespace {

const std::vector<Migration> kBase = {
    {"org", 1, "CREATE TABLE orgs (id {pk}, code TEXT NOT NULL UNIQUE, area {real}, map {blob})"},
    {"org", 2, "ALTER TABLE orgs ADD COLUMN name TEXT; CREATE INDEX orgs_name ON orgs (name);"},
    {"people", 1, "CREATE TABLE residents (id {pk}, org_id BIGINT NOT NULL REFERENCES orgs(id))"},
};

class MigrationsTest : public BackendTest {
 protected:
  int64_t applied() { return count("schema_migrations"); }
  bool table_exists(const std::string& table) {
    auto tx = db().begin(TxMode::read);
    try {
      tx->query("SELECT COUNT(*) FROM " + table);
      return true;
    } catch (const Error&) {
      return false;
    }
  }
};

TEST_P(MigrationsTest, AppliesOnceAndThenNothing) {
  EXPECT_EQ(migrate(db(), kBase), 3);
  EXPECT_EQ(migrate(db(), kBase), 0);
  EXPECT_EQ(applied(), 3);
  int64_t org = db().transact([](Tx& tx) {
    return tx.insert_id("INSERT INTO orgs (code, name, area, map) VALUES (?, ?, ?, ?)",
                        {"530621000000", "鲁甸县", 1487.0, Blob{1, 2}});
  });
  db().transact([&](Tx& tx) { tx.exec("INSERT INTO residents (org_id) VALUES (?)", {org}); });

  auto tx = db().begin(TxMode::read);
  auto row = tx->query_one(
      "SELECT version, applied_at FROM schema_migrations WHERE module = ? ORDER BY version DESC",
      {"org"});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->i64(0), 2);
  EXPECT_GT(row->i64(1), 1700000000000);  // Unix milliseconds
}

TEST_P(MigrationsTest, AppliesOnlyWhatIsNew) {
  ASSERT_EQ(migrate(db(), kBase), 3);
  auto more = kBase;
  more.push_back({"org", 3, "CREATE TABLE grids (id {pk}, org_id BIGINT REFERENCES orgs(id))"});
  EXPECT_EQ(migrate(db(), more), 1);
  EXPECT_EQ(migrate(db(), more), 0);
  EXPECT_TRUE(table_exists("grids"));
}

TEST_P(MigrationsTest, ABrokenMigrationRollsBackWholeAndNamesItself) {
  ASSERT_EQ(migrate(db(), kBase), 3);
  auto more = kBase;
  more.push_back({"people", 2,
                  "CREATE TABLE half_done (x INTEGER);"
                  "INSERT INTO half_done (x) VALUES (1);"
                  "INSERT INTO no_such_table (x) VALUES (1);"});
  more.push_back({"people", 3, "CREATE TABLE after_broken (x INTEGER)"});
  Error e = error_of([&] { migrate(db(), more); });
  EXPECT_EQ(e.kind(), ErrorKind::internal);
  EXPECT_EQ(e.code(), "migration_failed");
  EXPECT_NE(e.message(Lang::en).find("people/2"), std::string::npos) << e.message(Lang::en);
  EXPECT_NE(e.message(Lang::en).find("no_such_table"), std::string::npos);
  EXPECT_NE(e.message(Lang::zh).find("people/2"), std::string::npos);
  EXPECT_FALSE(table_exists("half_done"));
  EXPECT_FALSE(table_exists("after_broken"));
  EXPECT_EQ(applied(), 3);

  // Fixed, it applies with what follows it.
  more[3].sql = "CREATE TABLE half_done (x INTEGER)";
  EXPECT_EQ(migrate(db(), more), 2);
  EXPECT_TRUE(table_exists("after_broken"));
}

TEST_P(MigrationsTest, RefusesVersionsOutOfOrder) {
  std::vector<Migration> bad = {{"org", 2, "CREATE TABLE a (x INTEGER)"},
                                {"org", 1, "CREATE TABLE b (x INTEGER)"}};
  EXPECT_EQ(error_of([&] { migrate(db(), bad); }).kind(), ErrorKind::internal);
  EXPECT_FALSE(table_exists("a"));
}

TEST_P(MigrationsTest, DdlTokensBecomeTheDialectsTypes) {
  ASSERT_EQ(migrate(db(), kBase), 3);
  // {pk} gives generated ids on both, {real} keeps fractions, {blob} keeps bytes.
  auto tx = db().begin();
  EXPECT_EQ(
      tx->insert_id("INSERT INTO orgs (code, area, map) VALUES ('a', 0.25, ?)", {Blob{0, 255}}), 1);
  auto row = tx->query_one("SELECT area, map FROM orgs");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->f64(0), 0.25);
  EXPECT_EQ(row->blob(1), (Blob{0, 255}));
}

TEST_P(MigrationsTest, ADatabaseFromANewerProgramIsRefusedNamingModuleAndVersions) {
  ASSERT_EQ(migrate(db(), kBase), 3);
  EXPECT_NO_THROW(refuse_newer_schema(db(), kBase));
  auto older = kBase;
  older.push_back({"org", 3, "CREATE TABLE grids (id {pk})"});
  EXPECT_NO_THROW(refuse_newer_schema(db(), older));  // older database: migrate() upgrades it

  // A newer wangge applied org/3; this one knows org up to 2.
  ASSERT_EQ(migrate(db(), older), 1);
  Error e = error_of([&] { refuse_newer_schema(db(), kBase); });
  EXPECT_EQ(e.code(), "schema_too_new");
  EXPECT_NE(e.message(Lang::zh).find("数据库由更新版本的 wangge 写入"), std::string::npos);
  EXPECT_NE(e.message(Lang::zh).find("模块 org 的数据库结构版本为 3，本程序最高只认识 2"),
            std::string::npos)
      << e.message(Lang::zh);
  EXPECT_NE(e.message(Lang::en).find("module org is at schema version 3"), std::string::npos);
  EXPECT_NE(e.message(Lang::en).find("knows up to 2"), std::string::npos) << e.message(Lang::en);
}

TEST_P(MigrationsTest, AModuleThisProgramDoesNotKnowIsRefused) {
  EXPECT_NO_THROW(refuse_newer_schema(db(), kBase));  // no schema_migrations yet
  auto more = kBase;
  more.push_back({"care", 1, "CREATE TABLE care_items (id {pk})"});
  ASSERT_EQ(migrate(db(), more), 4);
  Error e = error_of([&] { refuse_newer_schema(db(), kBase); });
  EXPECT_EQ(e.code(), "schema_too_new");
  EXPECT_NE(e.message(Lang::zh).find("模块 care 的数据库结构版本为 1，本程序最高只认识 无"),
            std::string::npos)
      << e.message(Lang::zh);
  EXPECT_NE(e.message(Lang::en).find("knows up to none"), std::string::npos);
}

TEST_P(MigrationsTest, SchemaVersionsAreTheNewestPerModule) {
  {
    auto tx = db().begin(TxMode::read);
    EXPECT_TRUE(schema_versions(*tx).empty());
  }
  ASSERT_EQ(migrate(db(), kBase), 3);
  auto tx = db().begin(TxMode::read);
  EXPECT_EQ(schema_versions(*tx), (std::map<std::string, int64_t>{{"org", 2}, {"people", 1}}));
}

WANGGE_INSTANTIATE_BACKENDS(MigrationsTest);

TEST(Ddl, RewritesEachToken) {
  std::string sql = "CREATE TABLE t (id {pk}, b {blob}, r {real}, s TEXT DEFAULT '{x}')";
  EXPECT_EQ(ddl(Dialect::sqlite, sql),
            "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, r REAL, s TEXT DEFAULT '{x}')");
  EXPECT_EQ(ddl(Dialect::postgres, sql),
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b BYTEA, "
            "r DOUBLE PRECISION, s TEXT DEFAULT '{x}')");
}

}  // namespace
}  // namespace wangge::store
