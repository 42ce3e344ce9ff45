// The demo's year of events. Each grid gets a few events a year (Poisson-like), each with a
// life drawn from the distributions below; the rows and their steps are bulk-loaded.
#include "demo/events.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>

#include "events/events.h"
#include "org/service.h"

namespace wangge::demo {
namespace {

using events::SlaClass;

struct Weighted {
  const char* code;
  int weight;
};

// Shares of categories among reports (环境卫生 and 矛盾纠纷 lead, as in the seeds).
constexpr Weighted kCategories[] = {
    {"sanitation", 20},        {"dispute", 12},           {"infra.road", 8},
    {"infra.water", 6},        {"infra.sewage", 6},       {"infra.power", 4},
    {"infra.gas", 2},          {"infra.toilet", 2},       {"safety.fire", 2},
    {"safety.building", 2},    {"safety.geohazard", 2},   {"safety.food", 1},
    {"safety.campus", 1},      {"livelihood.dibao", 3},   {"livelihood.jobs", 3},
    {"livelihood.elderly", 3}, {"livelihood.medical", 2}, {"livelihood.education", 2},
    {"public_order", 6},       {"new_workers", 2},        {"other", 11},
};

constexpr const char* kTitles[] = {"巡查发现", "群众反映", "网格员上报", "热线工单", "走访发现"};

constexpr const char* kDepartments[] = {"水务局",           "供电局",     "燃气公司",
                                        "住房和城乡建设局", "自然资源局", "公安局",
                                        "市场监督管理局",   "教育体育局", "民政局"};

int pick(std::mt19937_64& rng, std::span<const int> weights) {
  int total = 0;
  for (int w : weights) total += w;
  int r = static_cast<int>(rng() % static_cast<uint64_t>(total));
  for (size_t i = 0; i < weights.size(); ++i) {
    if ((r -= weights[i]) < 0) return static_cast<int>(i);
  }
  return 0;
}

double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
double between(std::mt19937_64& rng, double lo, double hi) { return lo + (hi - lo) * uniform(rng); }
std::chrono::milliseconds hours(double h) {
  return std::chrono::milliseconds(static_cast<int64_t>(h * 3'600'000));
}

// The rows of one batch, written table by table (a bulk load runs alone in its transaction).
struct Batch {
  std::vector<store::Params> events, steps, parts;
};

const std::vector<std::string> kEventColumns = {"id",
                                                "category",
                                                "title",
                                                "description",
                                                "lat",
                                                "lng",
                                                "address",
                                                "grid_id",
                                                "owner_id",
                                                "dispatcher_id",
                                                "level",
                                                "state",
                                                "people_affected",
                                                "damage",
                                                "urgency",
                                                "sla_class",
                                                "source",
                                                "reporter_user_id",
                                                "reporter_name",
                                                "external_ref",
                                                "attachments",
                                                "reported_at",
                                                "clock_started_at",
                                                "due_at",
                                                "first_due_at",
                                                "accepted_at",
                                                "response_late",
                                                "resolved_at",
                                                "resolved_level",
                                                "closed_at",
                                                "cancelled_at",
                                                "overdue",
                                                "escalations",
                                                "extensions",
                                                "reopens",
                                                "satisfaction",
                                                "recurrence_of",
                                                "near_notified",
                                                "top_overdue_at",
                                                "version",
                                                "updated_at"};
const std::vector<std::string> kStepColumns = {
    "id",        "event_id",      "at",         "action",       "from_state",
    "to_state",  "actor_user_id", "actor_name", "actor_org_id", "from_org_id",
    "to_org_id", "from_level",    "to_level",   "note",         "attachments"};
const std::vector<std::string> kPartColumns = {"event_id",        "org_id",      "summoned_at",
                                               "acknowledged_at", "resolved_at", "note"};

// One event's life, simulated step by step; steps after `until` are not taken.
class Life {
 public:
  Life(Batch& b, int64_t id, int64_t& next_step, Instant until)
      : b_(b), id_(id), next_step_(next_step), until_(until) {}

