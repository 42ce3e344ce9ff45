#include "cli/config.h"

#include <toml++/toml.h>

#include <set>

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
  check_keys(root, "", {"db", "bind", "port", "web_root", "http", "auth"});
  read(root, "", "db", c.args.db);
  read(root, "", "bind", c.args.bind);
  read(root, "", "port", c.args.port, 0, 65535);
  read(root, "", "web_root", c.args.web_root);
  if (const auto* http = root.get_as<toml::table>("http")) {
    check_keys(*http, "http.",
               {"io_threads", "handler_threads", "write_threads", "max_body_mb", "idle_timeout_s",
                "shutdown_timeout_s"});
    read(*http, "http.", "io_threads", c.server.io_threads, 0, 256);
    read(*http, "http.", "handler_threads", c.server.handler_threads, 0, 1024);
    read(*http, "http.", "write_threads", c.server.write_threads, 0, 1024);
    int64_t mb = static_cast<int64_t>(c.server.max_body_bytes >> 20);
    read(*http, "http.", "max_body_mb", mb, 1, 1024);
    c.server.max_body_bytes = static_cast<size_t>(mb) << 20;
    int64_t idle = c.server.idle_timeout.count() / 1000;
    read(*http, "http.", "idle_timeout_s", idle, 1, 3600);
    c.server.idle_timeout = std::chrono::seconds(idle);
    int64_t drain = c.server.shutdown_timeout.count() / 1000;
    read(*http, "http.", "shutdown_timeout_s", drain, 0, 600);
    c.server.shutdown_timeout = std::chrono::seconds(drain);
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
