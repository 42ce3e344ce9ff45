// Wiring shared by the subcommands: the modules of wangge (modules.cpp), opening a database by
// URL (migrated), and the data key that belongs to it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/registry.h"
#include "core/vault.h"
#include "store/database.h"
#include "store/migrations.h"

namespace wangge::cli {

// Every module of wangge (src/cli/modules.cpp): a programme joins by adding itself there.
std::vector<app::Module> modules();
// The registry of modules(), built and checked once (Error(internal) naming a bad declaration).
const app::Registry& registry();

// Opens the database at url and applies pending migrations (and seeds new grants).
std::unique_ptr<store::Database> open_database(const std::string& url,
                                               const store::OpenOptions& opts = {});

// The same for a database that must already exist: a SQLite path naming no file is refused
// (Error bad_input) instead of creating an empty database where a path was mistyped.
std::unique_ptr<store::Database> open_existing_database(const std::string& url);

// The data key for that database (created, 0600, beside a new SQLite file when create is true),
// checked against the database and bound to it, and the audit chain's MAC key set from it
// (cli/keys.h bind_key). Error(unavailable) for a missing, loose (group/other-readable) or
// wrong key file, with a message saying what to do.
Vault open_vault(store::Database& db, const std::string& url, bool create);
// The same for commands that only append audit rows: nullopt when there is no key file and the
// database has no key bound yet (its audit rows then carry no MAC); a database with a bound key
// needs its key file.
std::optional<Vault> open_vault_if_any(store::Database& db, const std::string& url);

// The account running the command (the effective user), or "unknown".
std::string os_user();

// Who a command's audit rows name: `as` (the --as option) when given — 1 to 64 visible
// characters, else Error(bad_input) — otherwise "os:<user>" of the account running it.
std::string audit_actor(const std::string& as);

// True when stderr is a terminal (progress bars are drawn only then).
bool interactive();

// Draws "[#####     ]  45%  生成住户和居民" on stderr, throttled; a newline at 100%.
class ProgressBar {
 public:
  void update(int64_t done, int64_t total, const std::string& what);

 private:
  int last_permille_ = -1;
  std::string last_what_;
};

}  // namespace wangge::cli
