// Reports, forms, KPIs and the dashboard over HTTP, on both databases (fixture.h's prefecture:
// 鲁甸县 has 张三 (1980, 低保, 残疾人) and 李四 in H001 at 龙井村, 王五 (2015, 留守儿童) in H002 at
// 砚池村; 巧家县 has 赵四 (重点信访, red) and 张森 in H003).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "fixture.h"
#include "sheets/csv.h"
#include "sheets/sheet.h"
#include "sheets/xlsx_reader.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class ReportApiTest : public ApiTest {
 protected:
  static const json& row(const json& report, const std::string& code) {
    for (const auto& r : report["rows"]) {
      if (r["org_code"] == code) return r["values"];
    }
    static const json none;
    ADD_FAILURE() << "no row " << code;
    return none;
  }
};

constexpr const char* kDibao =
    "/api/v1/reports/dibao?org=530621000000&level=village&as_of=2026-06-30";

TEST_P(ReportApiTest, DibaoByVillageCountsTheRegistry) {
  auto r = get_as("op_ludian", kDibao);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["title"], "低保对象统计表");
  EXPECT_EQ(j["level"], "village");
  ASSERT_EQ(j["rows"].size(), 2u);
  const json& longjing = row(j, "530621101201");
  EXPECT_EQ(longjing["households"], 1);
  EXPECT_EQ(longjing["persons"], 1);
  EXPECT_EQ(longjing["disabled"], 1);
  EXPECT_EQ(longjing["population"], 2);
  EXPECT_EQ(longjing["share"], 50);
  EXPECT_EQ(row(j, "530621101202")["persons"], 0);
  EXPECT_EQ(j["total"]["values"]["population"], 3);
}

TEST_P(ReportApiTest, ScopeAndPermissionAreEnforced) {
  EXPECT_EQ(get_as("op_ludian", "/api/v1/reports/dibao?org=530622000000").status, 404);
  EXPECT_EQ(get_as("op_qiaojia", kDibao).status, 404);
  EXPECT_EQ(get_as("grid_a", kDibao).status, 403);
  EXPECT_EQ(get_as("op_ludian", "/api/v1/reports/no_such_form").status, 404);
}

TEST_P(ReportApiTest, BadInputIsA400InChineseOrEnglish) {
  auto bad = get_as("op_ludian", "/api/v1/reports/dibao?org=530621000000&level=province");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_field(), "level");
  EXPECT_NE(bad.error_message().find("层级"), std::string::npos);
  auto en = call("GET", "/api/v1/reports/dibao?org=530621000000&as_of=2026-02-30",
                 {{"Authorization", "Bearer " + token("op_ludian")}, {"Accept-Language", "en"}});
  EXPECT_EQ(en.status, 400);
  EXPECT_EQ(en.error_field(), "as_of");
  auto period = get_as("op_ludian", "/api/v1/reports/events?from=2026-01-01");
  EXPECT_EQ(period.status, 400);
  EXPECT_EQ(period.error_field(), "to");
}

// Issue 23: 事件办结统计表's default level is county; a township chosen below it shows its
// villages with the default settings instead of refusing; an explicit level above the org is
// still a 400.
TEST_P(ReportApiTest, AFormsDefaultLevelAboveTheOrgFallsToOneLevelDown) {
  auto county = get_as("op_ludian", "/api/v1/reports/events?org=530621000000");
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_EQ(county.json()["level"], "county");
  auto township = get_as("op_ludian", "/api/v1/reports/events?org=530621101000");
  ASSERT_EQ(township.status, 200) << township.body;
  EXPECT_EQ(township.json()["level"], "village");
  EXPECT_EQ(township.json()["rows"].size(), 2u);
  auto xlsx = get_as("op_ludian", "/api/v1/reports/events?org=530621101000&format=xlsx");
  EXPECT_EQ(xlsx.status, 200) << xlsx.body;
  auto above = get_as("op_ludian", "/api/v1/reports/events?org=530621101000&level=county");
  EXPECT_EQ(above.status, 400);
  EXPECT_EQ(above.error_field(), "level");
}

