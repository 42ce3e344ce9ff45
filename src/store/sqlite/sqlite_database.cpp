// SQLite behind the Database interface. Connections are pooled; each keeps its prepared
// statements. Write transactions queue at an in-process gate before BEGIN IMMEDIATE, so
// writers of one process wait their turn without SQLite's sleeping busy handler, which then
// only arbitrates between processes.
//
// Reads and writes use separate connections: readers are opened query-only once, and the gate
// lets one writer in at a time, so one write connection is enough. Switching PRAGMA query_only
// per transaction instead would expire every cached statement of the connection (flag pragmas
// end in OP_Expire), and every read would parse its SQL again.
#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.h"
#include "store/internal.h"

namespace wangge::store::sqlite {
namespace {

using detail::Constraint;

// Connections past this many cached statements drop the idle ones.
constexpr size_t kMaxCachedStatements = 500;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
// Spelled out for clang-tidy's clang 14, which lacks C++20's aggregate deduction.
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

Constraint constraint_kind(int extended_code) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Constraint::unique;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Constraint::foreign_key;
    case SQLITE_CONSTRAINT_CHECK:
      return Constraint::check;
    case SQLITE_CONSTRAINT_NOTNULL:
      return Constraint::not_null;
    default:
      return Constraint::other;
  }
}

// Raises the Error for a failed SQLite call (rc) on db.
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view sql) {
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      detail::throw_constraint(constraint_kind(db ? sqlite3_extended_errcode(db) : rc), msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      detail::throw_unavailable("SQLite stayed busy: " + msg);
    case SQLITE_FULL:
    case SQLITE_IOERR:
      // A full disk is SQLITE_FULL (ENOSPC, a short write) or SQLITE_IOERR (EFBIG past a file
      // size limit, EIO): either way the write is rolled back and may be retried once there is
      // room, so the operator reads what to look at.
      throw Error(ErrorKind::unavailable, "db_unavailable",
                  "数据库写入磁盘失败（磁盘可能已满或出错），请稍后重试或联系管理员",
                  "database unavailable: SQLite: " + msg + " (the disk may be full)");
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_NOMEM:
      detail::throw_unavailable("SQLite: " + msg);
    default:
      detail::throw_sql_error(msg, sql);
  }
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One open SQLite connection and its prepared statements.
class Connection {
 public:
  // query_only: this connection only ever reads (PRAGMA query_only for its whole life).
  Connection(const std::string& path, const OpenOptions& opts, bool query_only) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      detail::throw_cannot_open(path, msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, opts.busy_timeout_ms);
    // Double-quoted strings are identifiers, as on PostgreSQL: a stray "text" fails here too.
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
    std::string pragmas =
        "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; ";
    // Memory-mapped reads only for the writer. A reader that begins after another connection
    // committed discards its cache and unmaps the whole file (SQLite's unixUnfetch), and with
    // writes coming often, unmapping and mapping again (TLB shootdowns on every core) cost
    // more than it saves: without it, event creation on a scale-0.1 demo went from about 3,800
    // to 4,800 a second, and detail reads at scale 1 stayed as fast (bench/api_load.sh).
    if (!query_only) pragmas += "PRAGMA mmap_size=268435456; ";
    // A bulk load (the demo's millions of rows) inserts into unique indexes at random places:
    // a page cache that holds them whole keeps it from re-reading pages for every row.
    // The one write connection gets 256 MB: the sweep after a stopped server escalates tens of
    // thousands of events scattered over the table in one transaction, and a cache that spills
    // mid-transaction writes and re-reads its pages. Readers keep 32 MB each.
    if (opts.bulk_load) {
      // threads: CREATE INDEX after the load sorts on every core.
      pragmas += "PRAGMA cache_size=-1048576; PRAGMA synchronous=OFF; PRAGMA threads=" +
                 std::to_string(std::max(1u, std::thread::hardware_concurrency())) + ";";
    } else {
      pragmas += query_only ? "PRAGMA cache_size=-32768;" : "PRAGMA cache_size=-262144;";
      pragmas += opts.power_cut_may_lose_writes ? " PRAGMA synchronous=NORMAL;"
                                                : " PRAGMA synchronous=FULL;";
    }
    if (query_only) pragmas += " PRAGMA query_only=1;";
    try {
      run_script(pragmas);
    } catch (...) {
      sqlite3_close_v2(db_);
      throw;
    }
  }
  ~Connection() {
    for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() const { return db_; }

  void run_script(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);  // the same text is in sqlite3_errmsg
    if (rc != SQLITE_OK) fail(db_, rc, sql);
  }

  // A prepared statement for sql, from the cache when it is there and not in use (nested
  // use, as in a query inside each(), gets a private one). Return it with checkin().
  sqlite3_stmt* checkout(std::string_view sql, bool& cached) {
    auto it = cache_.find(sql);
    if (it != cache_.end() && !it->second.busy) {
      it->second.busy = true;
      cached = true;
      return it->second.stmt;
    }
    cached = it == cache_.end();
    sqlite3_stmt* stmt = prepare(sql, cached ? SQLITE_PREPARE_PERSISTENT : 0);
    if (cached) {
      if (cache_.size() >= kMaxCachedStatements) evict_idle();
      cache_.emplace(std::string(sql), Entry{stmt, true});
    }
    return stmt;
  }

  void checkin(std::string_view sql, sqlite3_stmt* stmt, bool cached) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (!cached) {
      sqlite3_finalize(stmt);
      return;
    }
    auto it = cache_.find(sql);
    if (it != cache_.end() && it->second.stmt == stmt) it->second.busy = false;
  }

 private:
  struct Entry {
    sqlite3_stmt* stmt;
    bool busy;
  };

  sqlite3_stmt* prepare(std::string_view sql, unsigned flags) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, &tail);
    if (rc != SQLITE_OK) fail(db_, rc, sql);
    if (!stmt) detail::throw_misuse("empty statement");
    std::string rest = detail::mask_sql(sql.substr(tail - sql.data()));
    if (rest.find_first_not_of(" \t\r\n;") != std::string::npos) {
      sqlite3_finalize(stmt);
      detail::throw_misuse("one statement expected (use exec_script for several): " +
                           std::string(sql.substr(0, 200)));
    }
    return stmt;
  }

  void evict_idle() {
    for (auto it = cache_.begin(); it != cache_.end();) {
      if (it->second.busy) {
        ++it;
      } else {
        sqlite3_finalize(it->second.stmt);
        it = cache_.erase(it);
      }
    }
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> cache_;
};

