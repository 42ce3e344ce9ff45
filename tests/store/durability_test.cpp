// A commit returns once it is on disk unless the operator trades that away
// (OpenOptions::power_cut_may_lose_writes), and the writer's counts reach /metrics.
// That synced bytes survive a power cut is shown from outside, by tests/crash.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "store_test_util.h"

namespace wangge::store {
namespace {

// The setting every connection of db commits with: SQLite's synchronous (2 FULL, 1 NORMAL)
// or PostgreSQL's synchronous_commit, read on a reading and on a writing connection.
std::vector<std::string> sync_settings(Database& db) {
  std::string sql = db.dialect() == Dialect::sqlite
                        ? "PRAGMA synchronous"
                        : "SELECT current_setting('synchronous_commit')";
  std::vector<std::string> out;
  {
    auto tx = db.begin(TxMode::read);
    out.push_back(tx->query(sql).at(0).text(0));
  }
  db.write([&](Tx& tx) { out.push_back(tx.query(sql).at(0).text(0)); });
  return out;
}

// A URL whose connections start with synchronous_commit off, as a server configured for speed
// would hand them out; SQLite's URL is unchanged.
std::string with_sync_off(const std::string& backend) {
  std::string url = testing::fresh_database_url(backend);
  if (backend == "postgres") url += "%20-csynchronous_commit%3Doff";
  return url;
}

class Durability : public ::testing::TestWithParam<std::string> {};

TEST_P(Durability, ACommitWaitsForTheDiskByDefault) {
  auto db = Database::open(with_sync_off(GetParam()));
  std::string expected = db->dialect() == Dialect::sqlite ? "2" : "on";
  EXPECT_EQ(sync_settings(*db), std::vector<std::string>({expected, expected}));
}

TEST_P(Durability, TheOperatorMayTradeItForSpeed) {
  auto db =
      Database::open(testing::fresh_database_url(GetParam()), {.power_cut_may_lose_writes = true});
  std::string expected = db->dialect() == Dialect::sqlite ? "1" : "off";
  EXPECT_EQ(sync_settings(*db), std::vector<std::string>({expected, expected}));
}

TEST_P(Durability, WriteStatsCountCommitsAndTheWritesTheyCarried) {
  auto db = testing::fresh_database(GetParam(), {.pool_size = 4});
  db->transact([](Tx& tx) { tx.exec("CREATE TABLE t (v INTEGER NOT NULL)"); });
  WriteStats before = db->write_stats();
  constexpr int kThreads = 8, kEach = 20;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < kEach; ++j)
        db->write([&](Tx& tx) { tx.exec("INSERT INTO t VALUES (1)"); });
    });
  }
  for (auto& t : threads) t.join();
  // One that fails is counted in no commit.
  EXPECT_THROW(db->write([](Tx& tx) { tx.exec("INSERT INTO t VALUES (NULL)"); }), Error);
  WriteStats after = db->write_stats();
  EXPECT_EQ(after.writes - before.writes, uint64_t{kThreads * kEach});
  EXPECT_GE(after.commits - before.commits, 1u);
  EXPECT_LE(after.commits - before.commits, uint64_t{kThreads * kEach});
  EXPECT_GE(after.largest, 1u);
  EXPECT_LE(after.largest, uint64_t{kThreads * kEach});
  EXPECT_GT(after.commit_seconds, before.commit_seconds);
  EXPECT_EQ(after.queued, 0);
  auto tx = db->begin(TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM t"), kThreads * kEach);
}

WANGGE_INSTANTIATE_BACKENDS(Durability);

}  // namespace
}  // namespace wangge::store
