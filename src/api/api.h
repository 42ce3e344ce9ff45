// The route tables of the HTTP API (DESIGN §7) and the authentication hook in front of them.
//
//   auto db = cli::open_database(url);
//   http::Server server(...);
//   api::install(server, *db, cli::open_vault(url, false), {});
//   server.run_until_signal();
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/accounts.h"
#include "core/time.h"
#include "core/vault.h"
#include "http/dispatcher.h"
#include "http/server.h"
#include "store/database.h"

namespace wangge::api {

struct ApiOptions {
  auth::AuthOptions auth;  // password cost, lockout, idle timeout
  // The current time; tests may pin it. Empty: wangge::now().
  std::function<Instant()> clock;
  std::string cookie_name = "wangge_session";
  bool secure_cookie = false;  // add Secure to the session cookie (behind TLS)
  // Called after every committed write with the kind of record and its id ("resident",
  // "household", "event" …), so readers that keep their own copy (the analytics index,
  // DESIGN §6) see the change at once. Runs on the handler thread; must not throw.
  std::vector<std::function<void(std::string_view entity, int64_t id)>> on_commit;
  // Gauges read at each scrape of /metrics, e.g. the analytics index's size in bytes:
  //   options.gauges.push_back({"wangge_analytics_index_bytes", "Index memory", [idx] {
  //     return double(idx->bytes()); }});
  // value runs on the scraping thread: thread-safe, quick, must not throw.
  struct GaugeSource {
    std::string name, help;
    std::function<double()> value;
  };
  std::vector<GaugeSource> gauges;
  // How often a server looks at auth_epoch for changes to users and sessions made by other
  // processes (`wangge user lock`); changes made through this server's API apply at once.
  std::chrono::milliseconds session_poll = std::chrono::seconds(1);
};

// Registers every route of the API and the authentication hook on the dispatcher, and loads
// the permissions table. The vault is copied; db must outlive the dispatcher.
// REQUIRES: the database is migrated (org, people, auth); called before the server starts.
// Returns the function that tells the API's readers (the on_commit listeners, the analytics
// index among them) about writes committed outside a request, such as the escalation sweep.
using CommitSink = std::function<void(std::string_view entity, int64_t id)>;
CommitSink install(http::Dispatcher& dispatcher, store::Database& db, const Vault& vault,
                   const ApiOptions& options = {});
CommitSink install(http::Server& server, store::Database& db, const Vault& vault,
                   const ApiOptions& options = {});

}  // namespace wangge::api
