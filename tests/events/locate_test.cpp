// Which grid a reported point falls in: the one whose outline holds it, even when another
// grid's representative point is nearer — on both databases.
#include <gtest/gtest.h>

#include "events/service.h"
#include "org/service.h"
#include "testing/testing.h"

namespace wangge::events {
namespace {

class LocateTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::fresh_database(GetParam());
    store::migrate(*db_, org::migrations());
    db_->transact([&](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
      org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
      org::create_org(tx, {"530621101001", "530621101000", "community", "砚池社区"});
      // Grid 1 is a long strip whose point sits at its far west end; grid 2 a square east of
      // it. A point in grid 1's east end is nearer grid 2's point.
      org::create_org(
          tx,
          {"530621101001001", "530621101001", "", "第1网格",
           R"({"type":"Polygon","coordinates":[[[103.50,27.10],[103.60,27.10],[103.60,27.11],[103.50,27.11],[103.50,27.10]]]})",
           27.105, 103.501});
      org::create_org(
          tx,
          {"530621101001002", "530621101001", "", "第2网格",
           R"({"type":"Polygon","coordinates":[[[103.60,27.10],[103.62,27.10],[103.62,27.12],[103.60,27.12],[103.60,27.10]]]})",
           27.11, 103.61});
      // Grid 3 has a point but no outline yet.
      org::create_org(
          tx, {"530621101001003", "530621101001", "", "第3网格", std::nullopt, 27.2, 103.7});
    });
  }
  std::unique_ptr<store::Database> db_;
};

TEST_P(LocateTest, TheOutlineThatHoldsThePointWins) {
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(locate_grid(*tx, 27.105, 103.59, "530621"), "530621101001001");
  EXPECT_EQ(locate_grid(*tx, 27.11, 103.615, "530621"), "530621101001002");
  // Outside every outline: the nearest point, as before outlines.
  EXPECT_EQ(locate_grid(*tx, 27.19, 103.69, "530621"), "530621101001003");
  EXPECT_EQ(locate_grid(*tx, 27.105, 103.59, "530602"), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Backends, LocateTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::events
