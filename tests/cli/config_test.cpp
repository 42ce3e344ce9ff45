// The TOML config of `wangge serve`: values read, bad ones refused naming the key.
#include "cli/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

std::string write(const std::string& text) {
  auto path = (testing::temp_dir() / "wangge.toml").string();
  std::ofstream(path) << text;
  return path;
}

std::string error_field(const std::string& text) {
  try {
    load_serve_config(write(text), {});
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    return e.field();
  }
  return "(no error)";
}

TEST(ServeConfig, ReadsTheFile) {
  auto c = load_serve_config(write("db = \"x.db\"\nbind = \"0.0.0.0\"\nport = 9000\n"
                                   "[http]\nhandler_threads = 6\nwrite_threads = 12\n"
                                   "max_body_mb = 2\n"
                                   "idle_timeout_s = 30\n"),
                             {});
  EXPECT_EQ(c.args.db, "x.db");
  EXPECT_EQ(c.args.bind, "0.0.0.0");
  EXPECT_EQ(c.args.port, 9000);
  EXPECT_EQ(c.server.handler_threads, 6);
  EXPECT_EQ(c.server.write_threads, 12);
  EXPECT_EQ(c.server.max_body_bytes, 2u << 20);
  EXPECT_EQ(c.server.idle_timeout, std::chrono::seconds(30));
}

TEST(ServeConfig, ReadsTheLimitsAndSecurityKeys) {
  auto c = load_serve_config(
      write("[http]\nmax_connections = 100\nheader_timeout_s = 5\nbody_timeout_s = 60\n"
            "min_body_rate_kb = 8\ntrusted_proxies = [\"10.0.0.2\", \"::1\"]\n"
            "secure_cookie = true\nmetrics_token = \"s3cret\"\n"
            "content_security_policy = \"default-src 'self'\"\n"),
      {});
  EXPECT_EQ(c.server.max_connections, 100u);
  EXPECT_EQ(c.server.header_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.server.body_timeout, std::chrono::seconds(60));
  EXPECT_EQ(c.server.min_body_rate, 8u * 1024);
  EXPECT_EQ(c.server.trusted_proxies, (std::vector<std::string>{"10.0.0.2", "::1"}));
  EXPECT_EQ(c.server.dispatch.secure_cookie, http::SecureCookie::always);
  EXPECT_EQ(c.server.dispatch.metrics_token, "s3cret");
  EXPECT_EQ(c.server.content_security_policy, "default-src 'self'");
  EXPECT_EQ(
      load_serve_config(write("[http]\nsecure_cookie = false\n"), {}).server.dispatch.secure_cookie,
      http::SecureCookie::never);
  EXPECT_EQ(load_serve_config(write("[http]\nsecure_cookie = \"auto\"\n"), {})
                .server.dispatch.secure_cookie,
            http::SecureCookie::automatic);
}

TEST(ServeConfig, DefaultsSuitACountyServer) {
  auto c = load_serve_config(write("[http]\n"), {});
  EXPECT_EQ(c.server.max_connections, 4096u);
  EXPECT_EQ(c.server.header_timeout, std::chrono::seconds(10));
  EXPECT_LT(c.server.idle_timeout, std::chrono::seconds(75));
  EXPECT_EQ(c.server.dispatch.secure_cookie, http::SecureCookie::automatic);
  EXPECT_TRUE(c.server.dispatch.metrics_token.empty());
  EXPECT_FALSE(c.power_cut_may_lose_writes);  // a 2xx means the write is on disk
  EXPECT_EQ(c.server.dispatch.slow_request, std::chrono::seconds(1));
}

