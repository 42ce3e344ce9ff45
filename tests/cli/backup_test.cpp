// `wangge backup` while `wangge serve` takes writes, `wangge restore` into a new database and
// `wangge backup verify`: every write acknowledged before the backup began is restored, the
// audit chain verifies, the photos come along; and the refusals (a tampered file, a wrong key,
// a newer schema, a target that is not empty). Against both databases.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <regex>
#include <thread>

#include "auth/accounts.h"
#include "cli/app.h"
#include "cli/child.h"
#include "cli/keys.h"
#include "http/client.h"
#include "intake/photos.h"
#include "org/service.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kGrid = "530621101201001";
constexpr const char* kPassword = "Backup-test-1";

class BackupTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir();
    url_ = testing::fresh_database_url(GetParam());
    key_ = (dir_ / "data.key").string();
    env_ = {"WANGGE_KEY_FILE=" + key_};
    photos_ = dir_ / "photos";
    const Vault vault = Vault::from_key_file(key_, true);
    auto db = open_database(url_);
    bind_key(*db, vault, key_);
    auth::Accounts accounts{auth::AuthOptions{.password = auth::PasswordOptions::cheap()}};
    int64_t worker = db->transact([&](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
      org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
      org::create_org(tx, {"530621101201", "530621101000", "village", "龙井村"});
      org::create_org(tx, {kGrid, "530621101201", "", "第1网格", {}, 27.19, 103.55});
      int64_t id = accounts.create_user(
          tx, {"worker", "网格员", auth::Role::grid_worker, kGrid, {}, kPassword}, now(), "test");
      tx.exec("UPDATE users SET must_change_password = 0 WHERE id = ?", {id});
      return id;
    });
    photo_ = intake::PhotoStore(photos_).put(*db, "\xFF\xD8\xFF\xE0 before", worker, now()).sha256;
  }

  std::string backup_dir(const std::string& name) { return (dir_ / name).string(); }

  // Runs wangge; returns its exit code and output.
  std::pair<int, std::string> wangge(const std::vector<std::string>& args,
                                     const std::vector<std::string>& env = {}) {
    auto e = env.empty() ? env_ : env;
    auto [status, out] = run(args, e);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
  }

  int64_t count(const std::string& url, const std::string& sql, const store::Params& p = {}) {
    auto db = store::Database::open(url);
    auto tx = db->begin(store::TxMode::read);
    return tx->query_int(sql, p);
  }

  // A backup of the database as it is (no server running).
  std::string quiet_backup() {
    std::string to = backup_dir("quiet");
    auto [code, out] = wangge({"backup", "--db", url_, "--to", to, "--photos", photos_.string()});
    EXPECT_EQ(code, 0) << out;
    return to;
  }

  fs::path dir_, photos_;
  std::string url_, key_, photo_;
  std::vector<std::string> env_;
};

json event_body(int n) {
  return {{"category", "infra.sewage"},
          {"title", "化粪池堵塞 " + std::to_string(n)},
          {"description", "污水外溢"},
          {"lat", 27.19},
          {"lng", 103.55},
          {"address", "龙井村1组"},
          {"people_affected", 3},
          {"damage", "minor"}};
}