// The list says which forms take a period, gives the names and synonyms of the fields they
// select by (typing 低保 finds the roster), and lists rosters only to who may read residents.
TEST_P(ReportApiTest, FormsListPeriodsKeywordsAndRostersForThoseWhoMayReadThem) {
  auto find = [](const json& items, const std::string& code) {
    for (const auto& f : items) {
      if (f["code"] == code) return f;
    }
    return json();
  };
  json items = get_as("op_ludian", "/api/v1/forms").json()["items"];
  EXPECT_EQ(find(items, "events")["period"], true);
  EXPECT_EQ(find(items, "dibao")["period"], false);
  json roster = find(items, "dibao_roster");
  ASSERT_TRUE(roster.is_object());
  const json& words = roster["keywords"];
  EXPECT_NE(std::find(words.begin(), words.end(), "低保"), words.end()) << words;
  EXPECT_EQ(std::find(words.begin(), words.end(), "姓名"), words.end()) << "columns are no keys";

  db_->transact([&](store::Tx& tx) {
    int64_t id = accounts_.create_user(
        tx, {"leader1", "领导", auth::Role::leader, "530600000000", {}, kInitial}, wangge::now(),
        "secadmin");
    accounts_.change_password(tx, id, kInitial, kPassword, wangge::now());
  });
  json seen = get_as("leader1", "/api/v1/forms").json()["items"];
  EXPECT_TRUE(find(seen, "dibao").is_object());
  EXPECT_TRUE(find(seen, "dibao_roster").is_null()) << "a leader may not read residents";
}

// Issue 23, item 7: the forms carry English names; Accept-Language: en gives them (the form's
// title, an indicator's header and group, a roster's column), Chinese stays the default.
TEST_P(ReportApiTest, EnglishNamesOfFormsAndColumnsOnRequest) {
  auto en = [&](const std::string& target) {
    return call("GET", target,
                {{"Authorization", "Bearer " + token("op_ludian")}, {"Accept-Language", "en"}});
  };
  auto r = en("/api/v1/reports/events?org=530621000000");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["title"], "Event closure statistics");
  bool received = false, closed = false;
  const json columns = r.json()["columns"];  // kept: a loop over a temporary's member dangles
  for (const auto& c : columns) {
    if (c["code"] == "received") received = c["name"] == "Events received";
    if (c["code"] == "closed") closed = c["name"] == "Closed" && c["group"] == "Closure";
  }
  EXPECT_TRUE(received && closed) << columns;
  EXPECT_EQ(get_as("op_ludian", "/api/v1/reports/events?org=530621000000").json()["title"],
            "事件办结统计表");
  auto roster = en("/api/v1/reports/dibao_roster?org=530621000000");
  ASSERT_EQ(roster.status, 200) << roster.body;
  EXPECT_EQ(roster.json()["columns"][0]["name"], "Name");
  bool listed = false;
  const json forms = en("/api/v1/forms").json()["items"];
  for (const auto& f : forms) {
    if (f["code"] == "dibao") listed = f["title"] == "Subsistence allowance (dibao) recipients";
  }
  EXPECT_TRUE(listed);
}

TEST_P(ReportApiTest, CsvHasABomAndTheExportIsAudited) {
  auto r = get_as("op_ludian", std::string(kDibao) + "&format=csv");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(r.body.find("低保对象统计表"), std::string::npos);
  EXPECT_NE(r.body.find("合计"), std::string::npos);
  EXPECT_NE(r.header("Content-Type").find("text/csv"), std::string::npos);
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM audit_log WHERE action = 'report.export' AND "
                          "actor = 'op_ludian' AND subject = 'form:dibao'"),
            1);
}

