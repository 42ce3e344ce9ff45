#include "http/dispatcher.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <unordered_map>

#include "http/access_log.h"
#include "http/errors.h"
#include "http/json_input.h"

namespace wangge::http {
namespace {

bool is_json_type(std::string_view content_type) {
  std::string_view mime = content_type.substr(0, content_type.find(';'));
  while (!mime.empty() && mime.back() == ' ') mime.remove_suffix(1);
  return mime == "application/json" || mime.ends_with("+json");
}

// Declared query and path parameters must parse as their types before the handler runs, so
// the OpenAPI document and the behaviour agree.
[[noreturn]] void throw_bad_format(std::string_view what_zh, std::string_view what_en,
                                   const std::string& name) {
  throw_bad_input("invalid_format", fmt::format("{} {} 的格式不正确", what_zh, name),
                  fmt::format("{} {} is not in the expected format", what_en, name), name);
}

void check_declared_params(const Request& req, const Route& route, const Router& router) {
  for (const auto& p : route.path_params) {
    if (p.type == ParamType::integer) req.param_int(p.name);
    if (!router.matches_pattern(p, req.param(p.name)))
      throw_bad_format("路径参数", "Path parameter", p.name);
  }
  for (const auto& p : route.query) {
    auto value = req.query.get(p.name);
    if (!value || value->empty()) {
      if (p.required) {
        throw_bad_input("missing_query", fmt::format("缺少查询参数 {}", p.name),
                        fmt::format("Missing query parameter {}", p.name), p.name);
      }
      continue;
    }
    switch (p.type) {
      case ParamType::integer:
        req.query.get_int(p.name);
        break;
      case ParamType::number:
        req.query.get_double(p.name);
        break;
      case ParamType::boolean:
        req.query.get_bool(p.name);
        break;
      case ParamType::string:
        break;
    }
    if (!router.matches_pattern(p, *value)) throw_bad_format("查询参数", "Query parameter", p.name);
    if (!p.allowed.empty() &&
        std::find(p.allowed.begin(), p.allowed.end(), *value) == p.allowed.end()) {
      throw_bad_input(
          "invalid_value",
          fmt::format("查询参数 {} 应为以下之一：{}", p.name, fmt::join(p.allowed, "、")),
          fmt::format("Query parameter {} must be one of: {}", p.name, fmt::join(p.allowed, ", ")),
          p.name);
    }
  }
}

// Compares without an early exit, so response times do not tell how much of a guess matched.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool is_loopback(std::string_view address) {
  return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

// Adds the Secure attribute to every Set-Cookie that lacks it.
void mark_cookies_secure(Response& res) {
  constexpr std::string_view kSetCookie = "set-cookie";
  std::vector<Headers::Field> cookies;
  for (const auto& f : res.headers.fields()) {
    bool set_cookie =
        std::equal(f.first.begin(), f.first.end(), kSetCookie.begin(), kSetCookie.end(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    if (set_cookie) cookies.push_back(f);
  }
  if (cookies.empty()) return;
  res.headers.remove("Set-Cookie");
  for (auto& [name, value] : cookies) {
    if (value.find("; Secure") == std::string::npos) value += "; Secure";
    res.headers.add(std::move(name), std::move(value));
  }
}

}  // namespace

namespace {
std::atomic<uint64_t> next_serial{1};
}  // namespace

Dispatcher::Dispatcher(DispatcherOptions options)
    : options_(std::move(options)),
      access_log_(options_.access_log ? access_logger() : nullptr),
      serial_(next_serial.fetch_add(1)),
      in_flight_(
          metrics_.gauge("wangge_http_requests_in_flight", "Requests being handled right now")),
      latency_buckets_(default_latency_buckets()) {
  add_builtin_routes();
}

Dispatcher::~Dispatcher() {
  if (access_log_) access_log_->flush();
}

void Dispatcher::before(BeforeHook hook) { before_.push_back(std::move(hook)); }

void Dispatcher::serve_static(StaticOptions options) { static_.emplace(std::move(options)); }

void Dispatcher::add_health_check(std::string name, HealthCheck check) {
  health_checks_.emplace_back(std::move(name), std::move(check));
}

void Dispatcher::customize_openapi(std::function<void(nlohmann::json&)> fn) {
  openapi_customizers_.push_back(std::move(fn));
}

void Dispatcher::add_builtin_routes() {
  router_.add(
      {.method = Method::get,
       .path = "/healthz",
       .summary = "Liveness and readiness: 200 when every check passes, else 503",
       .tags = {"ops"},
       .handler = [this](const Request&) { return healthz(); },
       .response_schema = {{"type", "object"}, {"properties", {{"status", {{"type", "string"}}}}}},
       .authenticated = false});
  router_.add({.method = Method::get,
               .path = "/metrics",
               .summary = "Metrics in Prometheus text format",
               .tags = {"ops"},
               .handler =
                   [this](const Request& req) {
                     check_metrics_access(req);
                     return Response::text(200, metrics_.render(),
                                           "text/plain; version=0.0.4; charset=utf-8");
                   },
               .authenticated = false});
  router_.add({.method = Method::get,
               .path = "/api/openapi.json",
               .summary = "This API described as OpenAPI 3.0",
               .tags = {"ops"},
               .handler =
                   [this](const Request&) {
                     return Response::bytes(200, openapi_text(), "application/json; charset=utf-8");
                   },
               .authenticated = false});
}

void Dispatcher::check_metrics_access(const Request& req) const {
  if (!options_.metrics_token.empty()) {
    std::string expected = "Bearer " + options_.metrics_token;
    if (same_secret(req.header("Authorization").value_or(""), expected)) return;
  }
  // A proxy on this machine forwards the world's requests from loopback: a forwarded request
  // is not a local one, whoever relayed it.
  bool forwarded = req.headers.has("X-Forwarded-For") || req.headers.has("Forwarded") ||
                   req.headers.has("X-Real-IP");
  if (is_loopback(req.peer_address) && !forwarded) return;
  throw Error(ErrorKind::forbidden, "metrics_forbidden",
              "指标仅限本机访问，或携带配置的指标令牌（http.metrics_token）",
              "Metrics are served to this machine only, or with the configured metrics token "
              "(http.metrics_token)");
}

Response Dispatcher::healthz() const {
  nlohmann::json body = {{"status", "ok"}};
  bool ok = true;
  for (const auto& [name, check] : health_checks_) {
    try {
      check();
      body["checks"][name] = "ok";
    } catch (const std::exception& e) {
      spdlog::warn("health check {} failed: {}", name, e.what());
      body["checks"][name] = "fail";
      ok = false;
    } catch (...) {
      body["checks"][name] = "fail";
      ok = false;
    }
  }
  if (!ok) body["status"] = "fail";
  return Response::json(ok ? 200 : 503, body);
}

const std::string& Dispatcher::openapi_text() const {
  std::call_once(openapi_once_, [this] {
    nlohmann::json doc = router_.openapi(options_.api_title, options_.api_version);
    for (const auto& fn : openapi_customizers_) fn(doc);
    openapi_text_ = doc.dump();
  });
  return openapi_text_;
}

Response Dispatcher::route(Request& req) {
  size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = Query::parse(std::string_view(req.target).substr(q + 1));
  if (req.path.empty() || req.path.front() != '/') {
    throw_bad_input("invalid_path", "请求路径不合法", "The request path is not allowed");
  }
  Match m = router_.match(req.method, req.path);
  if (m.kind == Match::Kind::method_not_allowed) {
    std::string allow;
    for (Method a : m.allowed) allow += (allow.empty() ? "" : ", ") + std::string(method_name(a));
    Response r =
        error_response(405,
                       Error(ErrorKind::bad_input, "method_not_allowed",
                             fmt::format("此地址不支持 {} 方法", method_name(req.method)),
                             fmt::format("Method {} is not allowed here", method_name(req.method))),
                       req.lang);
    r.headers.set("Allow", allow);
    return r;
  }
  if (m.kind == Match::Kind::not_found) {
    if (static_ && (req.method == Method::get || req.method == Method::head)) {
      req.metrics_label_ = "static";
      if (auto r = static_->serve(req)) return std::move(*r);
      req.metrics_label_ = "unmatched";
    }
    throw Error(ErrorKind::not_found, "not_found", "请求的地址不存在", "No such address");
  }
  req.route = m.route;
  req.params = std::move(m.params);
  req.metrics_label_ = m.route->path;
  for (const auto& hook : before_) hook(req);
  check_declared_params(req, *m.route, router_);
  if (!req.body.empty() && is_json_type(req.headers.get("Content-Type").value_or("")) &&
      !valid_utf8(req.body)) {
    throw_bad_input("invalid_utf8", "请求体不是有效的 UTF-8 文本",
                    "The request body is not valid UTF-8");
  }
  return m.route->handler(req);
}

Response Dispatcher::handle(Request& req) noexcept {
  req.lang = preferred_language(req.headers.get("Accept-Language").value_or(""));
  if (req.peer_address.empty()) req.peer_address = req.client_address;
  in_flight_.add(1);
  Response res;
  // The cause goes to the log under a reference; the client gets the reference only.
  auto internal = [&](std::string_view what) {
    std::string ref = new_error_ref();
    spdlog::error("[{}] {} {}: {}", ref, method_name(req.method), req.path, what);
    return internal_error_response(req.lang, ref);
  };
  try {
    res = route(req);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::internal) {
      res = internal(fmt::format("internal error {}: {}", e.code(), e.message(Lang::en)));
    } else {
      res = error_response(e, req.lang);
    }
  } catch (const nlohmann::json::exception& e) {
    // A handler reading fields of the request body by hand tripped over a wrong type: that is
    // bad input, not a bug. Anywhere else it is a bug.
    if (req.json_.has_value() && (dynamic_cast<const nlohmann::json::type_error*>(&e) ||
                                  dynamic_cast<const nlohmann::json::out_of_range*>(&e))) {
      spdlog::warn("{} {}: JSON field error: {}", method_name(req.method), req.path, e.what());
      res = error_response(
          Error(ErrorKind::bad_input, "invalid_field", "请求数据中有缺失或类型不正确的字段",
                "A field of the request data is missing or of the wrong type"),
          req.lang);
    } else {
      res = internal(e.what());
    }
  } catch (const std::exception& e) {
    res = internal(e.what());
  } catch (...) {
    res = internal("unknown exception");
  }
  if (secure_cookies(req)) mark_cookies_secure(res);
  in_flight_.add(-1);
  return res;
}

bool Dispatcher::secure_cookies(const Request& req) const {
  switch (options_.secure_cookie) {
    case SecureCookie::always:
      return true;
    case SecureCookie::never:
      return false;
    case SecureCookie::automatic:
      return req.secure;
  }
  return false;
}

void Dispatcher::record(const Request& req, int status, size_t bytes,
                        std::chrono::microseconds elapsed) noexcept {
  try {
    // The series of a (route, method, status) are looked up in the registry once per thread
    // and kept: the registry's lock and label maps stay off the per-request path. Route labels
    // point into the route table or at literals, so their address identifies them.
    struct Key {
      uint64_t dispatcher;  // serial_, never reused (an address could be)
      const char* route;
      Method method;
      int status;
      bool operator==(const Key&) const = default;
    };
    struct KeyHash {
      size_t operator()(const Key& k) const {
        return std::hash<const void*>()(k.route) ^ (static_cast<size_t>(k.status) << 4) ^
               static_cast<size_t>(k.method) ^ std::hash<uint64_t>()(k.dispatcher);
      }
    };
    struct Series {
      Counter* requests;
      Histogram* latency;
      Counter* bytes;
    };
    thread_local std::unordered_map<Key, Series, KeyHash> cache;
    Key key{serial_, req.metrics_label_.data(), req.method, status};
    auto it = cache.find(key);
    if (it == cache.end()) {
      std::string route(req.metrics_label_);
      std::string method(method_name(req.method));
      Series s{&metrics_.counter(
                   "wangge_http_requests_total", "HTTP requests by route, method and status",
                   {{"route", route}, {"method", method}, {"status", std::to_string(status)}}),
               &metrics_.histogram("wangge_http_request_duration_seconds",
                                   "Time from the request read to the response written",
                                   latency_buckets_, {{"route", route}}),
               &metrics_.counter("wangge_http_response_bytes_total", "Response body bytes sent")};
      it = cache.emplace(key, s).first;
    }
    it->second.requests->inc();
    it->second.latency->observe(static_cast<double>(elapsed.count()) / 1e6);
    it->second.bytes->inc(static_cast<double>(bytes));
    const std::string_view method = method_name(req.method);
    if (options_.slow_request.count() > 0 && elapsed >= options_.slow_request) {
      // The route pattern, never the path: paths and queries may carry personal data.
      spdlog::warn("慢请求 (slow request) {} {} {} {}ms", method, req.metrics_label_, status,
                   elapsed.count() / 1000);
    }
    if (access_log_) {
      // The path only: query strings may carry personal data (names, ID numbers).
      access_log_->info("{} {} {} {} {}B {}us", req.client_address, method,
                        req.path.empty() ? req.target.substr(0, req.target.find('?')) : req.path,
                        status, bytes, elapsed.count());
    }
  } catch (...) {
    // Accounting must never take a connection down.
  }
}

}  // namespace wangge::http
