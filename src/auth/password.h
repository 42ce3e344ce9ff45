// Passwords: argon2id hashes in the PHC string format, and the password policy of 等保三级.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wangge::auth {

// argon2id cost. The default is OWASP's minimum (t=2, m=19 MiB, p=1); tests use cheap().
struct PasswordOptions {
  uint32_t time_cost = 2;
  uint32_t memory_kib = 19456;
  uint32_t parallelism = 1;
  // For tests only: fast and weak.
  static PasswordOptions cheap() { return {1, 64, 1}; }
};

// "$argon2id$v=19$m=…,t=…,p=1$salt$hash" with a fresh random 16-byte salt.
std::string hash_password(std::string_view password, const PasswordOptions& opts);
// Whether password matches an encoded hash (any cost); false for a malformed hash.
bool verify_password(std::string_view password, const std::string& encoded);

// The policy: at least 8 characters (UTF-8 code points) containing at least three of upper
// case, lower case, digits and symbols (anything else, CJK included), and not the username.
// Throws Error(bad_input, "weak_password", field) with a Chinese message otherwise.
void check_password_policy(std::string_view password, std::string_view username,
                           std::string_view field = "password");

}  // namespace wangge::auth
