// PostgreSQL behind the Database interface, over libpq. Statements go through PQexecParams
// (parameters as text, blobs binary); each() reads through a cursor in batches; bulk loads
// use COPY FROM STDIN.
#include "store/postgres/pg_database.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "core/error.h"
#include "store/internal.h"
#include "store/postgres/pg_sql.h"

namespace wangge::store::postgres {
namespace {

using detail::Constraint;

constexpr Oid kByteaOid = 17;
constexpr int kFetchRows = 2000;        // rows per cursor FETCH in each()
constexpr size_t kCopyChunk = 1 << 20;  // bytes buffered before PQputCopyData
constexpr size_t kMaxCachedRewrites = 1000;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

Constraint constraint_kind(std::string_view sqlstate) {
  if (sqlstate == "23505") return Constraint::unique;
  if (sqlstate == "23503") return Constraint::foreign_key;
  if (sqlstate == "23514") return Constraint::check;
  if (sqlstate == "23502") return Constraint::not_null;
  return Constraint::other;
}

// Transient states a retry may clear: connection loss, shutdown, overload, deadlock,
// serialization failure, lock or statement timeout.
bool is_transient(std::string_view sqlstate) {
  return sqlstate.starts_with("08") || sqlstate.starts_with("53") || sqlstate.starts_with("57P") ||
         sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" || sqlstate == "57014";
}

// Parameters in the layout PQexecParams wants. REQUIRES: params outlive it.
class ParamArrays {
 public:
  explicit ParamArrays(const Params& params)
      : values_(params.size()),
        lengths_(params.size()),
        formats_(params.size()),
        types_(params.size()) {
    std::vector<size_t> number_at(params.size(), std::string::npos);
    for (size_t i = 0; i < params.size(); ++i) {
      params[i].visit([&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, double>) {
          number_at[i] = numbers_.size();
          if constexpr (std::is_same_v<T, double>) {
            numbers_ += format_real(x);
          } else {
            numbers_ += std::to_string(x);
          }
          numbers_ += '\0';
        } else if constexpr (std::is_same_v<T, std::string>) {
          detail::check_text(x);
          values_[i] = x.c_str();
        } else if constexpr (std::is_same_v<T, Blob>) {
          // An empty blob still needs a non-null pointer: null means SQL NULL.
          values_[i] = x.empty() ? "" : reinterpret_cast<const char*>(x.data());
          lengths_[i] = static_cast<int>(x.size());
          formats_[i] = 1;
          types_[i] = kByteaOid;
        }
      });
    }
    for (size_t i = 0; i < params.size(); ++i) {
      if (number_at[i] != std::string::npos) values_[i] = numbers_.data() + number_at[i];
    }
  }
  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<const char*> values_;
  std::vector<int> lengths_, formats_;
  std::vector<Oid> types_;  // 0: let the server infer the type from the statement
  std::string numbers_;     // texts of the numeric parameters, NUL-terminated
};

Row row_of(const PGresult* r, int row, const std::vector<Oid>& types) {
  std::vector<Value> values;
  values.reserve(types.size());
  for (int c = 0; c < static_cast<int>(types.size()); ++c) {
    if (PQgetisnull(r, row, c)) {
      values.emplace_back();
    } else {
      values.push_back(
          parse_field(types[c], std::string_view(PQgetvalue(r, row, c), PQgetlength(r, row, c))));
    }
  }
  return Row(std::move(values));
}

std::vector<Oid> column_types(const PGresult* r) {
  std::vector<Oid> types(PQnfields(r));
  for (int c = 0; c < static_cast<int>(types.size()); ++c) types[c] = PQftype(r, c);
  return types;
}

// One libpq connection and its cache of rewritten statements.
class Connection {
 public:
  Connection(const std::string& url, const OpenOptions& opts) {
    std::string timeout = std::to_string(std::max(2, (opts.busy_timeout_ms + 999) / 1000));
    // Entries before "dbname" are defaults the URL may override.
    const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                          nullptr};
    const char* values[] = {timeout.c_str(), "wangge", "UTF8", url.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      detail::throw_cannot_open(detail::redact_url(url), msg);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // NOTICEs ("already exists, skipping")
    try {
      if (opts.bulk_load || opts.power_cut_may_lose_writes) {
        run("SET synchronous_commit = off");  // PostgreSQL's safe form of "no fsync"
      } else {
        // A commit waits for its WAL flush even on a server configured otherwise; the levels
        // that also wait for replicas (remote_write, remote_apply) are kept.
        run("SELECT set_config('synchronous_commit', CASE current_setting('synchronous_commit')"
            " WHEN 'off' THEN 'on' ELSE current_setting('synchronous_commit') END, false)");
      }
    } catch (...) {
      PQfinish(conn_);
      throw;
    }
  }
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  PGconn* get() const { return conn_; }
  bool healthy() const {
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

  // Runs one statement with '?' parameters.
  Result exec(std::string_view sql, const Params& params) {
    const Rewritten& rw = rewrite(sql);
    if (rw.params != static_cast<int>(params.size())) {
      detail::throw_misuse("the statement has " + std::to_string(rw.params) + " parameters, " +
                           std::to_string(params.size()) + " given: " + std::string(sql));
    }
    ParamArrays p(params);
    return check(PQexecParams(conn_, rw.sql.c_str(), p.size(), p.types(), p.values(), p.lengths(),
                              p.formats(), 0),
                 sql);
  }

  // Runs statements without parameters (several allowed, ';'-separated).
  Result run(const std::string& sql) { return check(PQexec(conn_, sql.c_str()), sql); }

  // The result if it succeeded; else throws the mapped Error.
  Result check(PGresult* raw, std::string_view sql) {
    Result r(raw);
    ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN ||
        status == PGRES_EMPTY_QUERY) {
      return r;
    }
    fail(r.get(), sql);
  }