// A statement in use: bound, stepped, and on destruction reset and returned to the cache.
// REQUIRES: sql outlives the Statement.
class Statement {
 public:
  Statement(Connection& conn, std::string_view sql)
      : conn_(conn), sql_(sql), stmt_(conn.checkout(sql, cached_)) {}
  ~Statement() { conn_.checkin(sql_, stmt_, cached_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // REQUIRES: params outlive the next reset() or the destruction (bound without copying).
  void bind(const Params& params) {
    int n = sqlite3_bind_parameter_count(stmt_);
    if (n != static_cast<int>(params.size())) {
      detail::throw_misuse("the statement has " + std::to_string(n) + " parameters, " +
                           std::to_string(params.size()) + " given: " + std::string(sql_));
    }
    for (int i = 0; i < n; ++i) {
      int rc = params[i].visit(Overloaded{
          [&](std::monostate) { return sqlite3_bind_null(stmt_, i + 1); },
          [&](int64_t v) { return sqlite3_bind_int64(stmt_, i + 1, v); },
          [&](double v) { return sqlite3_bind_double(stmt_, i + 1, v); },
          [&](const std::string& s) {
            detail::check_text(s);
            return sqlite3_bind_text64(stmt_, i + 1, s.data(), s.size(), SQLITE_STATIC,
                                       SQLITE_UTF8);
          },
          [&](const Blob& b) {
            // A null pointer would bind NULL, not an empty blob.
            if (b.empty()) return sqlite3_bind_zeroblob(stmt_, i + 1, 0);
            return sqlite3_bind_blob64(stmt_, i + 1, b.data(), b.size(), SQLITE_STATIC);
          },
      });
      if (rc != SQLITE_OK) fail(conn_.db(), rc, sql_);
    }
  }

  // Advances; true when a row is ready.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(conn_.db(), rc, sql_);
  }

  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Row row() const {
    int n = sqlite3_column_count(stmt_);
    std::vector<Value> values;
    values.reserve(n);
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(stmt_, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(sqlite3_column_int64(stmt_, c));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(stmt_, c));
          break;
        case SQLITE_TEXT: {
          auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
          values.emplace_back(std::string(p ? p : "", sqlite3_column_bytes(stmt_, c)));
          break;
        }
        case SQLITE_BLOB: {
          auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, c));
          values.emplace_back(p ? Blob(p, p + sqlite3_column_bytes(stmt_, c)) : Blob());
          break;
        }
        default:
          values.emplace_back();
      }
    }
    return Row(std::move(values));
  }

 private:
  Connection& conn_;
  std::string_view sql_;
  bool cached_ = false;
  sqlite3_stmt* stmt_;
};

