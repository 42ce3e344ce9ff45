// Pieces the two backends share: error mapping, a connection pool, a write gate and the
// checks on identifiers and statements. Private to src/store.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database.h"

namespace wangge::store::detail {

enum class Constraint { unique, foreign_key, check, not_null, other };

// Error(conflict, "constraint") with a Chinese message for the kind of constraint.
[[noreturn]] void throw_constraint(Constraint kind, std::string_view db_message);
// Error(unavailable): the database cannot be reached or stayed busy too long.
[[noreturn]] void throw_unavailable(std::string_view what);
// Error(internal) with the database's message and the statement in the English message.
[[noreturn]] void throw_sql_error(std::string_view db_message, std::string_view sql);
// Error(internal) for misuse of this interface (wrong parameter count, finished Tx, …).
[[noreturn]] void throw_misuse(std::string_view what);

// Throws Error(bad_input, "invalid_text") when text holds a NUL character: PostgreSQL cannot
// store one and libpq would cut the text there, so neither backend accepts it.
void check_text(const std::string& text);
// Throws throw_misuse unless name is an identifier, optionally schema-qualified (a.b).
void check_identifier(std::string_view name);
// sql with its quoted strings, quoted identifiers, comments and dollar-quoted bodies blanked
// out (spaces, newlines kept): what is left is code, at the same offsets.
std::string mask_sql(std::string_view sql);
// Whether sql has a RETURNING keyword outside quotes and comments (for Tx::insert_id).
bool has_returning(std::string_view sql);

// A pool of at most `capacity` connections, opened on demand and kept open. acquire() waits
// for a free one at most `wait`, then throws Error(unavailable). Thread-safe.
// REQUIRES: the pool outlives every Lease.
template <class Conn>
class Pool {
 public:
  using Factory = std::function<std::unique_ptr<Conn>()>;

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(std::move(o.conn_)), keep_(o.keep_) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_), keep_);
    }
    Conn* operator->() const { return conn_.get(); }
    Conn& operator*() const { return *conn_; }
    // The connection is broken: close it when the lease ends instead of pooling it.
    void discard() { keep_ = false; }

   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
    bool keep_ = true;
  };

  Pool(size_t capacity, std::chrono::milliseconds wait, Factory factory)
      : capacity_(capacity < 1 ? 1 : capacity), wait_(wait), factory_(std::move(factory)) {}
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  Lease acquire() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < capacity_; })) {
      throw_unavailable("all " + std::to_string(capacity_) +
                        " pooled connections stayed busy (raise pool_size?)");
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;
    lock.unlock();
    try {
      return Lease(this, factory_());
    } catch (...) {
      lock.lock();
      --open_;
      cv_.notify_one();
      throw;
    }
  }

 private:
  void give_back(std::unique_ptr<Conn> conn, bool keep) {
    {
      std::lock_guard lock(mu_);
      if (keep) {
        idle_.push_back(std::move(conn));
      } else {
        --open_;
      }
    }
    cv_.notify_one();
    conn.reset();  // a discarded connection closes outside the lock
  }

  const size_t capacity_;
  const std::chrono::milliseconds wait_;
  const Factory factory_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  size_t open_ = 0;  // idle plus leased
};

// One writer at a time within the process. Unlike a mutex, it may be released by another
// thread than the one that took it (a Tx may move between threads). Thread-safe.
class WriteGate {
 public:
  // Returns false when the gate stayed closed for `wait`.
  bool acquire(std::chrono::milliseconds wait) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, wait, [&] { return !held_; })) return false;
    held_ = true;
    return true;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      held_ = false;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
};

}  // namespace wangge::store::detail
