// Record-list forms (名册): the shipped rosters over the fixture (fixture.h), with the expected
// rows written out by hand from the fixture's text, through the index and through plain SQL on
// both databases; the audit row an export writes; and roster definitions that are refused.
#include "analytics/roster.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analytics/fields.h"
#include "analytics/index.h"
#include "analytics/service.h"
#include "auth/audit.h"
#include "core/codes.h"
#include "core/error.h"
#include "fixture.h"
#include "forms/roster.h"
#include "people/people.h"
#include "sheets/xlsx_reader.h"
#include "testing/testing.h"

namespace wangge::analytics {
namespace {

const forms::Form& shipped(const char* code) {
  static const auto forms = forms::FormSet::load(forms::FormSet::shipped_dir(),
                                                 forms::Dictionary::shipped(), field_check());
  const forms::Form* f = forms.find(code);
  if (!f) throw std::runtime_error(std::string("no form ") + code);
  return *f;
}

// The full ID number the fixture gives a resident (region + birth + sequence + check).
std::string id_of(const std::string& region, const std::string& birth, const char* seq) {
  std::string first17 = region + birth + seq;
  return first17 + citizen_id::check_char(first17);
}

std::vector<std::string> column(const forms::Roster& r, const std::string& code) {
  size_t k = 0;
  while (k < r.headers.size() && r.headers[k].code != code) ++k;
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(k < row.cells.size() ? row.cells[k] : "?");
  return out;
}

std::string error_field(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_FALSE(e.message(Lang::zh).empty());
    return e.field();
  }
  ADD_FAILURE() << "no error";
  return {};
}

using Names = std::vector<std::string>;

class RosterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = wangge::testing::fresh_database(GetParam());
    testing::load_fixture(*db_);
    index_ = std::make_unique<Index>(*db_);
    index_->load();
  }
  // The roster through the index, after checking that SQL gives exactly the same rows.
  forms::Roster both(const char* form, const char* org) {
    RosterRequest req{org, parse_date("2026-06-30")};
    forms::Roster r = run_roster(*index_, shipped(form), req);
    auto tx = db_->begin(store::TxMode::read);
    forms::Roster s = run_roster_sql(*tx, shipped(form), req);
    EXPECT_EQ(r.rows.size(), s.rows.size()) << form << " " << org;
    for (size_t i = 0; i < std::min(r.rows.size(), s.rows.size()); ++i) {
      EXPECT_EQ(r.rows[i].id, s.rows[i].id) << form << " row " << i;
      EXPECT_EQ(r.rows[i].cells, s.rows[i].cells) << form << " row " << i;
    }
    return r;
  }
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Index> index_;
};

TEST_P(RosterTest, DibaoRosterListsEachResidentWithMaskedIdentity) {
  forms::Roster r = both("dibao_roster", "530600000000");
  EXPECT_EQ(r.org_name, "昭通市");
  EXPECT_EQ(column(r, "resident.name"), (Names{"张一", "张二", "张三"}));
  EXPECT_EQ(column(r, "resident.sex"), (Names{"男", "女", "男"}));
  // Ages as shown everywhere: 2026 − birth year (张二, born 1956-07-01, is 69 周岁 on the day).
  EXPECT_EQ(column(r, "resident.age"), (Names{"76", "70", "10"}));
  EXPECT_EQ(column(r, "resident.relation"), (Names{"户主", "配偶", "孙子女"}));
  EXPECT_EQ(column(r, "resident.tag.disabled"), (Names{"否", "是", "否"}));
  EXPECT_EQ(column(r, "resident.address"), Names(3, "龙井村1号楼101"));
  EXPECT_EQ(column(r, "resident.org"), Names(3, "龙井村第1网格第1微网格"));
  EXPECT_EQ(column(r, "resident.phone"), Names(3, ""));  // the fixture records no phones
  const std::string full = id_of("530621", "19500301", "011");
  // The stored mask, the region only: nothing beside the roster's birth year pins the number.
  EXPECT_EQ(column(r, "resident.id_number")[0], citizen_id::stored_mask(full));
  for (const auto& row : r.rows) {
    for (const auto& cell : row.cells) EXPECT_EQ(cell.find(full.substr(6, 8)), std::string::npos);
  }
  EXPECT_TRUE(both("dibao_roster", "530602000000").rows.empty());  // 昭阳区 has no 低保
}

