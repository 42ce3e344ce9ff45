// The Database interface on each backend: values, placeholders, transactions and errors.
#include "store/database.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "store_test_util.h"

namespace wangge::store {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

Blob random_blob(size_t size, uint32_t seed) {
  std::mt19937 gen(seed);
  Blob b(size);
  for (auto& byte : b) byte = static_cast<uint8_t>(gen());
  return b;
}

class DatabaseTest : public BackendTest {};

TEST_P(DatabaseTest, ReportsItsDialect) {
  Dialect expected = GetParam() == "sqlite" ? Dialect::sqlite : Dialect::postgres;
  EXPECT_EQ(db().dialect(), expected);
  EXPECT_EQ(db().begin()->dialect(), expected);
}

TEST_P(DatabaseTest, ValuesOfEveryTypeRoundTrip) {
  exec("CREATE TABLE vals (id {pk}, i BIGINT, r {real}, t TEXT, b {blob})");
  Blob all_bytes(256);
  for (int i = 0; i < 256; ++i) all_bytes[i] = static_cast<uint8_t>(i);
  const Blob large = random_blob(5 << 20, 7);
  const std::string chinese = "网格化管理：昭通市鲁甸县龙头山镇 🏔 第3网格";
  const std::string tricky = "tab\tnewline\ncr\rquote'dq\"back\\slash?";
  std::vector<Params> rows = {
      {kMin, -1.5, chinese, all_bytes},
      {kMax, 1e300, "", Blob{}},
      {0, 0.1, tricky, large},
      {nullptr, nullptr, nullptr, nullptr},
  };
  db().transact([&](Tx& tx) {
    int64_t expected_id = 1;
    for (const Params& row : rows) {
      EXPECT_EQ(tx.insert_id("INSERT INTO vals (i, r, t, b) VALUES (?, ?, ?, ?)", row),
                expected_id++);
    }
  });

  auto tx = db().begin(TxMode::read);
  Rows got = tx->query("SELECT i, r, t, b FROM vals ORDER BY id");
  ASSERT_EQ(got.size(), 4u);
  EXPECT_TRUE(got[0][0].is_int());
  EXPECT_EQ(got[0].i64(0), kMin);
  EXPECT_EQ(got[1].i64(0), kMax);
  EXPECT_EQ(got[2].i64(0), 0);
  EXPECT_TRUE(got[0][1].is_real());
  EXPECT_EQ(got[0].f64(1), -1.5);
  EXPECT_EQ(got[1].f64(1), 1e300);
  EXPECT_EQ(got[2].f64(1), 0.1);
  EXPECT_TRUE(got[0][2].is_text());
  EXPECT_EQ(got[0].text(2), chinese);
  EXPECT_TRUE(got[1][2].is_text());
  EXPECT_EQ(got[1].text(2), "");
  EXPECT_EQ(got[2].text(2), tricky);
  EXPECT_TRUE(got[0][3].is_blob());
  EXPECT_EQ(got[0].blob(3), all_bytes);
  EXPECT_TRUE(got[1][3].is_blob());
  EXPECT_TRUE(got[1].blob(3).empty());
  EXPECT_EQ(got[2].blob(3), large);
  for (size_t c = 0; c < 4; ++c) EXPECT_TRUE(got[3].is_null(c)) << c;
  EXPECT_EQ(got[3].opt_i64(0), std::nullopt);
  EXPECT_EQ(got[3].opt_f64(1), std::nullopt);
  EXPECT_EQ(got[3].opt_text(2), std::nullopt);
  EXPECT_EQ(got[0].opt_text(2), chinese);

  // Values also round-trip as parameters of a WHERE clause.
  EXPECT_EQ(tx->query_int("SELECT id FROM vals WHERE b = ?", {all_bytes}), 1);
  EXPECT_EQ(tx->query_int("SELECT id FROM vals WHERE t = ? AND i = ?", {chinese, kMin}), 1);
  EXPECT_EQ(tx->query_int("SELECT id FROM vals WHERE r = ?", {0.1}), 3);
  EXPECT_EQ(tx->query_int("SELECT CAST(? AS BIGINT)", {kMin}), kMin);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM vals WHERE i IS NULL"), 1);
}

TEST_P(DatabaseTest, SumOfIntegersIsAnInteger) {
  exec("CREATE TABLE n (x BIGINT)");
  db().transact([](Tx& tx) { tx.exec("INSERT INTO n (x) VALUES (?), (?), (4)", {kMax / 2, 3}); });
  auto tx = db().begin(TxMode::read);
  auto row = tx->query_one("SELECT SUM(x), COUNT(*) FROM n");
  ASSERT_TRUE(row);
  EXPECT_TRUE((*row)[0].is_int());
  EXPECT_EQ(row->i64(0), kMax / 2 + 7);
  EXPECT_TRUE((*row)[1].is_int());
  EXPECT_EQ(row->i64(1), 3);
  auto avg = tx->query_one("SELECT AVG(x) FROM n WHERE x < 10");
  ASSERT_TRUE(avg);
  EXPECT_TRUE((*avg)[0].is_real());
  EXPECT_EQ(avg->f64(0), 3.5);
}

TEST_P(DatabaseTest, QuestionMarksInLiteralsAndCommentsAreNotParameters) {
  exec("CREATE TABLE notes (id {pk}, body TEXT)");
  db().transact([](Tx& tx) {
    EXPECT_EQ(
        tx.exec("INSERT INTO notes (body) VALUES ('why?'), ('it''s ?'), (?) -- why ?", {"real?"}),
        3);
  });
  auto tx = db().begin(TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM notes /* ? */ WHERE body = 'why?' OR body = ?",
                          {"real?"}),
            2);
  auto row = tx->query_one(R"(SELECT body AS "what?" FROM notes WHERE body = ?)", {"it's ?"});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), "it's ?");
  Error e = error_of([&] { tx->query("SELECT body FROM notes WHERE body = ?", {}); });
  EXPECT_EQ(e.kind(), ErrorKind::internal);
}

