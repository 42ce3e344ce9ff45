#include "auth/scope.h"

#include "core/error.h"
#include "org/service.h"

namespace wangge::auth {
namespace {

// The smallest digit string of the same length above prefix ("530621" → "530622",
// "5399" → "5400"); empty when prefix is all nines (no upper bound then).
std::string next_prefix(std::string prefix) {
  for (size_t i = prefix.size(); i-- > 0;) {
    if (prefix[i] != '9') {
      ++prefix[i];
      return prefix;
    }
    prefix[i] = '0';
  }
  return {};
}

}  // namespace

Scope scope_of(std::string_view org_code) {
  return {std::string(org_code), org::subtree_prefix(org_code)};
}

bool in_scope(const Scope& scope, std::string_view org_code) {
  return !scope.prefix.empty() && org_code.starts_with(scope.prefix);
}

void require_in_scope(const Scope& scope, std::string_view org_code) {
  if (!in_scope(scope, org_code)) throw_not_found("记录不存在", "no such record");
}

SqlFilter scope_sql(const Scope& scope, std::string_view column) {
  std::string col(column);
  if (scope.prefix.empty()) return {"(1 = 0)", {}};
  std::string upper = next_prefix(scope.prefix);
  if (upper.empty()) return {"(" + col + " >= ?)", {scope.prefix}};
  return {"(" + col + " >= ? AND " + col + " < ?)", {scope.prefix, upper}};
}

}  // namespace wangge::auth
