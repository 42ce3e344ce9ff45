// The closed loop's state table as data: tests/api/event_transitions.table lists, for every
// (state, action) pair of the machine, who tries it and what must happen — the resulting
// state, or the status and error code of the refusal — and this runs each line through the
// API on both databases. A refusal must leave the event exactly as it was, and GET
// /events/{id} must list the action in allowed_actions exactly when the line succeeds. A pair
// of the machine (the states and actions events::parse_state / parse_action know) without a
// line fails the test, by name.
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/error.h"
#include "event_fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

struct Line {
  int number = 0;
  std::string state, actor, action;
  std::string result_state;  // on success
  int status = 200;
  std::string code;  // the error code of a refusal
  std::string where() const { return "event_transitions.table:" + std::to_string(number); }
};

std::vector<Line> read_table() {
  std::ifstream in(wangge::testing::source_dir() / "tests/api/event_transitions.table");
  EXPECT_TRUE(in) << "cannot read tests/api/event_transitions.table";
  std::vector<Line> out;
  std::string text;
  int n = 0;
  while (std::getline(in, text)) {
    ++n;
    if (text.empty() || text[0] == '#') continue;
    std::istringstream s(text);
    Line l;
    l.number = n;
    std::string result;
    s >> l.state >> l.actor >> l.action >> result;
    if (!result.empty() && std::isdigit(static_cast<unsigned char>(result[0]))) {
      l.status = std::stoi(result);
      s >> l.code;
    } else {
      l.result_state = result;
    }
    EXPECT_FALSE(l.action.empty() || result.empty() || (l.status != 200 && l.code.empty()))
        << l.where() << ": STATE ACTOR ACTION RESULT";
    out.push_back(l);
  }
  return out;
}

// The names a parser of the events vocabulary accepts, from its own refusal ("… (one of a,
// b, c)"), so that a state or action added to the machine needs lines here.
std::vector<std::string> names_known_by(const std::function<void()>& parse_unknown) {
  std::string message;
  try {
    parse_unknown();
  } catch (const Error& e) {
    message = e.message(Lang::en);
  }
  auto from = message.find("(one of ");
  auto to = message.rfind(')');
  EXPECT_NE(from, std::string::npos) << message;
  std::vector<std::string> out;
  if (from == std::string::npos || to == std::string::npos) return out;
  std::istringstream s(message.substr(from + 8, to - from - 8));
  std::string name;
  while (std::getline(s, name, ',')) {
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    out.push_back(name);
  }
  return out;
}

std::vector<std::string> machine_states() {
  return names_known_by([] { events::parse_state("?"); });
}
std::vector<std::string> machine_actions() {
  return names_known_by([] { events::parse_action("?"); });
}

TEST(EventTransitionTable, EveryStateAndActionOfTheMachineHasALine) {
  auto states = machine_states();
  auto actions = machine_actions();
  EXPECT_GE(states.size(), 9u);
  EXPECT_GE(actions.size(), 16u);
  std::set<std::pair<std::string, std::string>> covered;
  for (const Line& l : read_table()) {
    EXPECT_TRUE(l.state == "*" || std::count(states.begin(), states.end(), l.state))
        << l.where() << ": no state " << l.state;
    EXPECT_TRUE(std::count(actions.begin(), actions.end(), l.action))
        << l.where() << ": no action " << l.action;
    if (!l.result_state.empty()) {
      EXPECT_TRUE(std::count(states.begin(), states.end(), l.result_state))
          << l.where() << ": no state " << l.result_state;
    }
    for (const auto& s : states) {
      if (l.state == "*" || l.state == s) covered.insert({s, l.action});
    }
  }
  std::string missing;
  for (const auto& s : states) {
    for (const auto& a : actions) {
      if (!covered.count({s, a})) missing += " " + s + "/" + a;
    }
  }
  EXPECT_EQ(missing, "") << "(state, action) pairs without a line in event_transitions.table:"
                         << missing;
}

class EventTransitionTest : public EventApiTest {
 protected:
  // A valid input for the action by `who` in `state` (where the action is allowed at all).
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

  // Whether GET /events/{id} as who lists the action; nullopt when who cannot see it (404).
  std::optional<bool> listed(const std::string& who, int64_t id, const std::string& action) {
    auto r = get(who, "/api/v1/events/" + std::to_string(id));
    if (r.status == 404) return std::nullopt;
    EXPECT_EQ(r.status, 200) << r.body;
    auto list = r.json().value("allowed_actions", std::vector<std::string>{});
    return std::count(list.begin(), list.end(), action) > 0;
  }

  void run(const Line& l, const std::string& state) {
    std::string what = l.where() + " (" + state + " " + l.actor + " " + l.action + ")";
    bool succeeds = l.status == 200;
    // A refusal changes nothing, so one event per state serves all of them.
    int64_t id = succeeds ? event_in(state) : shared_event(state);
    json before = event(id);
    ASSERT_EQ(before["state"], state) << what;
    if (auto shown = listed(l.actor, id, l.action)) {
      EXPECT_EQ(*shown, succeeds) << what << ": allowed_actions disagrees";
    } else {
      EXPECT_EQ(l.status, 404) << what << ": " << l.actor << " cannot see the event";
    }
    auto r = act(l.actor, id, input(l.action, l.actor, state));
    EXPECT_EQ(r.status, l.status) << what << " → " << r.body;
    if (succeeds) {
      EXPECT_EQ(event(id)["state"], l.result_state) << what;
    } else {
      EXPECT_EQ(r.error_code(), l.code) << what << " → " << r.body;
      EXPECT_EQ(event(id), before) << what << ": a refusal changed the event";
    }
  }

  int64_t shared_event(const std::string& state) {
    auto it = by_state_.find(state);
    if (it != by_state_.end()) return it->second;
    return by_state_[state] = event_in(state);
  }

  std::map<std::string, int64_t> by_state_;
};

TEST_P(EventTransitionTest, EveryLineOfTheTableHoldsThroughTheApi) {
  auto states = machine_states();
  int lines = 0;
  for (const Line& l : read_table()) {
    for (const auto& s : states) {
      if (l.state == "*" || l.state == s) run(l, s);
    }
    ++lines;
  }
  EXPECT_GE(lines, 9 * 16);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventTransitionTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
