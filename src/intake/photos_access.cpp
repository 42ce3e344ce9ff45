// Who may fetch a photo: kept apart from photos.cpp because it reads the events service.
#include "core/error.h"
#include "events/service.h"
#include "intake/photos.h"

namespace wangge::intake {

bool may_view_photo(store::Tx& tx, const events::Actor& actor, const events::Photo& photo) {
  if (actor.user_id != 0 && photo.uploaded_by == actor.user_id) return true;
  for (const auto& r :
       tx.query("SELECT event_id FROM event_photos WHERE sha256 = ? ORDER BY event_id LIMIT 20",
                {photo.sha256})) {
    try {
      get_event(tx, actor, r.i64(0));
      return true;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;
    }
  }
  return false;
}

}  // namespace wangge::intake