// Writers create events over HTTP with Idempotency-Keys, recording each acknowledged one.
class Writers {
 public:
  Writers(uint16_t port, const std::string& token, int threads) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, port, token, t] { write(port, token, t); });
    }
  }
  ~Writers() { stop(); }
  void stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  // Blocks until at least n writes are acknowledged (or a writer failed).
  void wait_for(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return acked_.size() >= n || failed_; });
  }
  std::vector<int64_t> acked() {
    std::lock_guard lock(mu_);
    return acked_;
  }
  std::string failure() {
    std::lock_guard lock(mu_);
    return failure_;
  }

 private:
  void write(uint16_t port, const std::string& token, int t) {
    http::testing::Client client(port);
    for (int i = 0; !stop_; ++i) {
      auto r = client.request("POST", "/api/v1/events", event_body(i).dump(),
                              {{"Authorization", "Bearer " + token},
                               {"Content-Type", "application/json"},
                               {"Idempotency-Key", fmt::format("w{}-{}", t, i)}});
      std::lock_guard lock(mu_);
      if (r.status / 100 == 2) {
        acked_.push_back(r.json().value("id", int64_t{0}));
      } else if (!failed_) {
        failed_ = true;
        failure_ = std::to_string(r.status) + " " + r.body;
      }
      cv_.notify_all();
      if (failed_) return;
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int64_t> acked_;
  bool failed_ = false;
  std::string failure_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// `wangge serve` on a free port, stopped with SIGTERM when destroyed.
class Server {
 public:
  Server(const std::vector<std::string>& args, const std::vector<std::string>& env)
      : child_(spawn(args, env)) {
    said_ = read_until(child_.err, "/  ");
    std::smatch m;
    if (std::regex_search(said_, m, std::regex(R"(http://127\.0\.0\.1:(\d+)/)"))) {
      port_ = static_cast<uint16_t>(std::stoi(m[1]));
    }
    // The server's log is read on, so a full pipe never stalls it under load.
    drain_ = std::thread([fd = child_.err] {
      char buf[4096];
      while (read(fd, buf, sizeof buf) > 0) {
      }
    });
  }
  ~Server() {
    kill(child_.pid, SIGTERM);
    drain_.join();  // the server has exited: its end of the pipe is closed
    finish(child_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  uint16_t port() const { return port_; }  // 0 when it did not start
  const std::string& said() const { return said_; }

 private:
  Child child_;
  std::string said_;
  uint16_t port_ = 0;
  std::thread drain_;
};

TEST_P(BackupTest, ABackupUnderLoadRestoresEveryWriteAcknowledgedBeforeIt) {
  auto server = std::make_unique<Server>(
      std::vector<std::string>{"serve", "--db", url_, "--port", "0"}, env_);
  ASSERT_NE(server->port(), 0) << server->said();
  const uint16_t port = server->port();
  std::string token;
  {
    http::testing::Client c(port);
    auto r = c.request("POST", "/api/v1/auth/login",
                       json{{"username", "worker"}, {"password", kPassword}}.dump(),
                       {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 200) << r.body;
    token = r.json().value("token", "");
  }
  const std::string to = backup_dir("under-load");
  std::vector<int64_t> before;
  std::pair<int, std::string> backup;
  size_t total = 0;
  {
    Writers writers(port, token, 2);
    writers.wait_for(20);
    before = writers.acked();  // each got its 2xx before the backup command starts
    ASSERT_GE(before.size(), 20u) << writers.failure();
    backup = wangge({"backup", "--db", url_, "--to", to, "--photos", photos_.string()});
    const size_t after_backup = writers.acked().size();
    writers.wait_for(after_backup + 5);  // writes went on during and after the backup
    writers.stop();
    EXPECT_EQ(writers.failure(), "");
    total = writers.acked().size();
  }
  server.reset();
  ASSERT_EQ(backup.first, 0) << backup.second;
  EXPECT_NE(backup.second.find("备份完成"), std::string::npos) << backup.second;

  // The manifest names no key material but the check value, and counts the events.
  std::ifstream in(fs::path(to) / "manifest.json");
  json manifest = json::parse(in);
  EXPECT_EQ(manifest["data_key"]["check_value"], Vault::from_key_file(key_, false).check_value());
  EXPECT_GE(manifest["counts"]["events"].get<int64_t>(), static_cast<int64_t>(before.size()));
  std::cout << "writes acknowledged before the backup " << before.size() << ", events in it "
            << manifest["counts"]["events"] << ", acknowledged in all " << total << "\n";
  EXPECT_TRUE(manifest["files"].contains("photos/" + photo_.substr(0, 2) + "/" + photo_.substr(2)));

  auto verify = wangge({"backup", "verify", to, "--key", key_});
  EXPECT_EQ(verify.first, 0) << verify.second;
  EXPECT_NE(verify.second.find("含密钥 MAC 校验"), std::string::npos) << verify.second;

  const std::string target = testing::fresh_database_url(GetParam());
  const fs::path photos2 = dir_ / "photos2";
  auto restore = wangge(
      {"restore", "--from", to, "--db", target, "--photos", photos2.string(), "--key", key_});
  ASSERT_EQ(restore.first, 0) << restore.second;
  auto audit = wangge({"audit", "verify", "--db", target});
  EXPECT_EQ(audit.first, 0) << audit.second;
  EXPECT_NE(audit.second.find("审计日志完整"), std::string::npos) << audit.second;

  for (int64_t id : before) {
    EXPECT_EQ(count(target, "SELECT COUNT(*) FROM events WHERE id = ?", {id}), 1) << id;
  }
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM events"),
            manifest["counts"]["events"].get<int64_t>());
  EXPECT_TRUE(fs::is_regular_file(intake::PhotoStore(photos2).path_of(photo_)));
  EXPECT_EQ(intake::PhotoStore(photos2).read(photo_), "\xFF\xD8\xFF\xE0 before");
  // The restored database takes new writes: its id sequences moved past the loaded rows.
  auto db = open_database(target);
  auto vault = Vault::from_key_file(key_, false);
  bind_key(*db, vault, key_);
  EXPECT_NO_THROW(db->transact([](store::Tx& tx) {
    org::create_org(tx, {"530621101202", "530621101000", "village", "新村"});
  }));
}

TEST_P(BackupTest, ATamperedFileFailsVerificationNamingIt) {
  const std::string to = quiet_backup();
  ASSERT_EQ(wangge({"backup", "verify", to}).first, 0);
  const std::string name = "photos/" + photo_.substr(0, 2) + "/" + photo_.substr(2);
  {
    std::ofstream out(fs::path(to) / name, std::ios::binary | std::ios::app);
    out << "x";
  }
  auto [code, out] = wangge({"backup", "verify", to});
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find(name), std::string::npos) << out;
  EXPECT_NE(out.find("校验和不符"), std::string::npos) << out;
  // Restore refuses it too, naming the file, and writes nothing.
  const std::string target = testing::fresh_database_url(GetParam());
  auto restore = wangge({"restore", "--from", to, "--db", target, "--photos",
                         (dir_ / "restored-photos").string(), "--key", key_});
  EXPECT_EQ(restore.first, 2) << restore.second;
  EXPECT_NE(restore.second.find(name), std::string::npos) << restore.second;
}

TEST_P(BackupTest, RestoreRefusesAWrongKey) {
  const std::string to = quiet_backup();
  const std::string other = (dir_ / "other.key").string();
  Vault::from_key_file(other, true);
  const std::string target = testing::fresh_database_url(GetParam());
  auto [code, out] = wangge({"restore", "--from", to, "--db", target, "--photos",
                             (dir_ / "restored-photos").string(), "--key", other});
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("不是这个备份的密钥"), std::string::npos) << out;
  EXPECT_EQ(
      count(target, GetParam() == "sqlite" ? "SELECT COUNT(*) FROM sqlite_master"
                                           : "SELECT COUNT(*) FROM information_schema.tables WHERE "
                                             "table_schema = current_schema()"),
      0);
  // The right key restores (the negative control of the refusal).
  auto ok = wangge({"restore", "--from", to, "--db", target, "--photos",
                    (dir_ / "restored-photos").string(), "--key", key_});
  EXPECT_EQ(ok.first, 0) << ok.second;
}

TEST_P(BackupTest, RestoreRefusesABackupFromANewerSchema) {
  const std::string to = quiet_backup();
  const fs::path manifest_file = fs::path(to) / "manifest.json";
  json manifest = json::parse(std::ifstream(manifest_file));
  manifest["schema"]["events"] = 999;
  std::ofstream(manifest_file) << manifest.dump();
  auto [code, out] =
      wangge({"restore", "--from", to, "--db", testing::fresh_database_url(GetParam()), "--photos",
              (dir_ / "restored-photos").string(), "--key", key_});
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("备份由更新版本的 wangge 制作：模块 events 的数据库结构版本为 999"),
            std::string::npos)
      << out;
}

TEST_P(BackupTest, RestoreRefusesATargetThatIsNotEmpty) {
  const std::string to = quiet_backup();
  auto [code, out] = wangge({"restore", "--from", to, "--db", url_, "--photos",
                             (dir_ / "restored-photos").string(), "--key", key_});
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("目标数据库不是空的"), std::string::npos) << out;
}

TEST_P(BackupTest, BackupRefusesAFolderThatIsNotEmpty) {
  const fs::path to = dir_ / "full";
  fs::create_directories(to);
  std::ofstream(to / "something") << "x";
  auto [code, out] = wangge({"backup", "--db", url_, "--to", to.string()});
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("已存在且不是空目录"), std::string::npos) << out;
}

// Item 5: a database written by a newer wangge is refused by serve and by every command.
TEST_P(BackupTest, ADatabaseFromANewerWanggeIsRefusedByServeAndCommands) {
  {
    auto db = store::Database::open(url_);
    db->transact([](store::Tx& tx) {
      tx.exec("INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)",
              {"events", 999, int64_t{0}});
    });
  }
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"serve", "--db", url_, "--port", "0"}, {"audit", "verify", "--db", url_}}) {
    auto [code, out] = wangge(args);
    EXPECT_EQ(code, 1) << out;
    EXPECT_NE(out.find("数据库由更新版本的 wangge 写入：模块 events 的数据库结构版本为 999"),
              std::string::npos)
        << out;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::cli
