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

// Sets the process's audit MAC key for one test and clears it after.
struct KeyedChain {
  explicit KeyedChain(uint8_t fill) {
    audit::MacKey k{};
    k.fill(fill);
    audit::set_mac_key(k);
  }
  ~KeyedChain() { audit::set_mac_key(std::nullopt); }
};

// What someone who can write the database but lacks the key does: edits a row and recomputes
// the SHA-256 chain from there to the head, so every link and the head match again.
void rewrite_with_fresh_chain(store::Database& db, int64_t id, const std::string& detail) {
  db.transact([&](store::Tx& tx) {
    auto rows = audit::entries(tx, 0, 1000);
    std::string prev = rows.at(id - 2).hash;
    for (auto& e : rows) {
      if (e.id < id) continue;
      if (e.id == id) e.detail = detail;
      e.prev_hash = prev;
      e.hash = audit::chain_hash(e);
      tx.exec("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
              {e.detail, e.prev_hash, e.hash, e.id});
      prev = e.hash;
    }
    tx.exec("UPDATE audit_head SET last_hash = ? WHERE id = 1", {prev});
  });
}

TEST_P(AuditTest, AChainRecomputedWithoutTheKeyFailsItsMac) {
  // Without a key the recomputed chain passes: that is the hole the MAC closes.
  append_n(6);
  rewrite_with_fresh_chain(*db_, 3, "无");
  EXPECT_EQ(verify(), std::nullopt);

  KeyedChain key(7);
  append_n(6);  // ids 7..12 carry the MAC; 7 is the switch point
  {
    auto tx = db_->begin(store::TxMode::read);
    EXPECT_EQ(audit::mac_from(*tx), 7);
    EXPECT_EQ(audit::entries(*tx, 0, 1).at(0).mac, "");
    EXPECT_EQ(audit::entries(*tx, 6, 1).at(0).mac.size(), 64u);
  }
  EXPECT_EQ(verify(), std::nullopt);
  rewrite_with_fresh_chain(*db_, 9, "查看了别人");
  EXPECT_EQ(verify(), 9);
  // The page of the audit administrator flags it too.
  auto tx = db_->begin(store::TxMode::read);
  auto page = audit::search(*tx, {.size = 50});
  for (const auto& l : page.items) EXPECT_EQ(l.link_ok, l.entry.id < 9) << l.entry.id;
}

TEST_P(AuditTest, MovingTheSwitchPointOrCuttingTheTailIsReported) {
  KeyedChain key(9);
  append_n(6);
  EXPECT_EQ(verify(), std::nullopt);
  // Claiming MACs began later, so forged early rows would pass on SHA-256 alone.
  db_->transact([](store::Tx& tx) { tx.exec("UPDATE audit_head SET mac_from = 5 WHERE id = 1"); });
  EXPECT_NE(verify(), std::nullopt);
  db_->transact([](store::Tx& tx) { tx.exec("UPDATE audit_head SET mac_from = 1 WHERE id = 1"); });
  EXPECT_EQ(verify(), std::nullopt);
  // Cutting the last two rows and moving the head back to row 4 (its hash is genuine).
  db_->transact([](store::Tx& tx) {
    std::string h4 = tx.query_one("SELECT hash FROM audit_log WHERE id = 4")->text(0);
    tx.exec("DELETE FROM audit_log WHERE id > 4");
    tx.exec("UPDATE audit_head SET last_id = 4, last_hash = ? WHERE id = 1", {h4});
  });
  EXPECT_EQ(verify(), 4);
}

TEST_P(AuditTest, RowsCarryTheirClientAddressAndAnotherKeyDoesNotVerify) {
  {
    KeyedChain key(1);
    {
      // On this thread (SQLite's write() runs its function on the writer thread; the API's
      // database carries the address there, see api/metered_db.cpp and api tests).
      audit::OriginScope from("203.0.113.7");
      auto tx = db_->begin(store::TxMode::write);
      audit::append(*tx, "auditor1", "resident.reveal", "resident:1", "", t0_);
      audit::append(*tx, "auditor1", "resident.reveal", "resident:2", "", t0_);
      tx->commit();
    }
    EXPECT_EQ(audit::current_origin(), "");
    {
      auto tx = db_->begin(store::TxMode::read);
      auto rows = audit::entries(*tx);
      ASSERT_EQ(rows.size(), 2u);
      EXPECT_EQ(rows[0].client_addr, "203.0.113.7");
      EXPECT_EQ(audit::verify(*tx), std::nullopt);
    }
    // The address is part of the hash: changing it breaks the row.
    db_->transact([](store::Tx& tx) {
      tx.exec("UPDATE audit_log SET client_addr = '10.0.0.1' WHERE id = 2");
    });
    EXPECT_EQ(verify(), 2);
  }
  KeyedChain other(2);
  EXPECT_EQ(verify(), 1);
}

TEST_P(AuditTest, WithoutTheKeyAKeyedChainRefusesAppends) {
  {
    KeyedChain key(3);
    append_n(1);
  }
  EXPECT_EQ(error_code([&] { append_n(1); }), "audit_key_missing");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::auth
