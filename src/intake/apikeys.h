// API keys of outside clients (Open311 GeoReport v2: a 311 app that posts residents'
// reports). A key is shown once when issued; only its SHA-256 is stored.
//
// Table api_keys: id, name (unique, 1–60 characters), key_hash (SHA-256 hex of the key),
// created_at (unix ms), revoked_at (unix ms, NULL while valid).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "store/database.h"
#include "store/migrations.h"

namespace wangge::intake {

struct ApiKey {
  int64_t id = 0;
  std::string name;
  Instant created_at;
  std::optional<Instant> revoked_at;
};

struct IssuedKey {
  ApiKey info;
  std::string key;  // "w311_" + 43 base64url characters; not stored anywhere
};

// Issues a key for a client. Error(bad_input, "invalid_name", "name") for a name of 0 or more
// than 60 characters; Error(conflict) when a key of that name exists.
IssuedKey issue_api_key(store::Tx& tx, std::string_view name, Instant now);
// The valid (not revoked) key, if the text is one.
std::optional<ApiKey> check_api_key(store::Tx& tx, std::string_view key);
std::vector<ApiKey> list_api_keys(store::Tx& tx);
// Error(not_found) when no valid key has that name.
void revoke_api_key(store::Tx& tx, std::string_view name, Instant now);

const std::vector<store::Migration>& apikey_migrations();

}  // namespace wangge::intake
