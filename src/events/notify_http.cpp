// The sender's HTTP client: one synchronous POST per call over http or https (Beast, OpenSSL),
// every step bounded by the timeout. Errors come back as PostResult, never as exceptions.
// clang-format off
#include <utility>  // Boost 1.74's asio needs it first (see http/asio.h)
// clang-format on

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "events/notify.h"

namespace wangge::events {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Url {
  bool tls = false;
  std::string host, port, target;
};

// http(s)://host[:port][/path][?query]; nullopt when malformed.
std::optional<Url> parse_url(std::string_view s) {
  Url u;
  if (s.starts_with("https://")) {
    u.tls = true;
    s.remove_prefix(8);
  } else if (s.starts_with("http://")) {
    s.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  size_t slash = s.find_first_of("/?");
  std::string_view authority = s.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(s.substr(slash));
  if (!u.target.empty() && u.target.front() == '?') u.target = "/" + u.target;
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

bhttp::request<bhttp::string_body> make_request(const Url& u, const Outgoing& out) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, u.target, 11};
  req.set(bhttp::field::host, u.host);
  req.set(bhttp::field::user_agent, "wangge-notify/1");
  req.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : out.headers) req.set(name, value);
  req.body() = out.body;
  req.prepare_payload();
  return req;
}

template <class Stream>
PostResult exchange(Stream& stream, beast::tcp_stream& tcp_layer, const Url& u, const Outgoing& out,
                    std::chrono::milliseconds timeout) {
  tcp_layer.expires_after(timeout);
  auto req = make_request(u, out);
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(1024 * 1024);
  tcp_layer.expires_after(timeout);
  bhttp::read(stream, buffer, parser);
  auto res = parser.release();
  return {static_cast<int>(res.result_int()), {}, std::move(res.body())};
}

PostResult post_plain(const Url& u, const Outgoing& out, std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  stream.connect(resolver.resolve(u.host, u.port));
  PostResult r = exchange(stream, stream, u, out, timeout);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return r;
}

PostResult post_tls(const Url& u, const Outgoing& out, std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  tls.set_verify_callback(asio::ssl::host_name_verification(u.host));
  tcp::resolver resolver(ioc);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str())) {
    return {0, "TLS: cannot set the server name", {}};
  }
  auto& layer = beast::get_lowest_layer(stream);
  layer.expires_after(timeout);
  layer.connect(resolver.resolve(u.host, u.port));
  layer.expires_after(timeout);
  stream.handshake(asio::ssl::stream_base::client);
  PostResult r = exchange(stream, layer, u, out, timeout);
  beast::error_code ec;
  stream.shutdown(ec);  // peers often skip close_notify; nothing to do about it
  return r;
}

}  // namespace

PostResult http_post(const Outgoing& out, std::chrono::milliseconds timeout) {
  auto u = parse_url(out.url);
  if (!u) return {0, "malformed URL", {}};
  try {
    return u->tls ? post_tls(*u, out, timeout) : post_plain(*u, out, timeout);
  } catch (const std::exception& e) {
    return {0, e.what(), {}};
  }
}

}  // namespace wangge::events
