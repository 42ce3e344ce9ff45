// Data scope (数据权限): a user sees the org subtree of their post and nothing else. Out-of-scope
// records answer not_found, so their ids cannot be probed.
#pragma once

#include <string>
#include <string_view>

#include "store/database.h"

namespace wangge::auth {

struct Scope {
  std::string org_code;  // the user's org
  std::string prefix;    // org::subtree_prefix(org_code): every code in scope starts with it
};

// The scope rooted at an org code.
Scope scope_of(std::string_view org_code);

bool in_scope(const Scope& scope, std::string_view org_code);

// Throws Error(not_found) when the org code lies outside the scope.
void require_in_scope(const Scope& scope, std::string_view org_code);

// A WHERE fragment and its parameters for "column lies within scope", for SQL on both
// databases, e.g. scope_sql(s, "o.code") → {"(o.code >= ? AND o.code < ?)", {"530621",
// "530622"}}. The bounds are digit strings, so the range holds under any collation.
struct SqlFilter {
  std::string where;
  store::Params params;
};
SqlFilter scope_sql(const Scope& scope, std::string_view column = "o.code");

}  // namespace wangge::auth
