// A Database that forwards to another and, when armed, fails one chosen statement or commit:
// the test harness of "a failed write leaves nothing behind". Modelled on the fault-injecting
// environments of LevelDB (an Env whose writes start failing on demand) and SQLite's test VFS
// (an I/O error on the Nth call): here the layer is the Database interface, so every domain's
// service sees the same errors a real backend raises, at any statement of its transaction.
//
// Counting starts when armed and covers the statements of write transactions only (those of
// write() / transact() and of begin(TxMode::write)): background readers (session polls) do not
// move the count, so the Nth statement is the same one every run. Statements are exec,
// exec_script, query (and so query_one, query_int, insert_id), each, bulk(), and every
// BulkWriter::add() and finish(). A commit is the end of a write transaction that would commit.
// A transient fault disarms the wrapper as it fires: one fault per arming.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.h"
#include "store/database.h"

namespace wangge::testing {

class FaultDatabase : public store::Database {
 public:
  // statement: the Nth statement fails; commit: the Nth commit fails and rolls back;
  // after_commit: the Nth commit succeeds and then reports the error, as when the answer of a
  // COMMIT is lost with its connection (the write is on disk, the caller is told it failed).
  enum class At { statement, commit, after_commit };

  // REQUIRES: inner outlives this object and every transaction begun through it.
  explicit FaultDatabase(store::Database& inner);
  // Owns inner.
  explicit FaultDatabase(std::unique_ptr<store::Database> inner);

  // Fails the nth (from 1) statement or commit of a write transaction from now on with an
  // Error of that kind, the one the backends raise for it: unavailable (503, retryable: a lost
  // connection, a full disk) or internal (500). A transient fault fires once; a persistent one
  // (a database that stays down, a disk that stays full: SQLite's persistent faults) fails that
  // one and every later statement and commit until disarm(). Thread-safe.
  void arm(At at, int nth, ErrorKind kind = ErrorKind::unavailable, bool persistent = false);
  void disarm();
  // Whether the armed fault has fired (since the last arm()).
  bool fired() const { return fired_.load(); }
  // Statements and commits of write transactions counted since the last arm() or disarm().
  int statements() const { return statements_.load(); }
  int commits() const { return commits_.load(); }

  store::Dialect dialect() const override { return inner_.dialect(); }
  std::unique_ptr<store::Tx> begin(store::TxMode mode = store::TxMode::write) override;
  void write_transaction(const std::function<void(store::Tx&)>& fn) override;
  const std::string& url() const override { return inner_.url(); }

  // Called by the wrapped transactions: counts one statement or commit and throws the
  // injected error when it is the armed one.
  void on_statement(std::string_view what);
  void on_commit();
  void on_committed();

 private:
  [[noreturn]] void inject(std::string_view what);

  std::unique_ptr<store::Database> owned_;
  store::Database& inner_;
  std::mutex mu_;  // arm() against a count in flight
  At at_ = At::statement;
  int nth_ = 0;  // 0: disarmed
  bool persistent_ = false;
  ErrorKind kind_ = ErrorKind::unavailable;
  std::atomic<int> statements_{0}, commits_{0};
  std::atomic<bool> fired_{false};
};

}  // namespace wangge::testing