using ConnectionPool = detail::Pool<Connection>;

// Holds the process's write gate for a write transaction; releases it once.
class GateHold {
 public:
  explicit GateHold(detail::WriteGate* gate = nullptr) : gate_(gate) {}
  GateHold(GateHold&& o) noexcept : gate_(std::exchange(o.gate_, nullptr)) {}
  GateHold& operator=(GateHold&&) = delete;
  ~GateHold() { release(); }
  void release() {
    if (gate_) std::exchange(gate_, nullptr)->release();
  }

 private:
  detail::WriteGate* gate_;
};

class SqliteTx;

// Inserts rows through one prepared INSERT.
class SqliteBulk final : public BulkWriter {
 public:
  SqliteBulk(SqliteTx* tx, Connection& conn, std::string sql, size_t columns)
      : tx_(tx), sql_(std::move(sql)), columns_(columns) {
    stmt_.emplace(conn, sql_);
  }
  ~SqliteBulk() override;
  void add(const Params& row) override;
  void finish() override;
  // The transaction is ending: let go of the connection.
  void detach();

 private:
  SqliteTx* tx_;
  std::string sql_;
  size_t columns_;
  std::optional<Statement> stmt_;
};

class SqliteTx final : public detail::TxLifecycle<Connection, SqliteBulk> {
 public:
  // toggle_query_only: the connection also serves writes, so a read switches it to query-only
  // for its duration (only for in-memory databases, which have one connection).
  // A member of the writer thread's round (WriteQueue), in the round's open transaction: the
  // first member directly (its rollback ends the round), later ones in SAVEPOINT member. When
  // it ends, it gives the connection back through home instead of to the pool.
  SqliteTx(ConnectionPool::Lease lease, std::optional<ConnectionPool::Lease>* home, bool first)
      : TxLifecycle(std::move(lease)),
        gate_(nullptr),
        toggle_(false),
        home_(home),
        savepoint_(!first) {
    try {
      if (savepoint_) run("SAVEPOINT member");
    } catch (...) {
      broken_ = true;
      home_->emplace(std::move(*lease_));
      lease_.reset();
      throw;
    }
  }
  SqliteTx(ConnectionPool::Lease lease, TxMode mode, GateHold gate, bool toggle_query_only)
      : TxLifecycle(std::move(lease)),
        gate_(std::move(gate)),
        toggle_(mode == TxMode::read && toggle_query_only) {
    try {
      run(mode == TxMode::write ? "BEGIN IMMEDIATE" : "BEGIN");
      if (toggle_) run("PRAGMA query_only=1");
    } catch (...) {
      end(false);
      throw;
    }
  }
  ~SqliteTx() override {
    try {
      end(false);
    } catch (...) {  // rolling back cannot fail loudly in a destructor
    }
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  int64_t exec(std::string_view sql, const Params& params) override {
    Connection& c = usable();
    return guard([&] {
      Statement st(c, sql);
      st.bind(params);
      int64_t before = sqlite3_total_changes64(c.db());
      while (st.step()) {
      }
      // changes64() still holds the last DML's count after DDL: only trust it when this
      // statement changed something.
      return sqlite3_total_changes64(c.db()) == before ? 0 : sqlite3_changes64(c.db());
    });
  }

  void exec_script(std::string_view sql) override {
    Connection& c = usable();
    guard([&] { c.run_script(std::string(sql)); });
  }

  Rows query(std::string_view sql, const Params& params) override {
    Connection& c = usable();
    return guard([&] {
      Statement st(c, sql);
      st.bind(params);
      Rows rows;
      while (st.step()) rows.push_back(st.row());
      return rows;
    });
  }

  void each(std::string_view sql, const Params& params,
            const std::function<void(const Row&)>& fn) override {
    Connection& c = usable();
    std::optional<Statement> st;
    guard([&] {
      st.emplace(c, sql);
      st->bind(params);
    });
    while (guard([&] { return st->step(); })) fn(st->row());  // fn's own errors are not ours
  }

  std::unique_ptr<BulkWriter> bulk(std::string_view table,
                                   const std::vector<std::string>& columns) override {
    detail::check_identifier(table);
    if (columns.empty()) detail::throw_misuse("bulk() needs at least one column");
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    std::string marks;
    for (size_t i = 0; i < columns.size(); ++i) {
      detail::check_identifier(columns[i]);
      sql += (i ? ", " : "") + columns[i];
      marks += i ? ", ?" : "?";
    }
    sql += ") VALUES (" + marks + ")";
    Connection& c = usable();
    auto writer = std::make_unique<SqliteBulk>(this, c, std::move(sql), columns.size());
    writer_ = writer.get();
    return writer;
  }

  // A member whose savepoint could not be released or rolled back: the round must fail.
  bool broken() const { return broken_; }

 private:
  friend class SqliteBulk;

  // Runs a fixed statement through the statement cache.
  void run(std::string_view sql) {
    Statement st(**lease_, sql);
    while (st.step()) {
    }
  }

  void end(bool commit) override {
    if (!lease_) return;
    if (writer_) std::exchange(writer_, nullptr)->detach();
    if (home_) return end_member(commit);
    sqlite3* db = (*lease_)->db();
    std::exception_ptr error;
    if (commit) {
      try {
        run("COMMIT");
      } catch (...) {
        error = std::current_exception();
      }
    }
    try {
      if (!sqlite3_get_autocommit(db)) run("ROLLBACK");
      if (toggle_) run("PRAGMA query_only=0");
    } catch (...) {
      lease_->discard();  // a connection in an unknown state is not pooled again
    }
    lease_.reset();
    gate_.release();
    if (error) std::rethrow_exception(error);
  }

  void end_member(bool commit) {
    std::exception_ptr error;
    try {
      if (!savepoint_) {
        if (!commit) run("ROLLBACK");
      } else {
        if (!commit) run("ROLLBACK TO member");
        run("RELEASE member");
      }
    } catch (...) {
      broken_ = true;
      error = std::current_exception();
    }
    home_->emplace(std::move(*lease_));
    lease_.reset();
    if (error && commit) std::rethrow_exception(error);
  }

  GateHold gate_;  // end() gives the connection back to the pool before releasing this
  bool toggle_;
  std::optional<ConnectionPool::Lease>* home_ = nullptr;  // a member's connection goes back here
  bool savepoint_ = false;                                // a member after the first
  bool broken_ = false;
};

SqliteBulk::~SqliteBulk() {
  if (tx_) {
    // An abandoned load leaves the transaction only able to roll back, as on PostgreSQL.
    tx_->writer_ = nullptr;
    tx_->failed_ = true;
    detach();
  }
}

void SqliteBulk::add(const Params& row) {
  if (!tx_ || !stmt_) detail::throw_misuse("BulkWriter used after finish() or its Tx ended");
  if (row.size() != columns_) {
    detail::throw_misuse("bulk row has " + std::to_string(row.size()) + " values for " +
                         std::to_string(columns_) + " columns: " + sql_);
  }
  try {
    stmt_->bind(row);
    stmt_->step();
  } catch (...) {
    stmt_->reset();
    tx_->failed_ = true;
    throw;
  }
  stmt_->reset();
}

void SqliteBulk::finish() {
  if (!tx_ || !stmt_) detail::throw_misuse("BulkWriter used after finish() or its Tx ended");
  tx_->writer_ = nullptr;
  detach();
}

void SqliteBulk::detach() {
  stmt_.reset();
  tx_ = nullptr;
}

// Group commit for a file database. write() queues its function for one writer thread, which
// takes the gate and the write connection, runs the functions queued meanwhile one after
// another in one SQLite transaction (a round), each in a SAVEPOINT so that one which throws
// rolls back alone, and commits them together; each write() returns once its round is
// committed, or throws what its function threw, or why the COMMIT failed. The writer runs
// its queue back to back, so writes do not wait for one another's threads to wake up.
class WriteQueue {
 public:
  // A round ends after this many functions or this long, so commits stay prompt under load.
  static constexpr size_t kMaxRound = 64;
  static constexpr std::chrono::milliseconds kMaxRoundAge{4};

