// The Database interface every domain writes through, with two real backends behind it:
// SQLite (embedded, the default) and PostgreSQL (libpq). SQL is plain and portable; '?' marks
// a parameter on both (the PostgreSQL backend rewrites it to $n). Dialect differences stay in
// this folder.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace wangge::store {

using Blob = std::vector<std::uint8_t>;

enum class Dialect { sqlite, postgres };

// A parameter or column value.
class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}
  template <std::integral T>
  Value(T v) : v_(static_cast<int64_t>(v)) {}
  Value(double v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(std::string_view v) : v_(std::string(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(Blob v) : v_(std::move(v)) {}
  template <class T>
  Value(const std::optional<T>& v) {
    if (v) *this = Value(*v);
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_int() const { return std::holds_alternative<int64_t>(v_); }
  bool is_real() const { return std::holds_alternative<double>(v_); }
  bool is_text() const { return std::holds_alternative<std::string>(v_); }
  bool is_blob() const { return std::holds_alternative<Blob>(v_); }
  // Conversions: numbers from text are parsed (Error(internal) when the text is no number);
  // a real converts to int by truncation; null gives 0 / "" / {}.
  int64_t as_int() const;
  double as_real() const;
  std::string as_text() const;
  // A Blob view of a blob; an empty Blob for null. Throws Error(internal) for other types.
  const Blob& as_blob() const;
  // Calls f with the held alternative: std::monostate, int64_t, double, std::string or Blob.
  template <class F>
  decltype(auto) visit(F&& f) const {
    return std::visit(std::forward<F>(f), v_);
  }

 private:
  std::variant<std::monostate, int64_t, double, std::string, Blob> v_;
};

using Params = std::vector<Value>;

// One result row. Columns are addressed by position, as selected.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool is_null(size_t col) const { return values_.at(col).is_null(); }
  int64_t i64(size_t col) const { return values_.at(col).as_int(); }
  double f64(size_t col) const { return values_.at(col).as_real(); }
  std::string text(size_t col) const { return values_.at(col).as_text(); }
  const Blob& blob(size_t col) const { return values_.at(col).as_blob(); }
  std::optional<int64_t> opt_i64(size_t col) const;
  std::optional<double> opt_f64(size_t col) const;
  std::optional<std::string> opt_text(size_t col) const;
  const Value& operator[](size_t col) const { return values_.at(col); }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

// Appends many rows to one table fast: COPY on PostgreSQL, a prepared INSERT on SQLite.
// When the columns include "id", the table's id sequence is moved past the loaded ids on finish.
// REQUIRES: between Tx::bulk() and finish() the transaction runs nothing else (PostgreSQL's
// connection is busy with the COPY); both backends refuse to. A writer destroyed unfinished
// aborts its load and leaves the transaction only able to roll back.
// Errors (constraint violations included) may surface at any add() or only at finish().
class BulkWriter {
 public:
  virtual ~BulkWriter() = default;
  // row holds one value per column, in the order given to Tx::bulk().
  virtual void add(const Params& row) = 0;
  virtual void finish() = 0;
};

// A kind of record whose changes readers outside the transaction follow (the analytics index;
// later a changes table that other servers on one PostgreSQL read). The domain that owns the
// table declares one constant of it, and services name that constant, never a string:
//   inline constexpr store::RecordKind kResident{"resident"};   // people/people.h
//   tx.changed(people::kResident, id);
// Kinds are compared by address.
struct RecordKind {
  std::string_view name;
};
enum class ChangeKind : uint8_t { created, updated, removed };
// One record changed by a transaction: what, which, how.
struct Change {
  const RecordKind* kind = nullptr;
  int64_t id = 0;
  ChangeKind change = ChangeKind::updated;
  bool operator==(const Change&) const = default;
};

// One transaction on one connection. Rolls back on destruction unless committed.
// REQUIRES: used by one thread at a time; the Database outlives it.
// Errors are wangge::Error: constraint violations (unique, foreign key, check, not null) are
// conflict/"constraint"; a lost connection, a busy timeout or a deadlock is unavailable;
// anything else is internal with the database's message in English. After an error on
// PostgreSQL the transaction only rolls back, so let the error end it.
// A read transaction (TxMode::read) sees one snapshot and refuses writes on both backends.
// Write transactions run one at a time on SQLite but concurrently (READ COMMITTED) on
// PostgreSQL: guard read-check-write logic with a unique constraint, not with a prior SELECT.
// On PostgreSQL a parameter's type comes from its context (write CAST(? AS BIGINT) where
// there is none, e.g. "SELECT ?"); '?' is the placeholder, so PostgreSQL's ?-operators are out.
class Tx {
 public:
  virtual ~Tx() = default;
  Tx() = default;
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  virtual Dialect dialect() const = 0;
  // Runs one statement; returns the number of rows changed.
  virtual int64_t exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs several ';'-separated statements without parameters (migrations).
  virtual void exec_script(std::string_view sql) = 0;
  virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
  // Streams rows to fn without holding them all in memory. fn may run other statements on this
  // transaction (but not bulk()); an exception from fn ends the stream and propagates.
  virtual void each(std::string_view sql, const Params& params,
                    const std::function<void(const Row&)>& fn) = 0;
  virtual std::unique_ptr<BulkWriter> bulk(std::string_view table,
                                           const std::vector<std::string>& columns) = 0;
  // Ends the transaction. After either, the Tx refuses further statements (Error(internal));
  // commit() twice is an error, rollback() after the end does nothing.
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // Records that this transaction changed the record (kind, id). Database::write() hands the
  // records of a committed transaction to the change listeners, after the commit, in the
  // order recorded; a transaction that rolls back drops them. Record every change a reader
  // outside could see, in the service that makes it, inside its transaction.
  // Only write() collects them: a transaction from begin() (bulk loads, imports) drops them.
  void changed(const RecordKind& kind, int64_t id, ChangeKind change = ChangeKind::updated) {
    if (collect_changes_) changes_.push_back({&kind, id, change});
  }
  // Starts collecting changed() records (write() does, before running its function).
  void collect_changes() { collect_changes_ = true; }
  // The changes recorded so far, leaving none.
  std::vector<Change> take_changes() { return std::exchange(changes_, {}); }

  // The first row, if any.
  std::optional<Row> query_one(std::string_view sql, const Params& params = {});
  // The first column of the first row; throws Error(not_found) when there is no row.
  int64_t query_int(std::string_view sql, const Params& params = {});
  // Runs an INSERT and gives the new row's id. " RETURNING id" is appended unless the statement
  // already has a RETURNING clause (whose first column is then the id).
  int64_t insert_id(std::string_view sql, const Params& params = {});

 private:
  std::vector<Change> changes_;
  bool collect_changes_ = false;
};

enum class TxMode { read, write };

// What the writer has done since the database opened, for /metrics.
struct WriteStats {
  uint64_t commits = 0;       // commits of write() transactions; on SQLite one per group
  uint64_t writes = 0;        // write() calls those commits carried
  uint64_t largest = 0;       // the most write() calls one commit carried
  double commit_seconds = 0;  // time spent in COMMIT: writing the log and syncing it to disk
  int64_t queued = 0;         // write() calls waiting for SQLite's writer now
};

struct OpenOptions {
  int pool_size = 4;            // connections kept open
  int busy_timeout_ms = 10000;  // longest wait for a connection or a write lock
  bool bulk_load = false;       // trade durability for speed (demo generation): no fsync
  // By default a commit returns once it is on disk: SQLite syncs its write-ahead log at every
  // commit (synchronous=FULL; group commit shares one sync among the writes queued together),
  // PostgreSQL waits for its WAL flush (synchronous_commit=on). True trades that for speed:
  // a crash of wangge loses nothing, but a power cut or an OS crash may lose the last commits
  // acknowledged (SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off); the database
  // stays consistent either way.
  bool power_cut_may_lose_writes = false;
};

class Database {
 public:
  virtual ~Database() = default;
  // url: "postgresql://…" / "postgres://…" for PostgreSQL; otherwise a SQLite file path
  // (optionally prefixed "sqlite:"). Throws Error(unavailable) when it cannot connect.
  static std::unique_ptr<Database> open(const std::string& url, const OpenOptions& opts = {});

  virtual Dialect dialect() const = 0;
  // Takes a pooled connection (waiting when all are busy, at most OpenOptions::busy_timeout_ms,
  // then Error(unavailable)) and starts a transaction on it. Thread-safe.
  virtual std::unique_ptr<Tx> begin(TxMode mode = TxMode::write) = 0;
  virtual const std::string& url() const = 0;

  // Runs fn(tx) in a write transaction and commits; rolls back if fn throws, and rethrows.
  // Returns once the commit is done, after handing the changes fn recorded (Tx::changed) to
  // the change listeners. fn must neither commit nor begin a write of its own. SQLite runs fn
  // on its writer thread, committed together with the writes queued meanwhile (group commit).
  // Every write goes through here (or transact()): changes recorded in a transaction from
  // begin(TxMode::write) reach no listener.
  void write(const std::function<void(Tx&)>& fn);
  // The backend's part of write(): run fn in a write transaction and commit. Callers use write().
  virtual void write_transaction(const std::function<void(Tx&)>& fn);

  // Calls fn with the changes of every write() committed from now on, on the writing thread,
  // after its commit. fn must be quick and thread-safe; what it throws is logged and dropped.
  // Listeners are never removed: subscribe what lives as long as the database.
  using ChangeListener = std::function<void(std::span<const Change>)>;
  void subscribe(ChangeListener fn);

  // Counts of the commits write() made (zeros for a backend or wrapper that keeps none).
  virtual WriteStats write_stats() const { return {}; }

  // write() for a function with a result.
  template <class F>
  auto transact(F&& fn) -> decltype(fn(std::declval<Tx&>())) {
    using R = decltype(fn(std::declval<Tx&>()));
    if constexpr (std::is_void_v<R>) {
      write([&](Tx& tx) { fn(tx); });
    } else {
      std::optional<R> result;
      write([&](Tx& tx) { result.emplace(fn(tx)); });
      return std::move(*result);
    }
  }

 protected:
  // A database that forwards to another (a wrapper) shares its listeners, so a write through
  // either reaches the same readers once.
  void share_listeners_of(Database& inner) { feed_ = inner.feed_; }

 private:
  // Copied on subscribe, so a write takes the lock only to copy the pointer and calls the
  // listeners without it (one that applies a long queue holds up no other writer).
  struct Feed {
    std::mutex mu;
    std::shared_ptr<const std::vector<ChangeListener>> listeners =
        std::make_shared<const std::vector<ChangeListener>>();
  };
  std::shared_ptr<Feed> feed_ = std::make_shared<Feed>();
};

// Rewrites the portable DDL tokens of a migration for a dialect:
//   {pk}    INTEGER PRIMARY KEY | BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY
//   {blob}  BLOB | BYTEA
//   {real}  REAL | DOUBLE PRECISION
std::string ddl(Dialect dialect, std::string_view sql);

}  // namespace wangge::store
