// The audit chain: intact, tampered, truncated, and appended to from two threads.
#include "auth/audit.h"

#include <latch>
#include <thread>

#include "fixture.h"

namespace wangge::auth {
namespace {

using namespace std::chrono_literals;

class AuditTest : public AuthTest {
 protected:
  void append_n(int n) {
    db_->transact([&](store::Tx& tx) {
      for (int i = 0; i < n; ++i) {
        audit::append(tx, "auditor1", "resident.reveal", "resident:" + std::to_string(i),
                      "查看身份证号", t0_ + std::chrono::seconds(i));
      }
    });
  }
  std::optional<int64_t> verify() {
    auto tx = db_->begin(store::TxMode::read);
    return audit::verify(*tx);
  }
};

TEST_P(AuditTest, AnIntactChainVerifies) {
  EXPECT_EQ(verify(), std::nullopt);  // empty
  append_n(5);
  EXPECT_EQ(verify(), std::nullopt);
  auto tx = db_->begin(store::TxMode::read);
  auto rows = audit::entries(*tx);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].prev_hash, std::string(64, '0'));
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i].prev_hash, rows[i - 1].hash);
  EXPECT_EQ(rows[2].subject, "resident:2");
  EXPECT_EQ(rows[2].at, t0_ + 2s);
  EXPECT_EQ(audit::chain_hash(rows[4]), rows[4].hash);
  EXPECT_EQ(audit::entries(*tx, 3, 10).size(), 2u);
}

TEST_P(AuditTest, ATamperedRowIsReported) {
  append_n(6);
  db_->transact([](store::Tx& tx) { tx.exec("UPDATE audit_log SET detail = '无' WHERE id = 4"); });
  EXPECT_EQ(verify(), 4);
}

TEST_P(AuditTest, ARowRewrittenWithAFreshHashBreaksTheNextLink) {
  append_n(6);
  db_->transact([&](store::Tx& tx) {
    auto e = audit::entries(tx, 2, 1).at(0);  // id 3
    e.actor = "someone_else";
    tx.exec("UPDATE audit_log SET actor = ?, hash = ? WHERE id = 3",
            {e.actor, audit::chain_hash(e)});
  });
  EXPECT_EQ(verify(), 4);
}

TEST_P(AuditTest, RemovedRowsAreReported) {
  append_n(6);
  db_->transact([](store::Tx& tx) { tx.exec("DELETE FROM audit_log WHERE id = 6"); });
  EXPECT_EQ(verify(), 6);  // the tail no longer reaches the recorded head
  db_->transact([](store::Tx& tx) { tx.exec("DELETE FROM audit_log WHERE id = 2"); });
  EXPECT_EQ(verify(), 2);
}

TEST_P(AuditTest, AFailedLoginIsAuditedEvenThoughItFails) {
  create("liwei", Role::grid_worker, "530621101001");
  login("liwei", "Wrong#2026", t0_);
  auto tx = db_->begin(store::TxMode::read);
  auto rows = audit::entries(*tx);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].action, "user.create");
  EXPECT_EQ(rows[1].action, "login_failed");
  EXPECT_EQ(rows[1].actor, "liwei");
  EXPECT_EQ(audit::verify(*tx), std::nullopt);
}

TEST_P(AuditTest, TwoThreadsAppendingKeepOneChain) {
  constexpr int kPerThread = 50;
  std::latch start(2);
  auto writer = [&](std::string actor) {
    start.arrive_and_wait();
    for (int i = 0; i < kPerThread; ++i) {
      try {
        db_->transact([&](store::Tx& tx) {
          audit::append(tx, actor, "test", "n:" + std::to_string(i), "", t0_);
          // Work after the append keeps the lock held a little, so the threads overlap.
          tx.query_int("SELECT COUNT(*) FROM audit_log");
        });
      } catch (const std::exception& e) {
        ADD_FAILURE() << actor << ": " << e.what();
      }
    }
  };
  std::thread a(writer, "a"), b(writer, "b");
  a.join();
  b.join();
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM audit_log"), 2 * kPerThread);
  EXPECT_EQ(tx->query_int("SELECT COUNT(DISTINCT prev_hash) FROM audit_log"), 2 * kPerThread);
  EXPECT_EQ(audit::verify(*tx), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::auth
