// 待办's live feed (GET /api/v1/workbench/stream, server-sent events): when a committed write
// touches events, every open stream whose user may see one of them gets one message naming
// the ids, and the console re-reads its counts and list through the ordinary scoped API. Fed
// by the database's change listeners (no polling); a stream ends when its client leaves.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "events/service.h"
#include "http/body_stream.h"
#include "store/database.h"

namespace wangge::api {

class WorkStreams {
 public:
  // Subscribes to db's changes for the life of the process (listeners are never removed; the
  // listener holds this object weakly). REQUIRES: db outlives every stream.
  static std::shared_ptr<WorkStreams> create(store::Database& db);

  // A new stream for the actor, scoped as the event list is (its org subtree, or only the
  // parts summoned to it for a department handler; nothing for a resident). Reads the actor's
  // scope in tx. It starts with a "hello" message; once: it ends after it (a client checking
  // that it may listen).
  std::shared_ptr<http::BodyStream> open(store::Tx& tx, const events::Actor& actor,
                                         bool once = false);

  // Tells the streams about these changed events (what the change listener does).
  void changed(const std::vector<int64_t>& ids, const std::vector<int64_t>& created);

  size_t open_streams();

 private:
  explicit WorkStreams(store::Database& db) : db_(db) {}
  class Stream;
  store::Database& db_;
  std::mutex mu_;
  std::vector<std::weak_ptr<Stream>> streams_;
};

}  // namespace wangge::api