TEST(ServeConfig, DurabilityAndTheSlowLogAreTheOperatorsChoice) {
  auto c = load_serve_config(
      write("[database]\npower_cut_may_lose_writes = true\n[http]\nslow_request_ms = 250\n"), {});
  EXPECT_TRUE(c.power_cut_may_lose_writes);
  EXPECT_EQ(c.server.dispatch.slow_request, std::chrono::milliseconds(250));
  EXPECT_EQ(error_field("[database]\npower_cut_may_lose_writes = \"yes\"\n"),
            "database.power_cut_may_lose_writes");
  EXPECT_EQ(error_field("[database]\nsynchronous = \"off\"\n"), "database.synchronous");
  EXPECT_EQ(error_field("[http]\nslow_request_ms = -1\n"), "http.slow_request_ms");
}

TEST(ServeConfig, KeepsDefaultsForWhatItDoesNotSay) {
  ServeArgs defaults;
  defaults.db = "default.db";
  auto c = load_serve_config(write("port = 1234\n"), defaults);
  EXPECT_EQ(c.args.db, "default.db");
  EXPECT_EQ(c.args.port, 1234);
}

TEST(ServeConfig, RefusesBadValuesNamingTheKey) {
  EXPECT_EQ(error_field("port = \"eighty\"\n"), "port");
  EXPECT_EQ(error_field("port = 70000\n"), "port");
  EXPECT_EQ(error_field("prot = 80\n"), "prot");
  EXPECT_EQ(error_field("[http]\nmax_body_mb = 0\n"), "http.max_body_mb");
  EXPECT_EQ(error_field("[http]\nthreads = 2\n"), "http.threads");
  EXPECT_EQ(error_field("port = \n"), "config");  // not TOML at all
  EXPECT_EQ(error_field("[http]\nmax_connections = 0\n"), "http.max_connections");
  EXPECT_EQ(error_field("[http]\nheader_timeout_s = 0\n"), "http.header_timeout_s");
  EXPECT_EQ(error_field("[http]\nsecure_cookie = \"yes\"\n"), "http.secure_cookie");
  EXPECT_EQ(error_field("[http]\ntrusted_proxies = \"127.0.0.1\"\n"), "http.trusted_proxies");
  EXPECT_EQ(error_field("[http]\ntrusted_proxies = [\"proxy.lan\"]\n"), "http.trusted_proxies");
  EXPECT_EQ(error_field("[http]\nmetrics_token = 5\n"), "http.metrics_token");
}

// The sections the modules declare ([photos], [events], [forms], [webhooks]) are read with the
// rest: defaults from the declarations, values checked for type and range, unknown keys refused.
TEST(ServeConfig, ReadsTheModulesSections) {
  auto d = load_serve_config(write("port = 1\n"), {});
  EXPECT_EQ(d.settings.text("photos", "dir"), "");
  EXPECT_EQ(d.settings.integer("photos", "max_mb"), 8);
  EXPECT_FALSE(d.settings.boolean("webhooks", "may_reach_intranet"));
  auto c = load_serve_config(write("[photos]\ndir = \"/srv/photos\"\nmax_mb = 2\n"
                                   "[webhooks]\nmay_reach_intranet = true\n"
                                   "[forms]\ndir = \"/srv/forms\"\n"),
                             {});
  EXPECT_EQ(c.settings.text("photos", "dir"), "/srv/photos");
  EXPECT_EQ(c.settings.integer("photos", "max_mb"), 2);
  EXPECT_TRUE(c.settings.boolean("webhooks", "may_reach_intranet"));
  EXPECT_EQ(c.settings.text("forms", "dir"), "/srv/forms");
  EXPECT_EQ(error_field("[photos]\nmax_mb = 100\n"), "photos.max_mb");
  EXPECT_EQ(error_field("[photos]\ndri = \"x\"\n"), "photos.dri");
  EXPECT_EQ(error_field("[webhooks]\nmay_reach_intranet = \"yes\"\n"),
            "webhooks.may_reach_intranet");
  EXPECT_EQ(error_field("[fotos]\ndir = \"x\"\n"), "fotos");
  EXPECT_EQ(error_field("photos = 3\n"), "photos");
}

}  // namespace
}  // namespace wangge::cli
