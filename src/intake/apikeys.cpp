#include "intake/apikeys.h"

#include <sodium.h>

#include <array>
#include <cstring>

#include "core/digest.h"
#include "core/error.h"
#include "core/text.h"

namespace wangge::intake {
namespace {

std::string random_key() {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string b64(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(b64.data(), b64.size(), bytes.data(), bytes.size(), kVariant);
  b64.resize(std::strlen(b64.c_str()));
  return "w311_" + b64;
}

ApiKey read_key(const store::Row& r) {
  ApiKey k{r.i64(0), r.text(1), from_unix_ms(r.i64(2)), std::nullopt};
  if (auto at = r.opt_i64(3)) k.revoked_at = from_unix_ms(*at);
  return k;
}

}  // namespace

IssuedKey issue_api_key(store::Tx& tx, std::string_view name, Instant now) {
  const size_t len = utf8_length(name);
  if (len == 0 || len > 60) {
    throw_bad_input("invalid_name", "名称须为 1–60 个字符", "the name must be 1-60 characters",
                    "name");
  }
  if (tx.query_one("SELECT 1 FROM api_keys WHERE name = ?", {name})) {
    throw_conflict("duplicate_name", "已有同名的接口密钥：" + std::string(name),
                   "an API key of that name exists: " + std::string(name));
  }
  IssuedKey out;
  out.key = random_key();
  out.info.name = name;
  out.info.created_at = now;
  out.info.id = tx.insert_id("INSERT INTO api_keys (name, key_hash, created_at) VALUES (?, ?, ?)",
                             {name, sha256_hex(out.key), to_unix_ms(now)});
  return out;
}

std::optional<ApiKey> check_api_key(store::Tx& tx, std::string_view key) {
  if (key.empty() || key.size() > 200) return std::nullopt;
  auto row = tx.query_one(
      "SELECT id, name, created_at, revoked_at FROM api_keys "
      "WHERE key_hash = ? AND revoked_at IS NULL",
      {sha256_hex(key)});
  if (!row) return std::nullopt;
  return read_key(*row);
}

std::vector<ApiKey> list_api_keys(store::Tx& tx) {
  std::vector<ApiKey> out;
  for (const auto& r :
       tx.query("SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY id")) {
    out.push_back(read_key(r));
  }
  return out;
}

void revoke_api_key(store::Tx& tx, std::string_view name, Instant now) {
  if (tx.exec("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
              {to_unix_ms(now), name}) == 0) {
    throw_not_found("没有该名称的有效接口密钥：" + std::string(name),
                    "no valid API key of that name: " + std::string(name));
  }
}

const std::vector<store::Migration>& apikey_migrations() {
  static const std::vector<store::Migration> list{
      {"apikeys", 1, R"sql(
CREATE TABLE api_keys (
  id {pk},
  name TEXT NOT NULL UNIQUE,
  key_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
)sql"},
  };
  return list;
}

}  // namespace wangge::intake
