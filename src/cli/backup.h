// `wangge backup`, `wangge backup verify` and `wangge restore`: a consistent copy of a live
// database with its photo files and a manifest, and the way back.
//
// A backup is a folder:
//   database.sqlite   the data as of one snapshot, as a SQLite file whatever the source (SQLite:
//                     VACUUM INTO; PostgreSQL: every table copied inside one REPEATABLE READ
//                     transaction into a SQLite file of the same schema versions)
//   photos/ab/cd…     the photo files the snapshot's photos table names
//   manifest.json     written last: program version, schema versions per module, rows per
//                     table, the SHA-256 of every file, the time taken and the data key's check
//                     value (a keyed hash of a constant: it tells keys apart, rebuilds none)
// The data key is never in it. A folder without manifest.json is an unfinished backup.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/vault.h"

namespace wangge::cli {

struct BackupOptions {
  std::string db_url;
  std::filesystem::path to;      // must not exist, or be an empty folder
  std::filesystem::path photos;  // empty: intake::photo_dir("", db_url)
};
// Takes the backup while servers keep writing; returns the manifest written. Error(bad_input)
// for a --to that is a file or a folder with something in it.
nlohmann::json take_backup(const BackupOptions& options);

struct VerifyReport {
  std::vector<std::string> problems;  // one line each, Chinese (English in brackets)
  int64_t audit_rows = 0;
  bool keyed = false;  // the audit chain's MACs were checked with the data key
};
// Checks a backup: every file against its checksum (and none extra), a copy of the database
// (opened in a temporary folder, the backup is left untouched) against the manifest's schema
// versions, row counts and key check value, every photo row against its file, and the audit
// chain (`wangge audit verify`; with `key`, whose check value must be the backup's, the MACs
// too). Error(bad_input) when `dir` holds no manifest.
VerifyReport verify_backup(const std::filesystem::path& dir, const std::optional<Vault>& key);

struct RestoreOptions {
  std::filesystem::path from;
  std::string db_url;
  std::filesystem::path photos;    // empty: intake::photo_dir("", db_url)
  std::filesystem::path key_file;  // empty: Vault::default_key_file(db_url)
};
struct RestoreResult {
  int64_t rows = 0, photos = 0;
  int migrated = 0;  // migrations applied after loading (a backup from an older wangge)
};
// Loads a backup into an empty database (SQLite or PostgreSQL) in one transaction, after
// checking the files' checksums, that its schema is not newer than this program and that the
// key file is the backup's key; checks the row counts before committing, then applies newer
// migrations and binds the key. Refuses (Error, Chinese and English) a damaged backup, a newer
// schema, a wrong or missing key and a target database that has any table.
RestoreResult restore_backup(const RestoreOptions& options);

}  // namespace wangge::cli
