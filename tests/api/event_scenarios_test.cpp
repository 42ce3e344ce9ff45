// The seeds' cases through the HTTP API, on both databases: 安江社区's sewage overflow, 呈贡's
// public toilets (吹哨报到), an event nobody handles climbing five levels, a failed
// verification, recurrence, duplicates, the 10-minute rule, scope, and illegal actions.
#include <gtest/gtest.h>

#include "event_fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

std::vector<std::string> actions_of(const json& ev) {
  std::vector<std::string> out;
  for (const auto& s : ev["steps"]) out.push_back(s["action"].get<std::string>());
  return out;
}

json sewage() {
  return {{"category", "infra.sewage"},
          {"title", "17栋至21栋化粪池堵塞，污水外溢"},
          {"description", "约200立方米污水外溢，影响3栋居民楼共152户"},
          {"lat", 28.6291},
          {"lng", 104.4121},
          {"address", "安江社区安置房17栋至21栋"},
          {"people_affected", 152},
          {"damage", "serious"}};
}

class EventScenarioTest : public EventApiTest {};

// 4月7日上午9时许, the grid worker finds the blocked septic tank, asks the community for help;
// the community clears it the same day and the grid worker verifies (当日结).
TEST_P(EventScenarioTest, AnjiangSewageSolvedByTheCommunityTheSameDay) {
  int64_t id = report("an_taiqiao", sewage());
  json ev = event(id);
  EXPECT_EQ(ev["state"], "reported");
  EXPECT_EQ(ev["level"], 1);
  EXPECT_EQ(ev["owner"], kAnjiangGrid);
  EXPECT_EQ(ev["sla_class"], "same_day");
  EXPECT_EQ(ev["people_affected"], 152);
  EXPECT_EQ(ev["due_at"], "2026-04-07T16:00:00.000Z");  // 24:00 local that day

  set_now("2026-04-07T09:15:00+08:00");
  json e = ok("an_taiqiao", id, {{"action", "escalate"}, {"note", "书记，请求支援！"}});
  EXPECT_EQ(e["level"], 2);
  EXPECT_EQ(e["owner"], kAnjiang);
  set_now("2026-04-07T09:30:00+08:00");
  ok("anjiang_op", id, {{"action", "accept"}});
  ok("anjiang_op", id, {{"action", "start"}});
  set_now("2026-04-07T16:30:00+08:00");
  e = ok("anjiang_op", id, {{"action", "resolve"}, {"note", "专业清掏队伍疏通管网，冲洗消除异味"}});
  EXPECT_EQ(e["state"], "resolved");
  EXPECT_EQ(e["resolved_level"], 2);
  set_now("2026-04-07T17:00:00+08:00");
  e = ok("an_taiqiao", id, {{"action", "verify_pass"}});
  EXPECT_EQ(e["state"], "closed");
  EXPECT_EQ(e["closed_at"], "2026-04-07T09:00:00.000Z");
  EXPECT_FALSE(e["overdue"].get<bool>());
  EXPECT_EQ(actions_of(e), (std::vector<std::string>{"report", "escalate", "accept", "start",
                                                     "resolve", "verify_pass"}));
  // The report reached the grid, the escalation the community.
  auto n = notices(id);
  ASSERT_GE(n.size(), 2u);
  EXPECT_EQ(events::to_string(n[0].kind), "new_assignment");
  EXPECT_EQ(n[0].recipient, std::string("org:") + kAnjiangGrid);
  EXPECT_EQ(events::to_string(n[1].kind), "escalated");
  EXPECT_EQ(n[1].recipient, std::string("org:") + kAnjiang);
  // Nothing left for the sweep the next day.
  auto s = sweep("2026-04-08T08:00:00+08:00");
  EXPECT_EQ(s.escalated, 0);
  EXPECT_GT(committed_.load(), 5);
}