  WriteQueue(detail::WriteGate& gate, ConnectionPool& connections, std::chrono::milliseconds wait)
      : gate_(gate), connections_(connections), wait_(wait) {}
  ~WriteQueue() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    work_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  void write(const std::function<void(Tx&)>& fn) {
    Job job{&fn};
    {
      std::lock_guard lock(mu_);
      if (std::this_thread::get_id() == thread_.get_id()) {
        detail::throw_misuse("write() inside a write(): it would wait for itself");
      }
      if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
      queue_.push_back(&job);
      meter_.queued(1);
    }
    work_.notify_one();
    {
      std::unique_lock lock(job.mu);
      job.finished.wait(lock, [&] { return job.done; });
    }
    if (job.error) std::rethrow_exception(job.error);
  }

  WriteStats stats() const { return meter_.stats(); }

 private:
  // (A mutex and condition variable rather than std::binary_semaphore, whose acquire() in
  // libstdc++ 12 spins on sched_yield before it sleeps: eight waiting writers spent 4% of
  // the server's CPU yielding.)
  struct Job {
    const std::function<void(Tx&)>* fn;
    std::exception_ptr error;
    std::mutex mu;
    std::condition_variable finished;
    bool done = false;
    // Notifies under the lock: the waiter may return and destroy the job as soon as it can
    // take the lock after seeing done.
    void finish() {
      std::lock_guard lock(mu);
      done = true;
      finished.notify_one();
    }
  };

  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      work_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      lock.unlock();
      round();
      lock.lock();
    }
  }

  // Takes the next queued job, if the round may grow.
  Job* next(size_t taken, std::chrono::steady_clock::time_point started) {
    if (taken >= kMaxRound || std::chrono::steady_clock::now() - started >= kMaxRoundAge) {
      return nullptr;
    }
    std::lock_guard lock(mu_);
    if (queue_.empty()) return nullptr;
    Job* j = queue_.front();
    queue_.pop_front();
    meter_.queued(-1);
    return j;
  }

  void round() {
    std::vector<Job*> jobs;
    std::exception_ptr failed;  // the round's own failure: every job in it fails
    try {
      if (!gate_.acquire(wait_)) {
        detail::throw_unavailable("another write transaction held the database for over " +
                                  std::to_string(wait_.count()) + " ms");
      }
      GateHold hold(&gate_);
      std::optional<ConnectionPool::Lease> conn(connections_.acquire());
      (*conn)->run_script("BEGIN IMMEDIATE");
      auto started = std::chrono::steady_clock::now();
      bool broken = false;
      while (Job* j = broken ? nullptr : next(jobs.size(), started)) {
        bool first = jobs.empty();
        jobs.push_back(j);
        std::optional<SqliteTx> tx;
        try {
          tx.emplace(std::move(*conn), &conn, first);
          (*j->fn)(*tx);
          tx->commit();
        } catch (...) {
          j->error = std::current_exception();
          if (tx) tx->rollback();  // nothing when commit() has ended it
          broken = !tx || tx->broken();
          if (first) break;  // the first member's rollback ended the round's transaction
        }
      }
      try {
        if (broken) detail::throw_unavailable("SQLite: a savepoint could not be ended");
        if (!sqlite3_get_autocommit((*conn)->db())) {
          auto committing = std::chrono::steady_clock::now();
          (*conn)->run_script("COMMIT");
          auto carried = std::count_if(jobs.begin(), jobs.end(), [](Job* j) { return !j->error; });
          meter_.committed(static_cast<uint64_t>(carried),
                           std::chrono::steady_clock::now() - committing);
        }
      } catch (...) {
        failed = std::current_exception();
        try {
          if (!sqlite3_get_autocommit((*conn)->db())) (*conn)->run_script("ROLLBACK");
        } catch (...) {
          conn->discard();
        }
      }
    } catch (...) {
      failed = std::current_exception();
    }
    if (jobs.empty() && failed) {  // the gate or BEGIN failed: the queue's head fails with it
      if (Job* j = next(0, std::chrono::steady_clock::now())) jobs.push_back(j);
    }
    for (Job* j : jobs) {
      if (failed && !j->error) j->error = failed;
      j->finish();
    }
  }

  detail::WriteGate& gate_;
  ConnectionPool& connections_;
  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable work_;
  std::deque<Job*> queue_;
  detail::WriteMeter meter_;
  bool stop_ = false;
  std::thread thread_;  // started by the first write()
};

