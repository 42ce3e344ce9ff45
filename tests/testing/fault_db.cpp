#include "testing/fault_db.h"

#include <utility>

namespace wangge::testing {
namespace {

// A write transaction seen through the fault injector. After an injected failure it behaves
// as the backends do after a failed statement: it only rolls back (PostgreSQL aborts the
// transaction; SQLite's Tx is made to behave alike), so a service that swallows the error and
// carries on fails here as it would there.
class FaultTx final : public store::Tx {
 public:
  FaultTx(store::Tx& inner, FaultDatabase& db) : inner_(&inner), db_(db) {}
  FaultTx(std::unique_ptr<store::Tx> owned, FaultDatabase& db)
      : owned_(std::move(owned)), inner_(owned_.get()), db_(db) {}

  store::Dialect dialect() const override { return inner_->dialect(); }
  int64_t exec(std::string_view sql, const store::Params& params) override {
    check(sql);
    return inner_->exec(sql, params);
  }
  void exec_script(std::string_view sql) override {
    check(sql);
    inner_->exec_script(sql);
  }
  store::Rows query(std::string_view sql, const store::Params& params) override {
    check(sql);
    return inner_->query(sql, params);
  }
  void each(std::string_view sql, const store::Params& params,
            const std::function<void(const store::Row&)>& fn) override {
    check(sql);
    inner_->each(sql, params, fn);
  }
  std::unique_ptr<store::BulkWriter> bulk(std::string_view table,
                                          const std::vector<std::string>& columns) override;
  void commit() override {
    if (failed_) {
      inner_->rollback();
      throw Error(ErrorKind::internal, "db_error", "数据库内部错误",
                  "commit() after a failed statement: the transaction was rolled back");
    }
    try {
      db_.on_commit();
    } catch (...) {
      inner_->rollback();
      throw;
    }
    inner_->commit();
    db_.on_committed();
  }
  void rollback() override { inner_->rollback(); }

  // The commit point of a transaction the backend commits itself (write_transaction).
  void check_commit() {
    if (failed_) {
      throw Error(ErrorKind::internal, "db_error", "数据库内部错误",
                  "commit after a failed statement: the transaction was rolled back");
    }
    db_.on_commit();
  }

  // Counts a statement; throws the injected fault (or, after one, what the backend would).
  void check(std::string_view what) {
    if (failed_) {
      throw Error(ErrorKind::internal, "db_error", "数据库内部错误",
                  "a statement failed earlier; the transaction can only roll back");
    }
    try {
      db_.on_statement(what);
    } catch (...) {
      failed_ = true;
      throw;
    }
  }

 private:
  std::unique_ptr<store::Tx> owned_;
  store::Tx* inner_;
  FaultDatabase& db_;
  bool failed_ = false;
};

class FaultBulk final : public store::BulkWriter {
 public:
  FaultBulk(std::unique_ptr<store::BulkWriter> inner, FaultTx& tx)
      : inner_(std::move(inner)), tx_(tx) {}
  void add(const store::Params& row) override {
    tx_.check("bulk add");
    inner_->add(row);
  }
  void finish() override {
    tx_.check("bulk finish");
    inner_->finish();
  }

 private:
  std::unique_ptr<store::BulkWriter> inner_;
  FaultTx& tx_;
};

std::unique_ptr<store::BulkWriter> FaultTx::bulk(std::string_view table,
                                                 const std::vector<std::string>& columns) {
  check("bulk");
  return std::make_unique<FaultBulk>(inner_->bulk(table, columns), *this);
}

}  // namespace

FaultDatabase::FaultDatabase(store::Database& inner) : inner_(inner) { share_listeners_of(inner); }

FaultDatabase::FaultDatabase(std::unique_ptr<store::Database> inner)
    : owned_(std::move(inner)), inner_(*owned_) {
  share_listeners_of(inner_);
}

void FaultDatabase::arm(At at, int nth, ErrorKind kind, bool persistent) {
  std::lock_guard lock(mu_);
  at_ = at;
  nth_ = nth;
  kind_ = kind;
  persistent_ = persistent;
  statements_ = 0;
  commits_ = 0;
  fired_ = false;
}

void FaultDatabase::disarm() {
  std::lock_guard lock(mu_);
  nth_ = 0;
  statements_ = 0;
  commits_ = 0;
}

void FaultDatabase::on_statement(std::string_view what) {
  std::lock_guard lock(mu_);
  int n = ++statements_;
  bool due = at_ == At::statement && (persistent_ ? n >= nth_ : n == nth_);
  if (nth_ > 0 && (due || (persistent_ && fired_))) {
    inject(what);
  }
}

void FaultDatabase::on_commit() {
  std::lock_guard lock(mu_);
  int n = ++commits_;
  bool due = at_ == At::commit && (persistent_ ? n >= nth_ : n == nth_);
  if (nth_ > 0 && (due || (persistent_ && fired_))) {
    inject("COMMIT");
  }
}

void FaultDatabase::on_committed() {
  std::lock_guard lock(mu_);
  // Counted by on_commit(); the Nth commit that went through reports the fault.
  if (nth_ > 0 && at_ == At::after_commit && commits_ >= nth_) inject("after COMMIT");
}

void FaultDatabase::inject(std::string_view what) {
  if (!persistent_) nth_ = 0;
  fired_ = true;
  std::string en = "injected fault at: " + std::string(what.substr(0, 200));
  if (kind_ == ErrorKind::unavailable) {
    throw Error(ErrorKind::unavailable, "db_unavailable", "数据库暂时不可用，请稍后重试",
                "database unavailable: " + en);
  }
  throw Error(kind_, "db_error", "数据库内部错误", "database error: " + en);
}

std::unique_ptr<store::Tx> FaultDatabase::begin(store::TxMode mode) {
  auto tx = inner_.begin(mode);
  if (mode == store::TxMode::read) return tx;
  return std::make_unique<FaultTx>(std::move(tx), *this);
}

void FaultDatabase::write_transaction(const std::function<void(store::Tx&)>& fn) {
  inner_.write_transaction([&](store::Tx& tx) {
    FaultTx faulty(tx, *this);
    fn(faulty);
    // The backend commits after this returns (on SQLite with the rest of its round): a commit
    // that fails rolls this transaction back, so the fault is thrown before it.
    faulty.check_commit();
  });
  on_committed();
}

}  // namespace wangge::testing
