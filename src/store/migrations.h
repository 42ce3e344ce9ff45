// Versioned schema migrations. Each domain owns its list; the CLI applies them all at start.
#pragma once

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

}  // namespace wangge::store
