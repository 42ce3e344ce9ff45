// `wangge org boundaries import`, through the real binary, on both databases: a county's file
// goes in whole, or nothing goes in and every unusable feature is listed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/app.h"
#include "cli/child.h"
#include "org/service.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

constexpr const char* kLongtoushan =
    R"({"type":"Polygon","coordinates":[[[103.4,27.0],[103.5,27.0],[103.5,27.1],[103.4,27.0]]]})";

class BoundariesImportTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url(GetParam());
    auto db = open_database(url_);
    db->transact([&](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
      org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
      org::create_org(tx, {"530621102000", "530621000000", "town", "龙头山镇"});
    });
  }
  std::string file(const std::string& text) {
    auto path = dir_ / "outlines.geojson";
    std::ofstream(path) << text;
    return path.string();
  }
  std::pair<int, std::string> wangge(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", url_});
    auto [status, out] = run_with_input(args, {}, "");
    return {WEXITSTATUS(status), out};
  }
  int64_t outlined() {
    auto db = open_database(url_);
    auto tx = db->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM orgs WHERE boundary IS NOT NULL");
  }
  std::string url_;
  std::filesystem::path dir_ = testing::temp_dir("wangge-boundaries");
};

TEST_P(BoundariesImportTest, ImportsByNameOrRefusesListingWhatDidNotMatch) {
  const std::string good =
      std::string(R"({"type":"Feature","properties":{"XZQMC":"龙头山镇"},"geometry":)") +
      kLongtoushan + "}";
  const std::string unknown =
      std::string(R"({"type":"Feature","properties":{"XZQMC":"火德红镇"},"geometry":)") +
      kLongtoushan + "}";
  auto [refused, why] =
      wangge({"org", "boundaries", "import",
              file(R"({"type":"FeatureCollection","features":[)" + good + "," + unknown + "]}"),
              "--match-by", "name"});
  EXPECT_EQ(refused, 2) << why;
  EXPECT_NE(why.find("第2个要素（名称=火德红镇）：没有这个组织"), std::string::npos) << why;
  EXPECT_NE(why.find("数据库未做任何修改"), std::string::npos) << why;
  EXPECT_EQ(outlined(), 0);

  auto [ok, out] = wangge({"org", "boundaries", "import",
                           file(R"({"type":"FeatureCollection","features":[)" + good + "]}"),
                           "--match-by", "name", "--within", "530621000000"});
  EXPECT_EQ(ok, 0) << out;
  EXPECT_NE(out.find("530621102000 龙头山镇"), std::string::npos) << out;
  EXPECT_EQ(outlined(), 1);

  // Not GeoJSON at all: a clear error, exit code 2.
  auto [bad, bad_out] = wangge({"org", "boundaries", "import", file("shapefile bytes")});
  EXPECT_EQ(bad, 2);
  EXPECT_NE(bad_out.find("FeatureCollection"), std::string::npos) << bad_out;
}

INSTANTIATE_TEST_SUITE_P(Backends, BoundariesImportTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::cli