  [[noreturn]] void fail(const PGresult* r, std::string_view sql) {
    auto field = [&](int code) -> std::string {
      const char* v = r ? PQresultErrorField(r, code) : nullptr;
      return v ? v : "";
    };
    std::string state = field(PG_DIAG_SQLSTATE);
    std::string msg = field(PG_DIAG_MESSAGE_PRIMARY);
    if (msg.empty()) msg = r ? PQresultErrorMessage(r) : "";
    if (msg.empty()) msg = PQerrorMessage(conn_);
    if (std::string detail = field(PG_DIAG_MESSAGE_DETAIL); !detail.empty()) {
      msg += " (" + detail + ")";
    }
    if (!state.empty()) msg += " [SQLSTATE " + state + "]";
    if (PQstatus(conn_) != CONNECTION_OK) {
      detail::throw_unavailable("PostgreSQL connection lost: " + msg);
    }
    if (state.starts_with("23")) detail::throw_constraint(constraint_kind(state), msg);
    if (is_transient(state)) detail::throw_unavailable("PostgreSQL: " + msg);
    detail::throw_sql_error(msg, sql);
  }

 private:
  const Rewritten& rewrite(std::string_view sql) {
    auto it = rewrites_.find(sql);
    if (it != rewrites_.end()) return it->second;
    if (rewrites_.size() >= kMaxCachedRewrites) rewrites_.clear();
    return rewrites_.emplace(std::string(sql), rewrite_placeholders(sql)).first->second;
  }

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, Rewritten, StringHash, std::equal_to<>> rewrites_;
};

using ConnectionPool = detail::Pool<Connection>;

// Whether each() can stream sql through a cursor (a plain query, not INSERT … RETURNING).
bool is_query(std::string_view sql) {
  std::string code = detail::mask_sql(sql);
  size_t start = code.find_first_not_of(" \t\r\n(");
  if (start == std::string::npos) return false;
  std::string word;
  for (size_t i = start; i < code.size() && std::isalpha(static_cast<unsigned char>(code[i]));
       ++i) {
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(code[i])));
  }
  return word == "select" || word == "with" || word == "values" || word == "table";
}

class PgTx;

// COPY … FROM STDIN in text format, buffered.
class PgBulk final : public BulkWriter {
 public:
  PgBulk(PgTx* tx, Connection& conn, std::string table, size_t columns, bool has_id)
      : tx_(tx), conn_(&conn), table_(std::move(table)), columns_(columns), has_id_(has_id) {}
  ~PgBulk() override;
  void add(const Params& row) override;
  void finish() override;
  // Ends an unfinished COPY with an error, which aborts the transaction.
  void abort();

 private:
  void flush(Connection& conn);
  void complete(Connection& conn);
  void check_live() const {
    if (!conn_) detail::throw_misuse("BulkWriter used after finish() or its Tx ended");
  }

  PgTx* tx_;
  Connection* conn_;
  std::string table_;
  size_t columns_;
  bool has_id_;
  std::string buffer_;
};

