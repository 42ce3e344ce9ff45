// Large volumes on each backend: streaming with each() and loading with bulk().
#include <gtest/gtest.h>

#include <stdexcept>

#include "store/database.h"
#include "store_test_util.h"

namespace wangge::store {
namespace {

constexpr int kRows = 100000;

class StreamTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    exec("CREATE TABLE nums (n BIGINT PRIMARY KEY)");
    db().transact([](Tx& tx) {
      EXPECT_EQ(tx.exec("INSERT INTO nums (n) WITH RECURSIVE c(x) AS "
                        "(SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x FROM c",
                        {kRows}),
                kRows);
    });
  }
};

TEST_P(StreamTest, EachStreamsEveryRowInOrder) {
  auto tx = db().begin(TxMode::read);
  int64_t seen = 0, sum = 0, previous = 0;
  bool ordered = true;
  tx->each("SELECT n, CAST(n AS TEXT) AS t FROM nums WHERE n > ? ORDER BY n", {0},
           [&](const Row& r) {
             ordered = ordered && r.i64(0) == previous + 1 && r.text(1) == std::to_string(r.i64(0));
             previous = r.i64(0);
             sum += r.i64(0);
             ++seen;
           });
  EXPECT_EQ(seen, kRows);
  EXPECT_EQ(sum, int64_t{kRows} * (kRows + 1) / 2);
  EXPECT_TRUE(ordered);
}

TEST_P(StreamTest, EachAllowsStatementsAndNestedStreamsInsideTheCallback) {
  auto tx = db().begin();
  int64_t checked = 0, inner_rows = 0;
  tx->each("SELECT n FROM nums WHERE n <= ? ORDER BY n", {5000}, [&](const Row& r) {
    if (r.i64(0) % 1000 != 0) return;
    EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM nums WHERE n <= ?", {r.i64(0)}), r.i64(0));
    tx->exec("DELETE FROM nums WHERE n = ?", {r.i64(0) + kRows / 2});
    tx->each("SELECT n FROM nums WHERE n < ?", {3}, [&](const Row&) { ++inner_rows; });
    // The very statement being stepped, run again inside: it needs a statement of its own.
    EXPECT_EQ(tx->query("SELECT n FROM nums WHERE n <= ? ORDER BY n", {2}).size(), 2u);
    ++checked;
  });
  EXPECT_EQ(checked, 5);
  EXPECT_EQ(inner_rows, 10);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM nums"), kRows - 5);
}

TEST_P(StreamTest, AnExceptionFromTheCallbackEndsTheStreamAndKeepsTheTransaction) {
  auto tx = db().begin();
  int calls = 0;
  EXPECT_THROW(tx->each("SELECT n FROM nums ORDER BY n", {},
                        [&](const Row& r) {
                          ++calls;
                          if (r.i64(0) == 10) throw std::runtime_error("stop");
                        }),
               std::runtime_error);
  EXPECT_EQ(calls, 10);
  tx->exec("DELETE FROM nums WHERE n > ?", {10});
  tx->commit();
  EXPECT_EQ(count("nums"), 10);
}

TEST_P(StreamTest, EachRunsStatementsThatReturnRows) {
  exec("CREATE TABLE t (id {pk}, name TEXT)");
  auto tx = db().begin();
  std::vector<int64_t> ids;
  tx->each("INSERT INTO t (name) VALUES (?), (?) RETURNING id", {"a", "b"},
           [&](const Row& r) { ids.push_back(r.i64(0)); });
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2}));
}

class BulkTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    exec("CREATE TABLE people (id {pk}, name TEXT NOT NULL, score {real}, photo {blob})");
  }
};

