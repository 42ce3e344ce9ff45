// The event list's search (编号, keyword, period, several states, category, level, source) and
// its export through the API, on both databases.
#include <gtest/gtest.h>

#include <set>

#include "event_fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

std::string encoded(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ',') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

class EventSearchTest : public EventApiTest {
 protected:
  // The ids the county's list gives for the query string.
  std::set<int64_t> found(const std::string& query) {
    auto r = get("shuifu_op", "/api/v1/events?size=100&" + query);
    EXPECT_EQ(r.status, 200) << query << " → " << r.body;
    std::set<int64_t> ids;
    const json body = r.json();
    for (const auto& e : body["items"]) ids.insert(e["id"].get<int64_t>());
    EXPECT_EQ(body["total"], ids.size());
    return ids;
  }
  void SetUp() override {
    EventApiTest::SetUp();
    set_now("2026-04-08T10:00:00+08:00");
    road_ = report("an_taiqiao", {{"category", "infra.road"},
                                  {"title", "路面坑洼"},
                                  {"description", "安置房门口路面塌陷50%"}});
    set_now("2026-04-09T10:00:00+08:00");
    litter_ = report("an_taiqiao", {{"category", "环境卫生"}, {"title", "垃圾堆放"}});
    hotline_ = report("shuifu_op", {{"category", "环境卫生"},
                                    {"title", "噪音扰民"},
                                    {"source", "hotline_12345"},
                                    {"external_ref", "ZT2026040900017"},
                                    {"grid", kAnjiangGrid}});
    ok("an_taiqiao", litter_, {{"action", "accept"}});
  }
  int64_t road_ = 0, litter_ = 0, hotline_ = 0;
};

TEST_P(EventSearchTest, SearchesByNumberKeywordPeriodStatesCategoryLevelAndSource) {
  EXPECT_EQ(found(""), (std::set<int64_t>{road_, litter_, hotline_}));
  // 编号: the id or the 12345 ticket.
  EXPECT_EQ(found("number=" + std::to_string(road_)), std::set<int64_t>{road_});
  EXPECT_EQ(found("number=ZT2026040900017"), std::set<int64_t>{hotline_});
  EXPECT_TRUE(found("number=999999").empty());
  // Keyword in title or description; % is a character, not a wildcard.
  EXPECT_EQ(found("q=" + encoded("垃圾")), std::set<int64_t>{litter_});
  EXPECT_EQ(found("q=" + encoded("塌陷")), std::set<int64_t>{road_});
  EXPECT_EQ(found("q=" + encoded("50%")), std::set<int64_t>{road_});
  EXPECT_TRUE(found("q=" + encoded("5%塌")).empty());
  // Period of the report: local days, `to` inclusive.
  EXPECT_EQ(found("from=2026-04-09&to=2026-04-09"), (std::set<int64_t>{litter_, hotline_}));
  EXPECT_EQ(found("to=2026-04-08"), std::set<int64_t>{road_});
  // Several states at once.
  EXPECT_EQ(found("state=accepted"), std::set<int64_t>{litter_});
  EXPECT_EQ(found("state=reported,accepted"), (std::set<int64_t>{road_, litter_, hotline_}));
  // Category (a parent takes its children), level and source.
  EXPECT_EQ(found("category=infra"), std::set<int64_t>{road_});
  EXPECT_EQ(found("level=3"), std::set<int64_t>{hotline_});  // 12345 goes to the township
  EXPECT_EQ(found("source=hotline_12345"), std::set<int64_t>{hotline_});
  EXPECT_EQ(found("source=grid_patrol,hotline_12345&q=" + encoded("噪音")),
            std::set<int64_t>{hotline_});
  // Open only.
  ok("an_taiqiao", litter_, {{"action", "resolve"}, {"note", "已清运"}});
  EXPECT_EQ(found("open=true"), (std::set<int64_t>{road_, hotline_}));
  EXPECT_EQ(found("open=false"), std::set<int64_t>{litter_});
}

TEST_P(EventSearchTest, BadSearchInputIsAChinese400) {
  for (const char* q : {"state=reported,nope", "source=fax", "from=2026-04-09&to=2026-04-08",
                        "from=yesterday", "category=nope"}) {
    auto r = get("shuifu_op", std::string("/api/v1/events?") + q);
    EXPECT_EQ(r.status, 400) << q << " → " << r.body;
    EXPECT_FALSE(r.error_message().empty());
    EXPECT_NE(r.error_message().find_first_of("\xe4\xe5\xe6\xe7\xe8\xe9"), std::string::npos)
        << r.error_message();
  }
}

TEST_P(EventSearchTest, ExportsTheListsEventsAsCsvAndXlsx) {
  auto csv = get("shuifu_op", "/api/v1/events/export?format=csv&q=" + encoded("垃圾"));
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.header("Content-Type").find("text/csv"), std::string::npos);
  EXPECT_NE(csv.header("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_NE(csv.body.find("编号"), std::string::npos);
  EXPECT_NE(csv.body.find("垃圾堆放"), std::string::npos);
  EXPECT_EQ(csv.body.find("路面坑洼"), std::string::npos);    // the filter holds
  EXPECT_NE(csv.body.find("剩余14小时"), std::string::npos);  // the clock, as the console reads it
  auto xlsx = get("shuifu_op", "/api/v1/events/export");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");  // a zip: the workbook
  // Out of scope: another township's operator exports nothing of this county.
  auto other = get("wulong_op", "/api/v1/events/export?format=csv");
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(other.body.find("垃圾堆放"), std::string::npos);
  EXPECT_EQ(get("shuifu_op", "/api/v1/events/export?format=pdf").status, 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventSearchTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
