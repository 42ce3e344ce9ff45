// `wangge import` killed half-way leaves the database as it was; run again it applies
// everything; run a third time it changes nothing. Against both databases.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "cli/app.h"
#include "cli/child.h"
#include "core/codes.h"
#include "org/service.h"
#include "people/service.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

class ImportCrashTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url(GetParam());
    key_ = (testing::temp_dir() / "data.key").string();
    env_ = {"WANGGE_KEY_FILE=" + key_};
    Vault::from_key_file(key_, true);  // creates the key file the child reads
    auto db = open_database(url_);
    db->transact([&](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
      org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
      org::create_org(tx, {"530621101201", "530621101000", "village", "龙井村"});
      org::create_org(tx, {"530621101201001", "530621101201", "", "第1网格"});
      org::create_org(tx, {"530621101201001001", "530621101201001", "", "第1微网格"});
      people::create_household(tx, {"H1", "530621101201001001", "", "龙井村1组1号"});
    });
    csv_ = testing::temp_dir() / "residents.csv";
    std::ofstream out(csv_, std::ios::binary);
    out << "户编号,姓名,公民身份号码,与户主关系\n";
    const int64_t first_day = days_since_epoch(parse_date("1950-01-01"));
    for (int i = 0; i < kRows; ++i) {
      Date birth = date_from_days(first_day + i);
      std::string first17 = "530621" + format_date(birth).substr(0, 4) +
                            format_date(birth).substr(5, 2) + format_date(birth).substr(8, 2) +
                            "011";
      out << "H1,居民," << first17 << citizen_id::check_char(first17) << ",其他\n";
    }
  }
  int64_t residents() {
    auto db = store::Database::open(url_);
    auto tx = db->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM residents");
  }
  static constexpr int kRows = 2000;
  std::string url_, key_;
  std::vector<std::string> env_;
  std::filesystem::path csv_;
};

TEST_P(ImportCrashTest, KilledHalfWayLeavesNothing) {
  auto env = env_;
  env.push_back("WANGGE_IMPORT_STALL_AFTER=1000");
  Child c = spawn({"import", "residents", "--db", url_, csv_.string()}, env);
  std::string said = read_until(c.err, "stalled after 1000 rows");
  ASSERT_NE(said.find("stalled after 1000 rows"), std::string::npos) << said;
  kill(c.pid, SIGKILL);
  int status = finish(c);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(residents(), 0);

  Child full = spawn({"import", "residents", "--db", url_, csv_.string()}, env_);
  EXPECT_EQ(finish(full), 0);
  EXPECT_EQ(residents(), kRows);

  Child again = spawn({"import", "residents", "--db", url_, csv_.string()}, env_);
  EXPECT_EQ(finish(again), 0);
  EXPECT_EQ(residents(), kRows);
}

TEST_P(ImportCrashTest, ABadRowFailsTheCommandAndWritesNothing) {
  {
    std::ofstream out(csv_, std::ios::binary | std::ios::app);
    out << "H1,坏数据,530621199001011235,其他\n";
  }
  auto [status, said] = run({"import", "residents", "--db", url_, csv_.string()}, env_);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(said.find("第" + std::to_string(kRows + 2) + "行"), std::string::npos) << said;
  EXPECT_NE(said.find("数据库未做任何修改"), std::string::npos) << said;
  EXPECT_EQ(residents(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportCrashTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::cli
