// The route tables of the HTTP API (DESIGN §7) and the authentication hook in front of them.
//
//   auto db = cli::open_database(url);
//   http::Server server(...);
//   api::install(server, *db, cli::open_vault(*db, url, false), {}, cli::registry());
//   server.run_until_signal();
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/registry.h"
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
  // Gauges read at each scrape of /metrics, e.g. the analytics index's size in bytes:
  //   options.gauges.push_back({"wangge_analytics_index_bytes", "Index memory", [idx] {
  //     return double(idx->bytes()); }});
  // value runs on the scraping thread: thread-safe, quick, must not throw.
  struct GaugeSource {
    std::string name, help;
    std::function<double()> value;
  };
  std::vector<GaugeSource> gauges;
  // The modules' config sections ([photos], [forms] …); empty: their defaults.
  std::optional<app::Settings> settings;
  // How often a server looks at auth_epoch for changes to users and sessions made by other
  // processes (`wangge user lock`); changes made through this server's API apply at once.
  std::chrono::milliseconds session_poll = std::chrono::seconds(1);
};

// Registers every route of the API and the authentication hook on the dispatcher, and loads
// the permissions table. The vault is copied; db must outlive the dispatcher. Readers that
// keep their own copy (the analytics index) follow db's committed changes (Database::subscribe),
// whoever writes them: a request, the escalation sweep.
// The route tables, the entities, fields and forms of the reports come from the modules.
// REQUIRES: the database is migrated by the same modules (Registry::migrate); modules outlives
// the dispatcher; called before the server starts.
void install(http::Dispatcher& dispatcher, store::Database& db, const Vault& vault,
             const ApiOptions& options, const app::Registry& modules);
void install(http::Server& server, store::Database& db, const Vault& vault,
             const ApiOptions& options, const app::Registry& modules);

}  // namespace wangge::api
