// The gauges the API adds to /metrics. src/http stays transport: it renders whatever the
// registry holds; the numbers come from here.
#include <chrono>

#include "api/context.h"

namespace wangge::api {

void register_gauges(http::MetricsRegistry& metrics, const std::shared_ptr<Context>& ctx) {
  std::weak_ptr<Context> weak = ctx;
  // Reads one number of the context, or 0 once the context is gone.
  auto read = [weak](auto fn) {
    return [weak, fn]() -> double {
      auto c = weak.lock();
      return c ? fn(*c) : 0.0;
    };
  };
  for (auto mode : {store::TxMode::read, store::TxMode::write}) {
    http::Labels labels = {{"mode", mode == store::TxMode::read ? "read" : "write"}};
    metrics.gauge_callback(
        "wangge_db_transactions_open",
        "Database transactions holding a pooled connection now (write: the SQLite writer)", labels,
        read([mode](Context& c) { return double(c.metered.counts(mode).open.load()); }));
    metrics.gauge_callback(
        "wangge_db_waiting", "Requests waiting for a database connection or the writer now", labels,
        read([mode](Context& c) { return double(c.metered.counts(mode).waiting.load()); }));
    metrics.gauge_callback(
        "wangge_db_transactions_begun", "Database transactions started since the server started",
        labels, read([mode](Context& c) { return double(c.metered.counts(mode).begun.load()); }));
    metrics.gauge_callback(
        "wangge_db_wait_seconds", "Total time spent waiting to begin database transactions", labels,
        read([mode](Context& c) { return double(c.metered.counts(mode).wait_ns.load()) / 1e9; }));
  }
  // The writer: group commit (SQLite) and time in COMMIT, which holds the disk sync.
  auto stats = [read](auto fn) {
    return read([fn](Context& c) { return static_cast<double>(fn(c.db.write_stats())); });
  };
  metrics.gauge_callback("wangge_db_commits_total", "Commits of write transactions", {},
                         stats([](const store::WriteStats& s) { return s.commits; }));
  metrics.gauge_callback("wangge_db_commit_writes_total",
                         "Writes those commits carried (divided by commits: the group size)", {},
                         stats([](const store::WriteStats& s) { return s.writes; }));
  metrics.gauge_callback("wangge_db_commit_group_largest", "The most writes one commit carried", {},
                         stats([](const store::WriteStats& s) { return s.largest; }));
  metrics.gauge_callback("wangge_db_commit_seconds_total",
                         "Time spent committing: writing the log and syncing it to disk", {},
                         stats([](const store::WriteStats& s) { return s.commit_seconds; }));
  metrics.gauge_callback("wangge_db_write_queue", "Writes waiting for the SQLite writer now", {},
                         stats([](const store::WriteStats& s) { return s.queued; }));
  metrics.set_gauge(
      "wangge_db_info", "The database backend (value 1)", 1,
      {{"backend", ctx->db.dialect() == store::Dialect::sqlite ? "sqlite" : "postgresql"}});
  metrics.gauge_callback("wangge_sessions_cached", "Sessions remembered as checked", {},
                         read([](Context& c) { return double(c.sessions.size()); }));
  for (const auto& g : ctx->options.gauges) {
    metrics.gauge_callback(g.name, g.help, {}, g.value);
  }
}

}  // namespace wangge::api
