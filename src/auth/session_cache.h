// A memory of sessions already checked, so that most requests authenticate without touching
// the database. An entry answers only while all of these hold:
//   - the cache's epoch is the one the entry was stored under. invalidate() bumps it; callers
//     invalidate after committing any change to users or sessions, and sync() bumps it when the
//     database's auth_epoch moved (a change made by another process, e.g. `wangge user lock`);
//   - the session was last recorded in use less than touch_interval ago (so it is far from the
//     idle timeout, and the caller never owes a last_seen_at write);
//   - the user is neither disabled nor locked at that instant;
//   - the session's absolute lifetime (Authenticated::expires) has not run out.
// Anything else is a miss, and the caller checks the database (Accounts::check_session).
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "auth/accounts.h"
#include "store/database.h"

namespace wangge::auth {

class SessionCache {
 public:
  // capacity: entries kept at most (the cache starts over when full). poll: how often sync()
  // reads auth_epoch; zero reads it on every call.
  explicit SessionCache(size_t capacity = 200'000,
                        std::chrono::milliseconds poll = std::chrono::seconds(1));
  SessionCache(const SessionCache&) = delete;
  SessionCache& operator=(const SessionCache&) = delete;

  // The identity stored for this token hash, if it still answers at `now`.
  std::optional<Authenticated> find(const std::string& hash, Instant now,
                                    std::chrono::milliseconds touch_interval) const;
  // Remembers a session checked against the database. REQUIRES: epoch is the value epoch()
  // returned before that check began, so a change committed meanwhile voids the entry.
  void put(const std::string& hash, const Authenticated& who, uint64_t epoch);
  uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }

  // Voids every entry. Call after committing a change to users or sessions.
  void invalidate();
  // Reads auth_epoch (in a read transaction of its own) when `poll` has passed since the last
  // read, and voids every entry when it moved.
  void sync(store::Database& db);

  size_t size() const;

 private:
  struct Entry {
    Authenticated who;
    uint64_t epoch = 0;
  };
  const size_t capacity_;
  const std::chrono::milliseconds poll_;
  std::atomic<uint64_t> epoch_{1};
  std::atomic<int64_t> db_epoch_{-1};
  std::atomic<int64_t> next_poll_ns_{0};  // steady clock
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace wangge::auth
