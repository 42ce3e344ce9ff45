// The demo's live stream: while `wangge demo` serves, a background thread keeps the place
// moving — a grid worker files a new report now and then, and open events take their next
// step (受理, 处置, 核查结案) — through the same service code the API's requests run, with the
// audit rows a user's action leaves. Programmes add their share through app::Module::demo_live.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "app/module.h"
#include "core/vault.h"
#include "store/database.h"

namespace wangge::demo {

// One tick of the demo's own stream: a new report (every other tick), then one step on an
// open event of the demo accounts' county (鲁甸), each in its own transaction. What a tick
// cannot do (a rule of the state machine refusing a step) is skipped, not thrown.
void events_tick(app::DemoLiveContext& c);

class LiveStream {
 public:
  // Starts the thread: a tick at once, then one every interval, each running events_tick and
  // then every `extra` in turn. REQUIRES: db and vault outlive the stream.
  LiveStream(store::Database& db, const Vault& vault, std::chrono::milliseconds interval,
             std::vector<app::DemoLive> extra, uint64_t seed);
  // Stops the thread: wakes it at once and waits only for a tick under way.
  ~LiveStream();
  LiveStream(const LiveStream&) = delete;
  LiveStream& operator=(const LiveStream&) = delete;

  int64_t ticks() const;

 private:
  void loop();

  store::Database& db_;
  const Vault& vault_;
  std::chrono::milliseconds interval_;
  std::vector<app::DemoLive> streams_;
  uint64_t seed_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int64_t ticks_ = 0;
  std::thread thread_;  // last: starts after the fields above are ready
};

}  // namespace wangge::demo