TEST_P(ReportApiTest, XlsxHoldsTheSameNumbersAsTheJson) {
  auto x = get_as("op_ludian", std::string(kDibao) + "&format=xlsx");
  ASSERT_EQ(x.status, 200) << x.body;
  ASSERT_EQ(x.body.substr(0, 2), "PK");
  auto file = wangge::testing::temp_dir() / "dibao.xlsx";
  std::ofstream(file, std::ios::binary) << x.body;
  sheets::Sheet sheet = sheets::read_xlsx(file);
  EXPECT_EQ(sheet.cell(0, 0).text(), "低保对象统计表");
  EXPECT_EQ(sheet.cell(2, 2).text(), "低保对象");  // the merged upper header
  EXPECT_FALSE(sheet.merges.empty());
  json j = get_as("op_ludian", kDibao).json();
  // Data rows start on the fifth row; columns after name and code follow the form.
  for (size_t r = 0; r < j["rows"].size(); ++r) {
    EXPECT_EQ(sheet.cell(4 + r, 1).text(), j["rows"][r]["org_code"]);
    EXPECT_EQ(sheet.cell(4 + r, 3).value(), j["rows"][r]["values"]["persons"].get<double>());
  }
  EXPECT_EQ(sheet.cell(4 + j["rows"].size(), 0).text(), "合计");
}

// CSV injection (issue 14, item 9): a resident renamed to a formula shows in the 低保 roster's
// CSV as quoted text with an apostrophe, and in its XLSX as the same text in a string cell.
TEST_P(ReportApiTest, ARosterShowsFormulaLikeNamesAsText) {
  const std::string name = "=HYPERLINK(\"http://e.cn\",\"点\")";
  auto renamed =
      call("PATCH", path("/api/v1/residents/", zhang_san_),
           {{"Authorization", "Bearer " + token("op_ludian")}}, json{{"name", name}}.dump());
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  const std::string roster = "/api/v1/reports/dibao_roster?org=530621000000";
  auto csv = get_as("op_ludian", roster + "&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("\"'=HYPERLINK("), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find(",=HYPERLINK"), std::string::npos);
  bool found = false;
  for (const auto& row : sheets::read_csv_bytes(csv.body).rows) {
    for (const auto& c : row) found = found || c.text() == name;
  }
  EXPECT_TRUE(found) << "the reader gives the name back";
  auto x = get_as("op_ludian", roster + "&format=xlsx");
  ASSERT_EQ(x.status, 200);
  auto file = wangge::testing::temp_dir() / "roster.xlsx";
  std::ofstream(file, std::ios::binary) << x.body;
  found = false;
  for (const auto& row : sheets::read_xlsx(file).rows) {
    for (const auto& c : row) found = found || (c.text() == name && c.is_text());
  }
  EXPECT_TRUE(found);
}

TEST_P(ReportApiTest, ACommittedWriteReachesTheReportAtOnce) {
  json before = get_as("op_ludian", kDibao).json();
  EXPECT_EQ(row(before, "530621101202")["persons"], 0);
  json body = {{"household_no", "H002"},
               {"name", "钱七"},
               {"id_number", id_number("530621", "19500412", 73)},
               {"relation", "parent"},
               {"tags", {"dibao"}}};
  auto created = post_as("op_ludian", "/api/v1/residents", body);
  ASSERT_EQ(created.status, 201) << created.body;
  json after = get_as("op_ludian", kDibao).json();
  EXPECT_EQ(row(after, "530621101202")["persons"], 1);
  EXPECT_EQ(row(after, "530621101202")["households"], 1);
  EXPECT_EQ(row(after, "530621101202")["elderly"], 1);
  EXPECT_EQ(after["total"]["values"]["population"], 4);
}

