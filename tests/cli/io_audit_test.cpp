// `wangge import` and `wangge export` write who moved which personal data into the audit
// chain — never a value — through the real binary, on both databases.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "auth/audit.h"
#include "cli/app.h"
#include "cli/child.h"
#include "core/codes.h"
#include "served.h"
#include "testing/testing.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string id_number(const std::string& birth, int seq) {
  std::string first17 = "530621" + birth + std::to_string(100 + seq);
  return first17 + citizen_id::check_char(first17);
}

// The residents' names in the file (a name holds no digits).
constexpr const char* kNames[] = {"居民甲", "居民乙", "居民丙"};

class IoAuditTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = testing::fresh_database_url(GetParam());
    dir_ = testing::temp_dir("io-audit");
    std::string key = (dir_ / "data.key").string();
    env_ = {"WANGGE_KEY_FILE=" + key};
    Vault::from_key_file(key, true);
    auto db = open_database(url_);
    db->transact(add_small_place);
    csv_ = dir_ / "residents.csv";
    std::ofstream out(csv_, std::ios::binary);
    out << "户编号,姓名,公民身份号码,联系电话,与户主关系\n";
    for (int i = 0; i < 3; ++i) {
      values_.push_back(id_number("1980010" + std::to_string(i + 1), i));
      values_.push_back("1381234567" + std::to_string(i));
      out << "H1," << kNames[i] << "," << values_[values_.size() - 2] << "," << values_.back()
          << ",其他\n";
    }
  }

  std::pair<int, std::string> wangge(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", url_});
    auto [status, out] = run(args, env_);
    return {WEXITSTATUS(status), out};
  }

  // The audit rows of an action, oldest first.
  std::vector<auth::audit::Entry> audited(const std::string& action) {
    auto db = store::Database::open(url_);
    auto tx = db->begin(store::TxMode::read);
    std::vector<auth::audit::Entry> out;
    for (auto& e : auth::audit::entries(*tx, 0, 1000)) {
      if (e.action == action) out.push_back(e);
    }
    return out;
  }

  // The row names no value of the file: no ID number, phone or name.
  void expect_no_values(const auth::audit::Entry& e) {
    for (const auto& v : values_) {
      EXPECT_EQ(e.detail.find(v), std::string::npos) << e.detail;
      EXPECT_EQ(e.subject.find(v), std::string::npos) << e.subject;
      // Not even the masked tail of a value.
      EXPECT_EQ(e.detail.find(v.substr(v.size() - 4)), std::string::npos) << e.detail;
    }
    for (const char* name : kNames) EXPECT_EQ(e.detail.find(name), std::string::npos) << e.detail;
  }

  static std::string os_user() { return ::getpwuid(::geteuid())->pw_name; }

  std::string url_;
  fs::path dir_, csv_;
  std::vector<std::string> env_;
  std::vector<std::string> values_;  // the ID numbers and phones in the file
};

