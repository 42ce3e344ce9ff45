#include "auth/session_cache.h"

namespace wangge::auth {
namespace {

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SessionCache::SessionCache(size_t capacity, std::chrono::milliseconds poll)
    : capacity_(capacity), poll_(poll) {}

std::optional<Authenticated> SessionCache::find(const std::string& hash, Instant now,
                                                std::chrono::milliseconds touch_interval) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(hash);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  const User& u = e.who.user;
  if (e.epoch != epoch()) return std::nullopt;
  // A clock that went backwards, or a session due for its last_seen_at write: ask the database.
  if (now < e.who.last_seen || now - e.who.last_seen >= touch_interval) return std::nullopt;
  if (u.disabled || (u.locked_until && now < *u.locked_until)) return std::nullopt;
  if (now >= e.who.expires) return std::nullopt;  // the session's absolute lifetime is over
  return e.who;
}

void SessionCache::put(const std::string& hash, const Authenticated& who, uint64_t epoch) {
  std::unique_lock lock(mu_);
  if (epoch != this->epoch()) return;  // something changed while the caller was checking
  if (entries_.size() >= capacity_) entries_.clear();
  Entry& e = entries_[hash];
  e.who = who;
  e.who.needs_touch = false;
  e.epoch = epoch;
}

void SessionCache::invalidate() {
  std::unique_lock lock(mu_);
  epoch_.fetch_add(1, std::memory_order_acq_rel);
  entries_.clear();
}

void SessionCache::sync(store::Database& db) {
  int64_t now = steady_ns();
  int64_t due = next_poll_ns_.load(std::memory_order_relaxed);
  if (poll_.count() > 0 && now < due) return;
  // One thread polls per interval; the others go on with what they know.
  if (poll_.count() > 0 &&
      !next_poll_ns_.compare_exchange_strong(
          due, now + std::chrono::duration_cast<std::chrono::nanoseconds>(poll_).count())) {
    return;
  }
  int64_t value = [&] {
    auto tx = db.begin(store::TxMode::read);
    return auth_epoch(*tx);
  }();
  if (db_epoch_.exchange(value) != value) invalidate();
}

size_t SessionCache::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace wangge::auth
