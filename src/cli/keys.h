// The data key of a database: binding it (its check value in data_keys), refusing a wrong one,
// and rotating it (`wangge key rotate`). The key file itself is read by Vault (core/vault.h).
#pragma once

#include <filesystem>
#include <string>

#include "core/vault.h"
#include "store/database.h"

namespace wangge::cli {

// Every column sealed with the data key, and the lookup hash made from it (empty: none).
// A module that adds a sealed column adds it here, or rotation leaves it under the old key.
struct SealedColumn {
  const char* table;
  const char* column;
  const char* lookup_hash;
};
const std::vector<SealedColumn>& sealed_columns();

// Checks `vault` against the database: the check value stored in data_keys must be its own;
// when none is stored yet (a database made before key checks) the key must open the sealed
// values already there, and is then bound. Refuses while a rotation is unfinished. Then sets
// the audit chain's MAC key for this process and marks the chain's switch point. Throws
// Error(unavailable) with a message naming the key file and what to do.
void bind_key(store::Database& db, const Vault& vault, const std::filesystem::path& key_file);

struct RotateOptions {
  std::filesystem::path key_file;      // the current key (read)
  std::filesystem::path new_key_file;  // created (0600, O_EXCL) when missing
  int batch = 1000;                    // rows per transaction
};
struct RotateResult {
  int64_t resealed = 0;    // values re-encrypted by this run
  int64_t remaced = 0;     // audit rows whose MAC was remade
  bool installed = false;  // the new key file was moved to key_file
  std::string retired;     // where the old key file went
};
// Re-encrypts every sealed column and remakes the audit chain's MACs under the new key, in
// batches of one transaction each; safe to interrupt and run again with the same files (each
// value is tried with the new key first). Then records the new key in data_keys, appends an
// audit row, and moves the old key file to "<key_file>.retired-<key id>" and the new one into
// its place. REQUIRES: no server runs on the database meanwhile (they refuse to start while a
// rotation is unfinished; a running one would keep writing with the old key).
RotateResult rotate_key(store::Database& db, const RotateOptions& options,
                        const std::string& actor);

}  // namespace wangge::cli
