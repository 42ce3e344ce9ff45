#include "events/module/sweeper.h"

#include <spdlog/spdlog.h>

#include "events/service.h"

namespace wangge::events {

Sweeper::Sweeper(store::Database& db, std::chrono::milliseconds interval)
    : db_(db), interval_(interval), thread_([this] { loop(); }) {}

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
  // The first sweep after a start (the catch-up after a stop or a crash) is always logged.
  bool first = true;
  while (!stop_) {
    lock.unlock();
    try {
      auto r = db_.transact([&](store::Tx& tx) { return events::sweep(tx, wangge::now()); });
      if (first || r.escalated + r.flagged_overdue + r.near_notified > 0) {
        spdlog::info("sweep: escalated {}, flagged overdue {}, deadline_near {}{}", r.escalated,
                     r.flagged_overdue, r.near_notified, first ? " (first since start)" : "");
      }
      first = false;
    } catch (const std::exception& e) {
      spdlog::warn("sweep failed (retried in a minute): {}", e.what());
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace wangge::events
