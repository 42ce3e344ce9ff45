// The photo rows the loop attaches to events (photos.h in src/intake stores the files).
#include "events/photo_rows.h"

namespace wangge::events {
namespace {

Photo read_row(const store::Row& r) {
  Photo p;
  p.sha256 = r.text(0);
  p.mime = r.text(1);
  p.size = r.i64(2);
  p.uploaded_by = r.i64(3);
  p.created_at = from_unix_ms(r.i64(4));
  p.event_id = r.opt_i64(5);
  return p;
}

}  // namespace

bool is_photo_id(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<Photo> find_photo(store::Tx& tx, std::string_view sha256) {
  auto row = tx.query_one(
      "SELECT sha256, mime, size, uploaded_by, created_at, event_id FROM photos "
      "WHERE sha256 = ?",
      {sha256});
  if (!row) return std::nullopt;
  return read_row(*row);
}

void attach_photos(store::Tx& tx, int64_t event_id, const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    if (!find_photo(tx, id)) continue;
    tx.exec("UPDATE photos SET event_id = ? WHERE sha256 = ? AND event_id IS NULL", {event_id, id});
    tx.exec(
        "INSERT INTO event_photos (event_id, sha256) VALUES (?, ?) "
        "ON CONFLICT (event_id, sha256) DO NOTHING",
        {event_id, id});
  }
}

const std::vector<store::Migration>& photo_migrations() {
  static const std::vector<store::Migration> list{
      {"photos", 1, R"sql(
CREATE TABLE photos (
  id {pk},
  sha256 TEXT NOT NULL UNIQUE,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  uploaded_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  event_id BIGINT
);
CREATE INDEX photos_event ON photos(event_id);
)sql"},
      // Who may fetch a photo was found by a LIKE over every event's and step's attachments;
      // now one indexed lookup. The backfill reads those attachments once.
      {"photos", 2, R"sql(
CREATE TABLE event_photos (
  event_id BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (event_id, sha256)
);
CREATE INDEX event_photos_photo ON event_photos(sha256, event_id);
INSERT INTO event_photos (event_id, sha256)
SELECT event_id, sha256 FROM photos WHERE event_id IS NOT NULL
UNION
SELECT e.id, p.sha256 FROM events e JOIN photos p ON e.attachments LIKE '%"' || p.sha256 || '"%'
UNION
SELECT s.event_id, p.sha256 FROM event_steps s
JOIN photos p ON s.attachments LIKE '%"' || p.sha256 || '"%';
)sql"},
  };
  return list;
}

}  // namespace wangge::events
