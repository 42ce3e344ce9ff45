// Versioned schema migrations. Each domain owns its list; the CLI applies them all at start.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "store/database.h"

namespace wangge::store {

struct Migration {
  std::string module;  // "org", "people", …
  int version;         // 1, 2, … within the module, applied in order
  std::string sql;     // portable DDL with the tokens of ddl()
};

// Applies every migration not yet recorded in schema_migrations, each module in order, each
// migration in its own transaction. Returns how many were applied. Idempotent.
int migrate(Database& db, std::span<const Migration> migrations);

// Refuses a database written by a newer wangge: schema_migrations holds a version of a module
// beyond the newest in `known`, or a module `known` does not name. Throws
// Error(unavailable, "schema_too_new") naming the module and both versions (Chinese and
// English). A database without schema_migrations passes. REQUIRES: `known` is the program's
// whole list (a subset would refuse the rest).
void refuse_newer_schema(Database& db, std::span<const Migration> known);

// Creates schema_migrations and runs the migrations' DDL in the caller's transaction, in the
// order given, without recording them (a restore loads schema_migrations from its backup).
void create_schema(Tx& tx, std::span<const Migration> migrations);

// The newest version of each module recorded in the database's schema_migrations (empty when
// the table is missing).
std::map<std::string, int64_t> schema_versions(Tx& tx);

}  // namespace wangge::store
