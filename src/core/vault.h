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
// can be learnt from them without the key. Sub-keys for each use (encryption, lookup hashes,
// the key's check value, the audit chain's MAC) are derived from one 32-byte master key with
// distinct contexts, so no sub-key reveals another. Thread-safe after construction.
class Vault {
 public:
  using Key = std::array<std::uint8_t, 32>;
  explicit Vault(const Key& master);

  // Reads the 32-byte key file, or creates it (random, open(O_CREAT | O_EXCL, 0600): an
  // existing file is never overwritten) when create is true and the file is missing.
  // Throws Error(unavailable) when the file is unreadable, malformed, not a regular file, or
  // readable or writable by group or others (the message names the chmod to run).
  static Vault from_key_file(const std::filesystem::path& path, bool create);
  // Creates a new random key file as above; Error(unavailable) when it exists already.
  static Vault create_key_file(const std::filesystem::path& path);
  // The key file that belongs to a database URL unless WANGGE_KEY_FILE says otherwise:
  // "<file>.key" beside a SQLite file, "wangge.key" in the working folder for PostgreSQL.
  static std::filesystem::path default_key_file(const std::string& db_url);

  Bytes encrypt(std::string_view plaintext) const;
  // Throws Error(internal) when the ciphertext was tampered with or made with another key.
  std::string decrypt(const Bytes& ciphertext) const;
  // decrypt, or false when the ciphertext does not open with this key (key rotation tries
  // the old key and then the new one).
  bool try_decrypt(const Bytes& ciphertext, std::string& out) const;
  // 32 lowercase hex characters; equal for equal input.
  std::string lookup_hash(std::string_view plaintext) const;

  // The key's check value: 32 hex characters, a keyed hash of a constant label, stored in the
  // database so a wrong key is refused at start. Reveals nothing about the key.
  const std::string& check_value() const { return check_; }
  // Short name of the key for messages: the first 8 characters of check_value().
  std::string key_id() const { return check_.substr(0, 8); }
  // The key of the audit chain's MAC (its own derivation context, never the data key itself).
  const Key& audit_key() const { return audit_key_; }

 private:
  std::array<std::uint8_t, 32> enc_key_;
  std::array<std::uint8_t, 32> hash_key_;
  Key audit_key_;
  std::string check_;
};

}  // namespace wangge
