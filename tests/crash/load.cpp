#include "crash/load.h"

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "core/digest.h"
#include "http/client.h"

namespace wangge::crash {
namespace {

using http::testing::Client;
using http::testing::HeaderList;
using http::testing::Reply;
using nlohmann::json;

enum Kind { kReport0, kReport1, kSteps, kColors, kPhotos, kKinds };

constexpr const char* kActions[] = {"accept", "start", "resolve", "verify_pass"};
constexpr const char* kColorCycle[] = {"red", "yellow", "green"};

std::string report_body(const std::string& key) {
  return json{{"category", "infra.sewage"}, {"title", "crash " + key}}.dump();
}

std::string action_body(const std::string& action) {
  json b = {{"action", action}};
  if (action == "resolve") b["note"] = "已处理完毕";
  return b.dump();
}

bool is_2xx(const Reply& r) { return r.status >= 200 && r.status < 300; }

}  // namespace

Load::Load(LoadOptions options) : options_(std::move(options)) {
  for (int k = 0; k < kKinds; ++k) threads_.emplace_back([this, k] { writer(k); });
}

Load::~Load() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void Load::run(uint16_t port) {
  std::lock_guard lock(mu_);
  port_ = port;
  ++generation_;
  running_ = true;
  cv_.notify_all();
}

void Load::hold() {
  std::unique_lock lock(mu_);
  running_ = false;
  cv_.notify_all();
  cv_.wait(lock, [this] { return busy_ == 0; });
}

bool Load::wait_acknowledged(size_t n, const std::function<bool()>& alive) {
  std::unique_lock lock(mu_);
  const size_t target = ledger_.acknowledged() + n;
  // A server that answers but acknowledges nothing for a minute has failed as surely.
  auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  size_t seen = ledger_.acknowledged();
  while (ledger_.acknowledged() < target) {
    if (!alive() || std::chrono::steady_clock::now() > give_up) return false;
    cv_.wait_for(lock, std::chrono::milliseconds(100));
    if (ledger_.acknowledged() != seen) {
      seen = ledger_.acknowledged();
      give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    }
  }
  return true;
}

Ledger Load::ledger() {
  std::lock_guard lock(mu_);
  return ledger_;
}

// One writer: waits for a running server, keeps one connection to it, and after each restart
// first resubmits what it sent there and got no answer for.
void Load::writer(int kind) {
  std::mt19937_64 rng(options_.seed * 31 + static_cast<uint64_t>(kind));
  const HeaderList auth = {{"Authorization", "Bearer " + options_.token},
                           {"Content-Type", "application/json"}};
  const std::string prefix = options_.tag + "-" + std::to_string(kind) + "-";
  uint64_t generation = 0, seq = 0;
  uint16_t port = 0;
  std::unique_ptr<Client> client;
  // kSteps: the event under way and its next action; events whose last step went unanswered
  // wait for the restart with the key they were sent with.
  struct Advance {
    int64_t id = 0;
    size_t next = 0;
  };
  std::optional<Advance> current;
  std::vector<Advance> unsure;
  // kColors: the colour each resident has, as far as this writer knows (empty: unknown).
  std::map<int64_t, std::string> known;
  uint64_t resubmitted_for = 0;

  auto send = [&](const std::string& method, const std::string& target, std::string body,
                  HeaderList headers) -> std::optional<Reply> {
    if (!client) {
      try {
        client = std::make_unique<Client>(port);
      } catch (const std::exception&) {
        return std::nullopt;  // nothing was sent
      }
    }
    try {
      return client->request(method, target, std::move(body), headers);
    } catch (const std::exception&) {
      client.reset();
      throw;  // sent, and no answer: the caller records it as unanswered
    }
  };
  auto with = [&](HeaderList h, const std::string& name, const std::string& value) {
    h.emplace_back(name, value);
    return h;
  };
  auto refused = [&](const std::string& what, const Reply& r) {
    std::lock_guard lock(mu_);
    ledger_.refused.push_back("life " + std::to_string(generation) + ": " + what + " → " +
                              std::to_string(r.status) + " " + r.body.substr(0, 200));
  };

  auto report = [&](const std::string& key) {
    std::optional<Reply> r;
    try {
      r = send("POST", "/api/v1/events", report_body(key), with(auth, "Idempotency-Key", key));
    } catch (const std::exception&) {
      std::lock_guard lock(mu_);
      ledger_.created_unanswered.insert(key);
      return false;
    }
    if (!r) return false;
    std::lock_guard lock(mu_);
    if (r->status == 201) {
      int64_t id = r->json()["id"].get<int64_t>();
      if (r->has_header("Idempotent-Replayed")) ++ledger_.replayed;
      ledger_.created[key] = id;
      ledger_.created_unanswered.erase(key);
      to_advance_.push_back(id);
      cv_.notify_all();
      return true;
    }
    if (r->status == 200 && r->json().value("code", "") == "idempotency_answer_lost") {
      // Done by a run whose answer a kill lost: acknowledged now, its id unknown (0).
      ++ledger_.answer_lost;
      ledger_.created[key] = 0;
      ledger_.created_unanswered.erase(key);
      return true;
    }
    if (r->status == 409 && r->body.find("idempotency_in_progress") != std::string::npos) {
      ledger_.created_unanswered.insert(key);  // its first run's fate is still open
      return false;
    }
    ledger_.refused.push_back("life " + std::to_string(generation) + ": report " + key + " → " +
                              std::to_string(r->status) + " " + r->body.substr(0, 200));
    return false;
  };

  // Sends the next step of a; returns false when it went unanswered (a is then unsure).
  auto step = [&](Advance& a) {
    const std::string action = kActions[a.next];
    const std::string what = std::to_string(a.id) + " " + action;
    std::optional<Reply> r;
    try {
      r = send("POST", "/api/v1/events/" + std::to_string(a.id) + "/actions", action_body(action),
               with(auth, "Idempotency-Key", prefix + std::to_string(a.id) + "-" + action));
    } catch (const std::exception&) {
      std::lock_guard lock(mu_);
      ledger_.steps_unanswered.insert(what);
      return false;
    }
    if (!r) return false;
    if (is_2xx(*r)) {
      std::lock_guard lock(mu_);
      if (r->has_header("Idempotent-Replayed")) ++ledger_.replayed;
      ledger_.steps.insert(what);
      ledger_.steps_unanswered.erase(what);
      ++a.next;
      cv_.notify_all();
      return true;
    }
    if (r->status == 409 && r->body.find("idempotency_in_progress") != std::string::npos) {
      return false;
    }
    refused("step " + what, *r);
    a.next = std::size(kActions);  // give this event up
    return true;
  };

  auto change_color = [&](int64_t resident) {
    std::string color;
    for (const char* c : kColorCycle) {
      if (known[resident] != c) color = c;
    }
    const std::string reason = "crash " + prefix + std::to_string(seq++);
    {
      std::lock_guard lock(mu_);
      ledger_.color_order[resident].push_back(reason);
    }
    std::optional<Reply> r;
    try {
      r = send("PATCH", "/api/v1/residents/" + std::to_string(resident),
               json{{"color", color}, {"reason", reason}}.dump(), auth);
    } catch (const std::exception&) {
      std::lock_guard lock(mu_);
      ledger_.colors_unanswered[reason] = {resident, color};
      known[resident].clear();
      return;
    }
    if (!r) return;
    if (r->status == 200) {
      std::lock_guard lock(mu_);
      ledger_.colors[reason] = {resident, color};
      known[resident] = color;
      cv_.notify_all();
    } else {
      refused("colour " + reason, *r);
    }
  };

  auto upload = [&] {
    std::string bytes = "\x89PNG\r\n\x1A\n" + prefix + std::to_string(seq++) + "\n";
    bytes.resize(bytes.size() + 512 + rng() % 16384, static_cast<char>('a' + rng() % 26));
    std::optional<Reply> r;
    try {
      r = send("POST", "/api/v1/photos", bytes,
               {{"Authorization", "Bearer " + options_.token}, {"Content-Type", "image/png"}});
    } catch (const std::exception&) {
      return;  // its file may stay without a row: the server must clean it
    }
    if (!r) return;
    if (r->status == 201) {
      std::lock_guard lock(mu_);
      ledger_.photos[sha256_hex(bytes)] = static_cast<int64_t>(bytes.size());
      cv_.notify_all();
    } else {
      refused("photo", *r);
    }
  };

  // After a restart: what went unanswered is sent again with the same key.
  auto resubmit = [&] {
    if (kind == kReport0 || kind == kReport1) {
      std::vector<std::string> keys;
      {
        std::lock_guard lock(mu_);
        for (const auto& k : ledger_.created_unanswered) {
          if (k.starts_with(prefix)) keys.push_back(k);
        }
      }
      for (const auto& k : keys) report(k);
    } else if (kind == kSteps) {
      // Answered now, or given up (409 in progress: the lease keeps its key for minutes); an
      // event given up is held to "at most once".
      for (auto& a : unsure) step(a);
      unsure.clear();
    } else if (kind == kColors) {
      for (int64_t resident : options_.residents) {
        std::string& color = known[resident];
        if (!color.empty()) continue;
        auto r = send("GET", "/api/v1/residents/" + std::to_string(resident), {}, auth);
        if (r && r->status == 200 && r->json()["color"].is_string()) {
          color = r->json()["color"].get<std::string>();
        }
      }
    }
  };

  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] {
        return stop_ || (running_ && (kind != kSteps || current || !to_advance_.empty() ||
                                      generation_ != generation));
      });
      if (stop_) return;
      if (generation_ != generation) {
        generation = generation_;
        port = port_;
        client.reset();
      }
      ++busy_;
    }
    try {
      if (resubmitted_for != generation) {
        resubmitted_for = generation;
        resubmit();
      }
      switch (kind) {
        case kReport0:
        case kReport1:
          report(prefix + std::to_string(seq++));
          break;
        case kSteps:
          if (!current) {
            std::lock_guard lock(mu_);
            if (!to_advance_.empty()) {
              current = Advance{to_advance_.front(), 0};
              to_advance_.erase(to_advance_.begin());
            }
          }
          if (current) {
            if (!step(*current)) {
              unsure.push_back(*current);
              current.reset();
            } else if (current->next == std::size(kActions)) {
              current.reset();
            }
          }
          break;
        case kColors:
          if (!options_.residents.empty()) {
            change_color(options_.residents[rng() % options_.residents.size()]);
          }
          break;
        case kPhotos:
          upload();
          break;
        default:
          break;
      }
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): the server went away
      client.reset();
    }
    {
      std::lock_guard lock(mu_);
      --busy_;
    }
    cv_.notify_all();
  }
}

}  // namespace wangge::crash
