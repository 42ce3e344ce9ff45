// Registering and changing residents through the API: validation by the people service, the
// caller's scope, sensitive tags and the colour history.
#include <gtest/gtest.h>

#include <set>

#include "fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

TEST_P(ApiTest, CreateResidentValidatesEveryFieldWithinScope) {
  std::string id = id_number("530621", "19900412", 62);  // even: female
  json ok = {{"household_no", "H002"}, {"name", "钱七"},         {"id_number", id},
             {"sex", "female"},        {"phone", "13700001111"}, {"relation", "spouse"},
             {"tags", {"dibao"}}};
  auto created = post_as("op_ludian", "/api/v1/residents", ok);
  ASSERT_EQ(created.status, 201) << created.body;
  json r = created.json();
  EXPECT_EQ(r["name"], "钱七");
  EXPECT_EQ(r["household_no"], "H002");
  EXPECT_EQ(r["phone"], "137****1111");
  EXPECT_EQ(created.body.find(id), std::string::npos);
  auto found = get_as("op_ludian", "/api/v1/residents?q=qq").json();
  ASSERT_EQ(found["total"], 1);
  EXPECT_EQ(found["items"][0]["id"], r["id"]);

  auto dup = post_as("op_ludian", "/api/v1/residents", ok);
  EXPECT_EQ(dup.status, 409);
  auto bad_id = ok;
  bad_id["id_number"] = id.substr(0, 17) + (id[17] == '1' ? "2" : "1");
  EXPECT_EQ(post_as("op_ludian", "/api/v1/residents", bad_id).error_field(), "id_number");
  auto wrong_sex = ok;
  wrong_sex["sex"] = "male";
  wrong_sex["id_number"] = id_number("530621", "19900412", 64);  // even: female
  EXPECT_EQ(post_as("op_ludian", "/api/v1/residents", wrong_sex).error_field(), "sex");
  auto unknown = ok;
  unknown["nickname"] = "小七";
  EXPECT_EQ(post_as("op_ludian", "/api/v1/residents", unknown).error_field(), "nickname");
  auto bad_tag = ok;
  bad_tag["id_number"] = id_number("530621", "19900412", 66);
  bad_tag["tags"] = {"nosuchtag"};
  EXPECT_EQ(post_as("op_ludian", "/api/v1/residents", bad_tag).error_field(), "tags");
  // A household in the other county answers like one that does not exist.
  auto outside = ok;
  outside["household_no"] = "H003";
  outside["id_number"] = id_number("530621", "19900412", 68);
  auto o = post_as("op_ludian", "/api/v1/residents", outside);
  EXPECT_EQ(o.status, 400);
  EXPECT_EQ(o.error_field(), "household_no");
  // Grid workers may register but not set sensitive tags; auditors may not register.
  auto sensitive = ok;
  sensitive["household_no"] = "H001";
  sensitive["id_number"] = id_number("530621", "19900412", 70);
  sensitive["tags"] = {"kp_petition"};
  EXPECT_EQ(post_as("grid_a", "/api/v1/residents", sensitive).status, 403);
  EXPECT_EQ(post_as("auditor", "/api/v1/residents", ok).status, 403);
  // None of the refused requests left a row behind.
  EXPECT_EQ(get_as("op_ludian", "/api/v1/residents").json()["total"], 4);
}

TEST_P(ApiTest, PatchChangesFieldsAndKeepsColourHistory) {
  std::string tok = token("op_ludian");
  auto patch = [&](int64_t id, const json& body) {
    return call("PATCH", path("/api/v1/residents/", id), {{"Authorization", "Bearer " + tok}},
                body.dump());
  };
  auto renamed = patch(li_si_, {{"name", "李思思"}, {"phone", "13600002222"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["name"], "李思思");
  EXPECT_EQ(renamed.json()["phone"], "136****2222");
  EXPECT_EQ(get_as("op_ludian", "/api/v1/residents?q=lss").json()["total"], 1);

  auto no_reason = patch(li_si_, {{"color", "yellow"}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.error_field(), "reason");
  auto coloured = patch(li_si_, {{"color", "yellow"}, {"reason", "近期家庭矛盾"}});
  ASSERT_EQ(coloured.status, 200) << coloured.body;
  json d = coloured.json();
  EXPECT_EQ(d["color"], "yellow");
  ASSERT_EQ(d["color_history"].size(), 1u);
  EXPECT_EQ(d["color_history"][0]["changed_by"], "op_ludian");
  EXPECT_EQ(d["color_history"][0]["reason"], "近期家庭矛盾");

  EXPECT_EQ(patch(li_si_, {{"name", "李1"}}).error_field(), "name");
  EXPECT_EQ(patch(li_si_, {{"id_number", "x"}}).error_field(), "id_number");  // not patchable
  EXPECT_EQ(patch(li_si_, json::object()).status, 400);
  EXPECT_EQ(patch(zhao_si_, {{"name", "赵五"}}).status, 404);  // other county
  EXPECT_EQ(get_as("op_qiaojia", path("/api/v1/residents/", zhao_si_)).json()["name"], "赵四");
}

// 红黄绿 rules: tagging a resident without a colour into a key-person category gives the
// category's colour, on record in the history; a colour already given is left to the workers.
TEST_P(ApiTest, TaggingAKeyPersonGivesTheColourOfTheCategorysRule) {
  std::string tok = token("op_ludian");
  auto patch = [&](int64_t id, const json& body) {
    return call("PATCH", path("/api/v1/residents/", id), {{"Authorization", "Bearer " + tok}},
                body.dump());
  };
  auto tagged = patch(li_si_, {{"tags", {"kp_fraud", "kp_dispute"}}});  // yellow and green
  ASSERT_EQ(tagged.status, 200) << tagged.body;
  EXPECT_EQ(tagged.json()["color"], "yellow");
  ASSERT_EQ(tagged.json()["color_history"].size(), 1u);
  EXPECT_EQ(tagged.json()["color_history"][0]["reason"], "按重点人员类别的颜色规则定色");
  auto worse = patch(li_si_, {{"tags", {"kp_gang"}}});  // red rule, but she has a colour
  ASSERT_EQ(worse.status, 200) << worse.body;
  EXPECT_EQ(worse.json()["color"], "yellow");
  auto plain = patch(wang_wu_, {{"tags", {"liushou_child", "dibao"}}});  // no rule
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_TRUE(plain.json()["color"].is_null());
}

TEST_P(ApiTest, GridWorkerReplacingTagsKeepsTheSensitiveOnesItCannotSee) {
  auto r = call("PATCH", path("/api/v1/residents/", zhang_san_),
                {{"Authorization", "Bearer " + token("grid_a")}},
                json{{"tags", {"liushou_elder"}}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(tag_codes(r.json()), std::set<std::string>{"liushou_elder"});
  auto seen = get_as("op_ludian", path("/api/v1/residents/", zhang_san_)).json();
  EXPECT_EQ(tag_codes(seen), (std::set<std::string>{"disabled", "liushou_elder"}));
}

}  // namespace
}  // namespace wangge::api
