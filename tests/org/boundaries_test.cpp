// Org outlines: bad GeoJSON is refused and nothing is written; a county's FeatureCollection is
// imported all or nothing; the map form is small — against both databases.
#include "org/boundaries.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "org/geo.h"
#include "org/service.h"
#include "testing/testing.h"

namespace wangge::org {
namespace {

const std::string kSquare =
    R"({"type":"Polygon","coordinates":[[[103.5,27.1],[103.6,27.1],[103.6,27.2],[103.5,27.2],[103.5,27.1]]]})";

std::string square(double lng, double lat, double d) {
  return fmt::format(
      R"({{"type":"Polygon","coordinates":[[[{0},{1}],[{2},{1}],[{2},{3}],[{0},{3}],[{0},{1}]]]}})",
      lng, lat, lng + d, lat + d);
}

std::string feature(const std::string& props, const std::string& geometry) {
  return R"({"type":"Feature","properties":)" + props + R"(,"geometry":)" + geometry + "}";
}

std::string collection(const std::vector<std::string>& features) {
  std::string out = R"({"type":"FeatureCollection","features":[)";
  for (size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
  return out + "]}";
}

class BoundaryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::fresh_database(GetParam());
    store::migrate(*db_, migrations());
    db_->transact([&](store::Tx& tx) {
      create_org(tx, {"530600000000", "", "", "昭通市"});
      create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
      create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
      create_org(tx, {"530621102000", "530621000000", "town", "龙头山镇"});
      create_org(tx, {"530602000000", "530600000000", "district", "昭阳区"});
    });
  }
  std::optional<std::string> boundary(const std::string& code) {
    auto tx = db_->begin(store::TxMode::read);
    return get_org(*tx, code).boundary;
  }
  // Runs fn in a transaction expected to fail with `code`; returns the Chinese message.
  template <class F>
  std::string expect_error(const std::string& code, F&& fn) {
    try {
      db_->transact([&](store::Tx& tx) { fn(tx); });
      ADD_FAILURE() << "expected error " << code;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.message(Lang::en);
      EXPECT_TRUE(e.kind() == ErrorKind::bad_input || e.kind() == ErrorKind::too_large);
      return e.message(Lang::zh);
    }
    return {};
  }
  std::unique_ptr<store::Database> db_;
};

TEST_P(BoundaryTest, StoresAValidPolygonCompactly) {
  db_->transact([&](store::Tx& tx) {
    set_boundary(tx, "530621101000",
                 R"({"type": "Polygon", "coordinates": [[[103.50, 27.10], [103.6, 27.1],
                     [103.6, 27.2], [103.50000000001, 27.2], [103.5, 27.1]]]})");
  });
  EXPECT_EQ(
      boundary("530621101000"),
      R"({"type":"Polygon","coordinates":[[[103.5,27.1],[103.6,27.1],[103.6,27.2],[103.5,27.2],[103.5,27.1]]]})");
  // An org without a point gets one inside its outline.
  auto tx = db_->begin(store::TxMode::read);
  auto o = get_org(*tx, "530621101000");
  ASSERT_TRUE(o.lat && o.lng);
  EXPECT_NEAR(*o.lat, 27.15, 1e-9);
  EXPECT_NEAR(*o.lng, 103.55, 1e-9);
}