TEST_P(DatabaseTest, InsertIdUsesAnExistingReturningClause) {
  exec("CREATE TABLE t (id {pk}, name TEXT)");
  db().transact([](Tx& tx) {
    EXPECT_EQ(tx.insert_id("INSERT INTO t (name) VALUES (?);", {"a"}), 1);
    EXPECT_EQ(tx.insert_id("INSERT INTO t (name) VALUES (?) RETURNING id", {"b"}), 2);
    EXPECT_EQ(tx.insert_id("INSERT INTO t (name) VALUES ('returning')"), 3);
    EXPECT_EQ(tx.insert_id("INSERT INTO t (name) VALUES ('x'); -- trailing comment"), 4);
    EXPECT_EQ(tx.exec("CREATE TABLE u (x INTEGER)"), 0);
    EXPECT_EQ(tx.exec("UPDATE t SET name = ? WHERE id > ?", {"y", 2}), 2);
  });
  EXPECT_EQ(count("t"), 4);
}

TEST_P(DatabaseTest, CommitKeepsAndEverythingElseDiscards) {
  exec("CREATE TABLE t (id {pk}, name TEXT)");
  {
    auto tx = db().begin();
    tx->exec("INSERT INTO t (name) VALUES ('dropped')");
  }  // destroyed without commit
  EXPECT_EQ(count("t"), 0);

  auto tx = db().begin();
  tx->exec("INSERT INTO t (name) VALUES ('rolled back')");
  tx->rollback();
  tx->rollback();  // a second rollback does nothing
  EXPECT_EQ(error_of([&] { tx->exec("SELECT 1"); }).kind(), ErrorKind::internal);
  EXPECT_EQ(count("t"), 0);

  EXPECT_THROW(db().transact([](Tx& tx) {
    tx.exec("INSERT INTO t (name) VALUES ('thrown')");
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count("t"), 0);

  auto kept = db().begin();
  kept->exec("INSERT INTO t (name) VALUES ('kept')");
  kept->commit();
  EXPECT_EQ(error_of([&] { kept->commit(); }).kind(), ErrorKind::internal);
  EXPECT_EQ(count("t"), 1);
  EXPECT_EQ(db().transact([](Tx& tx) { return tx.query_one("SELECT name FROM t")->text(0); }),
            "kept");
}

class ConstraintTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    exec(
        "CREATE TABLE parents (id {pk}, code TEXT NOT NULL UNIQUE, CHECK (length(code) = 3));"
        "CREATE TABLE kids (id {pk}, parent_id BIGINT NOT NULL REFERENCES parents(id))");
  }

  // Inserts a good row, then runs bad in the same transaction; returns bad's error.
  Error violation(const std::string& bad, const Params& params) {
    return error_of([&] {
      db().transact([&](Tx& tx) {
        tx.exec("INSERT INTO parents (code) VALUES ('ok1')");
        tx.exec(bad, params);
      });
    });
  }
};

