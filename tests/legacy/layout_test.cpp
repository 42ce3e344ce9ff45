// Finding title, meta, header (one to three rows, merged or CSV-style), data, totals and notes
// in legacy form sheets, and reading the same form back from XLSX and from CSV.
#include "legacy/layout.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "legacy/analyzer.h"
#include "sheets/csv.h"
#include "sheets/xlsx_reader.h"
#include "sheets/xlsx_writer.h"
#include "testing/testing.h"

namespace wangge::legacy {
namespace {

std::vector<std::string> names(const FormLayout& l) {
  std::vector<std::string> out;
  for (const auto& c : l.columns) out.push_back(c.name);
  return out;
}

// A 留守儿童 form the way a clerk makes it in Excel: merged title, meta row, a two-row header
// with a merged parent, data, a totals row, notes and a signature line.
sheets::Sheet merged_form() {
  sheets::Sheet s;
  s.name = "Sheet1";
  s.rows = {
      {"农村留守儿童基本信息台账"},
      {"填报单位：鲁甸县文屏镇", "", "", "", "填报时间：2024年 月 日"},
      {"序号", "姓  名", "身份证号码", "监护人信息", "", "家庭人口（人）"},
      {"", "", "", "姓名", "联系电话", ""},
      {sheets::Cell::number(1), "张三", "530621201501011234", "张大", "13887654321",
       sheets::Cell::number(4)},
      {sheets::Cell::number(2), "李四", "530621201403052345", "李二", "13987654321",
       sheets::Cell::number(3)},
      {"合计", "", "", "", "", sheets::Cell::number(7)},
      {"填表说明：1.本表由村（社区）填报，乡镇审核；"},
      {"2.身份证号码填写18位。"},
      {"填报人：", "", "审核人：", "", "联系电话："},
  };
  s.merges = {{0, 0, 0, 5}, {2, 0, 3, 0}, {2, 1, 3, 1}, {2, 2, 3, 2},
              {2, 3, 2, 4}, {2, 5, 3, 5}, {7, 0, 7, 5}, {8, 0, 8, 5}};
  return s;
}

void expect_merged_form(const FormLayout& l) {
  EXPECT_EQ(l.title, "农村留守儿童基本信息台账");
  ASSERT_EQ(l.meta.size(), 1u);
  EXPECT_NE(l.meta[0].find("填报单位"), std::string::npos);
  EXPECT_EQ(l.header_first, 2);
  EXPECT_EQ(l.header_rows, 2);
  EXPECT_EQ(l.data_first, 4);
  EXPECT_EQ(l.data_last, 6);  // the totals row is data, but never sampled
  EXPECT_EQ(l.notes.size(), 3u);
  EXPECT_EQ(l.skipped_columns, 1);  // 序号
  EXPECT_EQ(names(l), (std::vector<std::string>{"姓名", "身份证号码", "监护人姓名",
                                                "监护人联系电话", "家庭人口"}));
  ASSERT_EQ(l.columns.size(), 5u);
  EXPECT_EQ(l.columns[2].header, (std::vector<std::string>{"监护人信息", "姓名"}));
  EXPECT_EQ(l.columns[4].unit, "人");
  EXPECT_EQ(l.columns[0].values, (std::vector<std::string>{"张三", "李四"}));
  EXPECT_EQ(l.columns[4].values, (std::vector<std::string>{"4", "3"}));
  EXPECT_EQ(l.columns[0].data_rows, 2);
}

TEST(LegacyLayout, MergedTwoRowHeaderTitleAndNotes) {
  expect_merged_form(detect_layout(merged_form()));
}

TEST(LegacyLayout, CsvTwoRowHeaderWithoutMerges) {
  sheets::Sheet s = merged_form();
  s.merges.clear();  // what a CSV keeps of the same form
  expect_merged_form(detect_layout(s));
}

TEST(LegacyLayout, ThreeRowHeaderAndColumnNumbers) {
  sheets::Sheet s;
  s.rows = {
      {"网格及网格员配备情况统计表"},
      {"村（社区）", "网格", "", "网格员", "", ""},
      {"", "网格数（个）", "微网格数（个）", "合计（人）", "其中", ""},
      {"", "", "", "", "专职（人）", "兼职（人）"},
      {sheets::Cell::number(1), sheets::Cell::number(2), sheets::Cell::number(3),
       sheets::Cell::number(4), sheets::Cell::number(5), sheets::Cell::number(6)},
      {"龙泉村", sheets::Cell::number(6), sheets::Cell::number(30), sheets::Cell::number(12),
       sheets::Cell::number(6), sheets::Cell::number(6)},
      {"注：微网格按30户左右划分。"},
  };
  auto l = detect_layout(s);
  EXPECT_EQ(l.header_rows, 3);
  EXPECT_EQ(l.data_first, 5);  // the 1 2 3 … row is skipped
  EXPECT_EQ(l.data_last, 5);
  EXPECT_EQ(names(l), (std::vector<std::string>{"村(社区)", "网格数", "网格/微网格数",
                                                "网格员/合计", "网格员/专职", "网格员/兼职"}));
  EXPECT_EQ(l.columns[0].values, (std::vector<std::string>{"龙泉村"}));
}

TEST(LegacyLayout, PlainTableAndEmptySheet) {
  sheets::Sheet plain;
  plain.rows = {{"姓名", "性别"}, {"张三", "男"}};
  auto l = detect_layout(plain);
  EXPECT_TRUE(l.title.empty());
  EXPECT_EQ(l.header_first, 0);
  EXPECT_EQ(names(l), (std::vector<std::string>{"姓名", "性别"}));
  EXPECT_EQ(detect_layout(sheets::Sheet{}).header_first, -1);
  sheets::Sheet only_numbers;
  only_numbers.rows = {{sheets::Cell::number(1), sheets::Cell::number(2)},
                       {sheets::Cell::number(3), sheets::Cell::number(4)}};
  EXPECT_TRUE(detect_layout(only_numbers).columns.empty());
}

// The same form written as XLSX (merges kept) and as CSV in GB18030 and UTF-8 with BOM (merges
// lost) reads back to the same columns and values.
TEST(LegacyLayout, XlsxAndCsvRoundTrip) {
  auto dir = testing::temp_dir("legacy-roundtrip");
  sheets::Sheet s = merged_form();
  sheets::XlsxTableOptions xo;
  xo.bold_header = false;
  xo.freeze_header = false;
  sheets::write_xlsx(dir / "form.xlsx", s, xo);
  sheets::CsvWriteOptions gb;
  gb.encoding = sheets::TextEncoding::gb18030;
  sheets::write_csv(dir / "form_gb.csv", s, gb);
  sheets::write_csv(dir / "form_bom.csv", s);
  std::vector<Unreadable> bad;
  auto forms = read_forms(dir, &bad);
  EXPECT_TRUE(bad.empty());
  ASSERT_EQ(forms.size(), 3u);
  for (const auto& f : forms) {
    SCOPED_TRACE(f.file);
    expect_merged_form(f.layout);
  }
  EXPECT_EQ(sheets::read_xlsx(dir / "form.xlsx").merges.size(), s.merges.size());
}

// Every sheet with a header is a form; the first keeps the file's name.
TEST(LegacyLayout, WorkbookSheetsAreForms) {
  auto dir = testing::temp_dir("legacy-sheets");
  sheets::Sheet a = merged_form();
  sheets::Sheet b;
  b.name = "汇总";
  b.rows = {{"村（社区）", "户数（户）", "人数（人）"},
            {"龙泉村", sheets::Cell::number(3), sheets::Cell::number(9)}};
  sheets::Sheet blank;
  blank.name = "说明";
  blank.rows = {{"本表每月5日前报送"}};
  std::vector<sheets::Sheet> sheets{blank, a, b};
  sheets::write_xlsx(dir / "book.xlsx", sheets);
  std::vector<Unreadable> bad;
  auto forms = read_forms(dir, &bad);
  ASSERT_EQ(forms.size(), 2u);
  EXPECT_EQ(forms[0].file, "book.xlsx");
  EXPECT_EQ(forms[1].file, "book.xlsx#汇总");
  EXPECT_EQ(names(forms[1].layout), (std::vector<std::string>{"村(社区)", "户数", "人数"}));
  EXPECT_TRUE(bad.empty());  // a sheet of prose in a workbook with forms is not an error
}

// Date cells of a workbook read as serial numbers; a date-named column of them is dates.
TEST(LegacyLayout, ExcelDateSerialsAreDates) {
  sheets::Sheet s;
  s.rows = {{"姓名", "走访日期", "走访次数"},
            {"张三", sheets::Cell::number(45292), sheets::Cell::number(3)},
            {"李四", sheets::Cell::number(45310), sheets::Cell::number(45300)}};
  Analysis a = analyze({LegacyForm{"a.xlsx", "xlsx", "resident", detect_layout(s)}}, nullptr);
  ASSERT_EQ(a.columns.size(), 3u);
  EXPECT_EQ(a.columns[1].profile.kind, ColumnKind::date);
  EXPECT_EQ(a.columns[2].profile.kind, ColumnKind::integer);  // not named like a date
}

TEST(LegacyLayout, UnreadableFilesAreListedNotFatal) {
  auto dir = testing::temp_dir("legacy-bad");
  std::ofstream(dir / "broken.xlsx") << "not a zip";
  std::ofstream(dir / "numbers.csv") << "1,2\n3,4\n";
  std::ofstream(dir / "~$lock.xlsx") << "office lock file";
  std::ofstream(dir / "readme.txt") << "ignored";
  std::vector<Unreadable> bad;
  auto forms = read_forms(dir, &bad);
  EXPECT_TRUE(forms.empty());
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].file, "broken.xlsx");
  EXPECT_EQ(bad[1].file, "numbers.csv");
  EXPECT_THROW(read_forms(dir / "missing", nullptr), Error);
}

}  // namespace
}  // namespace wangge::legacy
