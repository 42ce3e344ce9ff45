#include "demo/live.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <optional>
#include <random>

#include "auth/audit.h"
#include "core/error.h"
#include "events/service.h"
#include "org/geo.h"

namespace wangge::demo {
namespace {

constexpr const char* kCounty = "530621";  // 鲁甸: the demo accounts' county
constexpr std::array<const char*, 8> kCategories{
    "sanitation",   "dispute",      "infra.road",         "infra.water",
    "public_order", "infra.sewage", "livelihood.elderly", "other"};
constexpr std::array<const char*, 5> kTitles{"巡查发现", "群众反映", "走访发现", "入户走访",
                                             "群众来电"};

// The demo's grid worker account (demo/accounts.cpp), as the API would build its actor.
std::optional<events::Actor> grid_worker(store::Tx& tx) {
  auto r = tx.query_one(
      "SELECT u.id, u.username, o.code FROM users u JOIN orgs o ON o.id = u.org_id "
      "WHERE u.username = 'gridworker'");
  if (!r) return std::nullopt;
  events::Actor a;
  a.user_id = r->i64(0);
  a.name = r->text(1);
  a.role = auth::Role::grid_worker;
  a.org_code = r->text(2);
  a.can_report = a.can_handle = true;
  return a;
}

// Whoever handles an event owned at this org and level: the demo account when it sits there,
// else a staff member of that org.
events::Actor handler_at(const std::optional<events::Actor>& worker, const std::string& org,
                         int level) {
  if (worker && worker->org_code == org) return *worker;
  static constexpr std::array<auth::Role, 6> kRoles{
      auth::Role::grid_worker,       auth::Role::grid_worker,     auth::Role::village_operator,
      auth::Role::township_operator, auth::Role::county_operator, auth::Role::city_operator};
  events::Actor a;
  a.name = "demo-live";
  a.role = kRoles[static_cast<size_t>(std::clamp(level, 1, 5))];
  a.org_code = org;
  a.can_report = a.can_handle = true;
  return a;
}

void file_report(app::DemoLiveContext& c, std::mt19937_64& rng) {
  c.db.transact([&](store::Tx& tx) {
    auto worker = grid_worker(tx);
    if (!worker) return;
    auto at = tx.query_one("SELECT lat, lng, name, boundary FROM orgs WHERE code = ?",
                           {worker->org_code});
    events::NewEvent e;
    e.category = kCategories[rng() % kCategories.size()];
    e.title = fmt::format("{}：{}", events::find_category(e.category)->name,
                          kTitles[rng() % kTitles.size()]);
    e.description = "演示数据（实时）";
    if (at && !at->is_null(0)) {
      // Near the grid's point and inside its outline (a grid is ~0.014° wide at scale 1): a
      // few draws, else the grid's point itself, which the demo puts inside.
      std::uniform_real_distribution<double> jitter(-0.003, 0.003);
      e.lat = at->f64(0);
      e.lng = at->f64(1);
      std::optional<org::geo::Shape> outline;
      if (!at->is_null(3)) outline = org::geo::parse(at->text(3));
      for (int tries = 0; tries < 8; ++tries) {
        org::geo::Point p{at->f64(1) + jitter(rng), at->f64(0) + jitter(rng)};
        if (!outline || org::geo::contains(*outline, p)) {
          e.lat = p.lat;
          e.lng = p.lng;
          break;
        }
      }
      e.address = at->text(2);
    }
    e.grid_code = worker->org_code;
    e.people_affected = 1 + static_cast<int>(rng() % 30);
    auto r = events::report(tx, *worker, e, c.now);
    auth::audit::append(tx, worker->name, "event.report", fmt::format("event:{}", r.id),
                        "演示实时数据 (demo live stream)", c.now);
  });
}

void advance_one(app::DemoLiveContext& c, std::mt19937_64& rng) {
  c.db.transact([&](store::Tx& tx) {
    auto worker = grid_worker(tx);
    // Every other tick among the events touched last (those the stream filed move on while
    // someone looks), else among those waiting longest.
    const bool recent = rng() % 2 == 0;
    auto rows = tx.query(
        std::string(
            "SELECT e.id, o.code, e.level FROM events e JOIN orgs o ON o.id = e.owner_id "
            "WHERE e.state IN ('reported', 'accepted', 'in_progress', 'resolved', "
            "'returned', 'reopened') AND o.code >= ? AND o.code < ? ORDER BY e.updated_at ") +
            (recent ? "DESC" : "ASC") + " LIMIT 30",
        {std::string(kCounty), fmt::format("{}", std::stoll(kCounty) + 1)});
    if (rows.empty()) return;
    const auto& row = rows[rng() % rows.size()];
    const int64_t id = row.i64(0);
    events::Actor a = handler_at(worker, row.text(1), static_cast<int>(row.i64(2)));
    auto allowed = events::allowed_actions(tx, a, id, c.now);
    for (events::Action want : {events::Action::accept, events::Action::start,
                                events::Action::resolve, events::Action::verify_pass}) {
      if (std::find(allowed.begin(), allowed.end(), want) == allowed.end()) continue;
      events::ActionInput in;
      in.action = want;
      in.note = want == events::Action::resolve ? "已处置完毕（演示）" : "";
      events::act(tx, a, id, in, c.now);
      auth::audit::append(tx, a.name, "event.action", fmt::format("event:{}", id),
                          fmt::format("{}（演示实时数据）", events::to_string(want)), c.now);
      return;
    }
  });
}

std::vector<app::DemoLive> with_events(std::vector<app::DemoLive> extra) {
  extra.insert(extra.begin(), app::DemoLive{"events", &events_tick});
  return extra;
}

}  // namespace

void events_tick(app::DemoLiveContext& c) {
  std::mt19937_64 rng(c.seed);
  if (c.seed % 2 == 0) file_report(c, rng);
  advance_one(c, rng);
}

LiveStream::LiveStream(store::Database& db, const Vault& vault, std::chrono::milliseconds interval,
                       std::vector<app::DemoLive> extra, uint64_t seed)
    : db_(db),
      vault_(vault),
      interval_(interval),
      streams_(with_events(std::move(extra))),
      seed_(seed),
      thread_([this] { loop(); }) {}

LiveStream::~LiveStream() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

int64_t LiveStream::ticks() const {
  std::lock_guard lock(mu_);
  return ticks_;
}

void LiveStream::loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    const auto& streams = streams_;  // fixed once the thread runs
    const uint64_t tick = static_cast<uint64_t>(ticks_);
    lock.unlock();
    for (const auto& s : streams) {
      uint64_t mixed = (seed_ * 1'000'003ULL + tick) ^ std::hash<std::string>{}(s.name);
      app::DemoLiveContext c{db_, vault_, now(), std::mt19937_64(mixed)()};
      try {
        s.tick(c);
      } catch (const std::exception& e) {  // a step refused, the database busy: next tick
        spdlog::warn("demo live stream ({}): {}", s.name, e.what());
      }
    }
    lock.lock();
    ++ticks_;
    if (cv_.wait_for(lock, interval_, [&] { return stop_; })) return;
  }
}

}  // namespace wangge::demo
