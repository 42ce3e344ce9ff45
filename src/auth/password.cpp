#include "auth/password.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <array>
#include <vector>

#include "core/error.h"

namespace wangge::auth {
namespace {

constexpr size_t kSaltLen = 16;
constexpr size_t kHashLen = 32;
constexpr size_t kMaxPassword = 256;  // bytes; longer input is refused, not truncated

void check_length_cap(std::string_view password) {
  if (password.size() > kMaxPassword) {
    throw_bad_input("weak_password", "密码过长（最多256字节）", "password too long (256 bytes max)",
                    "password");
  }
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

std::string hash_password(std::string_view password, const PasswordOptions& opts) {
  check_length_cap(password);
  std::array<unsigned char, kSaltLen> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw Error(ErrorKind::internal, "random", "随机数生成失败", "RAND_bytes failed");
  }
  size_t len = argon2_encodedlen(opts.time_cost, opts.memory_kib, opts.parallelism, kSaltLen,
                                 kHashLen, Argon2_id);
  std::vector<char> encoded(len);
  int rc = argon2id_hash_encoded(opts.time_cost, opts.memory_kib, opts.parallelism, password.data(),
                                 password.size(), salt.data(), salt.size(), kHashLen,
                                 encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    throw Error(ErrorKind::internal, "argon2", "密码哈希失败",
                std::string("argon2id: ") + argon2_error_message(rc));
  }
  return std::string(encoded.data());
}

bool verify_password(std::string_view password, const std::string& encoded) {
  if (password.size() > kMaxPassword) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void check_password_policy(std::string_view password, std::string_view username,
                           std::string_view field) {
  check_length_cap(password);
  bool upper = false, lower = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      symbol = true;
    }
  }
  int classes = upper + lower + digit + symbol;
  if (code_points(password) < 8 || classes < 3) {
    throw_bad_input("weak_password", "密码至少8位，且须包含大写字母、小写字母、数字、符号中的三类",
                    "a password needs 8 characters or more, with three of: upper case, lower "
                    "case, digits, symbols",
                    std::string(field));
  }
  if (password == username) {
    throw_bad_input("weak_password", "密码不能与用户名相同", "the password equals the username",
                    std::string(field));
  }
}

}  // namespace wangge::auth
