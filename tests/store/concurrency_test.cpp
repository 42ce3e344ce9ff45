// Several threads, and several Database objects (as several processes would), on one database.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store_test_util.h"

namespace wangge::store {
namespace {

constexpr int kPerThread = 200;

class ConcurrencyTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    exec("CREATE TABLE events (id {pk}, writer INTEGER NOT NULL, seq INTEGER NOT NULL)");
  }

  // Runs kPerThread small write transactions on each database from its own thread; returns
  // how many failed.
  int write_concurrently(const std::vector<Database*>& dbs) {
    std::atomic<int> failures{0};
    std::latch start(static_cast<std::ptrdiff_t>(dbs.size()));
    std::vector<std::thread> threads;
    for (size_t w = 0; w < dbs.size(); ++w) {
      threads.emplace_back([&, w] {
        start.arrive_and_wait();
        for (int i = 0; i < kPerThread; ++i) {
          try {
            dbs[w]->transact([&](Tx& tx) {
              int64_t before = tx.query_int("SELECT COUNT(*) FROM events WHERE writer = ?",
                                            {static_cast<int64_t>(w)});
              tx.exec("INSERT INTO events (writer, seq) VALUES (?, ?)",
                      {static_cast<int64_t>(w), before});
            });
          } catch (const std::exception& e) {
            ADD_FAILURE() << "writer " << w << ": " << e.what();
            ++failures;
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    return failures;
  }
};

TEST_P(ConcurrencyTest, TwoThreadsWritingThroughThePoolBothSucceed) {
  EXPECT_EQ(write_concurrently({&db(), &db()}), 0);
  EXPECT_EQ(count("events"), 2 * kPerThread);
  // Each writer saw its own previous rows: no lost or doubled inserts.
  auto tx = db().begin(TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT MAX(seq) FROM events WHERE writer = 1"), kPerThread - 1);
}

TEST_P(ConcurrencyTest, TwoDatabaseObjectsOnOneFileBothSucceed) {
  // A second Database on the same URL stands in for a second process: on SQLite only the
  // file lock (busy_timeout) keeps them apart.
  auto other = Database::open(db().url(), {.pool_size = 2});
  EXPECT_EQ(write_concurrently({&db(), other.get(), &db(), other.get()}), 0);
  EXPECT_EQ(count("events"), 4 * kPerThread);
}

TEST_P(ConcurrencyTest, AWaitingTransactionGetsTheConnectionWhenItIsReturned) {
  auto single = Database::open(db().url(), {.pool_size = 1});
  auto holder = single->begin(TxMode::read);
  std::latch waiting(1);
  std::atomic<int64_t> seen{-1};
  std::thread t([&] {
    waiting.count_down();
    seen = single->begin(TxMode::read)->query_int("SELECT COUNT(*) FROM events");
  });
  waiting.wait();
  holder->rollback();  // gives the only connection back
  t.join();
  EXPECT_EQ(seen, 0);
}

// Many writers at once (on SQLite, committed together in rounds by the writer thread): each
// write() that throws rolls back alone and its caller gets its own error; the rest commit and
// return their results.
TEST_P(ConcurrencyTest, ConcurrentWritesThatFailRollBackAloneAndTheRestCommit) {
  exec("CREATE TABLE tags (name TEXT PRIMARY KEY)");
  constexpr int kThreads = 8, kEach = 60;
  std::atomic<int> wrong{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&, w] {
      start.arrive_and_wait();
      for (int i = 0; i < kEach; ++i) {
        const int64_t seq = w * 1000 + i;
        try {
          int64_t id = db().transact([&](Tx& tx) {
            int64_t row = tx.insert_id("INSERT INTO events (writer, seq) VALUES (?, ?)",
                                       {static_cast<int64_t>(w), seq});
            if (i % 5 == 1) throw std::runtime_error("changed my mind");
            if (i % 5 == 2) tx.exec("INSERT INTO tags (name) VALUES ('same for all')");
            if (i % 5 == 3) {  // a failed statement the function swallows: commit refuses
              try {
                tx.exec("INSERT INTO no_such_table VALUES (1)");
              } catch (const Error&) {
              }
            }
            return row;
          });
          if (i % 5 == 1 || i % 5 == 3 || id <= 0) ++wrong;
        } catch (const Error& e) {
          bool expected = (i % 5 == 2 && e.kind() == ErrorKind::conflict) ||
                          (i % 5 == 3 && e.kind() == ErrorKind::internal);
          if (!expected) ++wrong;
        } catch (const std::runtime_error& e) {
          if (i % 5 != 1 || std::string(e.what()) != "changed my mind") ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
  // Each writer's i % 5 == 0 and 4 rows, and the one tag insert that came first, committed.
  auto tx = db().begin(TxMode::read);
  int64_t tags = tx->query_int("SELECT COUNT(*) FROM tags");
  EXPECT_EQ(tags, 1);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM events"), kThreads * kEach * 2 / 5 + tags);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM events WHERE seq % 1000 % 5 IN (1, 3)"), 0);
}

TEST_P(ConcurrencyTest, AWriteInsideAWriteIsRefusedOnSqlite) {
  if (db().dialect() != Dialect::sqlite) GTEST_SKIP() << "PostgreSQL writes in parallel";
  Error e = error_of([&] { db().write([&](Tx&) { db().write([](Tx&) {}); }); });
  EXPECT_EQ(e.kind(), ErrorKind::internal);
  EXPECT_EQ(count("events"), 0);
}

class ShortWaitTest : public ConcurrencyTest {
 protected:
  OpenOptions options() const override { return {.pool_size = 1, .busy_timeout_ms = 50}; }
};

TEST_P(ShortWaitTest, AnExhaustedPoolIsUnavailableAfterTheTimeout) {
  auto holder = db().begin(TxMode::read);
  EXPECT_EQ(error_of([&] { db().begin(TxMode::read); }).kind(), ErrorKind::unavailable);
  holder.reset();
  EXPECT_EQ(db().begin(TxMode::read)->query_int("SELECT COUNT(*) FROM events"), 0);
}

// A write that cannot start (another writer holds the database past the timeout) fails alone,
// writes nothing, and the writes after it run.
TEST_P(ShortWaitTest, AWriteThatCannotStartIsUnavailableAndTheNextOneRuns) {
  auto holder = db().begin(TxMode::write);
  Error e = error_of([&] {
    db().write([](Tx& tx) { tx.exec("INSERT INTO events (writer, seq) VALUES (1, 1)"); });
  });
  EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  holder->rollback();
  db().write([](Tx& tx) { tx.exec("INSERT INTO events (writer, seq) VALUES (2, 2)"); });
  auto tx = db().begin(TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM events"), 1);
  EXPECT_EQ(tx->query_int("SELECT writer FROM events"), 2);
}

WANGGE_INSTANTIATE_BACKENDS(ConcurrencyTest);
WANGGE_INSTANTIATE_BACKENDS(ShortWaitTest);

}  // namespace
}  // namespace wangge::store
