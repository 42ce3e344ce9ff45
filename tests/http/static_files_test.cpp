// Static files with the build's precompressed copies: Accept-Encoding (with q-values) picks br,
// gzip or the file itself; the answer names its coding, varies by Accept-Encoding and is cached
// for a year under assets/ only.
#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "testing/testing.h"

namespace wangge::http {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, std::string_view bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

Request get(std::string path, std::optional<std::string> accept_encoding) {
  Request r;
  r.path = std::move(path);
  if (accept_encoding) r.headers.set("Accept-Encoding", *accept_encoding);
  return r;
}

class Precompressed : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::wangge::testing::temp_dir("wangge-static");
    write(dir_ / "m/assets/app-1a2b.js", "plain js");
    write(dir_ / "m/assets/app-1a2b.js.br", "brotli bytes");
    write(dir_ / "m/assets/app-1a2b.js.gz", "gzip bytes");
    write(dir_ / "m/assets/only-gz.css", "plain css");
    write(dir_ / "m/assets/only-gz.css.gz", "gzip css");
    write(dir_ / "m/index.html", "<html>shell</html>");
    write(dir_ / "m/index.html.br", "brotli shell");
  }
  Response serve(std::string path, std::optional<std::string> ae) {
    StaticFiles files({.root = dir_});
    auto r = files.serve(get(std::move(path), std::move(ae)));
    EXPECT_TRUE(r.has_value());
    return r ? *r : Response::empty(404);
  }
  std::filesystem::path dir_;
};

TEST_F(Precompressed, BrotliWhenAskedIdentityOtherwise) {
  auto br = serve("/m/assets/app-1a2b.js", "br");
  EXPECT_EQ(br.headers.get("Content-Encoding"), "br");
  EXPECT_EQ(br.body, "brotli bytes");
  EXPECT_EQ(br.content_type(), "text/javascript; charset=utf-8");
  EXPECT_EQ(br.headers.get("Vary"), "Accept-Encoding");
  EXPECT_EQ(br.headers.get("Cache-Control"), "public, max-age=31536000, immutable");

  auto plain = serve("/m/assets/app-1a2b.js", std::nullopt);
  EXPECT_FALSE(plain.headers.has("Content-Encoding"));
  EXPECT_EQ(plain.body, "plain js");
  EXPECT_EQ(plain.headers.get("Vary"), "Accept-Encoding");
  EXPECT_NE(plain.headers.get("ETag"), br.headers.get("ETag"));

  auto gz = serve("/m/assets/app-1a2b.js", "gzip, deflate");
  EXPECT_EQ(gz.headers.get("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.body, "gzip bytes");
}

TEST_F(Precompressed, WeighsQValuesAndRefusals) {
  EXPECT_EQ(serve("/m/assets/app-1a2b.js", "gzip, deflate, br").body, "brotli bytes");
  EXPECT_EQ(serve("/m/assets/app-1a2b.js", "br;q=0.5, gzip;q=0.8").body, "gzip bytes");
  EXPECT_EQ(serve("/m/assets/app-1a2b.js", "br;q=0, gzip").body, "gzip bytes");
  EXPECT_EQ(serve("/m/assets/app-1a2b.js", "br;q=0, gzip;q=0").body, "plain js");
  EXPECT_EQ(serve("/m/assets/app-1a2b.js", "*").body, "brotli bytes");
  EXPECT_EQ(serve("/m/assets/app-1a2b.js", "*;q=0.5, br;q=0").body, "gzip bytes");
  EXPECT_EQ(serve("/m/assets/app-1a2b.js", "identity").body, "plain js");
  EXPECT_EQ(serve("/m/assets/app-1a2b.js", "BR;Q=1").body, "brotli bytes");
  EXPECT_EQ(serve("/m/assets/app-1a2b.js", "br;q=2").body, "plain js");  // a bad q refuses
  // Only a gzip copy: br asked alone gets the file itself.
  EXPECT_EQ(serve("/m/assets/only-gz.css", "br").body, "plain css");
  EXPECT_EQ(serve("/m/assets/only-gz.css", "br, gzip").body, "gzip css");
}

TEST_F(Precompressed, ShellIsRevalidatedAndFallsBackCompressed) {
  // A phone route is the shell (SPA fallback), in brotli too, and never cached for a year.
  auto shell = serve("/m/tasks/12", "gzip, deflate, br");
  EXPECT_EQ(shell.body, "brotli shell");
  EXPECT_EQ(shell.headers.get("Content-Encoding"), "br");
  EXPECT_EQ(shell.content_type(), "text/html; charset=utf-8");
  EXPECT_EQ(shell.headers.get("Cache-Control"), "no-cache");
}

TEST(ChooseEncoding, ByHeaderAndCopies) {
  EXPECT_EQ(choose_encoding(std::nullopt, true, true), "");
  EXPECT_EQ(choose_encoding("", true, true), "");
  EXPECT_EQ(choose_encoding("br", false, true), "");
  EXPECT_EQ(choose_encoding("identity;q=0, gzip;q=0.1", true, true), "gzip");
  EXPECT_EQ(choose_encoding("x-gzip", true, true), "gzip");
  EXPECT_EQ(choose_encoding("gzip;q=0.9, identity", true, true), "");
}

}  // namespace
}  // namespace wangge::http