TEST_P(RosterTest, RowsFollowTheOrgSubtreeAndTheFilter) {
  // 留守儿童 在册 under 16, by org code: 钱十一 (昭阳), 张三 (龙井村), 赵九 (砚池社区).
  forms::Roster kids = both("liushou_child_roster", "530600000000");
  EXPECT_EQ(column(kids, "resident.name"), (Names{"钱十一", "张三", "赵九"}));
  // A birth date shows as its year only (with the mask, the date would be the number).
  EXPECT_EQ(column(kids, "resident.birth_date"), (Names{"2012", "2016", "2020"}));
  EXPECT_EQ(column(both("liushou_child_roster", "530621101202"), "resident.name"), (Names{"赵九"}));
  // 独居 or 留守 elderly 在册: 钱十 and 张一; 王七 (留守老人) is deceased.
  forms::Roster old = both("elderly_alone_roster", "530600000000");
  EXPECT_EQ(column(old, "resident.name"), (Names{"钱十", "张一"}));
  EXPECT_EQ(column(old, "resident.tag.alone_elder"), (Names{"是", "是"}));
  EXPECT_EQ(column(old, "resident.tag.liushou_elder"), (Names{"否", "否"}));
  EXPECT_THROW(both("dibao_roster", "530699000000"), Error);
}

TEST_P(RosterTest, ChangesReachTheRosterThroughTheIndex) {
  int64_t id = 0;
  {
    auto tx = db_->begin(store::TxMode::read);
    id = tx->query_int("SELECT id FROM residents WHERE name = '张二'");
  }
  db_->transact([&](store::Tx& tx) {
    tx.exec("DELETE FROM resident_tags WHERE resident_id = ? AND tag = 'dibao'", {id});
  });
  index_->changed({&people::kResident, id});
  EXPECT_EQ(column(both("dibao_roster", "530600000000"), "resident.name"), (Names{"张一", "张三"}));
}

TEST_P(RosterTest, AnExportIsAuditedWithTheCountAndNeverTheValues) {
  forms::Roster r = both("dibao_roster", "530621000000");
  ASSERT_EQ(r.rows.size(), 3u);
  db_->transact([&](store::Tx& tx) {
    EXPECT_TRUE(audit_roster_export(tx, shipped("dibao_roster"), r, "clerk", "xlsx",
                                    parse_instant("2026-06-30T10:00:00+08:00")));
  });
  auto tx = db_->begin(store::TxMode::read);
  auto all = auth::audit::entries(*tx, 0, 1000);
  ASSERT_FALSE(all.empty());
  const auto& e = all.back();
  EXPECT_EQ(e.actor, "clerk");
  EXPECT_EQ(e.action, "roster.export");
  EXPECT_EQ(e.subject, "form:dibao_roster");
  auto detail = nlohmann::json::parse(e.detail);
  EXPECT_EQ(detail["org"], "530621000000");
  EXPECT_EQ(detail["rows"], 3);
  EXPECT_EQ(detail["format"], "xlsx");
  for (const auto& row : r.rows) {
    for (const auto& cell : row.cells) {
      if (cell.size() > 3) {
        EXPECT_EQ(e.detail.find(cell), std::string::npos) << cell;
      }
    }
  }
  EXPECT_EQ(e.detail.find("张一"), std::string::npos);
  EXPECT_FALSE(auth::audit::verify(*tx).has_value());
}

TEST_P(RosterTest, ARosterOfNoPersonalFieldIsNotAudited) {
  auto form = forms::parse_form(
      "title = \"状态册\"\nkind = \"roster\"\nentity = \"resident\"\n"
      "[[column]]\nfield = \"人员状态\"\n",
      "status_roster.toml", forms::Dictionary::shipped(), field_check());
  EXPECT_FALSE(forms::shows_personal_data(form));
  forms::Roster r = run_roster(*index_, form, {"530600000000", parse_date("2026-06-30")});
  EXPECT_EQ(r.rows.size(), 11u);  // every resident, whatever the status
  EXPECT_EQ(column(r, "resident.status")[0], "在册");
  db_->transact([&](store::Tx& tx) {
    EXPECT_FALSE(audit_roster_export(tx, form, r, "clerk", "csv", now()));
  });
  auto tx = db_->begin(store::TxMode::read);
  for (const auto& e : auth::audit::entries(*tx, 0, 1000)) EXPECT_NE(e.action, "roster.export");
}