// 乌龙街道 whistles; 城管局, two communities and the contractor report and resolve their
// parts; the event resolves only when the last part does.
TEST_P(EventScenarioTest, ChengongToiletsWhistledToFourUnits) {
  set_now("2026-06-02T10:00:00+08:00");
  int64_t id = report("city_op", {{"category", "公厕"},
                                  {"title", "韶光街与学海路交叉口周边没有公厕"},
                                  {"source", "hotline_12345"},
                                  {"grid", kSanchakouGrid},
                                  {"external_ref", "12345-20260602-0001"}});
  json ev = event(id);
  EXPECT_EQ(ev["owner"], kWulong);  // routed down to the street
  EXPECT_EQ(ev["level"], 3);
  EXPECT_EQ(ev["dispatcher"], kCity);
  ok("wulong_op", id, {{"action", "accept"}});
  json e = ok("wulong_op", id,
              {{"action", "dispatch"},
               {"departments", {kChengguan, kSanchakou, kLianda, kContractor}},
               {"note", "街道党工委吹哨"}});
  EXPECT_EQ(e["state"], "dispatched");
  EXPECT_EQ(e["parts"].size(), 4u);
  // The department sees the event it was summoned to, nothing else.
  EXPECT_EQ(get("chengguan", "/api/v1/events/" + std::to_string(id)).status, 200);
  auto resolve_early = act("wulong_op", id, {{"action", "resolve"}, {"note", "已建成"}});
  EXPECT_EQ(resolve_early.status, 409);
  EXPECT_EQ(resolve_early.error_code(), "parts_pending");
  // A part must be acknowledged (报到) before it is resolved.
  EXPECT_EQ(act("chengguan", id, {{"action", "resolve_part"}, {"note", "选址完成"}}).status, 409);
  for (const char* who : {"chengguan", "sanchakou_op", "lianda_op", "contractor"}) {
    e = ok(who, id, {{"action", "acknowledge"}});
    EXPECT_EQ(e["state"], "in_progress");
  }
  EXPECT_EQ(act("contractor", id, {{"action", "acknowledge"}}).status, 409);
  set_now("2026-06-28T10:00:00+08:00");
  int left = 4;
  for (const char* who : {"contractor", "chengguan", "sanchakou_op", "lianda_op"}) {
    e = ok(who, id, {{"action", "resolve_part"}, {"note", "本单位任务完成"}});
    --left;
    EXPECT_EQ(e["state"], left == 0 ? "resolved" : "in_progress") << who;
  }
  EXPECT_EQ(e["resolved_level"], 3);
  for (const auto& p : e["parts"]) EXPECT_FALSE(p["resolved_at"].is_null());
  e = ok("wulong_op", id, {{"action", "verify_pass"}});
  EXPECT_EQ(e["state"], "closed");
  // A summoned department may not act as the owner.
  int64_t other = report("city_op", {{"category", "公厕"},
                                     {"title", "另一处公厕"},
                                     {"source", "hotline_12345"},
                                     {"grid", kSanchakouGrid}});
  EXPECT_EQ(get("chengguan", "/api/v1/events/" + std::to_string(other)).status, 404);
}

