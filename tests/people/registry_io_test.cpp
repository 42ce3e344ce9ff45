// Import and export of households and residents, against both databases.
#include "people/registry_io.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/codes.h"
#include "core/error.h"
#include "org/service.h"
#include "people/service.h"
#include "sheets/csv.h"
#include "sheets/text_encoding.h"
#include "sheets/xlsx_reader.h"
#include "sheets/zip_archive.h"
#include "testing/testing.h"

namespace wangge::people {
namespace {

std::string id_number(const std::string& birth, int seq) {
  std::string first17 =
      "530621" + birth + (seq < 10 ? "00" : (seq < 100 ? "0" : "")) + std::to_string(seq);
  return first17 + citizen_id::check_char(first17);
}

std::string read_xlsx_member(const std::string& bytes, const std::string& name) {
  return sheets::detail::ZipArchive(bytes).read(name, 64 << 20).value_or("");
}

void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

class RegistryIoTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<store::Database> fresh(bool with_people) {
    auto db = testing::fresh_database(GetParam());
    std::vector<store::Migration> all = org::migrations();
    all.insert(all.end(), people::migrations().begin(), people::migrations().end());
    store::migrate(*db, all);
    db->transact([&](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
      org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
      org::create_org(tx, {"530621101001", "530621101000", "community", "砚池社区"});
      org::create_org(tx, {"530621101001001", "530621101001", "", "第1网格"});
      org::create_org(tx, {"530621101001001001", "530621101001001", "", "第1微网格"});
      org::create_org(tx, {"530621101001001001001", "530621101001001001", "", "1栋"});
      org::create_org(tx, {"530621101001001002", "530621101001001", "", "第2微网格"});
      if (!with_people) return;
      people::create_household(tx, {"H1", "530621101001001001", "530621101001001001001",
                                    "砚池路1号1单元101室", people::RiskColor::yellow});
      people::create_household(tx, {"H2", "530621101001001002", "", "砚池路2号"});
      people::NewResident a{.household_no = "H1",
                            .name = "张三",
                            .id_number = id_number("19800101", 11),
                            .phone = "13812345678",
                            .relation = people::Relation::head,
                            .tags = {"低保", "党员"}};
      people::NewResident b{.household_no = "H1",
                            .name = "李芳",
                            .id_number = id_number("19820305", 22),
                            .relation = people::Relation::spouse,
                            .tags = {"kp_mental"},
                            .color = people::RiskColor::red};
      people::NewResident c{.household_no = "H2",
                            .name = "王小明",
                            .id_number = id_number("20150607", 31),
                            .relation = people::Relation::head,
                            .status = people::ResidentStatus::moved_out,
                            .tags = {"留守儿童"}};
      for (const auto& r : {a, b, c}) people::create_resident(tx, vault_, r);
    });
    return db;
  }
  std::string export_csv(store::Database& db, Registry what, const std::string& org = "") {
    std::ostringstream out;
    export_registry(db, vault_, what, {.org_code = org}, out);
    return out.str();
  }
  int64_t count(store::Database& db, const std::string& table) {
    auto tx = db.begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM " + table);
  }
  Vault vault_{Vault::Key{3}};
  std::filesystem::path dir_ = testing::temp_dir();
};

TEST_P(RegistryIoTest, ExportThenImportRoundTrips) {
  auto a = fresh(true);
  std::string households = export_csv(*a, Registry::households);
  std::string residents = export_csv(*a, Registry::residents);
  EXPECT_TRUE(residents.starts_with("\xEF\xBB\xBF"));  // BOM, for Excel and WPS
  EXPECT_NE(residents.find("低保、党员"), std::string::npos);
  EXPECT_NE(residents.find(id_number("19800101", 11)), std::string::npos);
  write_file(dir_ / "h.csv", households);
  write_file(dir_ / "r.csv", residents);

  auto b = fresh(false);
  auto h = import_registry(*b, vault_, Registry::households, dir_ / "h.csv");
  ASSERT_TRUE(h.applied()) << h.problems[0].reason;
  EXPECT_EQ(h.inserted, 2);
  auto r = import_registry(*b, vault_, Registry::residents, dir_ / "r.csv");
  ASSERT_TRUE(r.applied()) << r.problems[0].reason;
  EXPECT_EQ(r.inserted, 3);
  EXPECT_EQ(export_csv(*b, Registry::households), households);
  EXPECT_EQ(export_csv(*b, Registry::residents), residents);
  // Colours arrived with their history.
  auto tx = b->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM color_history WHERE reason LIKE '批量导入%'"), 2);
}

TEST_P(RegistryIoTest, ReimportingChangesNothing) {
  auto db = fresh(true);
  write_file(dir_ / "r.csv", export_csv(*db, Registry::residents));
  int64_t before;
  {
    auto tx = db->begin(store::TxMode::read);
    before = tx->query_int("SELECT SUM(updated_at) FROM residents");
  }
  auto r = import_registry(*db, vault_, Registry::residents, dir_ / "r.csv");
  ASSERT_TRUE(r.applied());
  EXPECT_EQ(r.unchanged, 3);
  EXPECT_EQ(r.inserted + r.updated, 0);
  auto tx = db->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT SUM(updated_at) FROM residents"), before);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM color_history"), 2);
}

