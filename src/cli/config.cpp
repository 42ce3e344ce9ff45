#include "cli/config.h"

#include <toml++/toml.h>

#include <chrono>
#include <set>
#include <vector>

#include "cli/app.h"
#include "core/error.h"

namespace wangge::cli {
namespace {

[[noreturn]] void bad(const std::string& key, const std::string& zh, const std::string& en) {
  throw_bad_input("invalid_config", "配置项 " + key + "：" + zh, "config key " + key + ": " + en,
                  key);
}

void check_keys(const toml::table& t, const std::string& prefix,
                const std::set<std::string>& known) {
  for (const auto& [k, v] : t) {
    std::string key = prefix + std::string(k.str());
    if (!known.count(std::string(k.str()))) bad(key, "不认识的配置项", "unknown key");
  }
}

template <class T>
void read(const toml::table& t, const std::string& prefix, const char* key, T& out, int64_t min,
          int64_t max) {
  const auto* node = t.get(key);
  if (!node) return;
  auto v = node->value<int64_t>();
  if (!v || *v < min || *v > max) {
    bad(prefix + key, "应为 " + std::to_string(min) + " 到 " + std::to_string(max) + " 的整数",
        "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  out = static_cast<T>(*v);
}

void read(const toml::table& t, const std::string& prefix, const char* key, std::string& out) {
  const auto* node = t.get(key);
  if (!node) return;
  auto v = node->value<std::string>();
  if (!v) bad(prefix + key, "应为字符串", "must be a string");
  out = *v;
}

void read(const toml::table& t, const std::string& prefix, const char* key, bool& out) {
  const auto* node = t.get(key);
  if (!node) return;
  auto v = node->value<bool>();
  if (!v) bad(prefix + key, "应为 true 或 false", "must be true or false");
  out = *v;
}

// The sections the modules declare ([webhooks], [photos] …), each key checked for its type.
void read_module_sections(const toml::table& root, app::Settings& out) {
  for (const auto& section : registry().config_sections()) {
    const auto* t = root.get_as<toml::table>(section.name);
    if (!t) {
      if (root.get(section.name))
        bad(section.name, "应为一节 [" + section.name + "]", "must be a table");
      continue;
    }
    std::set<std::string> keys;
    for (const auto& k : section.keys) keys.insert(k.name);
    const std::string prefix = section.name + ".";
    check_keys(*t, prefix, keys);
    for (const auto& k : section.keys) {
      const auto* node = t->get(k.name);
      if (!node) continue;
      std::string value;
      switch (k.type) {
        case app::ConfigKey::Type::string:
          read(*t, prefix, k.name.c_str(), value);
          break;
        case app::ConfigKey::Type::integer: {
          int64_t n = 0;
          read(*t, prefix, k.name.c_str(), n, k.min, k.max);
          value = std::to_string(n);
          break;
        }
        case app::ConfigKey::Type::boolean: {
          auto b = node->value<bool>();
          if (!b) bad(prefix + k.name, "应为 true 或 false", "must be true or false");
          value = *b ? "true" : "false";
          break;
        }
      }
      out.set(section.name, k.name, value);
    }
  }
}

// "auto" (or absent), true or false.
void read_secure_cookie(const toml::table& t, http::SecureCookie& out) {
  const auto* node = t.get("secure_cookie");
  if (!node) return;
  if (auto b = node->value<bool>()) {
    out = *b ? http::SecureCookie::always : http::SecureCookie::never;
  } else if (auto s = node->value<std::string>(); s && *s == "auto") {
    out = http::SecureCookie::automatic;
  } else {
    bad("http.secure_cookie", "应为 \"auto\"、true 或 false", "must be \"auto\", true or false");
  }
}

// An array of IP addresses (exact, no ranges).
void read_addresses(const toml::table& t, const char* key, std::vector<std::string>& out) {
  const auto* node = t.get(key);
  if (!node) return;
  const auto* list = node->as_array();
  std::string name = std::string("http.") + key;
  if (!list) bad(name, "应为 IP 地址的数组", "must be an array of IP addresses");
  std::vector<std::string> addresses;
  for (const auto& item : *list) {
    auto v = item.value<std::string>();
    if (!v || v->empty() || v->find_first_not_of("0123456789abcdefABCDEF.:") != std::string::npos) {
      bad(name, "应为 IP 地址的数组", "must be an array of IP addresses");
    }
    addresses.push_back(*v);
  }
  out = std::move(addresses);
}

void read_seconds(const toml::table& t, const char* key, std::chrono::milliseconds& out,
                  int64_t min, int64_t max) {
  int64_t seconds = out.count() / 1000;
  read(t, "http.", key, seconds, min, max);
  out = std::chrono::seconds(seconds);
}

void read_http(const toml::table& http, http::ServerOptions& o) {
  check_keys(http, "http.",
             {"io_threads", "handler_threads", "write_threads", "max_body_mb", "idle_timeout_s",
              "shutdown_timeout_s", "max_connections", "header_timeout_s", "body_timeout_s",
              "min_body_rate_kb", "trusted_proxies", "secure_cookie", "metrics_token",
              "content_security_policy", "slow_request_ms"});
  read(http, "http.", "io_threads", o.io_threads, 0, 256);
  read(http, "http.", "handler_threads", o.handler_threads, 0, 1024);
  read(http, "http.", "write_threads", o.write_threads, 0, 1024);
  int64_t mb = static_cast<int64_t>(o.max_body_bytes >> 20);
  read(http, "http.", "max_body_mb", mb, 1, 1024);
  o.max_body_bytes = static_cast<size_t>(mb) << 20;
  read_seconds(http, "idle_timeout_s", o.idle_timeout, 1, 3600);
  read_seconds(http, "shutdown_timeout_s", o.shutdown_timeout, 0, 600);
  read(http, "http.", "max_connections", o.max_connections, 1, 1'000'000);
  read_seconds(http, "header_timeout_s", o.header_timeout, 1, 600);
  read_seconds(http, "body_timeout_s", o.body_timeout, 1, 3600);
  int64_t kb = static_cast<int64_t>(o.min_body_rate / 1024);
  read(http, "http.", "min_body_rate_kb", kb, 0, 1'000'000);
  o.min_body_rate = static_cast<size_t>(kb) * 1024;
  read_addresses(http, "trusted_proxies", o.trusted_proxies);
  read_secure_cookie(http, o.dispatch.secure_cookie);
  read(http, "http.", "metrics_token", o.dispatch.metrics_token);
  read(http, "http.", "content_security_policy", o.content_security_policy);
  int64_t slow = o.dispatch.slow_request.count();
  read(http, "http.", "slow_request_ms", slow, 0, 3'600'000);
  o.dispatch.slow_request = std::chrono::milliseconds(slow);
}

}  // namespace

ServeConfig load_serve_config(const std::string& path, const ServeArgs& defaults) {
  ServeConfig c;
  c.args = defaults;
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    throw_bad_input("invalid_config",
                    "配置文件 " + path + " 第" + std::to_string(at.line) + "行有误：" +
                        std::string(e.description()),
                    "config file " + path + " line " + std::to_string(at.line) + ": " +
                        std::string(e.description()),
                    "config");
  }
  std::set<std::string> known{"db", "bind", "port", "web_root", "http", "auth", "database"};
  for (const auto& section : registry().config_sections()) known.insert(section.name);
  check_keys(root, "", known);
  read_module_sections(root, c.settings);
  read(root, "", "db", c.args.db);
  read(root, "", "bind", c.args.bind);
  read(root, "", "port", c.args.port, 0, 65535);
  read(root, "", "web_root", c.args.web_root);
  if (const auto* http = root.get_as<toml::table>("http")) read_http(*http, c.server);
  if (const auto* database = root.get_as<toml::table>("database")) {
    check_keys(*database, "database.", {"power_cut_may_lose_writes"});
    read(*database, "database.", "power_cut_may_lose_writes", c.power_cut_may_lose_writes);
  }
  if (const auto* auth = root.get_as<toml::table>("auth")) {
    check_keys(*auth, "auth.",
               {"session_lifetime_h", "session_idle_min", "login_failures_per_minute"});
    int64_t hours = c.auth.session_lifetime.count() / 3'600'000;
    read(*auth, "auth.", "session_lifetime_h", hours, 1, 168);
    c.auth.session_lifetime = std::chrono::hours(hours);
    int64_t idle = c.auth.idle_timeout.count() / 60'000;
    read(*auth, "auth.", "session_idle_min", idle, 1, 1440);
    c.auth.idle_timeout = std::chrono::minutes(idle);
    read(*auth, "auth.", "login_failures_per_minute", c.auth.throttle_per_minute, 1, 1000);
  }
  return c;
}

}  // namespace wangge::cli
