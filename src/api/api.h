// The route tables of the HTTP API (DESIGN §7) and the authentication hook in front of them.
//
//   auto db = cli::open_database(url);
//   http::Server server(...);
//   api::install(server, *db, cli::open_vault(url, false), {});
//   server.run_until_signal();
#pragma once

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
};

// Registers every route of the API and the authentication hook on the dispatcher, and loads
// the permissions table. The vault is copied; db must outlive the dispatcher.
// REQUIRES: the database is migrated (org, people, auth); called before the server starts.
void install(http::Dispatcher& dispatcher, store::Database& db, const Vault& vault,
             const ApiOptions& options = {});
void install(http::Server& server, store::Database& db, const Vault& vault,
             const ApiOptions& options = {});

}  // namespace wangge::api