TEST_P(ReportApiTest, FormsAreListedAndEditedWithTheErrorsPlace) {
  auto list = get_as("op_ludian", "/api/v1/forms");
  ASSERT_EQ(list.status, 200);
  EXPECT_GE(list.json()["items"].size(), 15u);
  auto one = get_as("op_ludian", "/api/v1/forms/dibao").json();
  EXPECT_EQ(one["title"], "低保对象统计表");
  EXPECT_NE(one["toml"].get<std::string>().find("[[indicator]]"), std::string::npos);

  std::string admin = sysadmin_token();
  std::string bad =
      "title = \"测试表\"\n\n[[indicator]]\ncode = \"x\"\nname = \"人数\"\nentity = "
      "\"resident\"\naggregate = \"count\"\nfilter = \"年龄 >= 60 and 颜色 = '紫'\"\n";
  auto refused = call("PUT", "/api/v1/forms/test_form", {{"Authorization", "Bearer " + admin}},
                      json{{"toml", bad}}.dump());
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.error_field(), "test_form.toml:8:indicator[1].filter");
  EXPECT_EQ(get_as("op_ludian", "/api/v1/forms/test_form").status, 404);

  std::string good =
      "title = \"测试表\"\n\n[[indicator]]\ncode = \"x\"\nname = \"人数\"\nentity = "
      "\"resident\"\naggregate = \"count\"\nfilter = \"低保对象\"\n";
  EXPECT_EQ(call("PUT", "/api/v1/forms/test_form",
                 {{"Authorization", "Bearer " + token("op_ludian")}}, json{{"toml", good}}.dump())
                .status,
            403);
  auto saved = call("PUT", "/api/v1/forms/test_form", {{"Authorization", "Bearer " + admin}},
                    json{{"toml", good}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  auto report = get_as("op_ludian", "/api/v1/reports/test_form?org=530621000000").json();
  EXPECT_EQ(report["total"]["values"]["x"], 1);
}

TEST_P(ReportApiTest, KpisAndDashboard) {
  auto k =
      get_as("op_ludian", "/api/v1/kpis/events?org=530621000000&from=2026-01-01&to=2026-06-30");
  ASSERT_EQ(k.status, 200) << k.body;
  EXPECT_EQ(k.json()["received"], 0);
  EXPECT_TRUE(k.json()["closure_rate"].is_null());
  EXPECT_EQ(get_as("op_ludian", "/api/v1/kpis/events?org=530622000000").status, 404);
  auto d = get_as("op_ludian", "/api/v1/dashboard?org=530621000000");
  ASSERT_EQ(d.status, 200) << d.body;
  json j = d.json();
  EXPECT_EQ(j["residents"], 3);
  EXPECT_EQ(j["yilao_yixiao"]["left_behind_children"], 1);
  EXPECT_EQ(j["households"]["green"], 2);
  ASSERT_EQ(j["children"].size(), 1u);  // 文屏镇
  EXPECT_EQ(j["children"][0]["residents"], 3);
  auto city = get_as("auditor", "/api/v1/dashboard");
  EXPECT_EQ(city.status, 403);
}

// The 红黄绿 card counts households by the household's colour and people by their own: 赵四 is
// red, his household H003 is green in the registry, and the card says so, not 1 red of each.
TEST_P(ReportApiTest, ColorsCountHouseholdsWithPeopleAsASecondLine) {
  auto grid = get_as("grid_a", "/api/v1/colors");  // a grid worker: its grid by default
  ASSERT_EQ(grid.status, 200) << grid.body;
  EXPECT_EQ(grid.json()["org"]["code"], "530621101201001");
  EXPECT_EQ(grid.json()["households"],
            (json{{"total", 1}, {"red", 0}, {"yellow", 0}, {"green", 1}}));
  EXPECT_EQ(grid.json()["people"], (json{{"total", 2}, {"red", 0}, {"yellow", 0}, {"green", 0}}));
  auto qiaojia = get_as("op_qiaojia", "/api/v1/colors?org=530622000000");
  ASSERT_EQ(qiaojia.status, 200) << qiaojia.body;
  EXPECT_EQ(qiaojia.json()["households"],
            (json{{"total", 1}, {"red", 0}, {"yellow", 0}, {"green", 1}}));
  EXPECT_EQ(qiaojia.json()["people"],
            (json{{"total", 2}, {"red", 1}, {"yellow", 0}, {"green", 0}}));
  EXPECT_EQ(get_as("grid_a", "/api/v1/colors?org=530622000000").status, 404);  // out of scope
  EXPECT_EQ(get_as("auditor", "/api/v1/colors").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportApiTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
