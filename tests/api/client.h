// A small synchronous HTTP/1.1 client for the API tests: one connection per request, so a
// test never depends on keep-alive. Beast stays in client.cpp.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wangge::api::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  int status = 0;
  HeaderList headers;
  std::string body;

  // Every value of a header (names compare case-insensitively).
  std::vector<std::string> all(std::string_view name) const;
  std::string header(std::string_view name) const;
  // The body as JSON; a discarded value when it is not JSON.
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  // error.code / error.field / error.message of an error body ("" when absent).
  std::string error_code() const;
  std::string error_field() const;
  std::string error_message() const;
};

// Sends one request to 127.0.0.1:port and reads the reply.
Reply send(uint16_t port, std::string_view method, std::string_view target,
           const HeaderList& headers = {}, std::string body = {});

}  // namespace wangge::api::testing