class PgTx final : public detail::TxLifecycle<Connection, PgBulk> {
 public:
  PgTx(ConnectionPool::Lease lease, TxMode mode) : TxLifecycle(std::move(lease)) {
    try {
      (*lease_)->run(mode == TxMode::write ? "BEGIN"
                                           : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    } catch (...) {
      end(false);
      throw;
    }
  }
  ~PgTx() override {
    try {
      end(false);
    } catch (...) {  // rolling back cannot fail loudly in a destructor
    }
  }

  Dialect dialect() const override { return Dialect::postgres; }

  int64_t exec(std::string_view sql, const Params& params) override {
    Connection& c = usable();
    Result r = guard([&] { return c.exec(sql, params); });
    if (std::string_view(PQcmdStatus(r.get())).starts_with("SELECT")) return 0;
    return std::atoll(PQcmdTuples(r.get()));
  }

  void exec_script(std::string_view sql) override {
    Connection& c = usable();
    guard([&] { c.run(std::string(sql)); });
  }

  Rows query(std::string_view sql, const Params& params) override {
    Connection& c = usable();
    Result r = guard([&] { return c.exec(sql, params); });
    auto types = column_types(r.get());
    Rows rows;
    int n = PQntuples(r.get());
    rows.reserve(n);
    for (int i = 0; i < n; ++i) rows.push_back(row_of(r.get(), i, types));
    return rows;
  }

  void each(std::string_view sql, const Params& params,
            const std::function<void(const Row&)>& fn) override {
    if (!is_query(sql)) {
      for (const Row& row : query(sql, params)) fn(row);
      return;
    }
    Connection& c = usable();
    // Nested each() calls (from fn) get their own cursor; names repeat so rewrites cache.
    std::string cursor = "wg_each_" + std::to_string(depth_);
    guard(
        [&] { c.exec("DECLARE " + cursor + " NO SCROLL CURSOR FOR " + std::string(sql), params); });
    ++depth_;
    std::exception_ptr error;
    try {
      std::string fetch = "FETCH FORWARD " + std::to_string(kFetchRows) + " FROM " + cursor;
      for (;;) {
        Result r = guard([&] { return c.run(fetch); });
        auto types = column_types(r.get());
        int n = PQntuples(r.get());
        for (int i = 0; i < n; ++i) fn(row_of(r.get(), i, types));
        if (n < kFetchRows) break;
      }
    } catch (...) {
      error = std::current_exception();
    }
    --depth_;
    if (!error) {
      guard([&] { c.run("CLOSE " + cursor); });
      return;
    }
    // fn threw: close the cursor so the transaction stays usable, unless a database error
    // has aborted it anyway.
    if (!failed_) {
      try {
        c.run("CLOSE " + cursor);
      } catch (...) {  // the first error is the one to report
        failed_ = true;
      }
    }
    std::rethrow_exception(error);
  }

  std::unique_ptr<BulkWriter> bulk(std::string_view table,
                                   const std::vector<std::string>& columns) override {
    detail::check_identifier(table);
    if (columns.empty()) detail::throw_misuse("bulk() needs at least one column");
    std::string sql = "COPY " + std::string(table) + " (";
    bool has_id = false;
    for (size_t i = 0; i < columns.size(); ++i) {
      detail::check_identifier(columns[i]);
      sql += (i ? ", " : "") + columns[i];
      has_id = has_id || columns[i] == "id";
    }
    sql += ") FROM STDIN";
    Connection& c = usable();
    guard([&] { c.run(sql); });
    auto writer = std::make_unique<PgBulk>(this, c, std::string(table), columns.size(), has_id);
    writer_ = writer.get();
    return writer;
  }

 private:
  friend class PgBulk;

  void end(bool commit) override {
    if (!lease_) return;
    if (writer_) std::exchange(writer_, nullptr)->abort();
    Connection& c = **lease_;
    std::exception_ptr error;
    if (commit) {
      try {
        Result r = c.run("COMMIT");
        // COMMIT of a transaction that failed inside is a silent ROLLBACK: make it loud.
        if (std::string_view(PQcmdStatus(r.get())) != "COMMIT") {
          detail::throw_misuse("the transaction had failed; COMMIT rolled it back");
        }
      } catch (...) {
        error = std::current_exception();
      }
    }
    if (PQstatus(c.get()) == CONNECTION_OK && PQtransactionStatus(c.get()) != PQTRANS_IDLE) {
      try {
        c.run("ROLLBACK");
      } catch (...) {  // handled below: the connection is not idle
      }
    }
    if (!c.healthy()) lease_->discard();
    lease_.reset();
    if (error) std::rethrow_exception(error);
  }

  int depth_ = 0;  // each() calls in progress
};

PgBulk::~PgBulk() {
  if (conn_) {
    tx_->writer_ = nullptr;
    tx_->failed_ = true;  // the aborted COPY aborted the transaction
    abort();
  }
}

void PgBulk::add(const Params& row) {
  check_live();
  if (row.size() != columns_) {
    detail::throw_misuse("bulk row has " + std::to_string(row.size()) + " values for " +
                         std::to_string(columns_) + " columns of " + table_);
  }
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) buffer_ += '\t';
    append_copy_field(buffer_, row[i]);
  }
  buffer_ += '\n';
  if (buffer_.size() >= kCopyChunk) tx_->guard([&] { flush(*conn_); });
}

