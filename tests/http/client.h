// A synchronous HTTP/1.1 client over one TCP connection, for the server tests. Beast stays in
// client.cpp so the test files compile fast.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wangge::http::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  int status = 0;
  HeaderList headers;
  std::string body;

  // The first value of a header, "" when absent (names compare case-insensitively).
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The body as JSON; a discarded value when it is not JSON.
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One connection to 127.0.0.1:port, kept open across requests (keep-alive).
class Client {
 public:
  explicit Client(uint16_t port);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends a request and reads the reply. Throws std::system_error when the connection fails
  // (e.g. the server closed it).
  Reply request(std::string_view method, std::string_view target, std::string body = {},
                const HeaderList& headers = {});
  Reply get(std::string_view target, const HeaderList& headers = {}) {
    return request("GET", target, {}, headers);
  }

  // Writes bytes as they are, then reads one reply (for requests Beast would not build).
  Reply raw(std::string_view bytes);

  // Writes bytes as they are and reads nothing (half a request, for timeout tests).
  void send(std::string_view bytes);

  // Blocks until the server closes the connection; true when it did (EOF or reset), false
  // when bytes arrived instead.
  bool wait_closed();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when a TCP connection to 127.0.0.1:port is accepted.
bool can_connect(uint16_t port);

}  // namespace wangge::http::testing