// Nobody handles a same-day event: each sweep after a due time lifts it one level with a
// fresh clock, until the city, where it stays flagged overdue; then the city solves it.
TEST_P(EventScenarioTest, UnhandledEventClimbsFiveLevelsThenIsSolved) {
  set_now("2026-04-08T10:00:00+08:00");
  int64_t id = report("an_taiqiao", {{"category", "环境卫生"}, {"title", "垃圾堆放"}});
  auto s = sweep("2026-04-08T23:00:00+08:00");
  EXPECT_EQ(s.escalated, 0);
  EXPECT_EQ(s.near_notified, 1);
  EXPECT_EQ(sweep("2026-04-08T23:30:00+08:00").near_notified, 0);
  const char* owners[] = {kAnjiang, kYunfu, kShuifu, kCity};
  const char* days[] = {"2026-04-09", "2026-04-10", "2026-04-11", "2026-04-12"};
  for (int i = 0; i < 4; ++i) {
    std::string at = std::string(days[i]) + "T00:00:00+08:00";
    EXPECT_EQ(sweep(at).escalated, 1) << at;
    json ev = event(id);
    EXPECT_EQ(ev["level"], i + 2);
    EXPECT_EQ(ev["owner"], owners[i]);
    // A fresh clock: late before (the history), not overdue now.
    EXPECT_FALSE(ev["overdue"].get<bool>());
    EXPECT_TRUE(ev["was_overdue"].get<bool>());
    // Idempotent: the same time again changes nothing.
    int64_t steps = count("SELECT COUNT(*) FROM event_steps");
    int64_t outbox = count("SELECT COUNT(*) FROM event_outbox");
    auto again = sweep(at);
    EXPECT_EQ(again.escalated + again.flagged_overdue + again.near_notified, 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_steps"), steps);
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_outbox"), outbox);
  }
  s = sweep("2026-04-13T00:00:00+08:00");
  EXPECT_EQ(s.escalated, 0);
  EXPECT_EQ(s.flagged_overdue, 1);
  EXPECT_EQ(sweep("2026-04-13T00:00:00+08:00").flagged_overdue, 0);
  EXPECT_EQ(event(id)["level"], 5);
  // Escalating beyond the city is refused.
  auto top = act("city_op", id, {{"action", "escalate"}, {"note", "再上报"}});
  EXPECT_EQ(top.status, 409);
  // The city's list of overdue events has it.
  auto list = get("city_op", "/api/v1/events?overdue=true&level=5");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()["total"], 1);
  ok("city_op", id, {{"action", "accept"}});
  json e = ok("city_op", id, {{"action", "resolve"}, {"note", "市城管统筹清运"}});
  EXPECT_EQ(e["resolved_level"], 5);
  EXPECT_EQ(e["escalations"], 4);
  e = ok("an_taiqiao", id, {{"action", "verify_pass"}});
  EXPECT_EQ(e["state"], "closed");
}

// 核查 fails: the event reopens (返工), is counted, and closes after a second resolve.
TEST_P(EventScenarioTest, FailedVerificationReopens) {
  int64_t id = report("an_taiqiao", {{"category", "infra.road"}, {"title", "路面坑洼"}});
  ok("an_taiqiao", id, {{"action", "accept"}});
  ok("an_taiqiao", id, {{"action", "resolve"}, {"note", "已填补"}});
  // A reason is required.
  auto bare = act("anjiang_op", id, {{"action", "verify_fail"}});
  EXPECT_EQ(bare.status, 400);
  EXPECT_EQ(bare.error_field(), "note");
  json e = ok("anjiang_op", id, {{"action", "verify_fail"}, {"note", "填补不平整，仍有积水"}});
  EXPECT_EQ(e["state"], "reopened");
  EXPECT_EQ(e["reopens"], 1);
  EXPECT_TRUE(e["resolved_at"].is_null());
  ok("an_taiqiao", id, {{"action", "start"}});
  ok("an_taiqiao", id, {{"action", "resolve"}, {"note", "重新铺设"}});
  e = ok("anjiang_op", id, {{"action", "verify_pass"}});
  EXPECT_EQ(e["state"], "closed");
  EXPECT_EQ(e["reopens"], 1);
}