void PgBulk::flush(Connection& conn) {
  if (buffer_.empty()) return;
  if (PQputCopyData(conn.get(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
    detail::throw_unavailable(std::string("COPY failed: ") + PQerrorMessage(conn.get()));
  }
  buffer_.clear();
}

void PgBulk::finish() {
  check_live();
  PgTx* tx = std::exchange(tx_, nullptr);
  Connection* conn = std::exchange(conn_, nullptr);
  tx->writer_ = nullptr;
  tx->guard([&] { complete(*conn); });
}

void PgBulk::complete(Connection& conn) {
  flush(conn);
  if (PQputCopyEnd(conn.get(), nullptr) != 1) {
    detail::throw_unavailable(std::string("COPY failed: ") + PQerrorMessage(conn.get()));
  }
  // The COPY's outcome; a constraint violation in any row surfaces here.
  Result r = conn.check(PQgetResult(conn.get()), "COPY " + table_);
  while (PGresult* more = PQgetResult(conn.get())) PQclear(more);
  // Loaded ids bypass the identity sequence: move it past them for the next INSERT. An id
  // without a sequence (a text key such as a session's) has nothing to move.
  if (has_id_ &&
      !PQgetisnull(conn.exec("SELECT pg_get_serial_sequence(?, 'id')", {table_}).get(), 0, 0)) {
    conn.exec(
        "SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 0) + 1, false) "
        "FROM " +
            table_,
        {table_});
  }
}

void PgBulk::abort() {
  Connection* conn = std::exchange(conn_, nullptr);
  tx_ = nullptr;
  buffer_.clear();
  if (!conn || PQstatus(conn->get()) != CONNECTION_OK) return;
  if (PQputCopyEnd(conn->get(), "BulkWriter abandoned before finish()") == 1) {
    while (PGresult* r = PQgetResult(conn->get())) PQclear(r);
  }
}

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, const OpenOptions& opts)
      : url_(std::move(url)),
        opts_(opts),
        pool_(opts.pool_size, std::chrono::milliseconds(opts.busy_timeout_ms),
              [this] { return std::make_unique<Connection>(url_, opts_); }) {
    pool_.acquire();  // connect once now: a bad URL fails here, not at first use
  }

  Dialect dialect() const override { return Dialect::postgres; }
  const std::string& url() const override { return url_; }

  std::unique_ptr<Tx> begin(TxMode mode) override {
    // A pooled connection may have died while idle (server restart): BEGIN finds out, the
    // connection is dropped, and the next one is tried.
    for (int attempt = 0;; ++attempt) {
      auto lease = pool_.acquire();
      try {
        return std::make_unique<PgTx>(std::move(lease), mode);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::unavailable || attempt >= opts_.pool_size) throw;
      }
    }
  }

  void write_transaction(const std::function<void(Tx&)>& fn) override {
    auto tx = begin(TxMode::write);
    fn(*tx);
    auto started = std::chrono::steady_clock::now();
    tx->commit();
    meter_.committed(1, std::chrono::steady_clock::now() - started);
  }

  WriteStats write_stats() const override { return meter_.stats(); }

 private:
  const std::string url_;
  const OpenOptions opts_;
  ConnectionPool pool_;
  detail::WriteMeter meter_;
};

}  // namespace

std::unique_ptr<Database> open_database(const std::string& url, const OpenOptions& opts) {
  return std::make_unique<PgDatabase>(url, opts);
}

}  // namespace wangge::store::postgres
