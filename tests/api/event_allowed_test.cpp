// allowed_actions on GET /api/v1/events/{id} and GET /api/v1/events/{id}/summonable, on both
// databases: for several states and roles, every listed action succeeds when tried on a fresh
// copy of the state and every other one is refused (409 or 403) without writing; 吹哨报到
// reaches departments outside the township's subtree but only those the list offers.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "event_fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

const std::vector<std::string> kAll = {"accept",       "assign", "dispatch", "acknowledge",
                                       "resolve_part", "start",  "resolve",  "verify_pass",
                                       "verify_fail",  "return", "escalate", "extend",
                                       "cancel",       "rate",   "follow",   "publish"};

class EventAllowedTest : public EventApiTest {
 protected:
  // A valid input for each action by `who` in `state` (valid where the action is allowed at
  // all); an operator above both parts names one the action fits (城管 acknowledges first).
  static json input(const std::string& action, const std::string& who, const std::string& state) {
    json b = {{"action", action}};
    if (action == "acknowledge" || action == "resolve_part") {
      bool second = who == "contractor" || (action == "acknowledge" && state == "in_progress");
      b["part_org"] = second ? kContractor : kChengguan;
    }
    if (action == "assign") b["target_org"] = kSanchakou;
    if (action == "dispatch") b["departments"] = {kLianda};
    if (action == "extend") b["due_at"] = "2026-12-31T00:00:00+08:00";
    if (action == "rate") b["score"] = 5;
    static const std::set<std::string> no_note = {"accept", "start",  "acknowledge", "verify_pass",
                                                  "rate",   "follow", "assign",      "dispatch"};
    if (!no_note.count(action)) b["note"] = "测试说明";
    return b;
  }

  // The event's allowed_actions as `who` sees them; nullopt when the event is out of its
  // scope (404).
  std::optional<std::vector<std::string>> listed_for(const std::string& who, int64_t id) {
    auto r = get(who, "/api/v1/events/" + std::to_string(id));
    if (r.status == 404) return std::nullopt;
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("allowed_actions", std::vector<std::string>{});
  }
  std::vector<std::string> allowed(const std::string& who, int64_t id) {
    auto list = listed_for(who, id);
    EXPECT_TRUE(list.has_value()) << who << " does not see event " << id;
    return list.value_or(std::vector<std::string>{});
  }
};

TEST_P(EventAllowedTest, ListedActionsSucceedAndOthersAreRefused) {
  set_now("2026-06-02T10:00:00+08:00");
  const std::vector<std::string> states = {"reported",    "returned", "accepted", "dispatched",
                                           "in_progress", "resolved", "closed",   "cancelled"};
  const std::vector<std::string> roles = {"wulong_op", "city_op", "chengguan", "contractor",
                                          "sanchakou_op"};
  int listed_total = 0, visible = 0;
  for (const auto& state : states) {
    for (const auto& who : roles) {
      auto seen = listed_for(who, event_in(state));
      if (seen) ++visible;
      std::vector<std::string> list = seen.value_or(std::vector<std::string>{});
      std::set<std::string> listed(list.begin(), list.end());
      for (const auto& a : list) {
        EXPECT_TRUE(std::find(kAll.begin(), kAll.end(), a) != kAll.end()) << a;
      }
      listed_total += static_cast<int>(listed.size());
      for (const auto& a : kAll) {
        int64_t id = event_in(state);
        int64_t steps = count("SELECT COUNT(*) FROM event_steps");
        auto r = act(who, id, input(a, who, state));
        if (!seen) {  // out of scope: no action reveals the event either
          EXPECT_EQ(r.status, 404) << state << " / " << who << " / " << a << ": " << r.body;
          EXPECT_EQ(count("SELECT COUNT(*) FROM event_steps"), steps) << a;
        } else if (listed.count(a)) {
          EXPECT_EQ(r.status, 200) << state << " / " << who << " / " << a << ": " << r.body;
        } else {
          EXPECT_TRUE(r.status == 409 || r.status == 403)
              << state << " / " << who << " / " << a << " → " << r.status << " " << r.body;
          EXPECT_EQ(count("SELECT COUNT(*) FROM event_steps"), steps) << a;
        }
      }
    }
  }
  EXPECT_GT(listed_total, 20);
  EXPECT_GT(visible, 25);  // departments see only the events they were summoned to
}

