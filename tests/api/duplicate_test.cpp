// Registering an ID number already on record (issue 14, item 5): within the caller's scope a
// 409 that points to the record; outside it a 409 that says only "registered elsewhere",
// audited without the number, and after kProbesPerDay (5) of those a day a 429 for every
// registration by that user. On both databases.
#include <gtest/gtest.h>

#include "fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class DuplicateTest : public ApiTest {
 protected:
  json resident(const std::string& id) {
    return {{"household_no", "H001"}, {"name", "钱七"}, {"id_number", id}};
  }
  testing::Reply post(const std::string& tok, const json& body,
                      const testing::HeaderList& extra = {}) {
    testing::HeaderList h{{"Authorization", "Bearer " + tok}};
    h.insert(h.end(), extra.begin(), extra.end());
    return call("POST", "/api/v1/residents", h, body.dump());
  }
  int64_t audit_rows(const std::string& action, const std::string& actor) {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM audit_log WHERE action = ? AND actor = ?",
                         {action, actor});
  }
  std::string zhao_si_number() { return id_number("530622", "19700202", 41); }
};

TEST_P(DuplicateTest, WithinScopeTheConflictPointsToTheRecord) {
  auto r = post(token("op_ludian"), resident(zhang_san_id_));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "duplicate_id_number");
  EXPECT_EQ(r.json()["error"]["resident_id"], zhang_san_);
  EXPECT_EQ(audit_rows("resident.duplicate_elsewhere", "op_ludian"), 0);
}

TEST_P(DuplicateTest, OutsideScopeTheConflictSaysNothingAndIsAudited) {
  auto r = post(token("op_ludian"), resident(zhao_si_number()));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "registered_elsewhere");
  EXPECT_NE(r.error_message().find("其他地方登记"), std::string::npos);
  // No org, id or name of the record elsewhere.
  for (const std::string& leak : {std::string("530622"), std::string("赵四"), std::string("巧家"),
                                  std::to_string(zhao_si_)}) {
    EXPECT_EQ(r.json()["error"].dump().find(leak), std::string::npos) << leak;
  }
  EXPECT_FALSE(r.json()["error"].contains("resident_id"));
  EXPECT_EQ(audit_rows("resident.duplicate_elsewhere", "op_ludian"), 1);
  auto tx = db_->begin(store::TxMode::read);
  for (const auto& row : tx->query("SELECT subject, detail FROM audit_log")) {
    EXPECT_EQ((row.text(0) + row.text(1)).find(zhao_si_number()), std::string::npos);
  }
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM residents"), 5);  // nothing registered
}

TEST_P(DuplicateTest, FiveProbesADayThenEveryRegistrationIsRefused) {
  std::string tok = token("grid_a");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(post(tok, resident(zhao_si_number())).status, 409) << i;
  }
  // Now even a new number is refused: the answer may not tell which numbers exist.
  auto fresh = resident(id_number("530621", "19900412", 62));
  auto limited = post(tok, fresh);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "too_many_duplicates");
  EXPECT_NE(limited.error_message().find("登记"), std::string::npos);
  auto en = post(tok, fresh, {{"Accept-Language", "en"}});
  EXPECT_EQ(en.status, 429);
  EXPECT_NE(en.error_message().find("paused"), std::string::npos);
  EXPECT_EQ(audit_rows("resident.duplicate_elsewhere", "grid_a"), 5);
  EXPECT_EQ(audit_rows("resident.duplicate_limited", "grid_a"), 2);
  // Another user is not affected, and the next day the worker registers again.
  EXPECT_EQ(post(token("op_ludian"), fresh).status, 201);
  clock_offset_ms_ = 24 * 3600 * 1000;
  EXPECT_EQ(post(token("grid_a"), resident(id_number("530621", "19900412", 64))).status, 201);
}

INSTANTIATE_TEST_SUITE_P(Backends, DuplicateTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