TEST_P(BulkTest, LoadsRowsAndMovesTheIdSequencePastThem) {
  db().transact([](Tx& tx) {
    auto writer = tx.bulk("people", {"id", "name", "score", "photo"});
    for (int64_t i = 1; i <= kRows; ++i) {
      writer->add({i, "居民" + std::to_string(i), i * 0.5, nullptr});
    }
    writer->finish();
  });
  EXPECT_EQ(count("people"), kRows);
  int64_t next = db().transact(
      [](Tx& tx) { return tx.insert_id("INSERT INTO people (name) VALUES (?)", {"新居民"}); });
  EXPECT_EQ(next, kRows + 1);
  auto tx = db().begin(TxMode::read);
  auto row = tx->query_one("SELECT name, score FROM people WHERE id = ?", {77777});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), "居民77777");
  EXPECT_EQ(row->f64(1), 77777 * 0.5);
}

// A restore loads every table; a text id (a session's token hash) has no sequence to move.
TEST_P(BulkTest, LoadsATableWhoseIdIsText) {
  exec("CREATE TABLE tokens (id TEXT PRIMARY KEY, user_id BIGINT NOT NULL)");
  db().transact([](Tx& tx) {
    auto writer = tx.bulk("tokens", {"id", "user_id"});
    writer->add({"ab12", 1});
    writer->add({"cd34", 2});
    writer->finish();
  });
  EXPECT_EQ(count("tokens"), 2);
}

TEST_P(BulkTest, EscapesEverythingCopyTextFormatTreatsSpecially) {
  const std::vector<std::string> names = {
      "tab\there", "line\nbreak", "carriage\rreturn", "back\\slash", "\\N", "\\.", "网格员",
      "",          "end\\",       "\\t literally"};
  const Blob photo = {0, '\\', '\t', '\n', '\r', 'N', 0xff, 0x80};
  db().transact([&](Tx& tx) {
    auto writer = tx.bulk("people", {"name", "score", "photo"});
    for (const std::string& n : names) writer->add({n, -1e-300, photo});
    writer->add({"nulls", nullptr, nullptr});
    writer->finish();
  });
  auto tx = db().begin(TxMode::read);
  Rows rows = tx->query("SELECT name, score, photo FROM people ORDER BY id");
  ASSERT_EQ(rows.size(), names.size() + 1);
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(rows[i].text(0), names[i]) << i;
    EXPECT_EQ(rows[i].f64(1), -1e-300);
    EXPECT_EQ(rows[i].blob(2), photo) << i;
  }
  EXPECT_TRUE(rows.back().is_null(1));
  EXPECT_TRUE(rows.back().is_null(2));
  // No "id" column loaded: the sequence was left to itself and goes on from the rows above.
  EXPECT_EQ(
      db().transact([](Tx& t) { return t.insert_id("INSERT INTO people (name) VALUES ('x')"); }),
      static_cast<int64_t>(names.size()) + 2);
}

TEST_P(BulkTest, AConflictingLoadFailsAndLeavesNothing) {
  Error e = error_of([&] {
    db().transact([](Tx& tx) {
      auto writer = tx.bulk("people", {"id", "name"});
      writer->add({1, "a"});
      writer->add({1, "duplicate"});
      writer->finish();
    });
  });
  EXPECT_EQ(e.kind(), ErrorKind::conflict);
  EXPECT_EQ(count("people"), 0);
}

TEST_P(BulkTest, AnAbandonedLoadLeavesOnlyRollback) {
  auto tx = db().begin();
  {
    auto writer = tx->bulk("people", {"name"});
    writer->add({"half"});
    EXPECT_THROW(tx->exec("SELECT 1"), Error);     // busy loading
    EXPECT_THROW(writer->add({"a", "b"}), Error);  // wrong width
  }
  EXPECT_THROW(tx->commit(), Error);
  EXPECT_EQ(count("people"), 0);
}

TEST_P(BulkTest, RefusesNamesThatAreNotIdentifiers) {
  auto tx = db().begin();
  EXPECT_THROW(tx->bulk("people; DROP TABLE people", {"name"}), Error);
  EXPECT_THROW(tx->bulk("people", {"name)"}), Error);
  EXPECT_THROW(tx->bulk("people", {}), Error);
}

WANGGE_INSTANTIATE_BACKENDS(StreamTest);
WANGGE_INSTANTIATE_BACKENDS(BulkTest);

}  // namespace
}  // namespace wangge::store