TEST_P(EventAllowedTest, ListsFollowTheStateAndTheRole) {
  set_now("2026-06-02T10:00:00+08:00");
  using V = std::vector<std::string>;
  EXPECT_EQ(allowed("wulong_op", event_in("reported")),
            (V{"accept", "assign", "return", "escalate", "cancel", "follow", "publish"}));
  EXPECT_EQ(allowed("wulong_op", event_in("dispatched")),
            (V{"dispatch", "escalate", "extend", "follow", "publish"}));
  EXPECT_EQ(allowed("chengguan", event_in("dispatched")), (V{"acknowledge", "follow"}));
  EXPECT_EQ(allowed("chengguan", event_in("in_progress")), (V{"resolve_part", "follow"}));
  EXPECT_EQ(allowed("wulong_op", event_in("resolved")),
            (V{"verify_pass", "verify_fail", "follow", "publish"}));
  EXPECT_EQ(allowed("city_op", event_in("closed")), (V{"rate", "publish"}));
  EXPECT_EQ(allowed("sanchakou_op", event_in("accepted")), (V{"follow"}));
  EXPECT_TRUE(allowed("wulong_op", event_in("cancelled")).empty());
  // Out of scope: the event answers 404 whether it exists or not.
  int64_t id = event_in("accepted");
  EXPECT_EQ(get("yunfu_op", "/api/v1/events/" + std::to_string(id)).status, 404);
}

TEST_P(EventAllowedTest, SummonableDepartmentsAreExactlyTheOnesDispatchTakes) {
  set_now("2026-06-02T10:00:00+08:00");
  // A department of another county, which 乌龙街道 may not summon.
  db_->transact([](store::Tx& tx) {
    org::create_org(tx, {"530681900001", kShuifu, "department", "水富市住建局"});
    org::create_org(tx, {"530600900001", kCity, "department", "市住建局"});
  });
  int64_t id = event_in("accepted");
  std::string path = "/api/v1/events/" + std::to_string(id) + "/summonable";
  auto r = get("wulong_op", path);
  ASSERT_EQ(r.status, 200) << r.body;
  json items = r.json()["items"];
  std::vector<std::string> codes;
  for (const auto& o : items) {
    EXPECT_EQ(o["kind"], "department");
    EXPECT_FALSE(o["name"].get<std::string>().empty());
    codes.push_back(o["code"]);
  }
  // The district's two units and the city's, outside the street's own subtree; not 水富市's.
  EXPECT_EQ(codes, (std::vector<std::string>{"530600900001", kChengguan, kContractor}));
  // Dispatch takes every one of them, though they lie outside the caller's subtree …
  auto bad = act("wulong_op", id, {{"action", "dispatch"}, {"departments", {"530681900001"}}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.error_code(), "invalid_department");
  json e = ok("wulong_op", id, {{"action", "dispatch"}, {"departments", codes}});
  EXPECT_EQ(e["parts"].size(), 3u);
  EXPECT_EQ(e["state"], "dispatched");
  // Who may not dispatch gets what the action would answer.
  EXPECT_EQ(get("sanchakou_op", path).status, 403);  // sees it, is not the owner
  EXPECT_EQ(get("yunfu_op", path).status, 404);      // out of scope
  EXPECT_EQ(get("resident", path).status, 403);      // no event.handle
  EXPECT_EQ(get("wulong_op", "/api/v1/events/999999/summonable").status, 404);
  // A grid's own event: a grid may not summon departments.
  int64_t low = report("an_taiqiao", {{"category", "dispute"}, {"title", "邻里纠纷"}});
  ok("an_taiqiao", low, {{"action", "accept"}});
  auto lvl = get("an_taiqiao", "/api/v1/events/" + std::to_string(low) + "/summonable");
  EXPECT_EQ(lvl.status, 409) << lvl.body;
  EXPECT_EQ(lvl.error_code(), "level_too_low");
}

INSTANTIATE_TEST_SUITE_P(Backends, EventAllowedTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