TEST_P(RosterTest, TheServiceKeepsSummariesAndRostersApart) {
  ReportService service(*db_);
  EXPECT_EQ(service.roster("dibao_roster", {"530600000000", parse_date("2026-06-30")}).rows.size(),
            3u);
  ReportRequest req;
  req.org_code = "530600000000";
  req.as_of = parse_date("2026-06-30");
  EXPECT_THROW(service.report("dibao_roster", req), Error);
  EXPECT_THROW(service.roster("dibao", {"530600000000", parse_date("2026-06-30")}), Error);
}

INSTANTIATE_TEST_SUITE_P(Backends, RosterTest, ::testing::ValuesIn(wangge::testing::backends()));

TEST(RosterOutput, CsvAndXlsxCarryTheTitleHeadersAndRows) {
  forms::Roster r;
  r.title = "低保对象花名册";
  r.org_name = "鲁甸县";
  r.as_of = "2026-06-30";
  r.headers = {{"resident.name", "姓名"}, {"resident.id_number", "身份证号"}};
  r.rows = {{1, "530621101201001001", {"张一", "530621********0112"}}};
  std::string csv = forms::roster_csv(r);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.find("序号,姓名,身份证号"), std::string::npos);
  EXPECT_NE(csv.find("1,张一,530621********0112"), std::string::npos);
  EXPECT_NE(csv.find("共 1 人"), std::string::npos);
  const std::string xlsx = forms::roster_xlsx(r);
  ASSERT_EQ(xlsx.substr(0, 2), "PK");
  auto file = std::filesystem::temp_directory_path() / "wangge-roster-test.xlsx";
  std::ofstream(file, std::ios::binary) << xlsx;
  sheets::Sheet back = sheets::read_xlsx(file);
  std::filesystem::remove(file);
  EXPECT_EQ(back.cell(0, 0).text(), "低保对象花名册");
  EXPECT_EQ(back.cell(2, 0).text(), "序号");
  EXPECT_EQ(back.cell(2, 2).text(), "身份证号");
  EXPECT_EQ(back.cell(3, 0).value(), 1);
  EXPECT_EQ(back.cell(3, 1).text(), "张一");
  EXPECT_EQ(back.cell(3, 2).text(), "530621********0112");
  auto j = forms::roster_json(r);
  EXPECT_EQ(j["count"], 1);
  EXPECT_EQ(j["rows"][0]["values"]["resident.name"], "张一");
}

TEST(RosterForms, BadRosterDefinitionsAreRefusedAtTheirPlace) {
  const auto& d = forms::Dictionary::shipped();
  auto check = field_check();
  auto field_of = [&](const std::string& text) {
    return error_field([&] { forms::parse_form(text, "t.toml", d, check); });
  };
  const std::string head = "title = \"名册\"\nkind = \"roster\"\nentity = \"resident\"\n";
  EXPECT_EQ(field_of(head + "[[column]]\nfield = \"星座\"\n"), "t.toml:5:column[1].field");
  EXPECT_EQ(field_of(head + "[[column]]\nfield = \"监护人\"\n"), "t.toml:5:column[1].field");
  EXPECT_EQ(field_of(head + "filter = \"年龄 >> 3\"\n[[column]]\nfield = \"姓名\"\n"),
            "t.toml:4:filter");
  EXPECT_EQ(field_of(head), "t.toml:1:column");
  EXPECT_EQ(field_of("title = \"x\"\nkind = \"list\"\n"), "t.toml:2:kind");
  EXPECT_EQ(field_of("title = \"x\"\n[[column]]\nfield = \"姓名\"\n"), "t.toml:2:column");
  auto ok = forms::parse_form(head + "[[column]]\nfield = \"身份证号\"\nname = \"证件\"\n",
                              "t.toml", d, check);
  EXPECT_EQ(ok.kind, forms::FormKind::roster);
  ASSERT_EQ(ok.columns.size(), 1u);
  EXPECT_EQ(ok.columns[0].name, "证件");
  EXPECT_TRUE(forms::shows_personal_data(ok));
}

}  // namespace
}  // namespace wangge::analytics
