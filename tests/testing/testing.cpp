#include "testing/testing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <random>

namespace wangge::testing {
namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : nullptr;
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  static const auto seed = std::random_device{}();
  return std::to_string(getpid()) + "_" + std::to_string(seed % 100000) + "_" +
         std::to_string(counter++);
}

struct TempDirs {
  std::mutex mu;
  std::vector<std::filesystem::path> dirs;
  ~TempDirs() {
    if (env("WANGGE_KEEP_TEMP")) return;
    std::error_code ec;
    for (auto& d : dirs) std::filesystem::remove_all(d, ec);
  }
};
TempDirs& temp_dirs() {
  static TempDirs t;
  return t;
}

}  // namespace

std::vector<std::string> backends() {
  std::vector<std::string> out{"sqlite"};
  if (env("WANGGE_TEST_PG") || env("WANGGE_REQUIRE_PG")) out.push_back("postgres");
  return out;
}

std::filesystem::path temp_dir(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() / (prefix + "-" + unique_suffix());
  std::filesystem::create_directories(dir);
  std::lock_guard lock(temp_dirs().mu);
  temp_dirs().dirs.push_back(dir);
  return dir;
}

std::filesystem::path source_dir() {
  const char* d = env("WANGGE_SOURCE_DIR");
  return d ? std::filesystem::path(d) : std::filesystem::current_path();
}

std::string fresh_database_url(const std::string& backend) {
  if (backend == "sqlite") return (temp_dir("wangge-db") / "test.db").string();
  const char* base = env("WANGGE_TEST_PG");
  if (!base) {
    ADD_FAILURE() << "WANGGE_REQUIRE_PG is set but WANGGE_TEST_PG is not: no PostgreSQL cluster";
    return {};
  }
  std::string schema = "t_" + unique_suffix();
  {
    auto admin = store::Database::open(base, {.pool_size = 1});
    admin->transact([&](store::Tx& tx) { tx.exec("CREATE SCHEMA " + schema); });
  }
  std::string url = base;
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "options=-csearch_path%3D" + schema;
  return url;
}

std::unique_ptr<store::Database> fresh_database(const std::string& backend,
                                                const store::OpenOptions& opts) {
  return store::Database::open(fresh_database_url(backend), opts);
}

}  // namespace wangge::testing