  // Records a step at t when t is not after until; false (and the life ends) otherwise.
  // actor_org: the summoned department acting on its part (0: the owner's staff).
  bool step(Instant t, const char* action, const char* to, int64_t to_org, int to_level,
            const std::string& note = {}, int64_t actor_org = 0) {
    if (ended_ || t > until_) {
      ended_ = true;
      return false;
    }
    store::Value from = state_.empty() ? store::Value() : store::Value(state_);
    const char* actor = actor_org        ? "报到单位"
                        : state_.empty() ? "网格员"
                                         : (to_level >= 3 ? "承办人" : "网格员");
    b_.steps.push_back({next_step_++, id_, to_unix_ms(t), action, from, to, 0, actor,
                        actor_org ? store::Value(actor_org) : store::Value(),
                        owner_ ? store::Value(owner_) : store::Value(to_org), to_org,
                        level_ ? level_ : to_level, to_level, note, "[]"});
    state_ = to;
    owner_ = to_org;
    level_ = to_level;
    last_ = t;
    return true;
  }
  bool ended() const { return ended_; }
  const std::string& state() const { return state_; }
  int64_t owner() const { return owner_; }
  int level() const { return level_; }
  Instant last() const { return last_; }

 private:
  Batch& b_;
  int64_t id_;
  int64_t& next_step_;
  Instant until_;
  bool ended_ = false;
  std::string state_;
  int64_t owner_ = 0;
  int level_ = 0;
  Instant last_;
};

struct Place {
  int64_t grid = 0;
  int64_t chain[6] = {};  // org id at level 1..5 (index = level)
  int64_t county = 0;
  double lat = 0, lng = 0;
  std::string name;
};

class Generator {
 public:
  Generator(uint64_t seed, Instant until,
            const std::unordered_map<int64_t, std::vector<int64_t>>& departments)
      : rng_(seed ^ 0x5eed'e7e7'5ULL), until_(until), departments_(departments) {}

  EventsSummary summary;
  int64_t next_id = 1, next_step = 1;

  void grid(const Place& p, Batch& b) {
    int n = static_cast<int>(between(rng_, 3, 14));  // a few a year per grid
    std::vector<Instant> times;
    times.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      times.push_back(until_ - hours(between(rng_, 0, 365 * 24)));
    }
    std::sort(times.begin(), times.end());
    std::map<std::string, std::pair<int64_t, Instant>> last_closed;  // category → (id, at)
    for (Instant t : times) one(p, t, b, last_closed);
  }

 private:
  std::mt19937_64 rng_;
  Instant until_;
  const std::unordered_map<int64_t, std::vector<int64_t>>& departments_;

