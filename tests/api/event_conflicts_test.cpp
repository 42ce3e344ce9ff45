// Every action that a state of DESIGN §5 does not allow answers 409 illegal_transition and
// writes nothing, for all nine states, through the HTTP API on both databases.
#include <gtest/gtest.h>

#include <set>

#include "event_fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

// Actions of POST /api/v1/events/{id}/actions.
const std::vector<std::string> kActions = {"accept",       "assign", "dispatch", "acknowledge",
                                           "resolve_part", "start",  "resolve",  "verify_pass",
                                           "verify_fail",  "return", "escalate", "extend",
                                           "cancel",       "rate",   "follow"};

// What each state allows (DESIGN §5, service.h); everything else is illegal there.
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"reported", {"accept", "assign", "return", "escalate", "cancel", "follow"}},
    {"returned", {"accept", "assign", "escalate", "cancel", "follow"}},
    {"accepted",
     {"assign", "dispatch", "start", "resolve", "return", "escalate", "extend", "cancel",
      "follow"}},
    {"dispatched",
     {"dispatch", "acknowledge", "resolve_part", "resolve", "escalate", "extend", "follow"}},
    {"in_progress",
     {"dispatch", "acknowledge", "resolve_part", "resolve", "escalate", "extend", "follow"}},
    {"reopened", {"dispatch", "start", "resolve", "escalate", "extend", "follow"}},
    {"resolved", {"verify_pass", "verify_fail", "follow"}},
    {"closed", {"rate"}},
    {"cancelled", {}},
};

class EventConflictTest : public EventApiTest {
 protected:
  // Everything the database holds about an event and the rows an action would add.
  std::string snapshot(int64_t id) {
    auto tx = db_->begin(store::TxMode::read);
    std::string out;
    for (const auto& r : tx->query("SELECT * FROM events WHERE id = ?", {id})) {
      for (size_t c = 0; c < r.size(); ++c) out += (r.is_null(c) ? "NULL" : r.text(c)) + "|";
    }
    for (const char* table : {"event_steps", "event_parts", "event_followers", "event_outbox"}) {
      out += std::string(table) + "=" +
             std::to_string(tx->query_int(std::string("SELECT COUNT(*) FROM ") + table)) + ";";
    }
    for (const auto& r : tx->query(
             "SELECT org_id, acknowledged_at, resolved_at FROM event_parts WHERE event_id = ?",
             {id})) {
      out += r.text(0) + "/" + r.text(1) + "/" + r.text(2) + ";";
    }
    return out;
  }

  // Tries every action `state` does not allow, each with the input it would need, as a user
  // who could otherwise run it: 409 illegal_transition, nothing written. Returns how many.
  int try_illegal(int64_t id, const std::string& state, const std::string& reporter) {
    EXPECT_EQ(event(id)["state"], state);
    int tried = 0;
    for (const auto& a : kActions) {
      if (kAllowed.at(state).count(a)) continue;
      std::string user = a == "rate" ? reporter : a == "follow" ? "city_op" : "shuifu_op";
      std::string before = snapshot(id);
      auto r = act(user, id,
                   {{"action", a},
                    {"note", "测试说明"},
                    {"score", 5},
                    {"due_at", "2026-12-31T00:00:00+08:00"},
                    {"target_org", kAnjiangGrid},
                    {"departments", {kAnjiang}}});
      EXPECT_EQ(r.status, 409) << state << " / " << a << ": " << r.body;
      EXPECT_EQ(r.error_code(), "illegal_transition") << state << " / " << a;
      EXPECT_FALSE(r.error_message().empty());
      EXPECT_EQ(snapshot(id), before) << state << " / " << a;
      ++tried;
    }
    return tried;
  }
};

TEST_P(EventConflictTest, EveryIllegalActionAtEveryStateIs409AndWritesNothing) {
  std::set<std::string> reached;
  int tried = 0;
  auto check = [&](int64_t id, const std::string& state, const std::string& reporter) {
    tried += try_illegal(id, state, reporter);
    reached.insert(state);
  };
  // A grid report through accept, start, resolve, a failed and a passed verification.
  int64_t a = report("an_taiqiao", {{"category", "dispute"}, {"title", "邻里纠纷"}});
  check(a, "reported", "an_taiqiao");
  ok("shuifu_op", a, {{"action", "accept"}});
  check(a, "accepted", "an_taiqiao");
  ok("shuifu_op", a, {{"action", "start"}});
  check(a, "in_progress", "an_taiqiao");
  ok("shuifu_op", a, {{"action", "resolve"}, {"note", "调解成功"}});
  check(a, "resolved", "an_taiqiao");
  ok("shuifu_op", a, {{"action", "verify_fail"}, {"note", "双方仍有争执"}});
  check(a, "reopened", "an_taiqiao");
  ok("shuifu_op", a, {{"action", "resolve"}, {"note", "再次调解成功"}});
  ok("shuifu_op", a, {{"action", "verify_pass"}});
  check(a, "closed", "an_taiqiao");
  // A mistaken report, cancelled.
  int64_t b = report("an_taiqiao", {{"category", "dispute"}, {"title", "误报"}});
  ok("shuifu_op", b, {{"action", "cancel"}, {"note", "重复登记"}});
  check(b, "cancelled", "an_taiqiao");
  // 12345 records routed down to the street: one returned, one whistled (吹哨).
  json hotline = {{"category", "livelihood.elderly"},
                  {"title", "独居老人无人照料"},
                  {"source", "hotline_12345"},
                  {"grid", kAnjiangGrid}};
  int64_t c = report("shuifu_op", hotline);
  ok("yunfu_op", c, {{"action", "return"}, {"note", "应由社区直接办理"}});
  check(c, "returned", "shuifu_op");
  int64_t d = report("shuifu_op", hotline);
  ok("yunfu_op", d, {{"action", "accept"}});
  ok("yunfu_op", d, {{"action", "dispatch"}, {"departments", {kAnjiang}}});
  check(d, "dispatched", "shuifu_op");

  EXPECT_EQ(reached.size(), kAllowed.size());  // all nine states of DESIGN §5
  // 15 actions × 9 states minus the allowed pairs.
  size_t allowed = 0;
  for (const auto& [state, actions] : kAllowed) allowed += actions.size();
  EXPECT_EQ(static_cast<size_t>(tried), kActions.size() * kAllowed.size() - allowed);
}

// The table is not vacuous: one allowed action per state really succeeds from it.
TEST_P(EventConflictTest, AllowedActionsOfTheTableSucceed) {
  int64_t a = report("an_taiqiao", {{"category", "dispute"}, {"title", "邻里纠纷"}});
  EXPECT_EQ(act("city_op", a, {{"action", "follow"}}).status, 200);
  EXPECT_EQ(act("shuifu_op", a, {{"action", "accept"}}).status, 200);
  EXPECT_EQ(act("shuifu_op", a, {{"action", "resolve"}, {"note", "调解成功"}}).status, 200);
  EXPECT_EQ(act("shuifu_op", a, {{"action", "verify_pass"}}).status, 200);
  EXPECT_EQ(act("an_taiqiao", a, {{"action", "rate"}, {"score", 5}}).status, 200);
  EXPECT_EQ(event(a)["satisfaction"], 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventConflictTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
