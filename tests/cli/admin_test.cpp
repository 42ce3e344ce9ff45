// `wangge user …` and `wangge audit verify`, through the real binary, on both databases.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/app.h"
#include "cli/child.h"
#include "org/service.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

class AdminTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url(GetParam());
    auto db = open_database(url_);
    db->transact([&](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
    });
  }
  std::pair<int, std::string> wangge(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.end(), {"--db", url_});
    return run_with_input(args, {}, input);
  }
  std::string url_;
};

TEST_P(AdminTest, UsersAreManagedAndTheAuditChainCatchesTampering) {
  auto [added, out] = wangge({"user", "add", "--username", "ludian", "--role", "county_operator",
                              "--org", "530621000000", "--password-stdin"},
                             "Init@2026x\n");
  ASSERT_EQ(WEXITSTATUS(added), 0) << out;
  EXPECT_EQ(out.find("警告"), std::string::npos) << out;
  auto [weak, weak_out] = wangge({"user", "add", "--username", "weak", "--role", "county_operator",
                                  "--org", "530621000000", "--password-stdin"},
                                 "12345678\n");
  EXPECT_EQ(WEXITSTATUS(weak), 2);
  EXPECT_NE(weak_out.find("密码"), std::string::npos) << weak_out;
  auto [locked, lock_out] = wangge({"user", "lock", "--username", "ludian"});
  EXPECT_EQ(WEXITSTATUS(locked), 0) << lock_out;
  auto [listed, list] = wangge({"user", "list"});
  EXPECT_EQ(WEXITSTATUS(listed), 0);
  EXPECT_NE(list.find("ludian"), std::string::npos);
  EXPECT_NE(list.find("锁定"), std::string::npos) << list;
  EXPECT_EQ(list.find("weak"), std::string::npos);

  auto [intact, intact_out] = wangge({"audit", "verify"});
  EXPECT_EQ(WEXITSTATUS(intact), 0) << intact_out;
  EXPECT_NE(intact_out.find("审计日志完整"), std::string::npos) << intact_out;

  int64_t victim;
  {
    auto db = store::Database::open(url_);
    db->transact([&](store::Tx& tx) {
      victim = tx.query_int("SELECT MIN(id) FROM audit_log");
      tx.exec("UPDATE audit_log SET detail = ? WHERE id = ?", {"被改过的内容", victim});
    });
  }
  auto [broken, broken_out] = wangge({"audit", "verify"});
  EXPECT_EQ(WEXITSTATUS(broken), 1);
  EXPECT_NE(broken_out.find("第 " + std::to_string(victim) + " 条"), std::string::npos)
      << broken_out;
}

TEST_P(AdminTest, PasswordsComeFromStdinOrAFileAndTheOldFlagWarns) {
  auto file = testing::temp_dir("pw") / "initial.txt";
  { std::ofstream(file) << "File@2026pass\n"; }
  auto [from_file, file_out] =
      wangge({"user", "add", "--username", "fromfile", "--role", "county_operator", "--org",
              "530621000000", "--password-file", file.string()});
  EXPECT_EQ(WEXITSTATUS(from_file), 0) << file_out;
  auto [reset, reset_out] =
      wangge({"user", "passwd", "--username", "fromfile", "--password-stdin"}, "Reset@2026pass\n");
  EXPECT_EQ(WEXITSTATUS(reset), 0) << reset_out;
  // No password at all, and no terminal to ask on: refused, nothing created.
  auto [none, none_out] = wangge({"user", "add", "--username", "nopw", "--role", "county_operator",
                                  "--org", "530621000000", "--password-stdin"});
  EXPECT_EQ(WEXITSTATUS(none), 2) << none_out;
  // The old flag still works but says why it should not be used.
  auto [flag, flag_out] =
      wangge({"user", "add", "--username", "oldflag", "--role", "county_operator", "--org",
              "530621000000", "--password", "Flag@2026pass"});
  EXPECT_EQ(WEXITSTATUS(flag), 0) << flag_out;
  EXPECT_NE(flag_out.find("ps"), std::string::npos) << flag_out;
  EXPECT_NE(flag_out.find("--password-stdin"), std::string::npos) << flag_out;
  auto [listed, list] = wangge({"user", "list"});
  EXPECT_NE(list.find("fromfile"), std::string::npos);
  EXPECT_EQ(list.find("nopw"), std::string::npos);
}

TEST(ExistingDatabase, AMistypedPathIsRefusedAndNotCreated) {
  auto missing = (testing::temp_dir() / "typo.db").string();
  auto [status, out] = run({"export", "residents", "--db", missing}, {});
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(out.find("数据库文件不存在"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(missing));
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::cli