TEST_P(ConstraintTest, ViolationsAreConflictsAndLeaveNothing) {
  db().transact([](Tx& tx) { tx.exec("INSERT INTO parents (code) VALUES ('530')"); });
  struct Case {
    std::string sql;
    Params params;
    std::string zh;
  };
  std::vector<Case> cases = {
      {"INSERT INTO parents (code) VALUES (?)", {"530"}, "重复"},    // unique
      {"INSERT INTO kids (parent_id) VALUES (?)", {999}, "关联"},    // foreign key
      {"INSERT INTO parents (code) VALUES (?)", {"5306"}, "约束"},   // check
      {"INSERT INTO parents (code) VALUES (?)", {nullptr}, "必填"},  // not null
      {"DELETE FROM parents WHERE code = ?", {"530"}, ""},           // still referenced
  };
  db().transact([](Tx& tx) { tx.exec("INSERT INTO kids (parent_id) VALUES (1)"); });
  for (const Case& c : cases) {
    Error e = violation(c.sql, c.params);
    EXPECT_EQ(e.kind(), ErrorKind::conflict) << c.sql << ": " << e.what();
    EXPECT_EQ(e.code(), "constraint");
    EXPECT_NE(e.message(Lang::zh).find(c.zh), std::string::npos) << e.message(Lang::zh);
    EXPECT_FALSE(e.message(Lang::en).empty());
  }
  EXPECT_EQ(count("parents"), 1);  // none of the 'ok1' rows survived
  EXPECT_EQ(count("kids"), 1);
}

TEST_P(ConstraintTest, AFailedStatementLeavesOnlyRollback) {
  auto tx = db().begin();
  tx->exec("INSERT INTO parents (code) VALUES ('abc')");
  EXPECT_EQ(error_of([&] { tx->exec("INSERT INTO parents (code) VALUES ('abc')"); }).kind(),
            ErrorKind::conflict);
  // Both backends refuse to go on (PostgreSQL has aborted the transaction).
  EXPECT_THROW(tx->exec("INSERT INTO parents (code) VALUES ('def')"), Error);
  EXPECT_EQ(error_of([&] { tx->commit(); }).kind(), ErrorKind::internal);
  EXPECT_EQ(count("parents"), 0);
}

TEST_P(DatabaseTest, OtherSqlErrorsAreInternalAndCarryTheDatabaseMessage) {
  auto tx = db().begin();
  Error syntax = error_of([&] { tx->exec("SELEC 1"); });
  EXPECT_EQ(syntax.kind(), ErrorKind::internal);
  EXPECT_NE(std::string(syntax.message(Lang::en)).find("syntax error"), std::string::npos)
      << syntax.message(Lang::en);
  EXPECT_FALSE(syntax.message(Lang::zh).empty());
  tx->rollback();  // one write transaction at a time: SQLite's second would wait for this one

  auto tx2 = db().begin();
  Error missing = error_of([&] { tx2->query("SELECT * FROM no_such_table"); });
  EXPECT_EQ(missing.kind(), ErrorKind::internal);
  EXPECT_NE(std::string(missing.what()).find("no_such_table"), std::string::npos);
}

