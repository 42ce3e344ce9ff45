// PostgreSQL restarted under load, with the real binary: writers report events through `wangge
// serve` on a private cluster (scripts/pg-test-cluster.sh; never the shared one) while the
// cluster stops and starts again. While it is down every write answers a clean, retryable 503
// in Chinese; once it is back the same server writes again (its pool drops the dead
// connections and connects anew) without a restart; every write that got a 201 is there once.
// Runs when the PostgreSQL tests run (WANGGE_TEST_PG) and the server binaries are installed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "cli/app.h"
#include "cli/served.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;

// Runs a shell command; its standard output, and whether it exited 0.
std::pair<bool, std::string> shell(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return {false, ""};
  char buf[512];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int status = ::pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return {WIFEXITED(status) && WEXITSTATUS(status) == 0, out};
}

constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";

class PgRestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto b = testing::backends();
    if (std::find(b.begin(), b.end(), "postgres") == b.end()) {
      GTEST_SKIP() << "PostgreSQL tests are off (WANGGE_TEST_PG unset)";
    }
    if (!fs::exists(fs::path(kPgBin) / "pg_ctl")) {
      if (std::getenv("WANGGE_REQUIRE_PG")) FAIL() << "no " << kPgBin << "/pg_ctl";
      GTEST_SKIP() << "no " << kPgBin << "/pg_ctl";
    }
    dir_ = testing::temp_dir("pgr");
    script_ = (testing::source_dir() / "scripts/pg-test-cluster.sh").string();
    auto [ok, url] = shell("bash " + script_ + " start " + dir_.string() + "/c");
    ASSERT_TRUE(ok) << url;
    started_ = true;
    url_ = url;
    key_ = (dir_ / "data.key").string();
    env_ = {"WANGGE_KEY_FILE=" + key_};
    Vault::from_key_file(key_, true);
    add_small_prefecture(*open_database(url_));
  }
  void TearDown() override {
    if (server_.running()) server_.stop(SIGKILL);
    if (started_) shell("bash " + script_ + " stop " + dir_.string() + "/c");
  }
  // pg_ctl stop|start on the private cluster, as its owner (PostgreSQL refuses root).
  bool pg_ctl(const std::string& action) {
    std::string as = ::geteuid() == 0 ? "runuser -u postgres -- " : "";
    std::string mode = action == "stop" ? " -m fast" : " -l " + dir_.string() + "/c/postgres.log";
    return shell(as + kPgBin + "/pg_ctl -D " + dir_.string() + "/c/data" + mode + " -w -t 60 -s " +
                 action + " >/dev/null 2>&1")
        .first;
  }

  fs::path dir_;
  std::string script_, url_, key_;
  std::vector<std::string> env_;
  bool started_ = false;
  ServedChild server_;
};

TEST_F(PgRestartTest, WritesFailCleanlyWhileItIsDownAndResumeWithoutARestart) {
  uint16_t port = server_.start(url_, env_);
  ASSERT_NE(port, 0);
  std::string token = login_grid_a(port);
  ASSERT_FALSE(token.empty());

  std::mutex mu;
  std::condition_variable changed;
  std::set<std::string> acked;
  int failed = 0;
  std::vector<std::string> unclean;  // failures that were not a clean 503
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop; ++i) {
        std::string title = "写入" + std::to_string(w) + "-" + std::to_string(i);
        Reply r = report_event(port, token, title);
        std::lock_guard lock(mu);
        if (r.status == 201) {
          acked.insert(title);
        } else {
          ++failed;
          bool clean = r.status == 503 && r.head.find("Retry-After") != std::string::npos &&
                       r.error_message().find("数据库") != std::string::npos;
          if (!clean) unclean.push_back(std::to_string(r.status) + " " + r.body);
        }
        changed.notify_all();
      }
    });
  }
  // Waits until pred holds (at most a minute: a hung server fails the test, not the suite).
  auto wait_for = [&](auto pred) {
    std::unique_lock lock(mu);
    return changed.wait_for(lock, std::chrono::minutes(1), pred);
  };
  EXPECT_TRUE(wait_for([&] { return acked.size() >= 10; }));
  ASSERT_TRUE(pg_ctl("stop"));
  EXPECT_TRUE(wait_for([&] { return failed >= 6; })) << "no write failed while it was down";
  size_t before_restart = 0;
  {
    std::lock_guard lock(mu);
    before_restart = acked.size();
  }
  ASSERT_TRUE(pg_ctl("start"));
  EXPECT_TRUE(wait_for([&] { return acked.size() >= before_restart + 10; }))
      << "the server did not write again after PostgreSQL came back";
  stop = true;
  for (auto& t : writers) t.join();

  EXPECT_TRUE(unclean.empty()) << unclean.size() << " unclean failures, the first: "
                               << (unclean.empty() ? "" : unclean.front());
  EXPECT_GE(failed, 6);
  // Every acknowledged write is there, once.
  auto db = store::Database::open(url_);
  auto tx = db->begin(store::TxMode::read);
  std::multiset<std::string> titles;
  for (const auto& r : tx->query("SELECT title FROM events")) titles.insert(r.text(0));
  for (const auto& t : acked) EXPECT_EQ(titles.count(t), 1u) << t;
  std::cout << "[pg restart] " << acked.size() << " writes acknowledged, " << failed
            << " refused with 503 while PostgreSQL was down\n";
}

}  // namespace
}  // namespace wangge::cli
