// One meaning of a deadline (the current clock, 亮灯) through the API on both databases: an
// event escalated with a fresh clock is not overdue until that clock runs out, while the
// history of its lateness stays; the list's overdue filter follows the same clock.
#include <gtest/gtest.h>

#include "event_fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class EventClockTest : public EventApiTest {
 protected:
  // Whether the event is among the county's open overdue events (只看超期).
  bool listed_overdue(int64_t id) {
    auto r = get("shuifu_op", "/api/v1/events?overdue=true&size=100");
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.json();
    for (const auto& e : body["items"]) {
      if (e["id"] == id) return true;
    }
    return false;
  }
};

TEST_P(EventClockTest, EscalatedWithAFreshClockIsNotOverdueUntilItRunsOut) {
  set_now("2026-04-08T10:00:00+08:00");
  int64_t id = report("an_taiqiao", {{"category", "环境卫生"}, {"title", "垃圾堆放"}});
  json ev = event(id);
  EXPECT_EQ(ev["clock"]["light"], "green");
  EXPECT_EQ(ev["clock"]["remaining_minutes"], 14 * 60);  // due 24:00 local (当日结)
  EXPECT_TRUE(ev["clock"]["overdue_minutes"].is_null());

  // Within two hours of the due time: yellow.
  set_now("2026-04-08T22:30:00+08:00");
  EXPECT_EQ(event(id)["clock"]["light"], "yellow");

  // Past the due time, before the sweep has run: red, overdue, listed.
  set_now("2026-04-09T01:00:00+08:00");
  ev = event(id);
  EXPECT_TRUE(ev["overdue"].get<bool>());
  EXPECT_EQ(ev["clock"]["light"], "red");
  EXPECT_EQ(ev["clock"]["overdue_minutes"], 60);
  EXPECT_TRUE(ev["clock"]["remaining_minutes"].is_null());
  EXPECT_TRUE(listed_overdue(id));

  // The sweep lifts it to the community with a fresh clock (24:00 of 9 April).
  ASSERT_EQ(sweep("2026-04-09T01:00:00+08:00").escalated, 1);
  ev = event(id);
  EXPECT_EQ(ev["level"], 2);
  EXPECT_FALSE(ev["overdue"].get<bool>());
  EXPECT_TRUE(ev["was_overdue"].get<bool>());  // the history of lateness is kept
  EXPECT_EQ(ev["clock"]["light"], "green");
  EXPECT_EQ(ev["clock"]["remaining_minutes"], 23 * 60);
  EXPECT_EQ(ev["clock"]["due_at"], "2026-04-09T16:00:00.000Z");
  EXPECT_FALSE(listed_overdue(id));

  // Still not overdue a minute before the fresh clock runs out …
  set_now("2026-04-09T23:59:00+08:00");
  EXPECT_FALSE(event(id)["overdue"].get<bool>());
  EXPECT_FALSE(listed_overdue(id));
  // … and overdue once it has.
  set_now("2026-04-10T00:00:00+08:00");
  EXPECT_TRUE(event(id)["overdue"].get<bool>());
  EXPECT_TRUE(listed_overdue(id));
}

// 只看超期 lists only open events: one resolved after missing its clock is history, not work.
TEST_P(EventClockTest, OverdueListHoldsOnlyOpenEvents) {
  set_now("2026-04-08T10:00:00+08:00");
  int64_t id = report("an_taiqiao", {{"category", "环境卫生"}, {"title", "垃圾堆放"}});
  ASSERT_EQ(sweep("2026-04-09T01:00:00+08:00").escalated, 1);
  set_now("2026-04-10T09:00:00+08:00");
  EXPECT_TRUE(listed_overdue(id));
  ok("anjiang_op", id, {{"action", "accept"}});
  ok("anjiang_op", id, {{"action", "resolve"}, {"note", "已清运"}});
  json ev = event(id);
  EXPECT_FALSE(ev["overdue"].get<bool>());
  EXPECT_FALSE(ev["clock"]["running"].get<bool>());
  EXPECT_TRUE(ev["clock"]["light"].is_null());
  EXPECT_TRUE(ev["was_overdue"].get<bool>());
  EXPECT_FALSE(listed_overdue(id));
}

// An owner who escalates by hand after the clock ran out keeps the lateness in the history.
TEST_P(EventClockTest, ManualEscalationAfterTheDueTimeKeepsTheHistory) {
  set_now("2026-04-08T10:00:00+08:00");
  int64_t id = report("an_taiqiao", {{"category", "环境卫生"}, {"title", "垃圾堆放"}});
  set_now("2026-04-09T00:30:00+08:00");  // before any sweep
  json ev = ok("an_taiqiao", id, {{"action", "escalate"}, {"note", "请社区支援"}});
  EXPECT_TRUE(ev["was_overdue"].get<bool>());
  EXPECT_FALSE(ev["overdue"].get<bool>());
  // In time, by hand: no lateness.
  set_now("2026-04-09T10:00:00+08:00");
  int64_t other = report("an_taiqiao", {{"category", "环境卫生"}, {"title", "另一处垃圾"}});
  ev = ok("an_taiqiao", other, {{"action", "escalate"}, {"note", "请社区支援"}});
  EXPECT_FALSE(ev["was_overdue"].get<bool>());
}

INSTANTIATE_TEST_SUITE_P(Backends, EventClockTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
