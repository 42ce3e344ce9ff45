// The database as the API sees it, counted: transactions open now by mode, transactions begun,
// and time spent waiting for a pooled connection (or, on SQLite, the single writer), for the
// DB gauges of /metrics. Forwards everything else unchanged.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "store/database.h"

namespace wangge::api {

class MeteredDatabase : public store::Database {
 public:
  // REQUIRES: inner outlives this object and every transaction begun through it.
  explicit MeteredDatabase(store::Database& inner) : inner_(inner) { share_listeners_of(inner); }

  store::Dialect dialect() const override { return inner_.dialect(); }
  std::unique_ptr<store::Tx> begin(store::TxMode mode = store::TxMode::write) override;
  // Counted as a write transaction: waiting until fn starts, open while it runs.
  void write_transaction(const std::function<void(store::Tx&)>& fn) override;
  const std::string& url() const override { return inner_.url(); }
  store::WriteStats write_stats() const override { return inner_.write_stats(); }

  struct Counts {
    std::atomic<int64_t> open{0};      // transactions holding a connection now
    std::atomic<int64_t> waiting{0};   // callers waiting in begin() now
    std::atomic<uint64_t> begun{0};    // transactions started
    std::atomic<uint64_t> wait_ns{0};  // total time spent in begin()
  };
  const Counts& counts(store::TxMode mode) const {
    return mode == store::TxMode::read ? read_ : write_;
  }

 private:
  store::Database& inner_;
  Counts read_, write_;
};

}  // namespace wangge::api
