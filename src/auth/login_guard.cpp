#include "auth/login_guard.h"

#include <algorithm>
#include <cmath>

namespace wangge::auth {

LoginThrottle::LoginThrottle(int burst, int per_minute, size_t max_addresses)
    : burst_(std::max(1, burst)),
      per_minute_(std::max(1, per_minute)),
      max_addresses_(max_addresses) {}

double LoginThrottle::tokens_at(const Bucket& b, Instant now) const {
  // A clock that went backwards refills nothing.
  double ms = static_cast<double>(std::max<int64_t>(0, to_unix_ms(now) - to_unix_ms(b.at)));
  return std::min(burst_, b.tokens + ms * per_minute_ / 60'000.0);
}

std::optional<std::chrono::seconds> LoginThrottle::blocked(std::string_view address,
                                                           Instant now) const {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(address));
  if (it == buckets_.end()) return std::nullopt;
  double tokens = tokens_at(it->second, now);
  if (tokens >= 1.0) return std::nullopt;
  // Seconds until the bucket holds a whole token (a hair less, against rounding).
  auto wait_s = static_cast<int64_t>(std::ceil((1.0 - tokens) * 60.0 / per_minute_ - 1e-6));
  return std::chrono::seconds(std::max<int64_t>(1, wait_s));
}

void LoginThrottle::failed(std::string_view address, Instant now) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(address));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_addresses_) {
      // Forget the addresses whose buckets are full again: they owe nothing.
      std::erase_if(buckets_, [&](const auto& kv) { return tokens_at(kv.second, now) >= burst_; });
      if (buckets_.size() >= max_addresses_) buckets_.clear();
    }
    it = buckets_.emplace(std::string(address), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  b.tokens = std::max(0.0, tokens_at(b, now) - 1.0);
  b.at = now;
}

HashGate::HashGate(int slots, int queue) : slots_(std::max(1, slots)), queue_(std::max(0, queue)) {}

std::optional<HashGate::Ticket> HashGate::enter() {
  std::unique_lock lock(mu_);
  if (running_ >= slots_) {
    if (waiting_ >= queue_) return std::nullopt;
    ++waiting_;
    cv_.wait(lock, [&] { return running_ < slots_; });
    --waiting_;
  }
  ++running_;
  return Ticket(this);
}

void HashGate::leave() {
  {
    std::lock_guard lock(mu_);
    --running_;
  }
  cv_.notify_one();
}

}  // namespace wangge::auth
