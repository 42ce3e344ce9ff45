// What stands in front of the password checks (身份鉴别): a per-address throttle of failed
// attempts, and a gate that bounds how many argon2 hashes run at once. Both live in memory
// (per server process); the durable lockout is in the database (Accounts).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/time.h"

namespace wangge::auth {

// A token bucket per client address: each failed attempt (a wrong password, a locked account,
// a wrong old password) takes a token; `per_minute` tokens come back each minute, up to
// `burst`. An address without tokens is refused before any hashing or database work.
// Thread-safe.
class LoginThrottle {
 public:
  LoginThrottle(int burst, int per_minute, size_t max_addresses = 100'000);

  // How long the address must wait before its next attempt; nullopt when it may try now.
  std::optional<std::chrono::seconds> blocked(std::string_view address, Instant now) const;
  // Takes a token for a failed attempt.
  void failed(std::string_view address, Instant now);

 private:
  struct Bucket {
    double tokens = 0;
    Instant at;
  };
  double tokens_at(const Bucket& b, Instant now) const;

  const double burst_, per_minute_;
  const size_t max_addresses_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// A counting semaphore for argon2 work: at most `slots` hashes at once and at most `queue`
// waiting; beyond that enter() answers at once with nothing (the caller says "busy"), so a
// flood of logins cannot take every handler thread nor every core. Thread-safe.
class HashGate {
 public:
  HashGate(int slots, int queue);
  HashGate(const HashGate&) = delete;
  HashGate& operator=(const HashGate&) = delete;

  class Ticket {
   public:
    explicit Ticket(HashGate* g) : gate_(g) {}
    Ticket(Ticket&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (gate_) gate_->leave();
    }

   private:
    HashGate* gate_;
  };
  // A slot (waiting for one if the queue has room), or nullopt when too many wait already.
  std::optional<Ticket> enter();

 private:
  void leave();
  const int slots_, queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0, waiting_ = 0;
};

}  // namespace wangge::auth