TEST_P(IoAuditTest, ImportAndExportAreAuditedWithoutTheValues) {
  auto [imported, import_out] = wangge({"import", "residents", csv_.string(), "--as", "张科长"});
  ASSERT_EQ(imported, 0) << import_out;
  auto imports = audited("registry.import");
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].actor, "张科长");
  EXPECT_EQ(imports[0].subject, "table:residents");
  json d = json::parse(imports[0].detail);
  EXPECT_EQ(d["rows"], 3);
  EXPECT_EQ(d["inserted"], 3);
  EXPECT_EQ(d["os_user"], os_user());
  EXPECT_EQ(d["file"], "residents.csv");
  EXPECT_TRUE(d["id_numbers_in_clear"].get<bool>());
  EXPECT_TRUE(d["phones_in_clear"].get<bool>());
  expect_no_values(imports[0]);

  // To a file: by the operating-system user; the file (owner-only) has the values in clear.
  fs::path file = dir_ / "out.csv";
  auto [exported, export_out] = wangge({"export", "residents", "-o", file.string()});
  ASSERT_EQ(exported, 0) << export_out;
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find(values_[0]), std::string::npos) << text.str();
  EXPECT_FALSE(fs::exists(file.string() + ".part"));
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u) << "an export of personal data is readable by others";
  // To standard output, and of households (no personal columns).
  auto [to_stdout, stdout_text] = wangge({"export", "residents", "--org", "530621000000"});
  ASSERT_EQ(to_stdout, 0) << stdout_text;
  EXPECT_NE(stdout_text.find(values_[1]), std::string::npos) << stdout_text;
  auto [households, households_out] = wangge({"export", "households", "--as", "李审计"});
  ASSERT_EQ(households, 0) << households_out;

  auto exports = audited("registry.export");
  ASSERT_EQ(exports.size(), 3u);
  EXPECT_EQ(exports[0].actor, "os:" + os_user());
  json file_row = json::parse(exports[0].detail);
  EXPECT_EQ(file_row["rows"], 3);
  EXPECT_EQ(file_row["file"], "out.csv");
  EXPECT_EQ(file_row["format"], "csv");
  EXPECT_TRUE(file_row["id_numbers_in_clear"].get<bool>());
  json stdout_row = json::parse(exports[1].detail);
  EXPECT_EQ(stdout_row["file"], "-");
  EXPECT_EQ(stdout_row["org"], "530621000000");
  EXPECT_EQ(stdout_row["rows"], 3);
  EXPECT_EQ(exports[2].actor, "李审计");
  EXPECT_EQ(exports[2].subject, "table:households");
  json household_row = json::parse(exports[2].detail);
  EXPECT_EQ(household_row["rows"], 1);
  EXPECT_FALSE(household_row["id_numbers_in_clear"].get<bool>());
  EXPECT_FALSE(household_row["phones_in_clear"].get<bool>());
  for (const auto& e : exports) expect_no_values(e);

  auto [verified, verify_out] = wangge({"audit", "verify"});
  EXPECT_EQ(verified, 0) << verify_out;
}

// `wangge report` of a record-list form (名册) with ID numbers and phones: masked in the file,
// and the export audited with its row count, never a value.
// `-o /dev/null` once replaced the machine's /dev/null with a regular file: the export was
// written beside its target and renamed over it. A device or pipe is written through instead;
// a FIFO stands in for /dev/null here.
TEST_P(IoAuditTest, AnExportToAPipeWritesThroughItAndLeavesItAPipe) {
  auto [imported, import_out] = wangge({"import", "residents", csv_.string()});
  ASSERT_EQ(imported, 0) << import_out;
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Our own read and write ends keep the pipe open; the export (a few hundred bytes) fits in
  // its buffer, so nothing has to read while it runs, and nothing hangs if it never writes.
  int read_end = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(read_end, 0);
  int write_end = ::open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(write_end, 0);
  auto [exported, export_out] = wangge({"export", "residents", "-o", fifo.string()});
  ::close(write_end);
  std::string received;
  char buf[4096];
  for (ssize_t n; (n = ::read(read_end, buf, sizeof buf)) > 0;) received.append(buf, size_t(n));
  ::close(read_end);
  EXPECT_EQ(exported, 0) << export_out;
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the pipe was replaced by a file";
  EXPECT_NE(received.find(kNames[0]), std::string::npos) << received;
  EXPECT_FALSE(fs::exists(fs::path(fifo.string() + ".part")));
}

