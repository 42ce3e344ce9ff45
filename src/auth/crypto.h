// Small cryptographic helpers shared inside src/auth (OpenSSL).
#pragma once

#include <string>
#include <string_view>

namespace wangge::auth::detail {

// SHA-256 of data, 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);
// HMAC-SHA256 of data under key, 64 lowercase hex characters.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// n bytes from the system CSPRNG, base64url without padding.
std::string random_token(size_t n = 32);

}  // namespace wangge::auth::detail
