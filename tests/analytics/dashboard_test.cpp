// The dashboard's events by top-level category (kpi.h dashboard()), counted by hand from the
// fixture's five events (fixture.h): sanitation 2026-03-01 and 2025-12-01 and dispute 2026-04-01
// at 龙井村 G1, dispute 2026-05-10 at 砚池社区 G3 (all 鲁甸县), infra.water 2026-06-01 at 昭阳区.
#include <gtest/gtest.h>

#include <map>

#include "analytics/index.h"
#include "analytics/kpi.h"
#include "core/error.h"
#include "events/events.h"
#include "fixture.h"
#include "testing/testing.h"

namespace wangge::analytics {
namespace {

std::map<std::string, int64_t> counts(const nlohmann::json& d) {
  std::map<std::string, int64_t> out;
  for (const auto& c : d["by_category"]) out[c["code"].get<std::string>()] = c["count"];
  return out;
}

class DashboardTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = wangge::testing::fresh_database(GetParam());
    testing::load_fixture(*db_);
    index_ = std::make_unique<Index>(*db_);
    index_->load();
  }
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Index> index_;
};

TEST_P(DashboardTest, ByCategoryListsEveryTopLevelCategoryInTaxonomyOrder) {
  auto d = dashboard(*index_, "530600000000", parse_date("2026-06-30"));
  std::vector<std::string> want;
  for (const auto& c : events::categories()) {
    if (c.parent.empty()) want.push_back(c.code);
  }
  ASSERT_EQ(d["by_category"].size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(d["by_category"][i]["code"], want[i]);
    EXPECT_FALSE(d["by_category"][i]["name"].get<std::string>().empty());
  }
}

TEST_P(DashboardTest, ByCategoryDefaultsToTheLast365Days) {
  auto d = dashboard(*index_, "530600000000", parse_date("2026-06-30"));
  EXPECT_EQ(d["period"]["from"], "2025-07-01");
  EXPECT_EQ(d["period"]["to"], "2026-06-30");
  auto c = counts(d);
  EXPECT_EQ(c["sanitation"], 2);
  EXPECT_EQ(c["dispute"], 2);
  EXPECT_EQ(c["infra"], 1);  // infra.water counts under its top-level category
  int64_t total = 0;
  for (const auto& [code, n] : c) total += n;
  EXPECT_EQ(total, 5);
  // On 2026-03-01 the window is 2025-03-02 … 2026-03-01: both sanitation events, nothing else.
  auto early = counts(dashboard(*index_, "530600000000", parse_date("2026-03-01")));
  EXPECT_EQ(early["sanitation"], 2);
  EXPECT_EQ(early["dispute"], 0);
  EXPECT_EQ(early["infra"], 0);
}

TEST_P(DashboardTest, ByCategoryKeepsToThePeriodAndTheOrgSubtree) {
  auto d = dashboard(*index_, "530600000000", parse_date("2026-06-30"), parse_date("2026-01-01"),
                     parse_date("2026-04-30"));
  EXPECT_EQ(d["period"]["from"], "2026-01-01");
  auto c = counts(d);
  EXPECT_EQ(c["sanitation"], 1);  // 2025-12-01 is before the period
  EXPECT_EQ(c["dispute"], 1);     // 2026-05-10 is after it
  EXPECT_EQ(c["infra"], 0);
  auto ludian = counts(dashboard(*index_, "530621000000", parse_date("2026-06-30")));
  EXPECT_EQ(ludian["sanitation"], 2);
  EXPECT_EQ(ludian["dispute"], 2);
  EXPECT_EQ(ludian["infra"], 0);  // the water event is in 昭阳区
  auto village = counts(dashboard(*index_, "530621101202", parse_date("2026-06-30")));
  EXPECT_EQ(village["dispute"], 1);
  EXPECT_EQ(village["sanitation"], 0);
  EXPECT_THROW(dashboard(*index_, "530699000000", parse_date("2026-06-30")), Error);
}

INSTANTIATE_TEST_SUITE_P(Backends, DashboardTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::analytics