  void one(const Place& p, Instant t, Batch& b,
           std::map<std::string, std::pair<int64_t, Instant>>& last_closed);
  bool whistle(const Place& p, int64_t id, Instant t, double work, int level, Life& life, Batch& b);
};

// 吹哨报到 at t: 1–3 departments of the county are summoned; each acknowledges (报到) and
// resolves its part with its own steps, in time order; the last part resolves the event at
// t + 0.5 h + work. False when the dispatch itself falls after `until`.
bool Generator::whistle(const Place& p, int64_t id, Instant t, double work, int level, Life& life,
                        Batch& b) {
  if (!life.step(t + hours(0.5), "dispatch", "dispatched", life.owner(), level, "吹哨")) {
    return false;
  }
  t += hours(0.5);
  const auto& deps = departments_.at(p.county);
  std::vector<int64_t> chosen;
  for (int i = 0, k = 1 + static_cast<int>(rng_() % 3); i < k; ++i) {
    int64_t dep = deps[rng_() % deps.size()];
    if (std::find(chosen.begin(), chosen.end(), dep) == chosen.end()) chosen.push_back(dep);
  }
  // (time, 0 acknowledge | 1 resolve, department)
  std::vector<std::tuple<Instant, int, int64_t>> moves;
  for (size_t i = 0; i < chosen.size(); ++i) {
    Instant ack = t + hours(between(rng_, 0.1, std::clamp(work * 0.4, 0.2, 3.0)));
    Instant done = t + hours(i + 1 == chosen.size() ? work : work * between(rng_, 0.6, 1.0));
    done = std::max(done, ack + hours(0.1));
    moves.emplace_back(ack, 0, chosen[i]);
    moves.emplace_back(done, 1, chosen[i]);
    b.parts.push_back({id, chosen[i], to_unix_ms(t),
                       ack <= until_ ? store::Value(to_unix_ms(ack)) : store::Value(),
                       done <= until_ ? store::Value(to_unix_ms(done)) : store::Value(),
                       done <= until_ ? "本单位办结" : ""});
    ++summary.parts;
  }
  std::sort(moves.begin(), moves.end());
  size_t resolved = 0;
  for (const auto& [at, kind, dep] : moves) {
    if (kind == 0) {
      life.step(at, "acknowledge", "in_progress", life.owner(), level, "报到", dep);
    } else {
      ++resolved;
      life.step(at, "resolve_part", resolved == chosen.size() ? "resolved" : "in_progress",
                life.owner(), level, "本单位办结", dep);
    }
  }
  return true;
}

void Generator::one(const Place& p, Instant reported, Batch& b,
                    std::map<std::string, std::pair<int64_t, Instant>>& last_closed) {
  const auto& cal = WorkCalendar::china();
  static std::vector<int> cat_weights = [] {
    std::vector<int> w;
    for (const auto& c : kCategories) w.push_back(c.weight);
    return w;
  }();
  const events::Category& cat = *events::find_category(kCategories[pick(rng_, cat_weights)].code);
  const int64_t id = next_id++;
  static constexpr int kSourceWeights[] = {68, 12, 16, 2, 2};
  static constexpr const char* kSources[] = {"grid_patrol", "hotline_12345", "resident",
                                             "department", "suggestion"};
  int source = pick(rng_, kSourceWeights);
  int start_level = source == 0 || source == 2 ? 1 : 3;
  bool dangerous =
      cat.code == "infra.gas" || cat.code == "safety.fire" || cat.code == "safety.geohazard";
  bool urgent = uniform(rng_) < (dangerous ? 0.4 : 0.03);
  SlaClass sla = uniform(rng_) < 0.03 ? SlaClass::deadline : cat.sla;
  std::optional<Instant> deadline;
  if (sla == SlaClass::deadline) deadline = reported + hours(between(rng_, 5 * 24, 15 * 24));
  std::optional<int64_t> recurrence;
  if (auto it = last_closed.find(cat.code);
      it != last_closed.end() && reported - it->second.second <= events::kRecurrenceWindow) {
    recurrence = it->second.first;
  }
  // Where it will be solved: most at the village (五级: grid first, village basically …).
  static constexpr int kFromGrid[] = {35, 45, 14, 5, 1};
  static constexpr int kFromTownship[] = {0, 0, 86, 12, 2};
  int final_level = 1 + pick(rng_, start_level == 1 ? kFromGrid : kFromTownship);

  Life life(b, id, next_step, until_);
  Instant clock = reported;
  Instant due = events::sla_due(sla, clock, cal, deadline);
  Instant first_due = due;
  std::optional<Instant> accepted, resolved, closed, cancelled, top_overdue;
  std::optional<int64_t> late;
  int escalations = 0, extensions = 0, reopens = 0;
  bool overdue = false;
  int resolved_level = 0,
      satisfaction = 0;  // 0: none (plain ints keep -Wmaybe-uninitialized quiet)
  int64_t dispatcher = 0;
  if (start_level == 3 && source == 1) dispatcher = p.chain[4];
  life.step(reported, "report", "reported", p.chain[start_level], start_level,
            std::string(kTitles[source % 5]));
  if (recurrence) life.step(reported, "recur", "reported", p.chain[start_level], start_level);
  Instant t = reported;
  auto accept = [&] {
    t += urgent ? hours(between(rng_, 0.02, 0.25)) : hours(between(rng_, 0.1, 4));
    if (life.step(t, "accept", "accepted", life.owner(), life.level()) && !accepted) {
      accepted = t;
      if (urgent) late = t - reported > events::kUrgentResponse ? 1 : 0;
      if (sla != SlaClass::deadline) due = first_due = events::sla_due(sla, t, cal);
      clock = t;
    }
  };
  accept();
  if (uniform(rng_) < 0.01) {  // 作废: a duplicate or a mistaken report
    t += hours(between(rng_, 0.5, 6));
    if (life.step(t, "cancel", "cancelled", life.owner(), life.level(), "重复登记")) cancelled = t;
    final_level = 0;
  }
  for (int level = start_level + 1; level <= final_level && !life.ended(); ++level) {
    bool by_sweep = uniform(rng_) < (level == 2 ? 0.2 : 0.5);
    t = by_sweep ? std::max(t, due) : t + hours(between(rng_, 0.3, 5));
    if (!life.step(t, "escalate", life.state().c_str(), p.chain[level], level,
                   by_sweep ? "超过办结期限未办结，自动上报上级" : "需上级协调解决")) {
      break;
    }
    ++escalations;
    overdue = overdue || by_sweep;
    dispatcher = 0;
    due = events::fresh_due(sla, t, clock, due, cal);
    clock = t;
    if (level == final_level) accept();
  }
  if (final_level > 0 && !life.ended()) {
    // Handling time: same-day work within hours, others within their clock; a few extended.
    double budget_h = std::chrono::duration<double, std::ratio<3600>>(due - t).count();
    double work = sla == SlaClass::same_day ? between(rng_, 0.5, std::max(1.0, budget_h * 0.7))
                                            : between(rng_, 2, std::max(3.0, budget_h * 0.45));
    if (uniform(rng_) < 0.04 && life.level() < 5) {
      Instant at = t + hours(work * 0.3);
      Instant new_due = due + hours(between(rng_, 24, 96));
      if (life.step(at, "extend", life.state().c_str(), life.owner(), life.level(), "需协调资金")) {
        ++extensions;
        due = new_due;
        first_due = std::max(first_due, new_due);
        work = std::chrono::duration<double, std::ratio<3600>>(new_due - t).count() * 0.8;
      }
    }
    int level = life.level();
    bool whistled = level >= 3 && uniform(rng_) < 0.2 && departments_.count(p.county) &&
                    whistle(p, id, t, work, level, life, b);
    if (whistled) t += hours(0.5);
    t += hours(work);
    if (level == 5 && t > due) top_overdue = due;
    // 吹哨: the last part's resolve_part step resolved the event (when it happened by until).
    bool done = whistled ? life.state() == "resolved"
                         : life.step(t, "resolve", "resolved", life.owner(), level, "已处置完毕");
    if (done) {
      resolved = t;
      resolved_level = level;
      if (uniform(rng_) < 0.03) {  // 返工
        t += hours(between(rng_, 1, 8));
        life.step(t, "verify_fail", "reopened", life.owner(), level, "核查未完全整改");
        ++reopens;
        t += hours(between(rng_, 2, 12));
        if (life.step(t, "resolve", "resolved", life.owner(), level, "返工整改完毕")) {
          resolved = t;
        } else {
          resolved.reset();
          resolved_level = 0;
        }
      }
      t += hours(between(rng_, 0.2, 2));  // 核查 follows within hours
      if (resolved && life.step(t, "verify_pass", "closed", life.owner(), level)) {
        closed = t;
        last_closed[cat.code] = {id, t};
        if (uniform(rng_) < 0.7) {
          static constexpr int kStars[] = {1, 3, 8, 28, 60};
          satisfaction = 1 + pick(rng_, kStars);
          t += hours(between(rng_, 2, 48));
          if (!life.step(t, "rate", "closed", life.owner(), level)) satisfaction = 0;
        }
      }
    }
  }
  if (top_overdue) overdue = true;
  const std::string& state = life.state();
  summary.open += events::is_open(events::parse_state(state));
  auto v = [](const std::optional<Instant>& i) {
    return i ? store::Value(to_unix_ms(*i)) : store::Value();
  };
  int people = static_cast<int>(std::pow(10.0, between(rng_, 0, 2.5)));
  b.events.push_back({id,
                      cat.code,
                      cat.name + "：" + kTitles[source % 5],
                      "演示数据",
                      p.lat + between(rng_, -0.004, 0.004),
                      p.lng + between(rng_, -0.004, 0.004),
                      p.name,
                      p.grid,
                      life.owner(),
                      dispatcher ? store::Value(dispatcher) : store::Value(),
                      life.level(),
                      state,
                      people,
                      people > 100 ? "moderate" : "minor",
                      urgent ? "urgent" : "normal",
                      events::to_string(sla),
                      kSources[source],
                      0,
                      "演示网格员",
                      "",
                      "[]",
                      to_unix_ms(reported),
                      to_unix_ms(clock),
                      to_unix_ms(due),
                      to_unix_ms(first_due),
                      v(accepted),
                      late,
                      v(resolved),
                      resolved_level ? store::Value(resolved_level) : store::Value(),
                      v(closed),
                      v(cancelled),
                      overdue ? 1 : 0,
                      escalations,
                      extensions,
                      reopens,
                      satisfaction ? store::Value(satisfaction) : store::Value(),
                      recurrence,
                      1,
                      v(top_overdue),
                      0,
                      to_unix_ms(life.last())});
  ++summary.events;
}

void flush(store::Database& db, Batch& b, EventsSummary& s) {
  db.transact([&](store::Tx& tx) {
    for (auto [table, columns, rows] : {std::tuple{"events", &kEventColumns, &b.events},
                                        std::tuple{"event_steps", &kStepColumns, &b.steps},
                                        std::tuple{"event_parts", &kPartColumns, &b.parts}}) {
      if (rows->empty()) continue;
      auto w = tx.bulk(table, *columns);
      for (const auto& r : *rows) w->add(r);
      w->finish();
    }
  });
  s.steps += static_cast<int64_t>(b.steps.size());
  b = Batch{};
}

}  // namespace