TEST_P(BoundaryTest, RefusesBadGeoJsonAndWritesNothing) {
  db_->transact([&](store::Tx& tx) { set_boundary(tx, "530621101000", kSquare); });
  const std::string before = *boundary("530621101000");
  struct Case {
    std::string text, code, says;
  };
  std::string big = R"({"type":"Polygon","coordinates":[[)";
  for (int i = 0; i < 210'000; ++i) big += fmt::format("[103.{:06d},27.1],", i);
  big += "[103.5,27.2],[103.000000,27.1]]]}";
  const std::vector<Case> cases{
      {"not json", "invalid_boundary", "不是有效的GeoJSON"},
      {R"({"type":"Point","coordinates":[103.5,27.1]})", "invalid_boundary", "Polygon"},
      {R"({"type":"Polygon"})", "invalid_boundary", "缺少坐标"},
      {R"({"type":"Polygon","coordinates":[[[103.5,27.1],[103.6,27.1],[103.6,27.2],[103.5,27.2]]]})",
       "invalid_boundary", "未闭合"},
      {R"({"type":"Polygon","coordinates":[[[103.5,27.1],[103.6,27.1],[103.5,27.1]]]})",
       "invalid_boundary", "至少4个"},
      {R"({"type":"Polygon","coordinates":[[[27.1,103.5],[27.1,103.6],[27.2,103.6],[27.1,103.5]]]})",
       "invalid_boundary", "不在中国境内"},
      {R"({"type":"Polygon","coordinates":[[[500000,3000000],[500100,3000000],[500100,3000100],[500000,3000000]]]})",
       "invalid_boundary", "ogr2ogr"},
      {R"({"type":"Polygon","coordinates":[[["103.5",27.1],[103.6,27.1],[103.6,27.2],["103.5",27.1]]]})",
       "invalid_boundary", "数字"},
      {R"({"type":"Polygon","coordinates":[[[103.5,27.1],[103.6,27.1],[103.7,27.1],[103.5,27.1]]]})",
       "invalid_boundary", "面积为零"},
      {R"({"type":"MultiPolygon","coordinates":[[[[103.5,27.1],[103.6,27.1],[103.6,27.2],[103.5,27.1]]],[[[103.5,27.1],[103.6,27.1]]]]})",
       "invalid_boundary", "第2个多边形第1个环"},
      {big, "invalid_boundary", "顶点超过"},
      {std::string(geo::kMaxBytes + 1, ' '), "boundary_too_large", "超过"},
  };
  for (const auto& c : cases) {
    std::string zh =
        expect_error(c.code, [&](store::Tx& tx) { set_boundary(tx, "530621101000", c.text); });
    EXPECT_NE(zh.find(c.says), std::string::npos) << zh;
    EXPECT_EQ(boundary("530621101000"), before) << c.says;
  }
  // Creating an org with a bad boundary writes no org.
  expect_error("invalid_boundary", [&](store::Tx& tx) {
    create_org(tx, {"530621103000", "530621000000", "town", "水磨镇",
                    R"({"type":"Polygon","coordinates":[[[103.5,27.1]]]})"});
  });
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_FALSE(find_org(*tx, "530621103000"));
}

TEST_P(BoundaryTest, ImportsACountysFileByCode) {
  // A county's own file as a GIS tool writes it: 9-digit township codes as numbers, a 6-digit
  // county code as text.
  auto text = collection({
      feature(R"({"XZQDM":530621101,"XZQMC":"文屏镇"})", square(103.5, 27.1, 0.1)),
      feature(R"({"XZQDM":"530621102","XZQMC":"龙头山镇"})", square(103.6, 27.1, 0.1)),
      feature(R"({"adcode":"530621","name":"鲁甸县"})", square(103.5, 27.1, 0.2)),
  });
  BoundaryImport r;
  db_->transact([&](store::Tx& tx) {
    r = import_boundaries(tx, text, {.by = MatchBy::code, .within = "530621000000"});
  });
  EXPECT_TRUE(r.written);
  EXPECT_TRUE(r.problems_zh.empty());
  ASSERT_EQ(r.matched.size(), 3u);
  EXPECT_EQ(r.matched[2].code, "530621000000");
  EXPECT_EQ(boundary("530621102000"), geo::canonical(square(103.6, 27.1, 0.1)));
  EXPECT_TRUE(boundary("530621000000"));
}

TEST_P(BoundaryTest, ImportIsAllOrNothingAndReportsWhatDidNotMatch) {
  auto text = collection({
      feature(R"({"name":"文屏镇"})", square(103.5, 27.1, 0.1)),
      feature(R"({"name":"不存在镇"})", square(103.6, 27.1, 0.1)),
      feature(R"({"name":"龙头山镇"})",
              R"({"type":"Polygon","coordinates":[[[103.5,27.1],[103.6,27.1],[103.6,27.2]]]})"),
      feature(R"({"name":"文屏镇"})", square(103.7, 27.1, 0.1)),
      feature(R"({"名称":"昭阳区"})", square(103.7, 27.3, 0.1)),
      feature(R"({"other":1})", square(103.7, 27.3, 0.1)),
  });
  BoundaryImport r;
  db_->transact([&](store::Tx& tx) {
    r = import_boundaries(tx, text, {.by = MatchBy::name, .within = "530621000000"});
  });
  EXPECT_FALSE(r.written);
  EXPECT_TRUE(r.matched.empty());
  ASSERT_EQ(r.problems_zh.size(), 5u);
  EXPECT_EQ(r.problems_zh[0], "第2个要素（名称=不存在镇）：没有这个组织");
  EXPECT_NE(r.problems_zh[1].find("至少4个"), std::string::npos) << r.problems_zh[1];
  EXPECT_NE(r.problems_zh[2].find("与第1个要素对应同一组织"), std::string::npos);
  EXPECT_NE(r.problems_zh[3].find("没有这个组织"), std::string::npos);  // outside --within
  EXPECT_NE(r.problems_zh[4].find("属性中没有名称"), std::string::npos);
  EXPECT_EQ(r.problems_en[0], "feature 2 (name=不存在镇): no such org");
  EXPECT_FALSE(boundary("530621101000"));  // the good feature was not written either

  // Not a FeatureCollection at all.
  expect_error("invalid_feature_collection",
               [&](store::Tx& tx) { import_boundaries(tx, kSquare, {}); });
}

TEST_P(BoundaryTest, ANameSharedByTwoOrgsIsAProblem) {
  db_->transact([&](store::Tx& tx) {
    create_org(tx, {"530621101001", "530621101000", "community", "新街社区"});
    create_org(tx, {"530621102001", "530621102000", "community", "新街社区"});
  });
  BoundaryImport r;
  db_->transact([&](store::Tx& tx) {
    r = import_boundaries(tx, collection({feature(R"({"name":"新街社区"})", kSquare)}),
                          {.by = MatchBy::name});
  });
  ASSERT_EQ(r.problems_zh.size(), 1u);
  EXPECT_NE(r.problems_zh[0].find("530621101001, 530621102001"), std::string::npos);
  // Narrowed to one township, it matches.
  db_->transact([&](store::Tx& tx) {
    r = import_boundaries(tx, collection({feature(R"({"name":"新街社区"})", kSquare)}),
                          {.by = MatchBy::name, .within = "530621102000"});
  });
  EXPECT_TRUE(r.written);
  EXPECT_TRUE(boundary("530621102001"));
  EXPECT_FALSE(boundary("530621101001"));
}

TEST_P(BoundaryTest, TheMapFormIsSimplifiedAndRounded) {
  // A square with 400 points along its edges, at 8 decimals.
  std::string ring;
  auto add = [&](double lng, double lat) {
    ring += fmt::format("{}[{:.8f},{:.8f}]", ring.empty() ? "" : ",", lng, lat);
  };
  for (int i = 0; i < 100; ++i) add(103.5 + i * 0.001, 27.1);
  for (int i = 0; i < 100; ++i) add(103.6, 27.1 + i * 0.001);
  for (int i = 0; i < 100; ++i) add(103.6 - i * 0.001, 27.2);
  for (int i = 0; i < 100; ++i) add(103.5, 27.2 - i * 0.001);
  add(103.5, 27.1);
  db_->transact([&](store::Tx& tx) {
    set_boundary(tx, "530621101000", R"({"type":"Polygon","coordinates":[[)" + ring + "]]}");
    set_boundary(tx, "530621000000", square(103.123456789, 27.1, 0.5));
  });
  auto tx = db_->begin(store::TxMode::read);
  auto regions = map_regions(*tx, get_org(*tx, "530621000000"));
  ASSERT_EQ(regions.size(), 3u);  // the county and its two townships
  EXPECT_EQ(regions[0].boundary.find("103.123456789"), std::string::npos);
  EXPECT_NE(regions[0].boundary.find("103.12346"), std::string::npos) << regions[0].boundary;
  EXPECT_EQ(regions[1].org.code, "530621101000");
  EXPECT_EQ(geo::vertex_count(geo::parse(regions[1].boundary)), 5u) << regions[1].boundary;
  EXPECT_TRUE(regions[2].boundary.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, BoundaryTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::org
