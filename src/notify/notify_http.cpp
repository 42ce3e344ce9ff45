// The sender's HTTP client: one synchronous POST per call over http or https (Beast, OpenSSL),
// every step bounded by the timeout. Errors come back as PostResult, never as exceptions.
// clang-format off
#include <utility>  // Boost 1.74's asio needs it first (see http/asio.h)
// clang-format on

#include <openssl/ssl.h>

#include <algorithm>
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

#include "notify/notify.h"

namespace wangge::notify {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Url {
  bool tls = false;
  std::string host, port, target;
};

// http(s)://host[:port][/path][?query], host a name, an IPv4 address or [IPv6]; nullopt when
// malformed or carrying user info.
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
  size_t slash = s.find_first_of("/?#");
  std::string_view authority = s.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(s.substr(slash));
  if (!u.target.empty() && u.target.front() == '?') u.target = "/" + u.target;
  if (auto hash = u.target.find('#'); hash != std::string::npos) u.target.resize(hash);
  if (u.target.empty()) u.target = "/";
  if (authority.find('@') != std::string_view::npos) return std::nullopt;
  u.port = u.tls ? "443" : "80";
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    u.host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (rest.starts_with(":")) {
      u.port = rest.substr(1);
    } else if (!rest.empty()) {
      return std::nullopt;
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
  }
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

bool public_v4(const asio::ip::address_v4& a) {
  const uint32_t v = a.to_uint();
  auto in = [v](uint32_t net, int bits) {
    return bits == 0 || (v >> (32 - bits)) == (net >> (32 - bits));
  };
  return !(in(0x00000000, 8) ||   // 0.0.0.0/8 "this network", unspecified
           in(0x0A000000, 8) ||   // 10/8 private
           in(0x64400000, 10) ||  // 100.64/10 carrier-grade NAT
           in(0x7F000000, 8) ||   // 127/8 loopback
           in(0xA9FE0000, 16) ||  // 169.254/16 link-local (cloud metadata)
           in(0xAC100000, 12) ||  // 172.16/12 private
           in(0xC0000000, 24) ||  // 192.0.0/24 IETF protocol assignments
           in(0xC0000200, 24) ||  // 192.0.2/24 documentation
           in(0xC0A80000, 16) ||  // 192.168/16 private
           in(0xC6120000, 15) ||  // 198.18/15 benchmarking
           in(0xC6336400, 24) ||  // 198.51.100/24 documentation
           in(0xCB007100, 24) ||  // 203.0.113/24 documentation
           in(0xE0000000, 4) ||   // 224/4 multicast
           in(0xF0000000, 4));    // 240/4 reserved, broadcast
}

bool public_v6(const asio::ip::address_v6& a) {
  if (a.is_v4_mapped()) return public_v4(asio::ip::make_address_v4(asio::ip::v4_mapped, a));
  const auto b = a.to_bytes();
  if (a.is_unspecified() || a.is_loopback() || a.is_multicast() || a.is_link_local() ||
      a.is_site_local()) {
    return false;
  }
  if ((b[0] & 0xfe) == 0xfc) return false;  // fc00::/7 unique local
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // 2001:db8::/32
  // 64:ff9b::/96 (NAT64) and ::/96 (IPv4-compatible) carry an IPv4 address: judge that one.
  const bool nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
                     std::all_of(b.begin() + 4, b.begin() + 12, [](auto x) { return x == 0; });
  const bool compat = std::all_of(b.begin(), b.begin() + 12, [](auto x) { return x == 0; });
  if (nat64 || compat) {
    return public_v4(asio::ip::address_v4({b[12], b[13], b[14], b[15]}));
  }
  return true;
}

bool allowed(const asio::ip::address& a, WebhookTargets targets) {
  if (targets.may_reach_intranet) return true;
  return a.is_v4() ? public_v4(a.to_v4()) : public_v6(a.to_v6());
}

// Resolves the host once and checks every address; the caller connects to exactly these.
tcp::resolver::results_type checked_endpoints(tcp::resolver& resolver, const Url& u,
                                              WebhookTargets targets, std::string& refused) {
  auto results = resolver.resolve(u.host, u.port);
  for (const auto& r : results) {
    if (!allowed(r.endpoint().address(), targets)) {
      refused = r.endpoint().address().to_string();
      return {};
    }
  }
  return results;
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

PostResult refused_target(const std::string& address) {
  return {
      0, "refused: " + address + " is a loopback, private or reserved address (SSRF guard)", {}};
}

PostResult post_plain(const Url& u, const Outgoing& out, std::chrono::milliseconds timeout,
                      WebhookTargets targets) {
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  std::string refused;
  auto endpoints = checked_endpoints(resolver, u, targets, refused);
  if (!refused.empty()) return refused_target(refused);
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  stream.connect(endpoints);
  PostResult r = exchange(stream, stream, u, out, timeout);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return r;
}

PostResult post_tls(const Url& u, const Outgoing& out, std::chrono::milliseconds timeout,
                    WebhookTargets targets) {
  asio::io_context ioc;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  tls.set_verify_callback(asio::ssl::host_name_verification(u.host));
  tcp::resolver resolver(ioc);
  std::string refused;
  auto endpoints = checked_endpoints(resolver, u, targets, refused);
  if (!refused.empty()) return refused_target(refused);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str())) {
    return {0, "TLS: cannot set the server name", {}};
  }
  auto& layer = beast::get_lowest_layer(stream);
  layer.expires_after(timeout);
  layer.connect(endpoints);
  layer.expires_after(timeout);
  stream.handshake(asio::ssl::stream_base::client);
  PostResult r = exchange(stream, layer, u, out, timeout);
  beast::error_code ec;
  stream.shutdown(ec);  // peers often skip close_notify; nothing to do about it
  return r;
}

}  // namespace

bool is_public_address(std::string_view ip) {
  boost::system::error_code ec;
  auto a = asio::ip::make_address(std::string(ip), ec);
  return !ec && allowed(a, {});
}

std::string forbidden_target(std::string_view url, WebhookTargets targets) {
  if (targets.may_reach_intranet) return {};
  auto u = parse_url(url);
  if (!u) return {};
  boost::system::error_code ec;
  if (auto a = asio::ip::make_address(u->host, ec); !ec) {
    return allowed(a, targets) ? "" : a.to_string();
  }
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(u->host, u->port, ec);
  if (ec) return {};  // not resolvable now: checked again when sending
  for (const auto& r : results) {
    if (!allowed(r.endpoint().address(), targets)) return r.endpoint().address().to_string();
  }
  return {};
}

PostResult http_post(const Outgoing& out, std::chrono::milliseconds timeout,
                     WebhookTargets targets) {
  auto u = parse_url(out.url);
  if (!u) return {0, "malformed URL", {}};
  try {
    return u->tls ? post_tls(*u, out, timeout, targets) : post_plain(*u, out, timeout, targets);
  } catch (const std::exception& e) {
    return {0, e.what(), {}};
  }
}

}  // namespace wangge::notify
