#include "api/metered_db.h"

#include <chrono>
#include <utility>

#include "api/idempotency.h"
#include "auth/audit.h"

namespace wangge::api {
namespace {

// Forwards to the real transaction and gives its slot back when it ends.
class MeteredTx : public store::Tx {
 public:
  MeteredTx(std::unique_ptr<store::Tx> inner, std::atomic<int64_t>& open)
      : inner_(std::move(inner)), open_(open) {}
  ~MeteredTx() override {
    inner_.reset();
    open_.fetch_sub(1, std::memory_order_relaxed);
  }
  store::Dialect dialect() const override { return inner_->dialect(); }
  int64_t exec(std::string_view sql, const store::Params& params) override {
    return inner_->exec(sql, params);
  }
  void exec_script(std::string_view sql) override { inner_->exec_script(sql); }
  store::Rows query(std::string_view sql, const store::Params& params) override {
    return inner_->query(sql, params);
  }
  void each(std::string_view sql, const store::Params& params,
            const std::function<void(const store::Row&)>& fn) override {
    inner_->each(sql, params, fn);
  }
  std::unique_ptr<store::BulkWriter> bulk(std::string_view table,
                                          const std::vector<std::string>& columns) override {
    return inner_->bulk(table, columns);
  }
  void commit() override { inner_->commit(); }
  void rollback() override { inner_->rollback(); }

 private:
  std::unique_ptr<store::Tx> inner_;
  std::atomic<int64_t>& open_;
};

}  // namespace

std::unique_ptr<store::Tx> MeteredDatabase::begin(store::TxMode mode) {
  Counts& c = mode == store::TxMode::read ? read_ : write_;
  auto start = std::chrono::steady_clock::now();
  c.waiting.fetch_add(1, std::memory_order_relaxed);
  std::unique_ptr<store::Tx> tx;
  try {
    tx = inner_.begin(mode);
  } catch (...) {
    c.waiting.fetch_sub(1, std::memory_order_relaxed);
    throw;
  }
  c.waiting.fetch_sub(1, std::memory_order_relaxed);
  auto waited = std::chrono::steady_clock::now() - start;
  c.wait_ns.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count(),
                      std::memory_order_relaxed);
  c.begun.fetch_add(1, std::memory_order_relaxed);
  c.open.fetch_add(1, std::memory_order_relaxed);
  return std::make_unique<MeteredTx>(std::move(tx), c.open);
}

void MeteredDatabase::write_transaction(const std::function<void(store::Tx&)>& fn) {
  auto start = std::chrono::steady_clock::now();
  write_.waiting.fetch_add(1, std::memory_order_relaxed);
  bool started = false;
  auto stop_waiting = [&] {
    if (std::exchange(started, true)) return;
    write_.waiting.fetch_sub(1, std::memory_order_relaxed);
    auto waited = std::chrono::steady_clock::now() - start;
    write_.wait_ns.fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count(),
                             std::memory_order_relaxed);
    write_.begun.fetch_add(1, std::memory_order_relaxed);
  };
  try {
    // SQLite runs fn on its writer thread: the audit rows it appends keep the request's address.
    // An idempotent request's writes mark its key written with them (api/idempotency.h).
    inner_.write_transaction([&, origin = auth::audit::current_origin(),
                              key = running_idempotency_key()](store::Tx& tx) {
      auth::audit::OriginScope scope(origin);
      stop_waiting();
      write_.open.fetch_add(1, std::memory_order_relaxed);
      struct Close {
        std::atomic<int64_t>& open;
        ~Close() { open.fetch_sub(1, std::memory_order_relaxed); }
      } close{write_.open};
      fn(tx);
      if (key) intake::mark_idempotency_key_written(tx, *key);
    });
  } catch (...) {
    if (!started) write_.waiting.fetch_sub(1, std::memory_order_relaxed);
    throw;
  }
}

}  // namespace wangge::api
