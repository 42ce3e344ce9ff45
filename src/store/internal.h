// Pieces the two backends share: error mapping, a connection pool, a write gate and the
// checks on identifiers and statements. Private to src/store.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/database.h"

namespace wangge::store::detail {

enum class Constraint { unique, foreign_key, check, not_null, other };

// The counts behind Database::write_stats(). Thread-safe.
class WriteMeter {
 public:
  // One commit carrying `writes` write() calls took `took`.
  void committed(uint64_t writes, std::chrono::nanoseconds took) {
    commits_.fetch_add(1, std::memory_order_relaxed);
    writes_.fetch_add(writes, std::memory_order_relaxed);
    commit_ns_.fetch_add(static_cast<uint64_t>(took.count()), std::memory_order_relaxed);
    uint64_t seen = largest_.load(std::memory_order_relaxed);
    while (writes > seen && !largest_.compare_exchange_weak(seen, writes)) {
    }
  }
  void queued(int64_t delta) { queued_.fetch_add(delta, std::memory_order_relaxed); }
  WriteStats stats() const {
    return {.commits = commits_.load(std::memory_order_relaxed),
            .writes = writes_.load(std::memory_order_relaxed),
            .largest = largest_.load(std::memory_order_relaxed),
            .commit_seconds = static_cast<double>(commit_ns_.load(std::memory_order_relaxed)) / 1e9,
            .queued = queued_.load(std::memory_order_relaxed)};
  }

 private:
  std::atomic<uint64_t> commits_{0}, writes_{0}, largest_{0}, commit_ns_{0};
  std::atomic<int64_t> queued_{0};
};

// Error(conflict, "constraint") with a Chinese message for the kind of constraint.
[[noreturn]] void throw_constraint(Constraint kind, std::string_view db_message);
// Error(unavailable): the database cannot be reached or stayed busy too long.
[[noreturn]] void throw_unavailable(std::string_view what);
// The database at `where` (a file path, or a URL whose password is left out) cannot be opened.
[[noreturn]] void throw_cannot_open(std::string_view where, std::string_view why);
// A connection URL without its password: postgresql://user:secret@host/db →
// postgresql://user@host/db.
std::string redact_url(std::string_view url);
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

// What a transaction keeps and checks on either backend: the pooled connection it holds until
// it ends, the BulkWriter loading on it (no other statement meanwhile), and whether a statement
// failed. PostgreSQL aborts a transaction on any error; SQLite is made to behave alike, so code
// that carries on after an error fails on both. A backend supplies end() and its destructor
// calls end(false).
template <class Conn, class Bulk>
class TxLifecycle : public Tx {
 public:
  void commit() final {
    if (!lease_) throw_misuse("commit() on a transaction that has ended");
    if (writer_) throw_misuse("commit() while a BulkWriter is unfinished");
    if (failed_) {
      end(false);
      throw_misuse("commit() after a failed statement: the transaction was rolled back");
    }
    end(true);
  }
  void rollback() final { end(false); }

 protected:
  explicit TxLifecycle(typename Pool<Conn>::Lease lease) : lease_(std::move(lease)) {}

  // Commits (or rolls back), returns the connection to the pool and detaches a BulkWriter.
  // Does nothing once the transaction has ended.
  virtual void end(bool commit) = 0;

  // The connection, for a new statement.
  Conn& usable() {
    if (!lease_) throw_misuse("the transaction has ended");
    if (writer_) throw_misuse("a BulkWriter is loading on this transaction");
    if (failed_) throw_misuse("a statement failed earlier; the transaction can only roll back");
    return **lease_;
  }

  // Runs f; a failure marks the transaction failed.
  template <class F>
  auto guard(F&& f) -> std::invoke_result_t<F> {
    try {
      return f();
    } catch (...) {
      failed_ = true;
      throw;
    }
  }

  std::optional<typename Pool<Conn>::Lease> lease_;
  Bulk* writer_ = nullptr;
  bool failed_ = false;
};

}  // namespace wangge::store::detail
