// The data key through the real binary, on both databases: a wrong or loose key file is refused
// by the server and by the commands that read or write personal data; the files wangge makes
// are 0600; `wangge key rotate` re-encrypts every sealed value and every reveal still works.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "auth/audit.h"
#include "cli/app.h"
#include "cli/child.h"
#include "cli/keys.h"
#include "core/codes.h"
#include "served.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;

std::string id_number(int seq) {
  std::string first17 = "53062119800101" + std::to_string(100 + seq);
  return first17 + citizen_id::check_char(first17);
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

class KeyTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url(GetParam());
    dir_ = testing::temp_dir("key-cli");
    key_ = dir_ / "data.key";
    env_ = {"WANGGE_KEY_FILE=" + key_.string()};
    Vault::from_key_file(key_, true);
    auto db = open_database(url_);
    db->transact(add_small_place);
    csv_ = dir_ / "residents.csv";
    std::ofstream out(csv_, std::ios::binary);
    out << "户编号,姓名,公民身份号码,联系电话,与户主关系\n";
    for (int i = 0; i < 5; ++i) {
      static constexpr const char* kNames[] = {"居民甲", "居民乙", "居民丙", "居民丁", "居民戊"};
      out << "H1," << kNames[i] << "," << id_number(i) << ",1381234567" << i << ",其他\n";
    }
  }

  std::pair<int, std::string> wangge(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.end(), {"--db", url_});
    auto [status, out] = run_with_input(args, env_, input);
    return {WEXITSTATUS(status), out};
  }

  void import() {
    auto [code, out] = wangge({"import", "residents", csv_.string()});
    ASSERT_EQ(code, 0) << out;
  }

  // Starts `wangge serve` on a free port; true when it came up (then it is stopped again).
  bool serve_starts(std::string& said) {
    Child c = spawn({"serve", "--db", url_, "--port", "0"}, env_);
    said = read_until(c.err, "已启动");
    bool started = said.find("已启动") != std::string::npos;
    if (started) {
      on_serving();
      ::kill(c.pid, SIGTERM);
    }
    finish(c);
    return started;
  }
  std::function<void()> on_serving = [] {};

  std::string url_;
  fs::path dir_, key_, csv_;
  std::vector<std::string> env_;
};

TEST_P(KeyTest, AWrongKeyIsRefusedAtStartAndByTheCommands) {
  import();
  const fs::path other = dir_ / "other.key";
  Vault::from_key_file(other, true);
  env_ = {"WANGGE_KEY_FILE=" + other.string()};
  std::string said;
  EXPECT_FALSE(serve_starts(said)) << said;
  EXPECT_NE(said.find("不是这个数据库的密钥"), std::string::npos) << said;
  EXPECT_NE(said.find(other.string()), std::string::npos) << said;
  auto [exported, export_out] = wangge({"export", "residents", "-o", (dir_ / "x.csv").string()});
  EXPECT_EQ(exported, 1) << export_out;
  EXPECT_FALSE(fs::exists(dir_ / "x.csv"));
  auto [imported, import_out] = wangge({"import", "residents", csv_.string()});
  EXPECT_EQ(imported, 1) << import_out;
  auto [reported, report_out] = wangge({"report", "dibao"});
  EXPECT_EQ(reported, 1) << report_out;
  EXPECT_NE(report_out.find("不是这个数据库的密钥"), std::string::npos) << report_out;
  auto [verified, verify_out] = wangge({"audit", "verify"});
  EXPECT_EQ(verified, 1) << verify_out;

  // A database made before key checks (no check value stored): the key must open its data.
  {
    auto db = store::Database::open(url_);
    db->transact([](store::Tx& tx) { tx.exec("DELETE FROM data_keys"); });
  }
  auto [old_db, old_out] = wangge({"export", "residents", "-o", (dir_ / "y.csv").string()});
  EXPECT_EQ(old_db, 1) << old_out;
  env_ = {"WANGGE_KEY_FILE=" + key_.string()};
  auto [right, right_out] = wangge({"key", "check"});
  EXPECT_EQ(right, 0) << right_out;
  auto [rebound, rebound_out] = wangge({"export", "residents", "-o", (dir_ / "z.csv").string()});
  EXPECT_EQ(rebound, 0) << rebound_out;
}

TEST_P(KeyTest, AKeyFileOthersMayReadIsRefused) {
  import();
  ::chmod(key_.c_str(), 0644);
  std::string said;
  EXPECT_FALSE(serve_starts(said)) << said;
  EXPECT_NE(said.find("chmod 600 " + key_.string()), std::string::npos) << said;
  auto [exported, out] = wangge({"export", "residents", "-o", (dir_ / "x.csv").string()});
  EXPECT_EQ(exported, 1) << out;
  EXPECT_NE(out.find("chmod 600"), std::string::npos) << out;
  ::chmod(key_.c_str(), 0600);
  EXPECT_TRUE(serve_starts(said)) << said;
}

