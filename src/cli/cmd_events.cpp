// `wangge sweep`: the escalation sweep of the closed loop as of a given time, and the
// background sweeper that `wangge serve` runs every minute.
#include "cli/cmd_events.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "events/service.h"

namespace wangge::cli {

int run_sweep(const SweepArgs& args) {
  auto db = open_existing_database(args.db);
  open_vault_if_any(*db, args.db);
  Instant at = args.now.empty() ? wangge::now() : parse_instant(args.now, "now");
  events::SweepResult r = db->transact([&](store::Tx& tx) { return events::sweep(tx, at); });
  fmt::print(
      "巡检完成 (sweep as of {}): 上报上级 escalated {}, 市级超时 flagged overdue {}, "
      "临期提醒 deadline_near {}\n",
      format_local(at), r.escalated, r.flagged_overdue, r.near_notified);
  return 0;
}

Sweeper::Sweeper(store::Database& db, std::chrono::milliseconds interval, Listener on_changed)
    : db_(db),
      interval_(interval),
      on_changed_(std::move(on_changed)),
      thread_([this] { loop(); }) {}

Sweeper::~Sweeper() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Sweeper::loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    try {
      auto r = db_.transact([&](store::Tx& tx) { return events::sweep(tx, wangge::now()); });
      if (on_changed_ && !r.changed.empty()) on_changed_(r.changed);
      if (r.escalated + r.flagged_overdue + r.near_notified > 0) {
        spdlog::info("sweep: escalated {}, flagged overdue {}, deadline_near {}", r.escalated,
                     r.flagged_overdue, r.near_notified);
      }
    } catch (const std::exception& e) {
      spdlog::warn("sweep failed (retried in a minute): {}", e.what());
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace wangge::cli
