// The fault-injecting Database (tests/testing/fault_db.h) on both backends: it fails exactly
// the armed statement or commit, the transaction then only rolls back, and a fault in one
// member of SQLite's group commit round fails that member alone.
#include "testing/fault_db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store_test_util.h"

namespace wangge::store {
namespace {

using testing::FaultDatabase;

class FaultDbTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    exec("CREATE TABLE items (id {pk}, v TEXT NOT NULL)");
    faults_ = std::make_unique<FaultDatabase>(*db_);
  }
  std::set<std::string> values() {
    auto tx = db_->begin(TxMode::read);
    std::set<std::string> out;
    for (const auto& r : tx->query("SELECT v FROM items")) out.insert(r.text(0));
    return out;
  }
  void insert(Tx& tx, const std::string& v) { tx.exec("INSERT INTO items (v) VALUES (?)", {v}); }
  std::unique_ptr<FaultDatabase> faults_;
};

TEST_P(FaultDbTest, DisarmedItForwardsEverything) {
  faults_->transact([&](Tx& tx) {
    insert(tx, "a");
    EXPECT_EQ(tx.insert_id("INSERT INTO items (v) VALUES ('b')"), 2);
    auto bulk = tx.bulk("items", {"v"});
    bulk->add({"c"});
    bulk->finish();
  });
  EXPECT_EQ(values(), (std::set<std::string>{"a", "b", "c"}));
  // Counted though nothing fires: exec, insert_id (a query), bulk, add and finish.
  EXPECT_EQ(faults_->statements(), 5);
  EXPECT_EQ(faults_->commits(), 1);
}

TEST_P(FaultDbTest, TheNthStatementFailsAndTheWriteLeavesNothing) {
  for (int nth = 1; nth <= 5; ++nth) {
    faults_->arm(FaultDatabase::At::statement, nth, ErrorKind::unavailable);
    Error e = error_of([&] {
      faults_->transact([&](Tx& tx) {
        insert(tx, "one");
        tx.query("SELECT v FROM items");
        auto bulk = tx.bulk("items", {"v"});  // statement 3, then add 4 and finish 5
        bulk->add({"two"});
        bulk->finish();
      });
    });
    EXPECT_EQ(e.kind(), ErrorKind::unavailable) << nth;
    EXPECT_TRUE(faults_->fired()) << nth;
    EXPECT_EQ(faults_->statements(), nth);
    EXPECT_TRUE(values().empty()) << nth;
  }
  // Past the last statement nothing fires and the write commits.
  faults_->arm(FaultDatabase::At::statement, 4);
  faults_->transact([&](Tx& tx) { insert(tx, "ok"); });
  EXPECT_FALSE(faults_->fired());
  EXPECT_EQ(values(), std::set<std::string>{"ok"});
}

TEST_P(FaultDbTest, APersistentFaultFailsEverythingAfterItUntilDisarmed) {
  faults_->arm(FaultDatabase::At::statement, 2, ErrorKind::unavailable, true);
  faults_->transact([&](Tx& tx) { insert(tx, "before"); });  // statement 1
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(error_of([&] { faults_->transact([&](Tx& tx) { insert(tx, "down"); }); }).kind(),
              ErrorKind::unavailable);
  }
  faults_->disarm();
  faults_->transact([&](Tx& tx) { insert(tx, "after"); });
  EXPECT_EQ(values(), (std::set<std::string>{"before", "after"}));
  // At a commit: the statements before it run, then nothing commits.
  faults_->arm(FaultDatabase::At::commit, 1, ErrorKind::unavailable, true);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(error_of([&] { faults_->transact([&](Tx& tx) { insert(tx, "lost"); }); }).kind(),
              ErrorKind::unavailable);
  }
  EXPECT_EQ(faults_->statements(), 2);  // the second write failed at its first statement
  faults_->disarm();
  EXPECT_EQ(values(), (std::set<std::string>{"before", "after"}));
}

// The lost answer of a COMMIT: the caller gets the error, the write is on disk.
TEST_P(FaultDbTest, AFaultAfterTheCommitKeepsTheWrite) {
  faults_->arm(FaultDatabase::At::after_commit, 1);
  EXPECT_EQ(error_of([&] { faults_->transact([&](Tx& tx) { insert(tx, "kept"); }); }).kind(),
            ErrorKind::unavailable);
  faults_->arm(FaultDatabase::At::after_commit, 1);
  auto tx = faults_->begin(TxMode::write);
  insert(*tx, "also kept");
  EXPECT_EQ(error_of([&] { tx->commit(); }).kind(), ErrorKind::unavailable);
  tx.reset();
  EXPECT_EQ(values(), (std::set<std::string>{"kept", "also kept"}));
}