// Every action that the state does not allow is 409 and writes nothing.
TEST_P(EventScenarioTest, IllegalActionsAreConflictsAndWriteNothing) {
  std::map<std::string, std::vector<std::string>> illegal = {
      {"reported",
       {"start", "resolve", "verify_pass", "verify_fail", "acknowledge", "resolve_part", "extend",
        "rate", "dispatch"}},
      {"accepted", {"accept", "acknowledge", "resolve_part", "verify_pass", "verify_fail", "rate"}},
      {"in_progress",
       {"accept", "assign", "cancel", "return", "start", "verify_pass", "verify_fail", "rate"}},
      {"resolved",
       {"accept", "assign", "dispatch", "acknowledge", "resolve_part", "start", "resolve", "return",
        "escalate", "extend", "cancel", "rate"}},
      {"closed",
       {"accept", "assign", "dispatch", "acknowledge", "resolve_part", "start", "resolve",
        "verify_pass", "verify_fail", "return", "escalate", "extend", "cancel", "follow"}},
      {"cancelled",
       {"accept", "assign", "dispatch", "acknowledge", "resolve_part", "start", "resolve",
        "verify_pass", "verify_fail", "return", "escalate", "extend", "cancel", "rate", "follow"}},
  };
  auto try_all = [&](int64_t id, const std::string& state) {
    ASSERT_EQ(event(id)["state"], state);
    for (const auto& a : illegal[state]) {
      int64_t steps = count("SELECT COUNT(*) FROM event_steps");
      std::string before = event(id).dump();
      auto r = act("shuifu_op", id,
                   {{"action", a},
                    {"note", "测试说明"},
                    {"score", 5},
                    {"due_at", "2026-12-31T00:00:00+08:00"},
                    {"target_org", kAnjiangGrid},
                    {"departments", {kAnjiang}}});
      EXPECT_EQ(r.status, 409) << state << " / " << a << ": " << r.body;
      EXPECT_FALSE(r.error_message().empty());
      EXPECT_EQ(count("SELECT COUNT(*) FROM event_steps"), steps) << a;
      EXPECT_EQ(event(id).dump(), before) << a;
    }
  };
  int64_t id = report("an_taiqiao", {{"category", "dispute"}, {"title", "邻里纠纷"}});
  try_all(id, "reported");
  ok("shuifu_op", id, {{"action", "accept"}});
  try_all(id, "accepted");
  ok("shuifu_op", id, {{"action", "start"}});
  try_all(id, "in_progress");
  ok("shuifu_op", id, {{"action", "resolve"}, {"note", "调解成功"}});
  try_all(id, "resolved");
  ok("shuifu_op", id, {{"action", "verify_pass"}});
  try_all(id, "closed");
  int64_t other = report("an_taiqiao", {{"category", "dispute"}, {"title", "误报"}});
  ok("shuifu_op", other, {{"action", "cancel"}, {"note", "重复登记"}});
  try_all(other, "cancelled");
  // Level and routing rules are conflicts too: 吹哨 below the township, return with no
  // dispatcher.
  int64_t low = report("an_taiqiao", {{"category", "dispute"}, {"title", "低层级"}});
  ok("an_taiqiao", low, {{"action", "accept"}});
  auto d = act("an_taiqiao", low, {{"action", "dispatch"}, {"departments", {kAnjiangGrid2}}});
  EXPECT_EQ(d.status, 409);
  EXPECT_EQ(d.error_code(), "level_too_low");
  EXPECT_EQ(act("an_taiqiao", low, {{"action", "return"}, {"note", "不归我管"}}).status, 409);
  // A wrong action name is bad input, not a conflict.
  EXPECT_EQ(act("an_taiqiao", low, {{"action", "teleport"}}).status, 400);
}

