// Plain (unkeyed) SHA-256, for content addresses and for fingerprints of values that are
// secret only by their own entropy (API keys, request bodies). For personal data use the
// keyed Vault::lookup_hash instead: a plain digest of an ID number is easy to reverse.
#pragma once

#include <string>
#include <string_view>

namespace wangge {

// The SHA-256 of bytes as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace wangge
