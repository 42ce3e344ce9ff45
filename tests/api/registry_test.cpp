// Registry reads within the caller's scope: orgs, the resident list with its filters,
// resident and household details, masking, and the audited reveal.
#include <gtest/gtest.h>

#include <set>

#include "core/error.h"
#include "fixture.h"
#include "org/module/module.h"

namespace wangge::api {
namespace {

using nlohmann::json;

std::set<std::string> names(const json& list) {
  std::set<std::string> out;
  for (const auto& item : list["items"]) out.insert(item["name"].get<std::string>());
  return out;
}

TEST_P(ApiTest, CountyOperatorSeesItsCountyOnly) {
  auto r = get_as("op_ludian", "/api/v1/residents");
  ASSERT_EQ(r.status, 200) << r.body;
  json list = r.json();
  EXPECT_EQ(list["total"], 3);
  EXPECT_EQ(names(list), (std::set<std::string>{"张三", "李四", "王五"}));
  for (const auto& item : list["items"]) {
    EXPECT_EQ(item["org_code"].get<std::string>().substr(0, 6), "530621");
  }
  auto other = get_as("op_qiaojia", "/api/v1/residents");
  EXPECT_EQ(names(other.json()), (std::set<std::string>{"赵四", "张森"}));

  auto outside = get_as("op_ludian", path("/api/v1/residents/", zhao_si_));
  EXPECT_EQ(outside.status, 404);
  EXPECT_EQ(outside.error_code(), "not_found");
  // A missing id answers exactly like an out-of-scope one.
  auto missing = get_as("op_ludian", "/api/v1/residents/999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(get_as("op_ludian", path("/api/v1/households/", h003_)).status, 404);
  EXPECT_EQ(get_as("op_ludian", "/api/v1/orgs/530622000000").status, 404);
  EXPECT_EQ(get_as("op_ludian", "/api/v1/residents?org=530622000000").status, 404);
}

TEST_P(ApiTest, OrgsAndChildrenWithinScope) {
  auto county = get_as("op_ludian", "/api/v1/orgs/530621000000");
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_EQ(county.json()["name"], "鲁甸县");
  EXPECT_EQ(county.json()["parent_code"], "530600000000");
  auto kids = get_as("op_ludian", "/api/v1/orgs/530621101000/children");
  ASSERT_EQ(kids.status, 200) << kids.body;
  json children = kids.json();
  std::set<std::string> codes;
  for (const auto& o : children["items"]) codes.insert(o["code"].get<std::string>());
  EXPECT_EQ(codes, (std::set<std::string>{"530621101201", "530621101202"}));
  // The city lies above the county operator's post: out of scope.
  EXPECT_EQ(get_as("op_ludian", "/api/v1/orgs/530600000000").status, 404);
  EXPECT_EQ(get_as("op_ludian", "/api/v1/orgs/530600000000/children").status, 404);
  // The auditor holds no org.read.
  EXPECT_EQ(get_as("auditor", "/api/v1/orgs/530600000000").status, 403);
}

// The base map of the config's [map] reaches every signed-in user's maps; a tile URL that is
// not an https template, or a credit carrying markup, is refused naming the key.
TEST_P(ApiTest, TheConfiguredBaseMapReachesEverySignedInUser) {
  auto none = get_as("auditor", "/api/v1/map");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json()["tile_url"], "");
  const std::string url =
      "https://t0.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}";
  org::use_map_settings({url, "© 天地图"});
  auto set = get_as("op_ludian", "/api/v1/map");
  EXPECT_EQ(set.json()["tile_url"], url);
  EXPECT_EQ(set.json()["attribution"], "© 天地图");
  EXPECT_EQ(call("GET", "/api/v1/map").status, 401);
  for (std::string bad :
       {"http://tiles.example.cn/{z}/{x}/{y}.png", "https://tiles.example.cn/{z}/{x}.png",
        "https://tiles.example.cn/{z}/{x}/{y}.png\" onerror=\"x"}) {
    try {
      org::use_map_settings({bad, ""});
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), "map.tile_url") << bad;
    }
  }
  EXPECT_THROW(org::use_map_settings({url, "<img src=x onerror=alert(1)>"}), Error);
  EXPECT_EQ(get_as("auditor", "/api/v1/map").json()["tile_url"], url);  // the refused left it
  org::use_map_settings({});
}

TEST_P(ApiTest, PinyinSearchStaysInScope) {
  auto zs = get_as("op_ludian", "/api/v1/residents?q=zs");
  ASSERT_EQ(zs.status, 200) << zs.body;
  EXPECT_EQ(names(zs.json()), std::set<std::string>{"张三"});
  EXPECT_EQ(names(get_as("op_qiaojia", "/api/v1/residents?q=zs").json()),
            (std::set<std::string>{"赵四", "张森"}));
  EXPECT_EQ(names(get_as("op_ludian", "/api/v1/residents?q=ZhangS").json()),
            std::set<std::string>{"张三"});
  EXPECT_EQ(names(get_as("op_ludian", "/api/v1/residents?q=%E4%B8%89").json()),  // 三
            std::set<std::string>{"张三"});
  EXPECT_EQ(get_as("op_ludian", "/api/v1/residents?q=%25").json()["total"], 0);  // a literal %
}

