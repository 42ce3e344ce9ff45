// The photo rows of events (一患一档: before and after). A photo's id is the SHA-256 of its
// bytes in lowercase hex, and that id is what an event's attachments hold; the files
// themselves are stored by intake/photos.h.
//
// Table photos: sha256 (the id, unique), mime, size (bytes), uploaded_by (user id, 0 for
// none), created_at (unix ms), event_id (NULL until the photo is tied to an event; the first).
// Table event_photos (photos 2): (event_id, sha256), one row per event a photo is attached to
// (the report, any step), indexed by photo for the access check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "store/database.h"
#include "store/migrations.h"

namespace wangge::events {

struct Photo {
  std::string sha256;  // the id
  std::string mime;
  int64_t size = 0;
  int64_t uploaded_by = 0;
  Instant created_at;
  std::optional<int64_t> event_id;
};

// True for 64 lowercase hex characters.
bool is_photo_id(std::string_view s);

std::optional<Photo> find_photo(store::Tx& tx, std::string_view sha256);

// Ties photos to an event (event_photos; photos.event_id keeps the first). Unknown ids are
// ignored.
void attach_photos(store::Tx& tx, int64_t event_id, const std::vector<std::string>& ids);

// The photos table.
const std::vector<store::Migration>& photo_migrations();

}  // namespace wangge::events
