// 待办 on both databases: the workbench's tabs and their counts, the list of one tab, and the
// live feed's scoping (a stream hears of the events its user may see, and of no others).
#include <gtest/gtest.h>

#include <map>

#include "event_fixture.h"
#include "events/module/work_stream.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class WorkbenchTest : public EventApiTest {
 protected:
  std::map<std::string, int64_t> counts(const std::string& user) {
    auto r = get(user, "/api/v1/workbench");
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, int64_t> out;
    const json body = r.json();
    for (const auto& t : body["tabs"]) out[t["key"]] = t["count"].get<int64_t>();
    return out;
  }
  std::vector<int64_t> tab(const std::string& user, const std::string& name) {
    auto r = get(user, "/api/v1/events?tab=" + name);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<int64_t> ids;
    const json body = r.json();
    for (const auto& e : body["items"]) ids.push_back(e["id"]);
    return ids;
  }
  events::Actor actor(const std::string& user, auth::Role role, const std::string& org) {
    events::Actor a;
    a.user_id = user_ids_.at(user);
    a.name = user;
    a.role = role;
    a.org_code = org;
    a.can_handle = true;
    return a;
  }
};

TEST_P(WorkbenchTest, TabsCountTheTownshipsWork) {
  set_now("2026-04-08T10:00:00+08:00");
  auto before = counts("yunfu_op");
  EXPECT_EQ(before.size(), 5u);
  EXPECT_EQ(before["to_accept"], 0);
  int64_t id = report("an_taiqiao", {{"category", "环境卫生"}, {"title", "垃圾堆放"}});
  auto c = counts("yunfu_op");
  EXPECT_EQ(c["to_accept"], 1);
  EXPECT_EQ(tab("yunfu_op", "to_accept"), std::vector<int64_t>{id});
  EXPECT_EQ(counts("wulong_op")["to_accept"], 0);  // another township's operator
  ok("yunfu_op", id, {{"action", "accept"}});
  c = counts("yunfu_op");
  EXPECT_EQ(c["to_accept"], 0);
  EXPECT_EQ(c["in_hand"], 1);
  EXPECT_EQ(c["done"], 1);  // the operator accepted it
  EXPECT_EQ(counts("anjiang_op")["done"], 0);
  // 即将超期 within two hours of 24:00, then 已超期.
  set_now("2026-04-08T22:30:00+08:00");
  EXPECT_EQ(counts("yunfu_op")["due_soon"], 1);
  EXPECT_EQ(tab("yunfu_op", "due_soon"), std::vector<int64_t>{id});
  set_now("2026-04-09T00:30:00+08:00");
  c = counts("yunfu_op");
  EXPECT_EQ(c["due_soon"], 0);
  EXPECT_EQ(c["overdue"], 1);
  EXPECT_EQ(get("yunfu_op", "/api/v1/events?tab=nope").status, 400);
}

TEST_P(WorkbenchTest, TheLiveFeedTellsOnlyThoseWhoMaySee) {
  auto streams = WorkStreams::create(*db_);
  std::shared_ptr<http::BodyStream> yunfu, wulong;
  {
    auto tx = db_->begin(store::TxMode::read);
    yunfu = streams->open(*tx, actor("yunfu_op", auth::Role::township_operator, kYunfu));
    wulong = streams->open(*tx, actor("wulong_op", auth::Role::township_operator, kWulong));
  }
  int wakes = 0;
  yunfu->on_ready([&] { ++wakes; });
  EXPECT_NE(yunfu->take()->find("event: hello"), std::string::npos);
  EXPECT_NE(wulong->take()->find("event: hello"), std::string::npos);
  int64_t id = report("an_taiqiao", {{"category", "环境卫生"}, {"title", "垃圾堆放"}});
  std::string got = *yunfu->take();
  EXPECT_GE(wakes, 1);
  EXPECT_NE(got.find("event: work"), std::string::npos) << got;
  EXPECT_NE(got.find("\"created\":[" + std::to_string(id) + "]"), std::string::npos) << got;
  EXPECT_EQ(*wulong->take(), "");  // outside its scope: not a word
  EXPECT_EQ(*yunfu->take(), "");   // taken once
  ok("yunfu_op", id, {{"action", "accept"}});
  got = *yunfu->take();
  EXPECT_NE(got.find("\"ids\":[" + std::to_string(id) + "]"), std::string::npos) << got;
  EXPECT_NE(got.find("\"created\":[]"), std::string::npos) << got;
  EXPECT_EQ(streams->open_streams(), 2u);
  wulong.reset();
  EXPECT_EQ(streams->open_streams(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkbenchTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
