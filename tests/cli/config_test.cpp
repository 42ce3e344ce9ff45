// The TOML config of `wangge serve`: values read, bad ones refused naming the key.
#include "cli/config.h"

#include <gtest/gtest.h>

#include <fstream>

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
}

}  // namespace
}  // namespace wangge::cli
