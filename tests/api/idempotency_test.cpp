// Idempotency-Key on POST: a resubmission returns the first result and writes nothing, the
// same key with another body is 422, concurrent duplicates write once — on both databases.
#include "api/idempotency.h"

#include <gtest/gtest.h>

#include <thread>

#include "fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class IdempotencyTest : public ApiTest {
 protected:
  void SetUp() override {
    session_poll_ = std::chrono::milliseconds(0);  // see account changes made below at once
    ApiTest::SetUp();
    bearer_ = token("op_ludian");
  }
  json resident(int seq, const std::string& name = "钱七", const char* household = "H002") {
    return {{"household_no", household},
            {"name", name},
            {"id_number", id_number("530621", "19900412", seq)},
            {"sex", "female"}};
  }
  testing::Reply post(const json& body, const std::string& key, const std::string& bearer = {},
                      const testing::HeaderList& extra = {}) {
    testing::HeaderList h = {{"Authorization", "Bearer " + (bearer.empty() ? bearer_ : bearer)}};
    if (!key.empty()) h.emplace_back("Idempotency-Key", key);
    h.insert(h.end(), extra.begin(), extra.end());
    return call("POST", "/api/v1/residents", h, body.dump());
  }
  int64_t count(const char* sql) {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int(sql);
  }
  int64_t residents() { return count("SELECT COUNT(*) FROM residents"); }
  // Moves every record's clock back, as if it had been made that long ago.
  void age_keys(std::chrono::minutes by, bool running) {
    db_->transact([&](store::Tx& tx) {
      tx.exec(std::string("UPDATE idempotency_keys SET created_at = created_at - ?") +
                  (running ? ", status = 0" : ""),
              {static_cast<int64_t>(std::chrono::milliseconds(by).count())});
    });
  }

  std::string bearer_;
};

TEST_P(IdempotencyTest, AResubmissionGetsTheFirstResultAndWritesNothing) {
  const int64_t before = residents();
  auto first = post(resident(62), "offline-0001");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.header("Idempotent-Replayed"), "");
  auto second = post(resident(62), "offline-0001");
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(second.header("Content-Type"), first.header("Content-Type"));
  EXPECT_EQ(residents(), before + 1);
  // Without the key the same body is a second attempt, refused by the registry.
  EXPECT_EQ(post(resident(62), "").status, 409);
  EXPECT_EQ(residents(), before + 1);
}

TEST_P(IdempotencyTest, TheSameKeyWithAnotherBodyIs422AndWritesNothing) {
  ASSERT_EQ(post(resident(62), "k-1").status, 201);
  const int64_t before = residents();
  auto other = post(resident(64, "孙八"), "k-1");
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.error_code(), "idempotency_key_reused");
  EXPECT_NE(other.error_message().find("Idempotency-Key 已用于"), std::string::npos);
  auto en = post(resident(64, "孙八"), "k-1", {}, {{"Accept-Language", "en"}});
  EXPECT_EQ(en.status, 422);
  EXPECT_NE(en.error_message().find("different request"), std::string::npos);
  EXPECT_EQ(residents(), before);
}

TEST_P(IdempotencyTest, ErrorsAreReplayedToo) {
  json bad = resident(62);
  bad["sex"] = "unknown";
  auto first = post(bad, "k-err");
  ASSERT_EQ(first.status, 400);
  auto again = post(bad, "k-err");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
}

TEST_P(IdempotencyTest, KeysBelongToTheirCaller) {
  ASSERT_EQ(post(resident(62), "shared-key").status, 201);
  auto other = post(resident(64, "孙八", "H001"), "shared-key", token("grid_a"));
  EXPECT_EQ(other.status, 201) << other.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys"), 2);
}

TEST_P(IdempotencyTest, MalformedKeysAre400) {
  EXPECT_EQ(post(resident(62), std::string(256, 'k')).status, 400);
  auto spaced = post(resident(62), "has space");
  EXPECT_EQ(spaced.status, 400);
  EXPECT_EQ(spaced.error_code(), "invalid_idempotency_key");
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys"), 0);
}

