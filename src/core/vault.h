// 个人信息保护: encryption of personal data at rest (ID numbers, phones, sensitive notes) and
// keyed lookup hashes so an encrypted value can still be found by equality.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wangge {

using Bytes = std::vector<std::uint8_t>;

// Holds the data key. Encryption is XChaCha20-Poly1305 (libsodium) with a random nonce;
// lookup hashes are keyed BLAKE2b, so equal plaintexts give equal hashes and nothing else
// can be learnt from them without the key. Sub-keys for the two uses are derived from one
// 32-byte master key. Thread-safe after construction.
class Vault {
 public:
  using Key = std::array<std::uint8_t, 32>;
  explicit Vault(const Key& master);

  // Reads the 32-byte key file, or creates it (mode 0600, random) when create is true and the
  // file is missing. Throws Error(unavailable) when the file is unreadable or malformed.
  static Vault from_key_file(const std::filesystem::path& path, bool create);
  // The key file that belongs to a database URL unless WANGGE_KEY_FILE says otherwise:
  // "<file>.key" beside a SQLite file, "wangge.key" in the working folder for PostgreSQL.
  static std::filesystem::path default_key_file(const std::string& db_url);

  Bytes encrypt(std::string_view plaintext) const;
  // Throws Error(internal) when the ciphertext was tampered with or made with another key.
  std::string decrypt(const Bytes& ciphertext) const;
  // 32 lowercase hex characters; equal for equal input.
  std::string lookup_hash(std::string_view plaintext) const;

 private:
  std::array<std::uint8_t, 32> enc_key_;
  std::array<std::uint8_t, 32> hash_key_;
};

}  // namespace wangge
