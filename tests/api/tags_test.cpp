// A county's own key-person category (issue 17, item 6), on both databases: added through
// POST /api/v1/tags, it is carried by a resident at once, gives its colour rule, counts on the
// dashboard, can be named by a roster form PUT at run time, and survives a reopening of the
// database at the same position (its bit in the index). Refusals write nothing.
#include <gtest/gtest.h>

#include "fixture.h"
#include "people/people.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class TagApiTest : public ApiTest {
 protected:
  testing::Reply post(const std::string& token, std::string_view target, const json& body,
                      const char* lang = "zh") {
    return call("POST", target, {{"Authorization", "Bearer " + token}, {"Accept-Language", lang}},
                body.dump());
  }
  int64_t count(const char* sql) {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int(sql);
  }
  int64_t red_key_persons(const std::string& org) {
    auto d = get_as("op_ludian", "/api/v1/dashboard?org=" + org);
    EXPECT_EQ(d.status, 200) << d.body;
    return d.json()["key_persons"]["red"].get<int64_t>();
  }
};

const json kHunting = {{"code", "kp_wildlife"}, {"name", "涉野生动物违法人员"}, {"color", "red"}};

constexpr const char* kRoster = R"(title = "涉野生动物违法人员名册"
kind = "roster"
entity = "resident"
filter = "涉野生动物违法人员 and 人员状态 = '在册'"

[[column]]
field = "姓名"
)";

TEST_P(TagApiTest, ACountysCategoryWorksAtOnceAndAfterAReopen) {
  const std::string token = sysadmin_token();
  const size_t shipped = people::shipped_tags().size();
  const int64_t red_before = red_key_persons("530621000000");

  auto added = post(token, "/api/v1/tags", kHunting);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()["origin"], "county");
  EXPECT_EQ(added.json()["key_person"], true);
  EXPECT_EQ(added.json()["sensitive"], true);
  auto list = get_as("grid_a", "/api/v1/tags").json();
  ASSERT_EQ(list["items"].size(), shipped + 1);
  EXPECT_EQ(list["items"][0]["code"], "dibao");  // shipped order first
  EXPECT_EQ(list["items"][shipped]["code"], "kp_wildlife");
  EXPECT_EQ(list["limit"], 64);
  EXPECT_EQ(people::tag_position("kp_wildlife"), shipped);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'tag.create'"), 1);

  // A resident registered with it starts red (its colour rule), and the dashboard counts them.
  json r = {{"household_no", "H002"},
            {"name", "钱七"},
            {"id_number", id_number("530621", "19900412", 62)},
            {"relation", "spouse"},
            {"tags", {"kp_wildlife"}}};
  auto created = post_as("op_ludian", "/api/v1/residents", r);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["color"], "red");
  const int64_t id = created.json()["id"].get<int64_t>();
  EXPECT_EQ(red_key_persons("530621000000"), red_before + 1);
  auto found = get_as("op_ludian", "/api/v1/residents?tag=kp_wildlife");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.json()["total"], 1);

  // Its own roster, defined at run time, lists them.
  auto form = call("PUT", "/api/v1/forms/kp_wildlife_roster",
                   {{"Authorization", "Bearer " + token}}, json{{"toml", kRoster}}.dump());
  ASSERT_EQ(form.status, 200) << form.body;
  auto roster = get_as("op_ludian", "/api/v1/reports/kp_wildlife_roster?org=530621000000");
  ASSERT_EQ(roster.status, 200) << roster.body;
  ASSERT_EQ(roster.json()["count"], 1);
  EXPECT_EQ(roster.json()["rows"][0]["id"], id);

  // Reopening: another database resets this process's catalogue to the shipped one; opening
  // this one again brings the category back at the same position.
  auto other = wangge::testing::fresh_database(GetParam());
  example::test_registry().migrate(*other);
  EXPECT_EQ(people::find_tag("kp_wildlife"), nullptr);
  example::test_registry().migrate(*db_);
  const people::Tag* t = people::find_tag("涉野生动物违法人员");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->color, people::RiskColor::red);
  EXPECT_TRUE(t->own);
  EXPECT_EQ(people::tag_position("kp_wildlife"), shipped);
}

TEST_P(TagApiTest, RefusalsWriteNothing) {
  const std::string token = sysadmin_token();
  const int64_t tags = count("SELECT COUNT(*) FROM tags");
  auto bad_code = post(token, "/api/v1/tags", {{"code", "Kp-X"}, {"name", "某类人员"}});
  EXPECT_EQ(bad_code.status, 400);
  EXPECT_EQ(bad_code.error_field(), "code");
  EXPECT_NE(bad_code.error_message().find("编码"), std::string::npos);
  auto en =
      post(token, "/api/v1/tags", {{"code", "kp_x"}, {"name", std::string(21 * 3, 'a')}}, "en");
  EXPECT_EQ(en.status, 400);
  EXPECT_EQ(en.error_field(), "name");
  EXPECT_NE(en.error_message().find("1-20"), std::string::npos);
  auto colour =
      post(token, "/api/v1/tags", {{"code", "kp_x"}, {"name", "某类人员"}, {"color", "purple"}});
  EXPECT_EQ(colour.status, 400);
  EXPECT_EQ(colour.error_field(), "color");
  EXPECT_EQ(post(token, "/api/v1/tags", {{"code", "kp_cult"}, {"name", "某类人员"}}).status, 409);
  EXPECT_EQ(post(token, "/api/v1/tags", {{"code", "kp_x"}, {"name", "低保"}}).status, 409);
  EXPECT_EQ(post(token, "/api/v1/tags", {{"code", "kp_x"}, {"name", "低保对象"}}).status,
            409);  // a dictionary field's name
  EXPECT_EQ(post_as("op_ludian", "/api/v1/tags", {{"code", "kp_x"}, {"name", "某类人员"}}).status,
            403);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tags"), tags);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'tag.create'"), 0);

  // Up to 64 in all (the index's bit width), then a clear 409 saying so.
  db_->transact([&](store::Tx& tx) {
    for (int64_t i = tags; i < 64; ++i) {
      people::add_tag(tx, {.code = "kp_c" + std::to_string(i), .name = "类别" + std::to_string(i)});
    }
  });
  auto full = post(token, "/api/v1/tags", {{"code", "kp_x"}, {"name", "某类人员"}});
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(full.error_code(), "too_many_tags");
  EXPECT_NE(full.error_message().find("64"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tags"), 64);
  // The 64th tag has the index's last bit.
  db_->transact([&](store::Tx& tx) { people::load_catalogue(tx); });
  EXPECT_EQ(people::tag_position("kp_c63"), 63u);
}

INSTANTIATE_TEST_SUITE_P(Backends, TagApiTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