TEST_P(IdempotencyTest, ConcurrentDuplicatesWriteOnce) {
  const int64_t before = residents();
  constexpr int kThreads = 8;
  std::vector<testing::Reply> replies(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { replies[i] = post(resident(62), "race-1"); });
  }
  for (auto& t : threads) t.join();
  std::string created;
  int ok = 0;
  for (const auto& r : replies) {
    if (r.status == 201) {
      ++ok;
      if (created.empty()) created = r.body;
      EXPECT_EQ(r.body, created);  // the first result, never a second resident
    } else {
      EXPECT_EQ(r.status, 409) << r.body;
      EXPECT_EQ(r.error_code(), "idempotency_in_progress");
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_EQ(residents(), before + 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys"), 1);
}

TEST_P(IdempotencyTest, ARunningClaimIsRespectedUntilItsLeaseEnds) {
  ASSERT_EQ(post(resident(62), "k-run").status, 201);
  age_keys(std::chrono::minutes(1), true);  // as if the first were still running
  auto busy = post(resident(62), "k-run");
  EXPECT_EQ(busy.status, 409);
  EXPECT_EQ(busy.error_code(), "idempotency_in_progress");
  // Abandoned (a crash after the write): the resubmission runs again, and the registry's
  // own uniqueness refuses the second resident.
  age_keys(kIdempotencyLease, true);
  auto rerun = post(resident(62), "k-run");
  EXPECT_EQ(rerun.status, 409);
  EXPECT_NE(rerun.error_code(), "idempotency_in_progress");
  EXPECT_EQ(post(resident(62), "k-run").body, rerun.body);  // and that answer is kept
}

// A crash after the request's write committed and before its answer was kept: the record is
// marked written by that same transaction, so the resubmission, even past the lease, is told
// the write is done and does not run a second time.
TEST_P(IdempotencyTest, AWriteWhoseAnswerWasLostIsNotRunAgain) {
  const int64_t before = residents();
  ASSERT_EQ(post(resident(62), "k-lost").status, 201);
  ASSERT_EQ(count("SELECT COUNT(*) FROM idempotency_keys WHERE status = 201"), 1);
  // What the disk holds when the answer never got kept: the mark the write made.
  db_->transact([](store::Tx& tx) {
    tx.exec("UPDATE idempotency_keys SET status = -1, content_type = NULL, body = NULL");
  });
  age_keys(kIdempotencyLease + std::chrono::minutes(1), false);
  auto again = post(resident(62), "k-lost");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json().value("code", ""), "idempotency_answer_lost");
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(residents(), before + 1);
  // A different request under that key is still a misuse.
  EXPECT_EQ(post(resident(64, "孙八"), "k-lost").status, 422);
}

TEST_P(IdempotencyTest, KeysExpireAfterADay) {
  ASSERT_EQ(post(resident(62), "k-old").status, 201);
  age_keys(
      std::chrono::duration_cast<std::chrono::minutes>(kIdempotencyTtl) + std::chrono::minutes(1),
      false);
  auto reused = post(resident(64, "孙八"), "k-old");
  EXPECT_EQ(reused.status, 201) << reused.body;
  EXPECT_EQ(reused.json()["name"], "孙八");
}

TEST_P(IdempotencyTest, AnonymousCallersKeepNothing) {
  // An Open311 post without a valid API key: the header is ignored, no record is made.
  for (int i = 0; i < 3; ++i) {
    auto r = call("POST", "/open311/v2/requests.json",
                  {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Idempotency-Key", "anon-" + std::to_string(i)}},
                  "api_key=forged&service_code=sanitation&description=x&lat=27.1&long=103.5");
    EXPECT_EQ(r.status / 100, 4) << r.body;
    EXPECT_EQ(r.header("Idempotent-Replayed"), "");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys"), 0);
}

TEST_P(IdempotencyTest, AReplayIsRefusedOnceTheCallersAccessChanged) {
  ASSERT_EQ(post(resident(62), "k-role").status, 201);
  // The county operator becomes a leader (who may not write residents).
  db_->transact([&](store::Tx& tx) {
    tx.exec("UPDATE users SET role = 'leader' WHERE username = 'op_ludian'");
    tx.exec("UPDATE auth_epoch SET value = value + 1");
  });
  auto replay = post(resident(62), "k-role");
  EXPECT_EQ(replay.status, 403) << replay.body;
  EXPECT_EQ(replay.error_code(), "idempotency_access_changed");
  EXPECT_EQ(replay.header("Idempotent-Replayed"), "");
}

TEST_P(IdempotencyTest, AReplayWaitsForTheForcedPasswordChange) {
  ASSERT_EQ(post(resident(62), "k-reset").status, 201);
  db_->transact([&](store::Tx& tx) {
    int64_t id = accounts_.find_user(tx, "op_ludian")->id;
    accounts_.reset_password(tx, id, "Reset#Pass2026", wangge::now(), "sec");
  });
  std::string fresh = token("op_ludian", "Reset#Pass2026");
  auto replay = post(resident(62), "k-reset", fresh);
  EXPECT_EQ(replay.status, 403) << replay.body;
  EXPECT_EQ(replay.error_code(), "password_change_required");
}

TEST_P(IdempotencyTest, RecordsOlderThanADayArePurged) {
  ASSERT_EQ(post(resident(62), "k-day-1").status, 201);
  ASSERT_EQ(post(resident(64, "孙八"), "k-day-2").status, 201);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys"), 2);
  clock_offset_ms_ += std::chrono::duration_cast<std::chrono::milliseconds>(kIdempotencyTtl +
                                                                            std::chrono::minutes(1))
                          .count();
  std::string later = token("op_ludian");  // the first session is long over
  auto third = post(resident(66, "周九"), "k-day-3", later);
  ASSERT_EQ(third.status, 201) << third.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'k-day-3'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