// Open events of the same category within 250 m are offered; linking to one the reporter may
// see makes them a follower (who may rate the result) instead of a second file; linking to one
// they may not see makes them an interested party, told the outcome only.
TEST_P(EventScenarioTest, DuplicatesWithin250Metres) {
  int64_t id = report("an_taiqiao", sewage());
  auto near = get("an_taiqiao",
                  "/api/v1/events/duplicates?lat=28.6300&lng=104.4121&category="
                  "infra.sewage");  // about 100 m north
  ASSERT_EQ(near.status, 200) << near.body;
  ASSERT_EQ(near.json()["items"].size(), 1u);
  EXPECT_EQ(near.json()["items"][0]["id"], id);
  EXPECT_LT(near.json()["items"][0]["metres"].get<double>(), 250.0);
  auto far =
      get("an_taiqiao", "/api/v1/events/duplicates?lat=28.6330&lng=104.4121&category=infra.sewage");
  EXPECT_EQ(far.json()["items"].size(), 0u);  // about 430 m
  auto other =
      get("an_taiqiao", "/api/v1/events/duplicates?lat=28.6300&lng=104.4121&category=infra.water");
  EXPECT_EQ(other.json()["items"].size(), 0u);
  // A second report nearby is offered the first.
  json second = sewage();
  second["lat"] = 28.6295;
  auto r = post("anjiang_op", "/api/v1/events", second);
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(r.json()["possible_duplicates"].size(), 1u);
  EXPECT_EQ(r.json()["possible_duplicates"][0]["id"], id);
  // The resident, who sees only their own reports, is offered the file by an opaque ref: linking
  // makes them an interested party, told the outcome, not a reader or a rater.
  int64_t files = count("SELECT COUNT(*) FROM events");
  auto offered =
      get("resident", "/api/v1/events/duplicates?lat=28.6291&lng=104.4121&category=infra.sewage");
  ASSERT_EQ(offered.json()["items"].size(), 2u) << offered.body;
  EXPECT_FALSE(offered.json()["items"][0].contains("id"));
  json link = sewage();
  link["duplicate_of"] = offered.json()["items"][0]["ref"];
  auto linked = post("resident", "/api/v1/events", link);
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_TRUE(linked.json()["linked"].get<bool>());
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), files);
  EXPECT_EQ(event(id)["followers"], 0);
  EXPECT_EQ(get("resident", "/api/v1/events/" + std::to_string(id)).status, 404);
  // Staff who see the event link by its id and follow it.
  json by_id = sewage();
  by_id["duplicate_of"] = id;
  ASSERT_EQ(post("anjiang_op", "/api/v1/events", by_id).status, 200);
  EXPECT_EQ(event(id)["followers"], 1);
  ok("an_taiqiao", id, {{"action", "accept"}});
  ok("an_taiqiao", id, {{"action", "resolve"}, {"note", "已疏通"}});
  ok("an_taiqiao", id, {{"action", "verify_pass"}});
  EXPECT_EQ(act("resident", id, {{"action", "rate"}, {"score", 1}}).status, 404);
  json e = ok("anjiang_op", id, {{"action", "rate"}, {"score", 5}});
  EXPECT_EQ(e["satisfaction"], 5);
  EXPECT_EQ(act("anjiang_op", id, {{"action", "rate"}, {"score", 4}}).status, 409);
  int outcome = 0;
  for (const auto& n : notices(id)) {
    if (events::to_string(n.kind) == "outcome") {
      ++outcome;
      EXPECT_EQ(n.recipient, "user:" + std::to_string(user_ids_["resident"]));
    }
  }
  EXPECT_EQ(outcome, 1);
}

// 双防: the same category in the same grid within 90 days of a close is a recurrence.
TEST_P(EventScenarioTest, RecurrenceWithinNinetyDays) {
  int64_t first = report("an_taiqiao", sewage());
  ok("an_taiqiao", first, {{"action", "accept"}});
  ok("an_taiqiao", first, {{"action", "resolve"}, {"note", "已疏通"}});
  ok("an_taiqiao", first, {{"action", "verify_pass"}});
  set_now("2026-05-20T09:00:00+08:00");
  int64_t again = report("an_taiqiao", sewage());
  json ev = event(again);
  EXPECT_EQ(ev["recurrence_of"], first);
  EXPECT_EQ(actions_of(ev), (std::vector<std::string>{"report", "recur"}));
  // Another grid, another category, or after 90 days: no recurrence.
  json elsewhere = sewage();
  elsewhere["grid"] = kAnjiangGrid2;
  EXPECT_TRUE(event(report("anjiang_op", elsewhere))["recurrence_of"].is_null());
  EXPECT_TRUE(
      event(report("an_taiqiao", {{"category", "infra.water"}, {"title", "停水"}}))["recurrence_of"]
          .is_null());
  set_now("2026-07-07T09:00:00+08:00");
  EXPECT_TRUE(event(report("an_taiqiao", sewage()))["recurrence_of"].is_null());
}