TEST_P(IoAuditTest, ARosterReportIsMaskedAndAudited) {
  auto [imported, import_out] = wangge({"import", "residents", csv_.string()});
  ASSERT_EQ(imported, 0) << import_out;
  {
    auto db = store::Database::open(url_);
    db->transact([](store::Tx& tx) {
      auto ids = tx.query("SELECT id FROM residents ORDER BY id");
      ASSERT_EQ(ids.size(), 3u);
      people::set_tags(tx, ids[0].i64(0), {"dibao"});
      people::set_tags(tx, ids[2].i64(0), {"dibao"});
    });
  }
  fs::path file = dir_ / "dibao.csv";
  auto [status, out] = wangge({"report", "dibao_roster", "--org", "530621000000", "--format", "csv",
                               "-o", file.string(), "--as", "王股长"});
  ASSERT_EQ(status, 0) << out;
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find(kNames[0]), std::string::npos) << text.str();
  EXPECT_EQ(text.str().find(kNames[1]), std::string::npos) << "not on 低保: " << text.str();
  EXPECT_NE(text.str().find(kNames[2]), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("********"), std::string::npos) << text.str();
  for (const auto& v : values_) EXPECT_EQ(text.str().find(v), std::string::npos) << v;

  auto rows = audited("roster.export");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].actor, "王股长");
  EXPECT_EQ(rows[0].subject, "form:dibao_roster");
  json d = json::parse(rows[0].detail);
  EXPECT_EQ(d["rows"], 2);
  EXPECT_EQ(d["format"], "csv");
  EXPECT_EQ(d["org"], "530621000000");
  expect_no_values(rows[0]);

  // A bad operator name is refused before anything is written or audited.
  fs::path refused = dir_ / "refused.csv";
  auto [bad, bad_out] =
      wangge({"report", "dibao_roster", "--format", "csv", "-o", refused.string(), "--as", "a\tb"});
  EXPECT_EQ(bad, 2) << bad_out;
  EXPECT_FALSE(fs::exists(refused));
  EXPECT_EQ(audited("roster.export").size(), 1u);
}

// `report all` writes one file per shipped form into the folder, rosters audited as one by one;
// without a folder it is refused and writes nothing.
TEST_P(IoAuditTest, ReportAllWritesEveryFormAndAuditsItsRosters) {
  auto [imported, import_out] = wangge({"import", "residents", csv_.string()});
  ASSERT_EQ(imported, 0) << import_out;
  auto [refused, refused_out] = wangge({"report", "all", "--format", "csv"});
  EXPECT_EQ(refused, 2) << refused_out;
  EXPECT_NE(refused_out.find("输出目录"), std::string::npos) << refused_out;
  EXPECT_TRUE(audited("roster.export").empty());

  fs::path folder = dir_ / "month-end";
  auto [status, out] = wangge({"report", "all", "--org", "530621000000", "--format", "csv", "-o",
                               folder.string(), "--as", "王股长"});
  ASSERT_EQ(status, 0) << out;
  size_t forms = 0;
  for (const auto& toml : fs::directory_iterator(testing::source_dir() / "data" / "forms")) {
    ++forms;
    fs::path file = folder / (toml.path().stem().string() + ".csv");
    EXPECT_TRUE(fs::exists(file)) << file;
  }
  EXPECT_GT(forms, 30u);
  std::ifstream in(folder / "dibao_roster.csv");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("序号"), std::string::npos) << text.str();
  auto rows = audited("roster.export");
  EXPECT_FALSE(rows.empty());
  for (const auto& row : rows) {
    EXPECT_EQ(row.actor, "王股长");
    expect_no_values(row);
  }
}

TEST_P(IoAuditTest, ARejectedImportWritesNothingNotEvenAnAuditRow) {
  std::ofstream(csv_, std::ios::app) << "H1,坏行,123,13800000000,其他\n";
  auto [status, out] = wangge({"import", "residents", csv_.string()});
  EXPECT_EQ(status, 2) << out;
  EXPECT_TRUE(audited("registry.import").empty());
  auto db = store::Database::open(url_);
  auto tx = db->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM residents"), 0);
}

TEST_P(IoAuditTest, AnExportThatCannotBeAuditedLeavesNoFile) {
  {
    // The chain's head row gone: appending fails.
    auto db = store::Database::open(url_);
    db->transact([](store::Tx& tx) { tx.exec("DELETE FROM audit_head"); });
  }
  fs::path file = dir_ / "never.csv";
  auto [status, out] = wangge({"export", "residents", "-o", file.string()});
  EXPECT_NE(status, 0) << out;
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(file.string() + ".part"));
}

TEST_P(IoAuditTest, AnUnprintableActorIsRefused) {
  auto [status, out] = wangge({"export", "residents", "--as", "a\tb"});
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("--as"), std::string::npos) << out;
  EXPECT_TRUE(audited("registry.export").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, IoAuditTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::cli