TEST_P(FaultDbTest, AfterAFaultTheTransactionOnlyRollsBack) {
  faults_->arm(FaultDatabase::At::statement, 1, ErrorKind::internal);
  auto tx = faults_->begin(TxMode::write);
  EXPECT_EQ(error_of([&] { insert(*tx, "x"); }).kind(), ErrorKind::internal);
  // A service that swallowed the error and carried on fails, as on the real backends.
  EXPECT_EQ(error_of([&] { insert(*tx, "y"); }).kind(), ErrorKind::internal);
  EXPECT_EQ(error_of([&] { tx->commit(); }).kind(), ErrorKind::internal);
  tx.reset();
  EXPECT_TRUE(values().empty());
}

TEST_P(FaultDbTest, AFailedCommitRollsBackOnBothPaths) {
  faults_->arm(FaultDatabase::At::commit, 1);
  auto tx = faults_->begin(TxMode::write);
  insert(*tx, "begun");
  EXPECT_EQ(error_of([&] { tx->commit(); }).kind(), ErrorKind::unavailable);
  tx.reset();
  faults_->arm(FaultDatabase::At::commit, 1);
  std::vector<Change> seen;
  static constexpr RecordKind kItem{"item"};
  faults_->subscribe(
      [&](std::span<const Change> c) { seen.insert(seen.end(), c.begin(), c.end()); });
  EXPECT_EQ(error_of([&] {
              faults_->transact([&](Tx& t) {
                insert(t, "written");
                t.changed(kItem, 1);
              });
            }).kind(),
            ErrorKind::unavailable);
  EXPECT_TRUE(values().empty());
  EXPECT_TRUE(seen.empty());  // no listener hears of a write that did not commit
  faults_->transact([&](Tx& t) {
    insert(t, "again");
    t.changed(kItem, 1);
  });
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_EQ(values(), std::set<std::string>{"again"});
}

// SQLite runs the writes queued meanwhile in one transaction (a round), each member in a
// savepoint. A fault in one member, at a statement or at its commit, fails that member only:
// the others of its round commit and answer success.
TEST_P(FaultDbTest, AFaultInOneMemberOfAGroupCommitFailsThatMemberAlone) {
  constexpr int kMembers = 8;
  for (auto at : {FaultDatabase::At::statement, FaultDatabase::At::commit}) {
    exec("DELETE FROM items");
    std::mutex mu;
    std::condition_variable cv;
    bool inside = false, release = false;
    // The blocker holds the writer thread while the members queue up behind it, so they run
    // back to back, in one round when the blocker's round has aged out. It writes past the
    // fault layer: on PostgreSQL the members do not wait for it, and its commit must not be
    // the one the fault counts.
    std::thread blocker([&] {
      db_->write([&](Tx& tx) {
        insert(tx, "blocker");
        std::unique_lock lock(mu);
        inside = true;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });
      });
    });
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return inside; });
    }
    faults_->arm(at, 3);  // the third member's statement or commit
    std::atomic<int> queued{0}, failed{0};
    std::vector<std::thread> members;
    std::vector<int> outcome(kMembers, 0);
    for (int i = 0; i < kMembers; ++i) {
      members.emplace_back([&, i] {
        ++queued;
        try {
          faults_->transact([&](Tx& tx) { insert(tx, "m" + std::to_string(i)); });
          outcome[i] = 1;
        } catch (const Error& e) {
          EXPECT_EQ(e.kind(), ErrorKind::unavailable);
          outcome[i] = -1;
          ++failed;
        }
      });
    }
    while (queued.load() < kMembers) std::this_thread::yield();
    {
      std::lock_guard lock(mu);
      release = true;
    }
    cv.notify_all();
    blocker.join();
    for (auto& t : members) t.join();
    EXPECT_TRUE(faults_->fired());
    EXPECT_EQ(failed.load(), 1);
    std::set<std::string> expected = {"blocker"};
    for (int i = 0; i < kMembers; ++i) {
      if (outcome[i] == 1) expected.insert("m" + std::to_string(i));
    }
    EXPECT_EQ(values(), expected) << "every member that answered success is there, no other";
    EXPECT_EQ(expected.size(), static_cast<size_t>(kMembers));
  }
}

WANGGE_INSTANTIATE_BACKENDS(FaultDbTest);

}  // namespace
}  // namespace wangge::store