// 10分钟响应: an urgent event accepted after 10 minutes is counted as a late response.
TEST_P(EventScenarioTest, UrgentEventsMustBeAcceptedWithinTenMinutes) {
  json gas = {{"category", "infra.gas"}, {"title", "燃气泄漏"}, {"urgency", "urgent"}};
  int64_t late = report("an_taiqiao", gas);
  int64_t quick = report("an_taiqiao", gas);
  set_now("2026-04-07T09:15:00+08:00");
  EXPECT_EQ(ok("an_taiqiao", quick, {{"action", "accept"}})["response_late"], false);
  set_now("2026-04-07T09:21:00+08:00");
  EXPECT_EQ(ok("an_taiqiao", late, {{"action", "accept"}})["response_late"], true);
  int64_t normal = report("an_taiqiao", {{"category", "other"}, {"title", "一般事项"}});
  EXPECT_TRUE(ok("an_taiqiao", normal, {{"action", "accept"}})["response_late"].is_null());
}

// 12345 at county level is routed to the township; the township may return it; the county
// assigns it down to the community.
TEST_P(EventScenarioTest, HotlineRoutedDownReturnedAndAssigned) {
  int64_t id = report("shuifu_op", {{"category", "livelihood.elderly"},
                                    {"title", "独居老人无人照料"},
                                    {"source", "hotline_12345"},
                                    {"grid", kAnjiangGrid}});
  json ev = event(id);
  EXPECT_EQ(ev["owner"], kYunfu);
  EXPECT_EQ(ev["dispatcher"], kShuifu);
  // Only county or city enter 12345 records.
  auto r = post("anjiang_op", "/api/v1/events",
                {{"category", "other"}, {"title", "x"}, {"source", "hotline_12345"}});
  EXPECT_EQ(r.status, 403);
  json e = ok("yunfu_op", id, {{"action", "return"}, {"note", "应由社区直接办理"}});
  EXPECT_EQ(e["state"], "returned");
  EXPECT_EQ(e["owner"], kShuifu);
  e = ok("shuifu_op", id, {{"action", "assign"}, {"target_org", kAnjiang}});
  EXPECT_EQ(e["state"], "reported");
  EXPECT_EQ(e["owner"], kAnjiang);
  EXPECT_EQ(e["level"], 2);
  // Assigning above or outside the owner is bad input.
  EXPECT_EQ(act("anjiang_op", id, {{"action", "assign"}, {"target_org", kYunfu}}).status, 400);
}

// Scope: other places' events are 404, as if they did not exist; lists hold only what the
// caller may see; extensions are counted.
TEST_P(EventScenarioTest, ScopeAndExtension) {
  int64_t id = report("an_taiqiao", sewage());
  EXPECT_EQ(get("wulong_op", "/api/v1/events/" + std::to_string(id)).status, 404);
  EXPECT_EQ(act("wulong_op", id, {{"action", "accept"}}).status, 404);
  EXPECT_EQ(get("wulong_op", "/api/v1/events").json()["total"], 0);
  EXPECT_EQ(get("grid2", "/api/v1/events").json()["total"], 0);
  EXPECT_EQ(get("yunfu_op", "/api/v1/events?category=infra").json()["total"], 1);
  EXPECT_EQ(get("wulong_op", std::string("/api/v1/events?org=") + kYunfu).status, 404);
  EXPECT_EQ(get("an_taiqiao", "/api/v1/events/999999").status, 404);
  // Bad input is 400 with a Chinese message.
  auto bad = post("an_taiqiao", "/api/v1/events", {{"category", "没有这类"}, {"title", "x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_field(), "category");
  ok("an_taiqiao", id, {{"action", "accept"}});
  auto early =
      act("an_taiqiao", id,
          {{"action", "extend"}, {"due_at", "2026-04-07T12:00:00+08:00"}, {"note", "需要协调"}});
  EXPECT_EQ(early.status, 400);
  json e = ok("an_taiqiao", id,
              {{"action", "extend"},
               {"due_at", "2026-04-09T18:00:00+08:00"},
               {"note", "需要协调清掏车辆"}});
  EXPECT_EQ(e["extensions"], 1);
  EXPECT_EQ(e["due_at"], "2026-04-09T10:00:00.000Z");
  EXPECT_EQ(sweep("2026-04-08T12:00:00+08:00").escalated, 0);
  auto cats = get("an_taiqiao", "/api/v1/event-categories");
  ASSERT_EQ(cats.status, 200);
  EXPECT_GE(cats.json()["items"].size(), 20u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventScenarioTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
