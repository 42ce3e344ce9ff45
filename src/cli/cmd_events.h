// The background sweeper inside `wangge serve`: runs the escalation sweep (events/service.h)
// as of the current time once at start and then every interval, until destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/database.h"

namespace wangge::cli {

class Sweeper {
 public:
  // Called after each committed sweep with the ids of the events it changed (the analytics
  // index listens); runs on the sweeper's thread and must not throw.
  using Listener = std::function<void(const std::vector<int64_t>& changed)>;
  // Starts the thread. REQUIRES: db outlives the Sweeper.
  explicit Sweeper(store::Database& db,
                   std::chrono::milliseconds interval = std::chrono::minutes(1),
                   Listener on_changed = {});
  // Stops the thread, waiting for a sweep under way to finish.
  ~Sweeper();
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

 private:
  void loop();

  store::Database& db_;
  std::chrono::milliseconds interval_;
  Listener on_changed_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the fields above are ready
};

}  // namespace wangge::cli
