#include "client.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "http/asio.h"

namespace wangge::http::testing {
namespace {

using namespace net;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

tcp::endpoint local(uint16_t port) { return {asio::ip::make_address("127.0.0.1"), port}; }

}  // namespace

std::string Reply::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return {};
}

bool Reply::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

struct Client::Impl {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;

  Reply read(bool head) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    bhttp::read(socket, buffer, parser);
    auto& msg = parser.get();
    Reply r;
    r.status = static_cast<int>(msg.result_int());
    for (const auto& f : msg) {
      r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    r.body = std::move(msg.body());
    return r;
  }
};

Client::Client(uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->socket.connect(local(port));
}

Client::~Client() = default;

Reply Client::request(std::string_view method, std::string_view target, std::string body,
                      const HeaderList& headers) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(beast::string_view(method.data(), method.size()));
  req.target(beast::string_view(target.data(), target.size()));
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [n, v] : headers) req.insert(n, v);
  bool has_body = !body.empty();
  req.body() = std::move(body);
  if (has_body) req.prepare_payload();
  bhttp::write(impl_->socket, req);
  return impl_->read(method == "HEAD");
}

Reply Client::raw(std::string_view bytes) {
  asio::write(impl_->socket, asio::buffer(bytes.data(), bytes.size()));
  return impl_->read(false);
}

void Client::send(std::string_view bytes) {
  asio::write(impl_->socket, asio::buffer(bytes.data(), bytes.size()));
}

bool Client::wait_closed() {
  std::array<char, 1024> scratch;
  boost::system::error_code ec;
  if (impl_->buffer.size() > 0) return false;
  impl_->socket.read_some(asio::buffer(scratch), ec);
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

bool can_connect(uint16_t port) {
  asio::io_context ioc;
  tcp::socket s(ioc);
  boost::system::error_code ec;
  s.connect(local(port), ec);
  return !ec;
}

}  // namespace wangge::http::testing