TEST_P(DatabaseTest, ReadTransactionsRefuseWritesAndKeepTheirSnapshot) {
  exec("CREATE TABLE t (id {pk}, name TEXT)");
  auto reader = db().begin(TxMode::read);
  EXPECT_EQ(reader->query_int("SELECT COUNT(*) FROM t"), 0);
  EXPECT_THROW(reader->exec("INSERT INTO t (name) VALUES ('no')"), Error);
  reader->rollback();

  auto snapshot = db().begin(TxMode::read);
  EXPECT_EQ(snapshot->query_int("SELECT COUNT(*) FROM t"), 0);
  db().transact([](Tx& tx) { tx.exec("INSERT INTO t (name) VALUES ('later')"); });
  EXPECT_EQ(snapshot->query_int("SELECT COUNT(*) FROM t"), 0);
  snapshot.reset();
  EXPECT_EQ(count("t"), 1);
  // The connection that was read-only writes again in a write transaction.
  for (int i = 0; i < 8; ++i) {
    db().transact([](Tx& tx) { tx.exec("INSERT INTO t (name) VALUES ('again')"); });
  }
  EXPECT_EQ(count("t"), 9);
}

TEST_P(DatabaseTest, TextWithANulCharacterIsBadInput) {
  exec("CREATE TABLE t (id {pk}, name TEXT)");
  auto tx = db().begin();
  Error e =
      error_of([&] { tx->exec("INSERT INTO t (name) VALUES (?)", {std::string("cut\0here", 8)}); });
  EXPECT_EQ(e.kind(), ErrorKind::bad_input);
  EXPECT_EQ(e.code(), "invalid_text");
}

TEST_P(DatabaseTest, QueryIntWithoutARowIsNotFound) {
  exec("CREATE TABLE t (id {pk})");
  auto tx = db().begin(TxMode::read);
  EXPECT_EQ(error_of([&] { tx->query_int("SELECT id FROM t"); }).kind(), ErrorKind::not_found);
  EXPECT_FALSE(tx->query_one("SELECT id FROM t").has_value());
}

WANGGE_INSTANTIATE_BACKENDS(DatabaseTest);
WANGGE_INSTANTIATE_BACKENDS(ConstraintTest);

TEST(DatabaseOpen, UnreachableDatabasesAreUnavailable) {
  EXPECT_EQ(error_of([] { Database::open(""); }).kind(), ErrorKind::unavailable);
  EXPECT_EQ(error_of([] { Database::open("/no/such/folder/wangge.db"); }).kind(),
            ErrorKind::unavailable);
  EXPECT_EQ(error_of([] { Database::open("sqlite:/no/such/folder/wangge.db"); }).kind(),
            ErrorKind::unavailable);
  // Port 1 on the loopback refuses at once.
  EXPECT_EQ(error_of([] { Database::open("postgresql://postgres@127.0.0.1:1/none"); }).kind(),
            ErrorKind::unavailable);
  EXPECT_EQ(error_of([] { Database::open("postgres://postgres@127.0.0.1:1/none"); }).kind(),
            ErrorKind::unavailable);
}

TEST(DatabaseOpen, SqlitePrefixAndPlainPathOpenTheSameFile) {
  auto path = (testing::temp_dir() / "same.db").string();
  Database::open(path)->transact([](Tx& tx) { tx.exec("CREATE TABLE t (x INTEGER)"); });
  auto db = Database::open("sqlite:" + path);
  EXPECT_EQ(db->url(), "sqlite:" + path);
  EXPECT_EQ(db->begin(TxMode::read)->query_int("SELECT COUNT(*) FROM t"), 0);
}

}  // namespace
}  // namespace wangge::store
