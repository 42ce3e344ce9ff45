// Registering and reading the organisation. Every function takes the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/vault.h"
#include "org/org.h"
#include "store/database.h"

namespace wangge::org {

// Validates and inserts an org node: the code is well formed for its level and lies directly
// under the parent's code (departments: any 12-digit code under their county or city, kind
// given by type "department"/"station"); the type fits the kind; the name is 1–60 characters;
// a boundary is a GeoJSON Polygon or MultiPolygon. Returns the new id.
// Throws Error(bad_input) naming the field, or Error(conflict) for a duplicate code.
int64_t create_org(store::Tx& tx, const NewOrg& org);

std::optional<Org> find_org(store::Tx& tx, std::string_view code);
std::optional<Org> find_org(store::Tx& tx, int64_t id);
// Throws Error(not_found) when missing.
Org get_org(store::Tx& tx, std::string_view code);
std::vector<Org> children(store::Tx& tx, int64_t id);
// How many direct children the org has.
int64_t child_count(store::Tx& tx, int64_t id);
// The chain from the root down to the node itself.
std::vector<Org> ancestors(store::Tx& tx, std::string_view code);

// The smallest prefix shared by every code in the subtree of `code` ("530621" for the county
// 530621000000). Subtree members are the codes c with prefix <= c < prefix + ":".
std::string subtree_prefix(std::string_view code);

int64_t create_party_org(store::Tx& tx, const NewPartyOrg& p);
int64_t create_staff(store::Tx& tx, const Vault& vault, const NewStaff& s);
// Throws Error(bad_input) when the role does not fit the org's kind.
int64_t assign_post(store::Tx& tx, int64_t staff_id, int64_t org_id, PostRole role);
std::vector<Post> posts_of(store::Tx& tx, int64_t staff_id);

}  // namespace wangge::org
