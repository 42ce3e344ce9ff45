// Photos of events (一患一档: before and after), stored content-addressed on disk beside the
// database: "<dir>/ab/cdef…" where abcdef… is the SHA-256 of the bytes. The type is sniffed
// from the bytes (JPEG, PNG, WebP, HEIC); the Content-Type a client claims is never trusted.
// The same bytes always give the same photo: a photo's id is its SHA-256 in lowercase hex,
// and that id is what an event's attachments hold. The rows (table photos and event_photos)
// belong to the loop: events/photo_rows.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "events/photo_rows.h"
#include "events/service.h"
#include "store/database.h"

namespace wangge::intake {

inline constexpr size_t kDefaultPhotoLimit = 8 * 1024 * 1024;  // 8 MiB

// "image/jpeg", "image/png", "image/webp" or "image/heic" for bytes that begin like one;
// nullopt for anything else.
std::optional<std::string> sniff_image(std::string_view bytes);

// Where the photos of the database at db_url live: `configured` ([photos] dir) when not empty;
// for a SQLite file "<file>.files"; for PostgreSQL "wangge.files" in the working folder.
std::filesystem::path photo_dir(std::string_view configured, std::string_view db_url);

// Thread-safe: the files are written under unique temporary names and renamed into place.
class PhotoStore {
 public:
  // The folder is created on the first put.
  explicit PhotoStore(std::filesystem::path dir, size_t max_bytes = kDefaultPhotoLimit);

  // Stores one photo: checks and hashes the bytes and writes and syncs the file with no
  // transaction open, then records its row in one short write of db (file first, row after:
  // a crash in between leaves at most an unreferenced file, which the next put of those bytes
  // reuses or remove_orphans() removes at the next start). The file and then its folder are
  // synced before the row is written. Idempotent: the same bytes again change nothing and
  // return the first row.
  // Throws Error(too_large, "photo_too_large") over the limit, Error(bad_input, "empty_photo")
  // for no bytes and Error(bad_input, "unsupported_photo_type") for anything but the four
  // image types.
  events::Photo put(store::Database& db, std::string_view bytes, int64_t uploaded_by,
                    Instant now) const;
  // The same in a transaction the caller holds (bulk loads, tests): the file is written while
  // tx is open, so do not use it on a path where the write gate matters.
  events::Photo put(store::Tx& tx, std::string_view bytes, int64_t uploaded_by, Instant now) const;
  // Called after the file is stored and before the row is written (tests: nothing is held).
  void set_stored_hook(std::function<void()> hook) { stored_hook_ = std::move(hook); }

  // Removes what a crash can leave in the folder: temporary files of unfinished writes and
  // photo files without a row (killed between the file and its row). REQUIRES: no put() runs
  // meanwhile (`wangge serve` calls it at start, before it takes requests).
  struct Cleanup {
    int64_t files = 0, removed = 0;
  };
  Cleanup remove_orphans(store::Database& db) const;

  // The bytes of a stored photo. Throws Error(not_found) when the file is missing.
  std::string read(std::string_view sha256) const;
  std::filesystem::path path_of(std::string_view sha256) const;
  const std::filesystem::path& dir() const { return dir_; }
  size_t max_bytes() const { return max_bytes_; }

 private:
  struct Checked {
    std::string sha, mime;
  };
  // Validates and hashes the bytes and makes sure their file is on disk.
  Checked store_file(std::string_view bytes) const;
  static events::Photo record(store::Tx& tx, const Checked& c, size_t size, int64_t uploaded_by,
                              Instant now);

  std::filesystem::path dir_;
  size_t max_bytes_;
  std::function<void()> stored_hook_;
};

// Whether the actor may fetch the photo: its uploader, or anyone who may see an event it is
// tied to (event_photos, an indexed lookup by photo).
// REQUIRES: the events tables exist.
bool may_view_photo(store::Tx& tx, const events::Actor& actor, const events::Photo& photo);

}  // namespace wangge::intake