TEST_P(RegistryIoTest, ReadsGb18030AndXlsx) {
  auto db = fresh(true);
  std::string csv = export_csv(*db, Registry::residents);
  csv = csv.substr(3);  // no BOM in what Chinese Excel writes
  // A changed phone number, written the way Excel saves a Chinese CSV.
  auto pos = csv.find("13812345678");
  csv.replace(pos, 11, "13987654321");
  write_file(dir_ / "gbk.csv", sheets::utf8_to_gb18030(csv));
  auto r = import_registry(*db, vault_, Registry::residents, dir_ / "gbk.csv");
  ASSERT_TRUE(r.applied()) << r.problems[0].reason;
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.unchanged, 2);

  export_registry(*db, vault_, Registry::residents, {.format = ExportFormat::xlsx},
                  dir_ / "r.xlsx");
  auto x = import_registry(*db, vault_, Registry::residents, dir_ / "r.xlsx");
  ASSERT_TRUE(x.applied()) << x.problems[0].reason;
  EXPECT_EQ(x.unchanged, 3);
  auto tx = db->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_one("SELECT phone_mask FROM residents WHERE name = '张三'")->text(0),
            "139****4321");
}

// CSV injection (issue 14, item 9): a resident named like a formula and an address that is
// one are exported as text in CSV (apostrophe, quoted) and XLSX (a string cell, never a
// formula), and come back unchanged through the importer's reader.
TEST_P(RegistryIoTest, FormulaLikeTextIsExportedAsText) {
  auto db = fresh(true);
  const std::string name = "=HYPERLINK(\"http://e.cn\",\"点\")";
  db->transact([&](store::Tx& tx) {
    people::create_household(tx, {"H9", "530621101001001002", "", "@SUM(1)"});
    people::create_resident(
        tx, vault_, {.household_no = "H9", .name = name, .id_number = id_number("19900909", 41)});
  });
  std::string residents = export_csv(*db, Registry::residents);
  EXPECT_NE(residents.find("\"'=HYPERLINK("), std::string::npos);
  EXPECT_EQ(residents.find(",=HYPERLINK"), std::string::npos);
  std::string households = export_csv(*db, Registry::households);
  EXPECT_NE(households.find("\"'@SUM(1)\""), std::string::npos);
  sheets::Sheet back = sheets::read_csv_bytes(residents);
  EXPECT_EQ(back.rows.back()[1].text(), name);

  export_registry(*db, vault_, Registry::residents, {.format = ExportFormat::xlsx},
                  dir_ / "f.xlsx");
  std::ifstream in(dir_ / "f.xlsx", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  sheets::Sheet x = sheets::read_xlsx(dir_ / "f.xlsx");
  EXPECT_EQ(x.rows.back()[1].text(), name);
  EXPECT_TRUE(x.rows.back()[1].is_text());
  std::string xml = read_xlsx_member(bytes, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(xml.find("<f>"), std::string::npos) << "a formula cell";
  EXPECT_EQ(xml.find("<f "), std::string::npos) << "a formula cell";
}

TEST_P(RegistryIoTest, EveryBadRowIsReportedAndNothingIsWritten) {
  auto db = fresh(true);
  std::string good = id_number("19900909", 41);
  std::string bad_check = id_number("19900910", 43);
  bad_check.back() = bad_check.back() == '1' ? '2' : '1';
  write_file(dir_ / "bad.csv",
             "户编号,姓名,性别,公民身份号码,出生日期,联系电话,与户主关系,人员状态,标签,颜色\n"
             "H2,赵六,男," +
                 good +
                 ",1990-09-09,,子女,在册,,\n"  // line 2: fine
                 "H2,钱七,女," +
                 bad_check +
                 ",,,子女,在册,,\n"  // 3: check digit
                 "H9,孙八,男," +
                 id_number("19910101", 51) +
                 ",,,子女,在册,,\n"  // 4: household
                 "H2,周九,男," +
                 id_number("19920202", 61) +
                 ",,,子女,在册,,紫\n"  // 5: colour
                 "H2,吴十,女," +
                 id_number("19930303", 72) +
                 ",,12345,子女,在册,,\n"  // 6: phone
                 "H2,郑一,男," +
                 id_number("19940404", 81) +
                 ",1994-04-05,,子女,在册,,\n"  // 7: birth
                 "H2,赵六,男," +
                 good + ",1990-09-09,,子女,在册,,\n");  // 8: repeated
  auto before = export_csv(*db, Registry::residents);
  auto r = import_registry(*db, vault_, Registry::residents, dir_ / "bad.csv");
  EXPECT_FALSE(r.applied());
  ASSERT_EQ(r.problems.size(), 6u);
  std::vector<std::pair<int64_t, std::string>> got;
  for (const auto& p : r.problems) {
    got.emplace_back(p.line, p.column);
    EXPECT_FALSE(p.reason.empty());
  }
  EXPECT_EQ(got, (std::vector<std::pair<int64_t, std::string>>{{3, "公民身份号码"},
                                                               {4, "户编号"},
                                                               {5, "颜色"},
                                                               {6, "联系电话"},
                                                               {7, "出生日期"},
                                                               {8, "公民身份号码"}}));
  EXPECT_EQ(export_csv(*db, Registry::residents), before);
  EXPECT_EQ(count(*db, "residents"), 3);
}

TEST_P(RegistryIoTest, RejectsAFileWithoutTheRequiredColumns) {
  auto db = fresh(true);
  write_file(dir_ / "x.csv", "名字,号码\n张三,1\n");
  auto r = import_registry(*db, vault_, Registry::residents, dir_ / "x.csv");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].reason.find("公民身份号码"), std::string::npos);
  write_file(dir_ / "junk.xlsx", "PK\x03\x04garbage");
  EXPECT_THROW(import_registry(*db, vault_, Registry::residents, dir_ / "junk.xlsx"), Error);
}

TEST_P(RegistryIoTest, ExportsOneSubtree) {
  auto db = fresh(true);
  std::string sub = export_csv(*db, Registry::residents, "530621101001001002");
  EXPECT_NE(sub.find("王小明"), std::string::npos);
  EXPECT_EQ(sub.find("张三"), std::string::npos);
  EXPECT_THROW(export_csv(*db, Registry::residents, "530699000000"), Error);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryIoTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::people
