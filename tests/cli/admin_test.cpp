// `wangge user …` and `wangge audit verify`, through the real binary, on both databases.
#include <gtest/gtest.h>

#include <filesystem>

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
  std::pair<int, std::string> wangge(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", url_});
    return run(args, {});
  }
  std::string url_;
};

TEST_P(AdminTest, UsersAreManagedAndTheAuditChainCatchesTampering) {
  auto [added, out] = wangge({"user", "add", "--username", "ludian", "--role", "county_operator",
                              "--org", "530621000000", "--password", "Init@2026x"});
  ASSERT_EQ(WEXITSTATUS(added), 0) << out;
  auto [weak, weak_out] = wangge({"user", "add", "--username", "weak", "--role", "county_operator",
                                  "--org", "530621000000", "--password", "12345678"});
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
