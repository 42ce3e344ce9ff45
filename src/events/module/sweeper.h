// The background sweeper inside `wangge serve`: runs the escalation sweep (events/service.h)
// as of the current time once at start and then every interval, until destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "app/module.h"
#include "store/database.h"

namespace wangge::events {

class Sweeper : public app::Running {
 public:
  // Starts the thread. REQUIRES: db outlives the Sweeper.
  explicit Sweeper(store::Database& db,
                   std::chrono::milliseconds interval = std::chrono::minutes(1));
  // Stops the thread, waiting for a sweep under way to finish.
  ~Sweeper() override;
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

 private:
  void loop();

  store::Database& db_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the fields above are ready
};

}  // namespace wangge::events
