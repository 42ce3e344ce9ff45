#include "sheets/sheet.h"

#include <gtest/gtest.h>

#include <limits>

namespace wangge::sheets {
namespace {

using std::chrono::year;
using std::chrono::year_month_day;

TEST(Cell, KindsAndTexts) {
  EXPECT_TRUE(Cell().empty());
  EXPECT_TRUE(Cell("").empty());
  EXPECT_EQ(Cell(""), Cell());
  Cell id("530621199001011234");
  EXPECT_TRUE(id.is_text());
  EXPECT_EQ(id.text(), "530621199001011234");
  Cell n = Cell::number(12);
  EXPECT_TRUE(n.is_number());
  EXPECT_EQ(n.text(), "12");
  EXPECT_EQ(n.value(), 12);
  EXPECT_NE(n, Cell("12"));  // same text, different kind
  EXPECT_EQ(Cell::boolean(true).text(), "TRUE");
  EXPECT_EQ(Cell::number(std::numeric_limits<double>::quiet_NaN()), Cell("#NUM!"));
  EXPECT_EQ(Cell::number(-0.0), Cell::number(0));
}

TEST(FormatNumber, AsExcelShowsIt) {
  EXPECT_EQ(format_number(12), "12");
  EXPECT_EQ(format_number(12.5), "12.5");
  EXPECT_EQ(format_number(-3), "-3");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.3");
  EXPECT_EQ(format_number(1.0 / 3), "0.333333333333333");
  EXPECT_EQ(format_number(123456789012345.0), "123456789012345");
  EXPECT_EQ(format_number(530621199001011234.0), "530621199001011000");
  EXPECT_EQ(format_number(-1e15), "-1000000000000000");
  EXPECT_EQ(format_number(1e-5), "1E-05");
  EXPECT_EQ(format_number(2.5e21), "2.5E+21");
  EXPECT_EQ(format_number(45292), "45292");
}

TEST(CellRefs, ColumnNamesAndParsing) {
  EXPECT_EQ(column_name(0), "A");
  EXPECT_EQ(column_name(25), "Z");
  EXPECT_EQ(column_name(26), "AA");
  EXPECT_EQ(column_name(kMaxCols - 1), "XFD");
  EXPECT_EQ(parse_cell_ref("B3"), (CellRef{2, 1}));
  EXPECT_EQ(parse_cell_ref("$aa$10"), (CellRef{9, 26}));
  EXPECT_EQ(parse_cell_ref("XFD1048576"), (CellRef{kMaxRows - 1, kMaxCols - 1}));
  EXPECT_FALSE(parse_cell_ref("XFE1"));
  EXPECT_FALSE(parse_cell_ref("A0"));
  EXPECT_FALSE(parse_cell_ref("A1048577"));
  EXPECT_FALSE(parse_cell_ref("1A"));
  EXPECT_FALSE(parse_cell_ref("A1 "));
  EXPECT_EQ(parse_range("A1:C2"), (CellRange{0, 0, 1, 2}));
  EXPECT_EQ(parse_range("C2:A1"), (CellRange{0, 0, 1, 2}));
  EXPECT_EQ(parse_range("B3"), (CellRange{2, 1, 2, 1}));
  EXPECT_FALSE(parse_range("A1:"));
  EXPECT_EQ((CellRange{0, 0, 1, 2}).a1(), "A1:C2");
  EXPECT_EQ((CellRange{2, 1, 2, 1}).a1(), "B3");
}

TEST(Sheet, CellAccessBeyondTheDataIsEmpty) {
  Sheet sheet;
  sheet.rows = {{"a", "b", "c"}, {"d"}};
  sheet.merges = {{0, 0, 0, 2}};
  EXPECT_EQ(sheet.cell(1, 0).text(), "d");
  EXPECT_TRUE(sheet.cell(1, 2).empty());
  EXPECT_TRUE(sheet.cell(9, 9).empty());
  EXPECT_EQ(sheet.column_count(), 3u);
  ASSERT_NE(sheet.merge_at(0, 2), nullptr);
  EXPECT_EQ(sheet.merge_at(1, 0), nullptr);
}

TEST(ExcelDates, SerialNumbersToDates) {
  EXPECT_EQ(excel_serial_to_date(1), year_month_day(year(1900) / 1 / 1));
  EXPECT_EQ(excel_serial_to_date(59), year_month_day(year(1900) / 2 / 28));
  EXPECT_FALSE(excel_serial_to_date(60));  // 1900-02-29 never was
  EXPECT_EQ(excel_serial_to_date(61), year_month_day(year(1900) / 3 / 1));
  EXPECT_EQ(excel_serial_to_date(45292.75), year_month_day(year(2024) / 1 / 1));
  EXPECT_EQ(excel_serial_to_date(0, true), year_month_day(year(1904) / 1 / 1));
  EXPECT_EQ(excel_serial_to_date(43830, true), year_month_day(year(2024) / 1 / 1));
  EXPECT_FALSE(excel_serial_to_date(0));
  EXPECT_FALSE(excel_serial_to_date(-1, true));
  EXPECT_FALSE(excel_serial_to_date(3e6));
}

TEST(DisplayWidth, ChineseCountsDouble) {
  EXPECT_EQ(display_width("abc"), 3);
  EXPECT_EQ(display_width("鲁甸县"), 6);
  EXPECT_EQ(display_width("ＡＢ，"), 6);
  EXPECT_EQ(display_width("短\n长一些的行"), 10);
  EXPECT_EQ(display_width(""), 0);
}

}  // namespace
}  // namespace wangge::sheets