EventsSummary generate_events(
    store::Database& db, const std::vector<PlannedOrg>& plan, uint64_t seed, Instant until,
    const std::function<void(int64_t, int64_t, const std::string&)>& progress) {
  auto report = [&](int64_t done, int64_t total) {
    if (progress) progress(done, total, "生成一年的事件");
  };
  int64_t grids = 0, grids_done = 0;
  for (const auto& o : plan) grids += o.kind == "grid";
  report(0, grids);
  std::unordered_map<int64_t, size_t> at;
  for (size_t i = 0; i < plan.size(); ++i) at[plan[i].id] = i;
  std::unordered_map<int64_t, std::vector<int64_t>> departments;
  EventsSummary s;
  db.transact([&](store::Tx& tx) {
    for (const auto& o : plan) {
      if (o.kind != "county") continue;
      int i = 0;
      for (const char* name : kDepartments) {
        std::string code = o.code.substr(0, 6) + "990" + fmt::format("{:03d}", ++i);
        departments[o.id].push_back(org::create_org(tx, {code, o.code, "department", name}));
        ++s.departments;
      }
    }
    // Indexes are built after the load: those of events 2, as events 3 changed them.
    for (const char* index :
         {"events_owner", "events_grid", "events_open_due", "events_category", "events_reporter",
          "event_steps_event", "event_parts_org", "event_followers_user", "event_outbox_pending",
          "event_outbox_event"}) {
      tx.exec(std::string("DROP INDEX ") + index);
    }
  });
  Generator g(seed, until, departments);
  Batch batch;
  for (const auto& o : plan) {
    if (o.kind != "grid") continue;
    Place p;
    p.grid = o.id;
    p.lat = o.lat;
    p.lng = o.lng;
    p.name = o.name;
    p.chain[1] = o.id;
    const PlannedOrg* up = &o;
    for (int level = 2; level <= 5 && up->parent_id; ++level) {
      up = &plan[at.at(up->parent_id)];
      p.chain[level] = up->id;
      if (up->kind == "county") p.county = up->id;
    }
    g.grid(p, batch);
    ++grids_done;
    if (batch.events.size() >= 20'000) {
      flush(db, batch, s);
      report(grids_done, grids);
    }
  }
  flush(db, batch, s);
  if (progress) progress(1, 1, "建立事件索引");
  db.transact([&](store::Tx& tx) {
    for (const auto& m : events::migrations()) {  // the index steps, replayed in order
      // Only the index steps (2 and 3): later steps add tables and columns, made at migration.
      if (m.module == "events" && m.version >= 2 && m.version <= 3) {
        tx.exec_script(store::ddl(tx.dialect(), m.sql));
      }
    }
    // A bulk-loaded PostgreSQL has no planner statistics until autovacuum comes by; without
    // them the first queries sort whole counties.
    // Only this database's own schema: a bare ANALYZE locks every table of every schema at
    // once, and a shared PostgreSQL (the test cluster's hundreds of schemas) runs out of locks.
    if (tx.dialect() == store::Dialect::postgres) {
      std::string tables;
      for (const auto& r :
           tx.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
        tables += (tables.empty() ? "" : ", ") + r.text(0);
      }
      if (!tables.empty()) tx.exec("ANALYZE " + tables);
    }
  });
  s.events = g.summary.events;
  s.parts = g.summary.parts;
  s.open = g.summary.open;
  return s;
}

}  // namespace wangge::demo
