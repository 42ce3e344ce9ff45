// Who may fetch a photo: kept apart from photos.cpp because it reads the events service.
#include "core/error.h"
#include "events/photos.h"
#include "events/service.h"

namespace wangge::events {

bool may_view_photo(store::Tx& tx, const Actor& actor, const Photo& photo) {
  if (actor.user_id != 0 && photo.uploaded_by == actor.user_id) return true;
  std::vector<int64_t> candidates;
  if (photo.event_id) candidates.push_back(*photo.event_id);
  // Attachments are JSON arrays of ids; a quoted 64-hex id cannot match anything else.
  const std::string pattern = "%\"" + photo.sha256 + "\"%";
  for (const char* sql :
       {"SELECT id FROM events WHERE attachments LIKE ? ORDER BY id LIMIT 20",
        "SELECT DISTINCT event_id FROM event_steps WHERE attachments LIKE ? LIMIT 20"}) {
    for (const auto& r : tx.query(sql, {pattern})) candidates.push_back(r.i64(0));
  }
  for (int64_t id : candidates) {
    try {
      get_event(tx, actor, id);
      return true;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;
    }
  }
  return false;
}

}  // namespace wangge::events
