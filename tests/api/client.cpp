#include "client.h"

#include <strings.h>

#include "http/asio.h"

namespace wangge::api::testing {
namespace {

std::string member(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains("error") || !j["error"].contains(key)) return "";
  const auto& v = j["error"][key];
  return v.is_string() ? v.get<std::string>() : "";
}

}  // namespace

std::vector<std::string> Reply::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) {
      out.push_back(v);
    }
  }
  return out;
}

std::string Reply::header(std::string_view name) const {
  auto values = all(name);
  return values.empty() ? "" : values.front();
}

std::string Reply::error_code() const { return member(json(), "code"); }
std::string Reply::error_field() const { return member(json(), "field"); }
std::string Reply::error_message() const { return member(json(), "message"); }

Reply send(uint16_t port, std::string_view method, std::string_view target,
           const HeaderList& headers, std::string body) {
  using namespace http::net;
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  bhttp::request<bhttp::string_body> req;
  req.method_string(beast::string_view(method.data(), method.size()));
  req.target(beast::string_view(target.data(), target.size()));
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::connection, "close");
  for (const auto& [n, v] : headers) req.insert(n, v);
  if (!body.empty()) {
    req.set(bhttp::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
  }
  bhttp::write(socket, req);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(socket, buffer, res);
  Reply r;
  r.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  }
  r.body = std::move(res.body());
  return r;
}

}  // namespace wangge::api::testing
