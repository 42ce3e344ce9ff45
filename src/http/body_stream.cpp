#include "http/body_stream.h"

#include <atomic>
#include <mutex>
#include <unordered_map>

namespace wangge::http {
namespace {

struct Table {
  std::mutex mu;
  std::unordered_map<std::string, std::shared_ptr<BodyStream>> streams;
  std::atomic<uint64_t> next{1};
};

Table& table() {
  static Table t;
  return t;
}

}  // namespace

std::string hand_over(std::shared_ptr<BodyStream> stream) {
  Table& t = table();
  std::string token = std::to_string(t.next.fetch_add(1));
  std::lock_guard lock(t.mu);
  t.streams.emplace(token, std::move(stream));
  return token;
}

std::shared_ptr<BodyStream> take_over(std::string_view token) {
  Table& t = table();
  std::lock_guard lock(t.mu);
  auto it = t.streams.find(std::string(token));
  if (it == t.streams.end()) return nullptr;
  auto s = std::move(it->second);
  t.streams.erase(it);
  return s;
}

}  // namespace wangge::http