TEST_P(ApiTest, FiltersAndPaging) {
  auto dibao = get_as("op_ludian", "/api/v1/residents?tag=dibao");
  EXPECT_EQ(names(dibao.json()), std::set<std::string>{"张三"});
  EXPECT_EQ(names(get_as("op_ludian", "/api/v1/residents?tag=%E4%BD%8E%E4%BF%9D").json()),
            std::set<std::string>{"张三"});  // 低保 by name
  EXPECT_EQ(names(get_as("op_qiaojia", "/api/v1/residents?color=red").json()),
            std::set<std::string>{"赵四"});
  EXPECT_EQ(names(get_as("op_ludian", "/api/v1/residents?age_max=17").json()),
            std::set<std::string>{"王五"});
  EXPECT_EQ(names(get_as("op_ludian", "/api/v1/residents?age_min=18&age_max=150").json()),
            (std::set<std::string>{"张三", "李四"}));
  EXPECT_EQ(names(get_as("op_ludian", "/api/v1/residents?org=530621101202").json()),
            std::set<std::string>{"王五"});

  auto page2 = get_as("op_ludian", "/api/v1/residents?size=2&page=2").json();
  EXPECT_EQ(page2["total"], 3);
  EXPECT_EQ(page2["page"], 2);
  ASSERT_EQ(page2["items"].size(), 1u);
  EXPECT_EQ(page2["items"][0]["id"], std::max({zhang_san_, li_si_, wang_wu_}));
}

TEST_P(ApiTest, BadQueryParametersAre400NamingTheField) {
  struct Case {
    const char* query;
    const char* field;
  };
  for (const Case& c : {Case{"page=abc", "page"}, Case{"size=1000", "size"}, Case{"size=0", "size"},
                        Case{"page=0", "page"}, Case{"age_min=50&age_max=20", "age_min"},
                        Case{"age_min=-1", "age_min"}, Case{"tag=nosuchtag", "tag"},
                        Case{"color=purple", "color"}, Case{"status=gone", "status"}}) {
    auto r = get_as("op_ludian", std::string("/api/v1/residents?") + c.query);
    EXPECT_EQ(r.status, 400) << c.query << " " << r.body;
    EXPECT_EQ(r.error_field(), c.field) << c.query << " " << r.body;
  }
}

TEST_P(ApiTest, IdNumbersAndPhonesAreMaskedSensitiveTagsNeedReveal) {
  auto list = get_as("op_ludian", "/api/v1/residents?q=zs").json();
  ASSERT_EQ(list["items"].size(), 1u);
  const json& item = list["items"][0];
  EXPECT_EQ(item["id_number"], zhang_san_id_.substr(0, 6) + "********" + zhang_san_id_.substr(14));
  EXPECT_EQ(item["phone"], "138****5678");
  EXPECT_EQ(list.dump().find(zhang_san_id_), std::string::npos);
  EXPECT_EQ(list.dump().find("13812345678"), std::string::npos);
  EXPECT_EQ(tag_codes(item), (std::set<std::string>{"dibao", "disabled"}));

  auto detail = get_as("op_ludian", path("/api/v1/residents/", zhang_san_));
  ASSERT_EQ(detail.status, 200) << detail.body;
  json d = detail.json();
  EXPECT_EQ(d["id_number"], item["id_number"]);
  EXPECT_EQ(d["household_no"], "H001");
  EXPECT_EQ(d["relation"], "head");
  EXPECT_EQ(detail.body.find(zhang_san_id_), std::string::npos);

  // A grid worker (no reveal permission) does not see the sensitive 残疾人 tag.
  auto worker = get_as("grid_a", path("/api/v1/residents/", zhang_san_));
  ASSERT_EQ(worker.status, 200) << worker.body;
  EXPECT_EQ(tag_codes(worker.json()), std::set<std::string>{"dibao"});
  auto by_sensitive = get_as("grid_a", "/api/v1/residents?tag=disabled");
  EXPECT_EQ(by_sensitive.status, 403);
  // The grid worker's scope is one grid: 王五 lives in another village.
  EXPECT_EQ(get_as("grid_a", path("/api/v1/residents/", wang_wu_)).status, 404);
}

TEST_P(ApiTest, ColourAndHistoryInDetail) {
  auto d = get_as("op_qiaojia", path("/api/v1/residents/", zhao_si_)).json();
  EXPECT_EQ(d["color"], "red");
  ASSERT_EQ(d["color_history"].size(), 1u);
  EXPECT_EQ(d["color_history"][0]["to"], "red");
  EXPECT_EQ(tag_codes(d), std::set<std::string>{"kp_petition"});
}

