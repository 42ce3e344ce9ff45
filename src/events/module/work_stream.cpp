#include "events/module/work_stream.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "events/internal.h"

namespace wangge::api {

// One client's stream: the messages waiting to go out, and the server's wake-up.
class WorkStreams::Stream : public http::BodyStream {
 public:
  // root: the actor's scope ("" sees nothing); by_place: events owned or placed in it count,
  // not only those with parts summoned into it (a department handler: false).
  Stream(std::string root, bool by_place, bool once)
      : root_(std::move(root)), by_place_(by_place), once_(once) {}

  void on_ready(std::function<void()> wake) override {
    std::lock_guard lock(mu_);
    wake_ = std::move(wake);
  }
  std::optional<std::string> take() override {
    std::function<void()> wake;
    std::string out;
    {
      std::lock_guard lock(mu_);
      if (ended_) return std::nullopt;
      out.swap(queue_);
      if (once_) {  // the first message (hello), then the end, without waiting for a ping
        ended_ = true;
        wake = wake_;
      }
    }
    if (wake) wake();
    return out;
  }
  // Queues a message and wakes the server; far behind (a stalled client), the oldest go.
  void push(const std::string& message) {
    std::function<void()> wake;
    {
      std::lock_guard lock(mu_);
      if (queue_.size() > (1 << 16)) queue_.clear();
      queue_ += message;
      wake = wake_;
    }
    if (wake) wake();
  }
  // Whether the actor behind the stream may see an event owned by owner, placed in grid,
  // with parts summoned to part_orgs (the list's visibility, service.h).
  bool sees(const std::string& owner, const std::string& grid,
            const std::vector<std::string>& part_orgs) const {
    if (root_.empty()) return false;
    if (by_place_ &&
        (events::detail::within(owner, root_) || events::detail::within(grid, root_))) {
      return true;
    }
    return std::any_of(part_orgs.begin(), part_orgs.end(),
                       [&](const std::string& o) { return events::detail::within(o, root_); });
  }

 private:
  const std::string root_;
  const bool by_place_, once_;
  bool ended_ = false;
  std::mutex mu_;
  std::string queue_;
  std::function<void()> wake_;
};

std::shared_ptr<WorkStreams> WorkStreams::create(store::Database& db) {
  std::shared_ptr<WorkStreams> self(new WorkStreams(db));
  std::weak_ptr<WorkStreams> weak = self;
  db.subscribe([weak](std::span<const store::Change> changes) {
    auto streams = weak.lock();
    if (!streams) return;
    std::vector<int64_t> ids, created;
    for (const auto& c : changes) {
      if (c.kind != &events::kEvent) continue;
      ids.push_back(c.id);
      if (c.change == store::ChangeKind::created) created.push_back(c.id);
    }
    if (!ids.empty()) streams->changed(ids, created);
  });
  return self;
}

std::shared_ptr<http::BodyStream> WorkStreams::open(store::Tx& tx, const events::Actor& actor,
                                                    bool once) {
  // Residents see only what they reported or follow: the feed tells them nothing.
  std::string root = actor.resident_only() ? "" : events::detail::scope_root(tx, actor);
  auto s = std::make_shared<Stream>(root, !actor.parts_only(), once);
  // The first message: the client knows it is connected (and reconnects after 5 s if not).
  s->push("retry: 5000\nevent: hello\ndata: {}\n\n");
  std::lock_guard lock(mu_);
  std::erase_if(streams_, [](const std::weak_ptr<Stream>& w) { return w.expired(); });
  streams_.push_back(s);
  return s;
}

size_t WorkStreams::open_streams() {
  std::lock_guard lock(mu_);
  std::erase_if(streams_, [](const std::weak_ptr<Stream>& w) { return w.expired(); });
  return streams_.size();
}

void WorkStreams::changed(const std::vector<int64_t>& ids, const std::vector<int64_t>& created) {
  std::vector<std::shared_ptr<Stream>> live;
  {
    std::lock_guard lock(mu_);
    for (const auto& w : streams_) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  if (live.empty()) return;
  // Where the events are now: one read after the commit, for every stream at once.
  struct Place {
    std::string owner, grid;
    std::vector<std::string> parts;
  };
  std::unordered_map<int64_t, Place> places;
  try {
    auto tx = db_.begin(store::TxMode::read);
    std::string in;
    store::Params p;
    for (int64_t id : ids) {
      in += in.empty() ? "?" : ", ?";
      p.emplace_back(id);
    }
    for (const auto& r :
         tx->query("SELECT e.id, o.code, g.code FROM events e JOIN orgs o ON o.id = e.owner_id "
                   "JOIN orgs g ON g.id = e.grid_id WHERE e.id IN (" +
                       in + ")",
                   p)) {
      places[r.i64(0)] = {r.text(1), r.text(2), {}};
    }
    for (const auto& r : tx->query("SELECT p.event_id, o.code FROM event_parts p JOIN orgs o ON "
                                   "o.id = p.org_id WHERE p.event_id IN (" +
                                       in + ")",
                                   p)) {
      places[r.i64(0)].parts.push_back(r.text(1));
    }
  } catch (const std::exception& e) {
    spdlog::warn("workbench stream: reading changed events failed: {}", e.what());
    return;
  }
  for (const auto& s : live) {
    nlohmann::json seen = nlohmann::json::array(), fresh = nlohmann::json::array();
    for (const auto& [id, at] : places) {
      if (!s->sees(at.owner, at.grid, at.parts)) continue;
      seen.push_back(id);
      if (std::find(created.begin(), created.end(), id) != created.end()) fresh.push_back(id);
    }
    if (seen.empty()) continue;
    s->push("event: work\ndata: " + nlohmann::json{{"ids", seen}, {"created", fresh}}.dump() +
            "\n\n");
  }
}

}  // namespace wangge::api
