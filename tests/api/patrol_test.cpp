// 看听问记报 through the HTTP API on both databases: a grid worker logs a patrol (once, however
// often an offline phone resubmits it with its Idempotency-Key), bad input writes nothing, and
// the log is listed by scope and time.
#include <gtest/gtest.h>

#include <algorithm>

#include "event_fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class PatrolApiTest : public EventApiTest {
 protected:
  static json entry() {
    return {{"started_at", "2026-04-07T08:00:00+08:00"},
            {"ended_at", "2026-04-07T09:00:00+08:00"},
            {"kinds", {"look", "ask", "record"}},
            {"households_visited", 12},
            {"note", "走访安置房19栋，独居老人3户情况正常"},
            {"lat", kLat},
            {"lng", kLng}};
  }
  testing::Reply post_keyed(const std::string& user, const json& body, const std::string& key,
                            const std::string& lang = "") {
    testing::HeaderList h = {{"Authorization", "Bearer " + token(user)}, {"Idempotency-Key", key}};
    if (!lang.empty()) h.emplace_back("Accept-Language", lang);
    return testing::send(port_, "POST", "/api/v1/patrols", h, body.dump());
  }
  int64_t patrols() { return count("SELECT COUNT(*) FROM patrols"); }
};

TEST_P(PatrolApiTest, GridWorkerLogsAPatrolOnceWhateverTheResubmissions) {
  auto r = post_keyed("an_taiqiao", entry(), "patrol-0001");
  ASSERT_EQ(r.status, 201) << r.body;
  json p = r.json();
  EXPECT_EQ(p["grid"], kAnjiangGrid);  // the worker's own grid by default
  EXPECT_EQ(p["worker"], "an_taiqiao");
  EXPECT_EQ(p["kinds"], json({"look", "ask", "record"}));
  EXPECT_EQ(p["households_visited"], 12);
  EXPECT_TRUE(p["event_id"].is_null());
  // The phone lost the answer and sends the same entry again: the first one answers.
  auto again = post_keyed("an_taiqiao", entry(), "patrol-0001");
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json()["id"], p["id"]);
  EXPECT_EQ(patrols(), 1);
  // The same key with another entry is refused.
  json other = entry();
  other["households_visited"] = 13;
  EXPECT_EQ(post_keyed("an_taiqiao", other, "patrol-0001").status, 422);
  EXPECT_EQ(patrols(), 1);
  // An entry that led to an event names it.
  int64_t id = report("an_taiqiao", {{"category", "dispute"}, {"title", "邻里纠纷"}});
  other["event_id"] = id;
  other["kinds"] = {"report"};
  auto linked = post_keyed("an_taiqiao", other, "patrol-0002");
  ASSERT_EQ(linked.status, 201) << linked.body;
  EXPECT_EQ(linked.json()["event_id"], id);
}

TEST_P(PatrolApiTest, BadInputIsRefusedInChineseAndWritesNothing) {
  auto bad = [&](const json& body, const std::string& field, int status = 400) {
    static int n = 0;
    auto r = post_keyed("an_taiqiao", body, "bad-" + std::to_string(++n));
    EXPECT_EQ(r.status, status) << body.dump() << " → " << r.body;
    if (status == 400) {
      EXPECT_EQ(r.json()["error"]["field"], field) << r.body;
    }
    EXPECT_FALSE(r.error_message().empty());
  };
  json e = entry();
  e["kinds"] = json::array();
  bad(e, "kinds");
  e["kinds"] = {"look", "look"};
  bad(e, "kinds");
  e["kinds"] = {"sing"};
  bad(e, "kinds");
  e = entry();
  e["ended_at"] = "2026-04-07T07:00:00+08:00";  // before it started
  bad(e, "ended_at");
  e = entry();
  e["households_visited"] = -1;
  bad(e, "households_visited");
  e = entry();
  e.erase("lng");
  bad(e, "lat");
  e = entry();
  e["surprise"] = 1;
  bad(e, "surprise");
  e = entry();
  e["grid"] = kSanchakouGrid;  // another county's grid: not in the worker's scope
  bad(e, "", 404);
  e = entry();
  e["event_id"] = 999999;
  bad(e, "", 404);
  EXPECT_EQ(patrols(), 0);
  auto zh = post_keyed("an_taiqiao", json::object(), "bad-zh");
  EXPECT_EQ(zh.error_field(), "started_at") << zh.body;
  std::string msg = zh.error_message();
  EXPECT_TRUE(std::any_of(msg.begin(), msg.end(), [](char c) { return (c & 0x80) != 0; }))
      << "Chinese by default: " << msg;
  auto en = post_keyed(
      "an_taiqiao",
      [] {
        json b = entry();
        b["kinds"] = json::array();
        return b;
      }(),
      "bad-en", "en");
  EXPECT_NE(en.error_message().find("kinds"), std::string::npos) << en.body;
  // Residents keep no patrol log.
  EXPECT_EQ(post_keyed("resident", entry(), "res-1").status, 403);
  EXPECT_EQ(patrols(), 0);
}

TEST_P(PatrolApiTest, TheLogIsListedByScopeAndTime) {
  set_now("2026-04-07T18:00:00+08:00");  // after both rounds ended
  ASSERT_EQ(post_keyed("an_taiqiao", entry(), "a").status, 201);
  json later = entry();
  later["started_at"] = "2026-04-07T14:00:00+08:00";
  later["ended_at"] = "2026-04-07T15:00:00+08:00";
  ASSERT_EQ(post_keyed(
                "grid2",
                [&] {
                  json b = later;
                  b.erase("lat");
                  b.erase("lng");
                  return b;
                }(),
                "b")
                .status,
            201);
  auto list = [&](const std::string& user, const std::string& q) {
    return get(user, "/api/v1/patrols" + q);
  };
  auto all = list("anjiang_op", "");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json()["total"], 2);
  EXPECT_EQ(all.json()["items"][0]["worker"], "grid2");  // newest start first
  EXPECT_EQ(list("yunfu_op", "?org=" + std::string(kAnjiangGrid)).json()["total"], 1);
  EXPECT_EQ(list("an_taiqiao", "").json()["total"], 1);  // a worker sees the own grid
  EXPECT_EQ(list("anjiang_op", "?from=2026-04-07T12:00:00%2B08:00").json()["total"], 1);
  EXPECT_EQ(list("anjiang_op", "?to=2026-04-07T12:00:00%2B08:00").json()["total"], 1);
  EXPECT_EQ(list("wulong_op", "").json()["total"], 0);  // another district
  EXPECT_EQ(list("wulong_op", "?org=" + std::string(kAnjiang)).status, 404);
  EXPECT_EQ(list("resident", "").json()["total"], 0);
  EXPECT_EQ(list("anjiang_op", "?from=yesterday").status, 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, PatrolApiTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
