// A full disk, with the real binary: `wangge serve` whose file size limit (RLIMIT_FSIZE, set on
// the running process with prlimit) drops to one byte, so every write of the database and the
// photo store fails as on a full disk (EFBIG; SIGXFSZ is ignored by wangge), and `wangge
// import` started under such a limit. Writes get a clean 503 in Chinese, reads go on, nothing
// is corrupt (PRAGMA integrity_check, `wangge audit verify`), an import writes nothing and says
// why, and once the limit is lifted the same server takes writes again without a restart.
// SQLite only: on PostgreSQL the server writes no database file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "cli/served.h"
#include "core/codes.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void set_file_limit(pid_t pid, rlim_t bytes) {
  rlimit lim{};
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, nullptr, &lim), 0);
  lim.rlim_cur = bytes;
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &lim, nullptr), 0) << std::strerror(errno);
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("disk-full");
    url_ = (dir_ / "wangge.db").string();
    key_ = (dir_ / "data.key").string();
    env_ = {"WANGGE_KEY_FILE=" + key_};
    Vault::from_key_file(key_, true);
    add_small_prefecture(*open_database(url_));
  }
  int64_t count(const std::string& sql) {
    auto db = store::Database::open(url_);
    auto tx = db->begin(store::TxMode::read);
    return tx->query_int(sql);
  }
  // The database file is sound and the audit chain verifies.
  void expect_sound() {
    {
      auto db = store::Database::open(url_);
      auto tx = db->begin(store::TxMode::read);
      EXPECT_EQ(tx->query_one("PRAGMA integrity_check")->text(0), "ok");
    }
    auto [status, said] = run({"audit", "verify", "--db", url_}, env_);
    EXPECT_EQ(status, 0) << said;
  }

  fs::path dir_;
  std::string url_, key_;
  std::vector<std::string> env_;
  ServedChild server_;
};

TEST_F(DiskFullTest, WritesGetA503UntilThereIsRoomAndTheServerNeverStops) {
  uint16_t port = server_.start(url_, env_);
  ASSERT_NE(port, 0);
  std::string token = login_grid_a(port);
  ASSERT_EQ(report_event(port, token, "满盘之前").status, 201);

  set_file_limit(server_.pid(), 1);  // no write past the first byte of any file
  for (int i = 0; i < 3; ++i) {
    Reply r = report_event(port, token, "满盘时上报" + std::to_string(i));
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_NE(r.error_message().find("磁盘"), std::string::npos) << r.body;
    EXPECT_NE(r.head.find("Retry-After"), std::string::npos) << r.head;
  }
  Reply photo = http(port, "POST", "/api/v1/photos", token,
                     std::string("\x89PNG\r\n\x1A\n", 8) + "disk full", "image/png");
  EXPECT_EQ(photo.status, 503) << photo.body;
  EXPECT_NE(photo.error_message().find("存储空间不足"), std::string::npos) << photo.body;
  // Reads go on.
  Reply list = http(port, "GET", "/api/v1/events", token);
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json::parse(list.body, nullptr, false).value("total", -1), 1) << list.body;

  set_file_limit(server_.pid(), RLIM_INFINITY);  // room again: the same server writes
  Reply after = report_event(port, token, "空间恢复之后");
  EXPECT_EQ(after.status, 201) << after.body;
  photo = http(port, "POST", "/api/v1/photos", token,
               std::string("\x89PNG\r\n\x1A\n", 8) + "disk full", "image/png");
  EXPECT_EQ(photo.status, 201) << photo.body;

  int status = server_.stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE title LIKE '满盘时%'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM photos"), 1);
  expect_sound();
}

TEST_F(DiskFullTest, AnImportThatRunsOutOfRoomWritesNothingAndSaysWhy) {
  fs::path csv = dir_ / "residents.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << "户编号,姓名,公民身份号码,与户主关系\n";
    const int64_t first_day = days_since_epoch(parse_date("1950-01-01"));
    for (int i = 0; i < 2000; ++i) {
      std::string d = format_date(date_from_days(first_day + i));
      std::string first17 = "530621" + d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2) + "011";
      out << "H1,居民," << first17 << citizen_id::check_char(first17) << ",其他\n";
    }
  }
  // Room for a little more than the files hold now: the import runs out part way.
  rlim_t room = 64 * 1024;
  for (const char* f : {"wangge.db", "wangge.db-wal"}) {
    std::error_code ec;
    auto size = fs::file_size(dir_ / f, ec);
    if (!ec) room = std::max<rlim_t>(room, size + 64 * 1024);
  }
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    rlimit lim{room, room};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    ::dup2(out[1], 1);
    ::dup2(out[1], 2);
    ::close(out[0]);
    ::close(out[1]);
    for (const auto& e : env_) ::putenv(const_cast<char*>(e.c_str()));
    std::string db = url_, file = csv.string();
    const char* argv[] = {WANGGE_BIN, "import",     "residents", "--db",
                          db.c_str(), file.c_str(), nullptr};
    ::execv(WANGGE_BIN, const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string said = read_until(out[0], "\x01never");
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << ": " << said;
  EXPECT_NE(WEXITSTATUS(status), 0) << said;
  EXPECT_NE(said.find("磁盘"), std::string::npos) << said;
  EXPECT_EQ(count("SELECT COUNT(*) FROM residents"), 0);
  expect_sound();
  // With room, the same import applies everything.
  auto [again, again_said] = run({"import", "residents", "--db", url_, csv.string()}, env_);
  EXPECT_EQ(again, 0) << again_said;
  EXPECT_EQ(count("SELECT COUNT(*) FROM residents"), 2000);
  expect_sound();
}

}  // namespace
}  // namespace wangge::cli