// Issue 23: the list names the full place (village + grid, not "第1网格" alone) and the 红黄绿 as
// the registry defines it: every person shows their household's colour, their own beside it.
TEST_P(ApiTest, TheListGivesTheFullPlaceAndTheHouseholdsColour) {
  auto list = get_as("op_qiaojia", "/api/v1/residents").json();
  auto h003 = get_as("op_qiaojia", path("/api/v1/households/", h003_)).json();
  ASSERT_TRUE(h003["color"].is_string());
  bool seen = false;
  for (const auto& r : list["items"]) {
    EXPECT_EQ(r["place"], "邻县村第1网格") << r;
    EXPECT_EQ(r["household_color"], h003["color"]) << r;
    if (r["name"] == "张森") {
      seen = true;
      EXPECT_TRUE(r["color"].is_null()) << "no colour of his own";
    }
  }
  EXPECT_TRUE(seen);
  auto one = get_as("op_ludian", path("/api/v1/residents/", zhang_san_)).json();
  EXPECT_EQ(one["place"], "龙井村第1网格");
  EXPECT_EQ(one["household_color"], "green");
  EXPECT_EQ(one["household_color_label"], "绿");
}

TEST_P(ApiTest, HouseholdWithMembersAndResidentsOwnHousehold) {
  auto h = get_as("op_ludian", path("/api/v1/households/", h001_));
  ASSERT_EQ(h.status, 200) << h.body;
  EXPECT_EQ(h.json()["household_no"], "H001");
  EXPECT_EQ(names(json{{"items", h.json()["members"]}}), (std::set<std::string>{"张三", "李四"}));
  EXPECT_EQ(h.body.find(zhang_san_id_), std::string::npos);

  EXPECT_EQ(get_as("res_a", path("/api/v1/households/", h001_)).status, 200);
  EXPECT_EQ(get_as("res_a", path("/api/v1/households/", h003_)).status, 404);
  EXPECT_EQ(get_as("res_a", "/api/v1/residents").status, 403);
}

TEST_P(ApiTest, RevealReturnsTheClearValueAndAppendsAnAuditRow) {
  auto r = post_as("op_ludian", path("/api/v1/residents/", zhang_san_, "/reveal"),
                   {{"field", "id_number"}, {"reason", "办理低保复核"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["value"], zhang_san_id_);
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  auto tx = db_->begin(store::TxMode::read);
  auto entries = auth::audit::entries(*tx, 0, 1000);
  int reveals = 0;
  for (const auto& e : entries) {
    if (e.action != "resident.reveal") continue;
    ++reveals;
    EXPECT_EQ(e.actor, "op_ludian");
    EXPECT_EQ(e.subject, "resident:" + std::to_string(zhang_san_));
    EXPECT_NE(e.detail.find("办理低保复核"), std::string::npos);
    EXPECT_EQ(e.detail.find(zhang_san_id_), std::string::npos);
  }
  EXPECT_EQ(reveals, 1);
  EXPECT_EQ(auth::audit::verify(*tx), std::nullopt);
}

TEST_P(ApiTest, RevealIsRefusedWithoutPermissionReasonOrScope) {
  auto count_reveals = [&] {
    auto tx = db_->begin(store::TxMode::read);
    int n = 0;
    for (const auto& e : auth::audit::entries(*tx, 0, 1000)) n += e.action == "resident.reveal";
    return n;
  };
  std::string target = path("/api/v1/residents/", zhang_san_, "/reveal");
  auto worker = post_as("grid_a", target, {{"field", "phone"}, {"reason", "入户走访"}});
  EXPECT_EQ(worker.status, 403);
  EXPECT_EQ(worker.error_code(), "forbidden");
  auto short_reason = post_as("op_ludian", target, {{"field", "phone"}, {"reason", "查"}});
  EXPECT_EQ(short_reason.status, 400);
  EXPECT_EQ(short_reason.error_field(), "reason");
  auto bad_field = post_as("op_ludian", target, {{"field", "address"}, {"reason", "入户走访"}});
  EXPECT_EQ(bad_field.error_field(), "field");
  auto extra =
      post_as("op_ludian", target, {{"field", "phone"}, {"reason", "入户走访"}, {"why", "x"}});
  EXPECT_EQ(extra.error_field(), "why");
  auto outside = post_as("op_qiaojia", target, {{"field", "phone"}, {"reason", "入户走访"}});
  EXPECT_EQ(outside.status, 404);
  auto no_phone = post_as("op_ludian", path("/api/v1/residents/", li_si_, "/reveal"),
                          {{"field", "phone"}, {"reason", "入户走访"}});
  EXPECT_EQ(no_phone.status, 404);
  EXPECT_EQ(count_reveals(), 0);
}

}  // namespace
}  // namespace wangge::api