TEST_P(KeyTest, TheFilesWanggeMakesAreOwnerOnly) {
  // A new deployment: `key new` makes the key (and, for SQLite, the database file).
  const fs::path fresh_key = dir_ / "fresh.key";
  env_ = {"WANGGE_KEY_FILE=" + fresh_key.string()};
  if (GetParam() == "sqlite") url_ = (dir_ / "fresh.db").string();
  auto [made, made_out] = wangge({"key", "new"});
  ASSERT_EQ(made, 0) << made_out;
  EXPECT_EQ(mode_of(fresh_key), 0600u);
  auto [again, again_out] = wangge({"key", "new"});
  EXPECT_NE(again, 0) << "an existing key is never overwritten: " << again_out;
  if (GetParam() == "sqlite") {
    on_serving = [&] {
      for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::path f = url_ + suffix;
        if (fs::exists(f)) {
          EXPECT_EQ(mode_of(f), 0600u) << f;
        }
      }
      EXPECT_TRUE(fs::exists(url_ + "-wal"));
    };
  }
  std::string said;
  EXPECT_TRUE(serve_starts(said)) << said;
  fs::path exported = dir_ / "e.csv";
  auto [ok, out] = wangge({"export", "residents", "-o", exported.string()});
  ASSERT_EQ(ok, 0) << out;
  EXPECT_EQ(mode_of(exported), 0600u);
}

TEST_P(KeyTest, RotationReencryptsEverySealedValueResumably) {
  import();
  auto [hooked, hook_out] =
      wangge({"webhook", "add", "--org", "530621000000", "--kind", "dingtalk", "--url-stdin",
              "--secret-stdin"},
             "https://oapi.dingtalk.com/robot/send?access_token=tok-123\nSECsign\n");
  ASSERT_EQ(hooked, 0) << hook_out;
  const Vault old_key = Vault::from_key_file(key_, false);
  {
    auto db = store::Database::open(url_);
    db->transact([&](store::Tx& tx) {
      tx.exec("INSERT INTO staff (name, phone_enc, phone_mask, created_at) VALUES (?, ?, ?, 0)",
              {"网格员", old_key.encrypt("13900001111"), "139****1111"});
      tx.exec(
          "INSERT INTO open311_requests (token, event_id, api_key_id, service_code, contact_enc, "
          "created_at) VALUES ('t1', 1, 1, 'road', ?, 0)",
          {old_key.encrypt(R"({"phone":"13700002222"})")});
      tx.exec(
          "INSERT INTO idempotency_keys (caller, idem_key, method, path, request_hash, status, "
          "body, created_at) VALUES ('user:1', 'k', 'POST', '/x', 'h', 201, ?, 0)",
          {old_key.encrypt(R"({"id":1})")});
    });
  }
  // An earlier run stopped half-way: one value already under the new key, the rotation marked.
  const fs::path new_file = dir_ / "new.key";
  const Vault new_key = Vault::from_key_file(new_file, true);
  {
    auto db = store::Database::open(url_);
    db->transact([&](store::Tx& tx) {
      tx.exec("UPDATE data_keys SET next_check = ? WHERE id = 1", {new_key.check_value()});
      auto r = tx.query_one("SELECT id, id_enc FROM residents ORDER BY id LIMIT 1");
      std::string id = old_key.decrypt(r->blob(1));
      tx.exec("UPDATE residents SET id_enc = ?, id_hash = ? WHERE id = ?",
              {new_key.encrypt(id), new_key.lookup_hash(id), r->i64(0)});
    });
  }
  std::string said;
  EXPECT_FALSE(serve_starts(said)) << "no server while a rotation is unfinished";
  EXPECT_NE(said.find("轮换尚未完成"), std::string::npos) << said;

  auto [rotated, rotate_out] =
      wangge({"key", "rotate", "--new-key-file", new_file.string(), "--batch", "2"});
  ASSERT_EQ(rotated, 0) << rotate_out;
  // The new key is in place, the old one kept aside for old backups.
  EXPECT_EQ(Vault::from_key_file(key_, false).check_value(), new_key.check_value());
  EXPECT_TRUE(fs::exists(key_.string() + ".retired-" + old_key.key_id()));
  EXPECT_FALSE(fs::exists(new_file));

  auto db = store::Database::open(url_);
  {
    auto tx = db->begin(store::TxMode::read);
    for (const auto& c : sealed_columns()) {
      int64_t n = 0;
      for (const auto& r : tx->query(fmt::format("SELECT {} FROM {} WHERE {} IS NOT NULL", c.column,
                                                 c.table, c.column))) {
        std::string plain;
        EXPECT_TRUE(new_key.try_decrypt(r.blob(0), plain)) << c.table << "." << c.column;
        EXPECT_FALSE(old_key.try_decrypt(r.blob(0), plain)) << c.table << "." << c.column;
        ++n;
      }
      EXPECT_GT(n, 0) << "the test covers " << c.table << "." << c.column;
    }
    // Found by ID number with the new lookup hash.
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM residents WHERE id_hash = ?",
                              {new_key.lookup_hash(id_number(i))}),
                1);
    }
  }
  // Every reveal works: the export opens every ID number and phone, the webhook its URL.
  fs::path out = dir_ / "after.csv";
  auto [exported, export_out] = wangge({"export", "residents", "-o", out.string()});
  ASSERT_EQ(exported, 0) << export_out;
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (int i = 0; i < 5; ++i) EXPECT_NE(text.find(id_number(i)), std::string::npos) << i;
  auto [listed, list] = wangge({"webhook", "list"});
  EXPECT_EQ(listed, 0) << list;
  auto [verified, verify_out] = wangge({"audit", "verify"});
  EXPECT_EQ(verified, 0) << verify_out;
  EXPECT_NE(verify_out.find("密钥校验"), std::string::npos) << verify_out;
  EXPECT_TRUE(serve_starts(said)) << said;
  // The old key is now the wrong one.
  env_ = {"WANGGE_KEY_FILE=" + key_.string() + ".retired-" + old_key.key_id()};
  auto [stale, stale_out] = wangge({"key", "check"});
  EXPECT_EQ(stale, 1) << stale_out;
}

INSTANTIATE_TEST_SUITE_P(Backends, KeyTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::cli
