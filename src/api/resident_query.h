// The registry reads behind the resident and household routes: one query per list (plus one
// for the page's tags), scoped to the caller's org subtree, with identity numbers and phones
// only in their masked form. Sensitive tags are left out unless the caller may see them.
// (The SQL belongs beside the people service; it lives here until src/people grows a query
// module.)
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "core/time.h"
#include "store/database.h"

namespace wangge::api {

struct ResidentFilter {
  std::optional<std::string> org_code;  // subtree of this org (REQUIRES: in scope)
  std::vector<std::string> tags;        // tag codes, all required
  std::optional<std::string> color;     // "red" / "yellow" / "green"
  std::optional<std::string> status;    // "moved_in" / …
  std::optional<int> age_min, age_max;  // 周岁 on `today`
  std::string q;                        // name substring, or pinyin / initials prefix
  int64_t page = 1, size = 20;
};

struct View {
  Date today;
  bool show_sensitive = false;  // sensitive tags visible
};

// {items, total, page, size}, ordered by id.
nlohmann::json list_residents(store::Tx& tx, const auth::Scope& scope, const ResidentFilter& f,
                              const View& view);

// The resident with tags, colour history and household, or nullopt when there is none within
// the scope.
std::optional<nlohmann::json> resident_detail(store::Tx& tx, const auth::Scope& scope, int64_t id,
                                              const View& view);

// The household with its members, or nullopt when there is none within the scope (nullopt
// scope: no restriction, for a resident reading their own household).
std::optional<nlohmann::json> household_detail(store::Tx& tx,
                                               const std::optional<auth::Scope>& scope, int64_t id,
                                               const View& view);

// The org code of a resident within scope, if any (for writes that must check scope first).
std::optional<std::string> resident_org(store::Tx& tx, const auth::Scope& scope, int64_t id);

}  // namespace wangge::api