// Checkpoints off the commit path. SQLite's own checkpoint runs inside the COMMIT that takes
// the write-ahead log past 1,000 pages, and every write queued behind that commit waits for
// it. Here a commit only signals, and a thread of its own copies the log back into the
// database file with a PASSIVE checkpoint, which never blocks the writer or the readers.
class Checkpointer {
 public:
  static constexpr int kPages = 1000;  // SQLite's default autocheckpoint

  explicit Checkpointer(std::function<std::unique_ptr<Connection>()> open)
      : open_(std::move(open)) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  // Makes the connection's commits signal this instead of checkpointing themselves.
  void watch(sqlite3* db) { sqlite3_wal_hook(db, &Checkpointer::committed, this); }

 private:
  static int committed(void* self, sqlite3*, const char*, int pages) {
    if (pages >= kPages) static_cast<Checkpointer*>(self)->signal();
    return SQLITE_OK;
  }
  void signal() {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      due_ = true;
      if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    wake_.notify_one();
  }
  void run() {
    std::unique_ptr<Connection> conn;
    std::unique_lock lock(mu_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || due_; });
      if (stop_) return;
      due_ = false;
      lock.unlock();
      try {
        if (!conn) conn = open_();
        int rc = sqlite3_wal_checkpoint_v2(conn->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                           nullptr);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) conn.reset();  // open afresh next time
      } catch (...) {  // the next commit past kPages tries again
        conn.reset();
      }
      lock.lock();
    }
  }

  std::function<std::unique_ptr<Connection>()> open_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false, stop_ = false;
  std::thread thread_;  // started by the first signal
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, std::string url, const OpenOptions& opts)
      : path_(std::move(path)),
        url_(std::move(url)),
        opts_(opts),
        wait_(opts.busy_timeout_ms),
        checkpointer_([this] { return std::make_unique<Connection>(path_, opts_, false); }),
        writers_(1, wait_, [this] {
          auto c = std::make_unique<Connection>(path_, opts_, false);
          // A bulk load commits back to back with nobody waiting behind it: the checkpoint
          // thread's PASSIVE checkpoints never caught up with it, the log was never restarted
          // and grew past the database (15 GB at the demo's scale 1, every read of a page
          // searching its index). SQLite's own checkpoint at commit keeps it at ~1,000 pages.
          if (!is_memory() && !opts_.bulk_load) checkpointer_.watch(c->db());
          return c;
        }) {
    // Each connection to ":memory:" would be a database of its own: it has one, for both.
    if (!is_memory()) {
      readers_.emplace(opts.pool_size, wait_,
                       [this] { return std::make_unique<Connection>(path_, opts_, true); });
    }
    writers_.acquire();  // open one connection now: a bad path fails here, not at first use
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  const std::string& url() const override { return url_; }

  std::unique_ptr<Tx> begin(TxMode mode) override {
    if (mode == TxMode::write && !gate_.acquire(wait_)) {
      detail::throw_unavailable("another write transaction held the database for over " +
                                std::to_string(wait_.count()) + " ms");
    }
    GateHold hold(mode == TxMode::write ? &gate_ : nullptr);
    bool shared = !readers_;
    ConnectionPool& pool = mode == TxMode::write || shared ? writers_ : *readers_;
    return std::make_unique<SqliteTx>(pool.acquire(), mode, std::move(hold), shared);
  }

  void write_transaction(const std::function<void(Tx&)>& fn) override {
    // An in-memory database reads on its one connection too: no round may hold it.
    if (!readers_) return Database::write_transaction(fn);
    queue_.write(fn);
  }

  WriteStats write_stats() const override { return queue_.stats(); }

 private:
  bool is_memory() const {
    return path_ == ":memory:" || path_.find("mode=memory") != std::string::npos;
  }

  const std::string path_;
  const std::string url_;
  const OpenOptions opts_;
  const std::chrono::milliseconds wait_;
  detail::WriteGate gate_;
  Checkpointer checkpointer_;  // before the writers: it outlives the connection it watches
  // Last: their connections close before the rest goes.
  ConnectionPool writers_;
  std::optional<ConnectionPool> readers_;     // none for an in-memory database
  WriteQueue queue_{gate_, writers_, wait_};  // first to go: its thread uses the rest
};

// SQLite's memory statistics take a global mutex on every allocation; nothing here reads them.
// Must run before SQLite initialises, so before the first connection opens.
void configure_library() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

std::unique_ptr<Database> open_database(const std::string& path, const std::string& url,
                                        const OpenOptions& opts) {
  configure_library();
  return std::make_unique<SqliteDatabase>(path, url, opts);
}

}  // namespace wangge::store::sqlite
