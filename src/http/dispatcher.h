// The request pipeline without the network: route → before hooks → declared-parameter checks
// → handler → errors mapped to statuses, plus static files, the built-in routes (/healthz,
// /metrics, /api/openapi.json), request metrics and the access log. The server feeds it
// requests off the socket; tests of route tables may call handle() directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/metrics.h"
#include "http/request.h"
#include "http/router.h"
#include "http/static_files.h"

namespace spdlog {
class logger;
}

namespace wangge::http {

// Runs after routing and before the handler, so req.route and req.params are set (hooks do
// not run for 404/405 or static files). Throw an Error to reject (unauthorized → 401, …);
// fill req.context to pass the caller's identity to the handler.
using BeforeHook = std::function<void(Request& req)>;

// A named readiness check for /healthz. Throwing (any exception) marks it failed.
using HealthCheck = std::function<void()>;

// When Set-Cookie headers get the Secure attribute. automatic: when the request came over TLS,
// which a plain-HTTP server knows only from a trusted proxy (ServerOptions::trusted_proxies
// and its X-Forwarded-Proto: https), see Request::secure.
enum class SecureCookie { automatic, always, never };

struct DispatcherOptions {
  std::string api_title = "wangge";
  std::string api_version = "0.1.0";
  bool access_log = true;  // one line per request on stdout (http/access_log.h)
  SecureCookie secure_cookie = SecureCookie::automatic;
  // /metrics answers a request from a loopback peer that no proxy forwarded, and any request
  // carrying "Authorization: Bearer <metrics_token>" when this is not empty; others get 403.
  std::string metrics_token;
  // A request that took at least this long (read to response written) is logged as slow with
  // its route, status and time; zero logs none.
  std::chrono::milliseconds slow_request{1000};
};

class Dispatcher {
 public:
  explicit Dispatcher(DispatcherOptions options = {});
  ~Dispatcher();  // writes out the access log lines still gathered
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Configuration. REQUIRES: done before the first handle(), from one thread.
  Router& router() { return router_; }
  void before(BeforeHook hook);
  void serve_static(StaticOptions options);
  void add_health_check(std::string name, HealthCheck check);
  // Edits the generated OpenAPI document before it is first served (authentication adds its
  // securitySchemes and the global "security" that authenticated routes inherit).
  void customize_openapi(std::function<void(nlohmann::json&)> fn);

  MetricsRegistry& metrics() { return metrics_; }

  // The response for req; never throws. Fills req.lang, req.params and req.route. Errors
  // thrown by hooks and handlers become JSON error bodies; anything that is not a
  // wangge::Error is logged and answered with a generic 500.
  Response handle(Request& req) noexcept;

  // Counts the finished request in the metrics and writes the access log line.
  // bytes: body bytes sent; elapsed: from the request read to the response written.
  void record(const Request& req, int status, size_t bytes,
              std::chrono::microseconds elapsed) noexcept;

 private:
  Response route(Request& req);
  Response healthz() const;
  void check_metrics_access(const Request& req) const;
  bool secure_cookies(const Request& req) const;
  const std::string& openapi_text() const;
  void add_builtin_routes();

  DispatcherOptions options_;
  std::shared_ptr<spdlog::logger> access_log_;  // null when options_.access_log is off
  const uint64_t serial_;  // identifies this dispatcher in per-thread metric caches
  Router router_;
  MetricsRegistry metrics_;
  std::vector<BeforeHook> before_;
  std::optional<StaticFiles> static_;
  std::vector<std::pair<std::string, HealthCheck>> health_checks_;
  std::vector<std::function<void(nlohmann::json&)>> openapi_customizers_;
  mutable std::once_flag openapi_once_;
  mutable std::string openapi_text_;
  Gauge& in_flight_;
  const std::vector<double> latency_buckets_;
};

}  // namespace wangge::http
