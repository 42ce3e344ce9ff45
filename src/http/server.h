// The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines, kept out of this header.
// I/O threads only move bytes; every handler runs on a separate pool because handlers do
// blocking database work.
//
//   http::Server server({.address = "0.0.0.0", .port = 8080});
//   server.router().add({.method = http::Method::get, .path = "/api/v1/orgs/{code}", …});
//   server.before(authenticate);
//   server.serve_static({.root = "web/dist"});
//   server.run_until_signal();  // SIGINT / SIGTERM → graceful stop
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/dispatcher.h"

namespace wangge::http {

// The web app's scripts come from this origin only; Element Plus and Leaflet set inline
// styles; map tiles come from whatever https server the settings name (and data:/blob: images
// from ECharts' exports and Leaflet); nothing may frame the pages.
inline constexpr std::string_view kDefaultContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

// Requests that may write (POST, PUT, PATCH, DELETE) run on write_threads of their own, so
// that writers waiting their turn at the database never hold up reads, and enough of them wait
// at once for the database to commit them together.
struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;                 // 0: any free port (see Server::port())
  int io_threads = 0;                   // 0: one per core
  int handler_threads = 0;              // 0: max(4, 2 × cores)
  int write_threads = 0;                // 0: as many as handler_threads
  size_t max_header_bytes = 16 * 1024;  // larger → 431
  // The ceiling of every route's Route::max_body_bytes; a larger body → 413, refused when the
  // header announces it, before the body is read.
  size_t max_body_bytes = 16 * 1024 * 1024;
  // Connections open at once; one more is answered 503 and closed without reading from it.
  size_t max_connections = 4096;
  // A new connection's first request, and any request once its first byte arrived, must have
  // sent its whole header within header_timeout (a slowloris client is closed).
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  // The body must arrive at min_body_rate bytes per second at least, after a grace of
  // header_timeout, and within body_timeout in any case.
  std::chrono::milliseconds body_timeout{std::chrono::seconds(120)};
  size_t min_body_rate = 32 * 1024;
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};  // keep-alive wait
  std::chrono::milliseconds write_timeout{std::chrono::seconds(120)};
  // How long stop() lets in-flight requests finish before closing their connections.
  std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(10)};
  // Peers (exact IP addresses) whose X-Forwarded-For and X-Forwarded-Proto are believed: the
  // client's address becomes the last address the proxies did not add themselves, and
  // "X-Forwarded-Proto: https" marks the request secure (Request::secure).
  std::vector<std::string> trusted_proxies = {"127.0.0.1", "::1"};
  // Sent with every response (API, static files, errors) with X-Frame-Options: DENY,
  // X-Content-Type-Options: nosniff and Referrer-Policy: same-origin.
  std::string content_security_policy = std::string(kDefaultContentSecurityPolicy);
  DispatcherOptions dispatch;
};

class Server {
 public:
  explicit Server(ServerOptions options = {});
  ~Server();  // stop()s a running server
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Configuration. REQUIRES: before start().
  Dispatcher& dispatcher();
  Router& router() { return dispatcher().router(); }
  MetricsRegistry& metrics() { return dispatcher().metrics(); }
  void before(BeforeHook hook) { dispatcher().before(std::move(hook)); }
  void serve_static(StaticOptions options) { dispatcher().serve_static(std::move(options)); }
  // Called once on the thread in stop() when the acceptor has closed and draining begins
  // (e.g. to log, or to tell a load balancer). REQUIRES: before start().
  void on_drain(std::function<void()> fn);

  // Binds, listens and starts the I/O and handler threads; returns at once with the bound
  // port. Throws std::system_error when the address cannot be bound. REQUIRES: not started.
  uint16_t start();
  // The bound port; 0 before start().
  uint16_t port() const;

  // Graceful stop: closes the acceptor and idle keep-alive connections, lets in-flight
  // requests finish (their responses say Connection: close) until shutdown_timeout, then
  // closes whatever is left and joins the threads. Blocks until done; a no-op when not
  // running. REQUIRES: not called from a handler (it waits for the handler pool).
  void stop();

  // start() unless started, then block until SIGINT or SIGTERM arrives, then stop().
  void run_until_signal();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wangge::http
