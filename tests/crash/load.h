// Writers that use `wangge serve` as its users do, over HTTP, each in a thread of its own: event
// reports with an Idempotency-Key (resubmitted with the same key after a failure or a restart,
// as the offline phone app does), the closed loop's steps, resident colour changes and photo
// uploads. Each keeps what the server acknowledged (2xx) and what was in flight when the
// connection broke: the ledger the crash tests hold the database to after every restart.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace wangge::crash {

// What the server said yes to, and what it may or may not have done.
struct Ledger {
  // Event reports by Idempotency-Key (title "crash <key>"): acknowledged with their id, or
  // unanswered (sent, and resubmitted after each restart until answered). Id 0: acknowledged
  // as done by an earlier run whose answer was lost (api/idempotency.h).
  std::map<std::string, int64_t> created;
  std::set<std::string> created_unanswered;
  // Steps of the loop, by "<event id> <action>".
  std::set<std::string> steps, steps_unanswered;
  // Colour changes by reason ("crash r<n>"): resident and colour.
  struct ColorChange {
    int64_t resident = 0;
    std::string color;
  };
  std::map<std::string, ColorChange> colors, colors_unanswered;
  // Per resident, the reasons of its changes in the order sent (acknowledged or not).
  std::map<int64_t, std::vector<std::string>> color_order;
  // Photos by SHA-256, with their size.
  std::map<std::string, int64_t> photos;
  // Resubmissions after a restart answered with the first run's kept reply.
  int64_t replayed = 0;
  // Resubmitted reports answered "done, answer lost" (the first run committed, then was killed).
  int64_t answer_lost = 0;
  // Replies that were neither 2xx nor a broken connection (with the reply's text).
  std::vector<std::string> refused;

  size_t acknowledged() const {
    return created.size() + steps.size() + colors.size() + photos.size();
  }
};

struct LoadOptions {
  std::string tag;                 // makes keys and titles unique to a run ("sqlite", "pg")
  std::string token;               // a grid worker's bearer token
  std::vector<int64_t> residents;  // residents in that worker's grid, for colour changes
  uint64_t seed = 1;
};

class Load {
 public:
  explicit Load(LoadOptions options);
  ~Load();  // stops the writers
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;

  // Lets the writers run against the server on `port` (first resubmitting what was unanswered).
  void run(uint16_t port);
  // Stops the writers from starting requests and waits until none is under way (each has
  // finished its request or seen its connection break).
  void hold();
  // Waits until `n` writes more than now are acknowledged; false when the server died first
  // (`alive` returns false) or a minute passed without one more acknowledged write.
  bool wait_acknowledged(size_t n, const std::function<bool()>& alive);
  // A copy of the ledger; call while held.
  Ledger ledger();

 private:
  void writer(int kind);
  bool running_for(uint64_t generation);

  LoadOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  Ledger ledger_;
  bool stop_ = false, running_ = false;
  uint64_t generation_ = 0;
  uint16_t port_ = 0;
  int busy_ = 0;
  std::vector<int64_t> to_advance_;  // acknowledged reports for the step writer
  std::vector<std::thread> threads_;
};

}  // namespace wangge::crash
