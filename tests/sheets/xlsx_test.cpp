#include <gtest/gtest.h>
#include <minizip/zip.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "sheets/xlsx_reader.h"
#include "sheets/xlsx_writer.h"
#include "sheets/zip_archive.h"
#include "testing/testing.h"
#include "texts.h"

namespace wangge::sheets {
namespace {

std::filesystem::path temp_file(const std::string& name) {
  return testing::temp_dir("tables-xlsx") / name;
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Builds a ZIP of the given members with minizip, to hand-craft workbooks that libxlsxwriter
// would not produce (inline strings, rich text, prefixes, missing references).
std::string make_zip(const std::map<std::string, std::string>& members) {
  auto file = temp_file("handmade.zip");
  zipFile zip = zipOpen64(file.c_str(), APPEND_STATUS_CREATE);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, text] : members) {
    zip_fileinfo info{};
    EXPECT_EQ(zipOpenNewFileInZip64(zip, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                    Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0),
              ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(zip, text.data(), static_cast<unsigned>(text.size())), ZIP_OK);
    EXPECT_EQ(zipCloseFileInZip(zip), ZIP_OK);
  }
  EXPECT_EQ(zipClose(zip, nullptr), ZIP_OK);
  return slurp(file);
}

const char* kRootRels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>)";

// A workbook with one sheet (and a hidden second) whose sheet1 XML is `sheet_data`.
std::map<std::string, std::string> workbook_parts(const std::string& sheet_xml,
                                                  const std::string& shared_strings) {
  return {
      {"_rels/.rels", kRootRels},
      {"xl/workbook.xml",
       R"(<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="台账" sheetId="1" r:id="rId1"/><x:sheet name="隐藏" sheetId="2" state="hidden" r:id="rId2"/></x:sheets></x:workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>)"},
      {"xl/sharedStrings.xml", shared_strings},
      {"xl/worksheets/sheet1.xml", sheet_xml},
      {"xl/worksheets/sheet2.xml", R"(<worksheet><sheetData/></worksheet>)"},
  };
}

const char* kSharedStrings =
    R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si><si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve"> 文本</t></r><rPh><t>フ</t></rPh></si><si><t xml:space="preserve"> </t></si><si><t>a_x000D_b_x005F_x</t></si></sst>)";

const char* kHandmadeSheet =
    R"(<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>
<x:row><x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c><x:c t="s"><x:v>2</x:v></x:c><x:c t="s"><x:v>3</x:v></x:c></x:row>
<x:row r="4"><x:c r="A4"><x:v>12</x:v></x:c><x:c r="B4"><x:v>12.50</x:v></x:c><x:c r="C4" t="b"><x:v>1</x:v></x:c><x:c r="D4" t="e"><x:v>#DIV/0!</x:v></x:c><x:c r="E4" t="str"><x:f>A1&amp;"x"</x:f><x:v>姓名x</x:v></x:c><x:c r="F4"><x:f>1+1</x:f></x:c><x:c r="G4" s="1"/></x:row>
<x:row r="6"><x:c r="B6"><x:v>5.30621199001011E+17</x:v></x:c></x:row>
<x:row r="7"><x:c r="A7" s="3"/></x:row>
</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B2"/></x:mergeCells></x:worksheet>)";

using testing_sheets::Table;
using testing_sheets::texts;

// Runs `fn`, which must throw Error of that kind and code; returns the Chinese message.
template <typename Fn>
std::string expect_error(Fn fn, ErrorKind kind, const std::string& code) {
  try {
    fn();
    ADD_FAILURE() << "no error thrown, expected " << code;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.message(Lang::en);
    EXPECT_EQ(e.code(), code) << e.message(Lang::en);
    EXPECT_FALSE(e.message(Lang::zh).empty());
    return e.message(Lang::zh);
  }
  return {};
}

Sheet sample_sheet() {
  Sheet sheet;
  sheet.name = "居民花名册";
  sheet.rows = {
      {"户籍信息", "", "人数", "余额"},
      {"姓名", "公民身份号码"},
      {"张三", "530621199001011234", Cell::number(4), Cell::number(12.5)},
      {"李四", "53062119850505432X", Cell::number(0), Cell::number(-3)},
      {},
      {"", "0871", Cell(), Cell::boolean(true)},
      {"王五\n（户主）", "邮编 657100"},
      {"_x0041_ 照原样", "控制\x01字符\r"},
  };
  sheet.merges = {{0, 0, 0, 1}, {0, 2, 1, 2}};
  return sheet;
}

TEST(XlsxRoundTrip, TextNumbersIdsEmptyCellsAndMerges) {
  auto file = temp_file("round.xlsx");
  Sheet other;
  other.name = "第二页";
  other.rows = {{"x", Cell::number(1)}};
  std::vector<Sheet> sheets = {sample_sheet(), other};
  write_xlsx(file, sheets);

  XlsxReader reader(file);
  ASSERT_EQ(reader.sheets().size(), 2u);
  EXPECT_EQ(reader.sheets()[0].name, "居民花名册");
  EXPECT_FALSE(reader.sheets()[0].hidden);
  EXPECT_EQ(reader.sheet_index("第二页"), 1);
  EXPECT_EQ(reader.sheet_index("无此页"), -1);
  EXPECT_FALSE(reader.date1904());

  Sheet back = reader.read_sheet(0);
  Sheet expected = sample_sheet();
  EXPECT_EQ(back.name, expected.name);
  EXPECT_EQ(back.rows, expected.rows);
  EXPECT_EQ(back.merges, expected.merges);
  EXPECT_TRUE(back.cell(2, 1).is_text());
  EXPECT_EQ(back.cell(2, 1).text(), "530621199001011234");
  EXPECT_TRUE(back.cell(2, 2).is_number());
  EXPECT_EQ(back.cell(2, 2).text(), "4");

  EXPECT_EQ(texts(reader.read_sheet("第二页")), (Table{{"x", "1"}}));
  EXPECT_EQ(texts(read_xlsx(file)), texts(expected));
}

TEST(XlsxRoundTrip, LongDigitStringsCarryTheTextFormat) {
  auto file = temp_file("ids.xlsx");
  Sheet sheet;
  sheet.rows = {{"530621199001011234", "short"}};
  write_xlsx(file, sheet);
  std::string bytes = slurp(file);
  detail::ZipArchive zip(bytes);
  auto styles = zip.read("xl/styles.xml", 1 << 20);
  ASSERT_TRUE(styles);
  EXPECT_NE(styles->find("numFmtId=\"49\""), std::string::npos) << *styles;  // 49 is "@"
}

TEST(XlsxReader, StreamsRowsWithTheirNumbers) {
  auto file = temp_file("stream.xlsx");
  write_xlsx(file, sample_sheet());
  std::vector<std::int64_t> lines;
  XlsxReader(file).for_each_row(0, [&](const Row& row, std::int64_t line) {
    EXPECT_FALSE(row.empty());
    lines.push_back(line);
  });
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 2, 3, 4, 6, 7, 8}));
}

TEST(XlsxReader, HandmadeWorkbookFeatures) {
  XlsxReader reader =
      XlsxReader::from_bytes(make_zip(workbook_parts(kHandmadeSheet, kSharedStrings)));
  ASSERT_EQ(reader.sheets().size(), 2u);
  EXPECT_EQ(reader.sheets()[0].name, "台账");
  EXPECT_TRUE(reader.sheets()[1].hidden);
  EXPECT_TRUE(reader.date1904());
  Sheet sheet = reader.read_sheet("台账");
  EXPECT_EQ(texts(sheet), (Table{
                              {"姓名", "", "富 文本"},
                              {"内联", " ", "a\rb_x"},
                              {},
                              {"12", "12.5", "TRUE", "#DIV/0!", "姓名x"},
                              {},
                              {"", "530621199001011000"},
                          }));
  EXPECT_TRUE(sheet.cell(3, 0).is_number());
  EXPECT_EQ(sheet.cell(3, 1).value(), 12.5);
  EXPECT_TRUE(sheet.cell(3, 2).is_boolean());
  EXPECT_EQ(sheet.merges, (std::vector<CellRange>{{0, 0, 1, 1}}));
  EXPECT_TRUE(reader.read_sheet(1).rows.empty());
}

TEST(XlsxReader, DamagedFilesAreBadInput) {
  auto file = temp_file("good.xlsx");
  write_xlsx(file, sample_sheet());
  std::string good = slurp(file);
  for (std::size_t keep : {good.size() / 2, good.size() - 30, std::size_t{10}, std::size_t{0}}) {
    expect_error([&] { XlsxReader::from_bytes(good.substr(0, keep)); }, ErrorKind::bad_input,
                 "invalid_xlsx");
  }
  expect_error([] { XlsxReader::from_bytes("名称,数量\r\n张三,1\r\n"); }, ErrorKind::bad_input,
               "invalid_xlsx");
  std::string msg =
      expect_error([] { XlsxReader::from_bytes("\r\n<html><table><tr><td>1</td></tr></table>"); },
                   ErrorKind::bad_input, "invalid_xlsx");
  EXPECT_NE(msg.find("HTML"), std::string::npos) << msg;
  msg = expect_error(
      [] { XlsxReader::from_bytes(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)); },
      ErrorKind::bad_input, "invalid_xlsx");
  EXPECT_NE(msg.find(".xls"), std::string::npos) << msg;
  // A ZIP that is not a workbook.
  expect_error(
      [] {
        XlsxReader::from_bytes(make_zip({{"readme.txt", "hi"}}));
      },
      ErrorKind::bad_input, "invalid_xlsx");
  // Flipped bytes inside the compressed sheet: a CRC or inflate error, never a crash.
  std::string flipped = good;
  for (std::size_t i = 200; i < 260 && i < flipped.size(); ++i) flipped[i] ^= 0x5A;
  try {
    XlsxReader reader = XlsxReader::from_bytes(flipped);
    for (int i = 0; i < static_cast<int>(reader.sheets().size()); ++i) reader.read_sheet(i);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
  }
  expect_error([] { XlsxReader(std::filesystem::path("/nonexistent/a.xlsx")); },
               ErrorKind::bad_input, "file_unreadable");
}

TEST(XlsxReader, MalformedPartsAreBadInput) {
  auto read = [](const std::string& sheet_xml, const std::string& sst = kSharedStrings) {
    XlsxReader::from_bytes(make_zip(workbook_parts(sheet_xml, sst))).read_sheet(0);
  };
  expect_error([&] { read("<worksheet><sheetData><row>"); }, ErrorKind::bad_input, "invalid_xlsx");
  expect_error([&] { read("<worksheet><sheetData><row><c><v>1</v></c></row>"); },
               ErrorKind::bad_input, "invalid_xlsx");
  expect_error([&] { read("<worksheet><sheetData><row><c><v>1</v></row></sheetData>"); },
               ErrorKind::bad_input, "invalid_xlsx");
  expect_error(
      [&] {
        read(R"(<worksheet><sheetData><row><c t="s"><v>99</v></c></row></sheetData></worksheet>)");
      },
      ErrorKind::bad_input, "invalid_xlsx");
  expect_error(
      [&] {
        read(R"(<worksheet><sheetData><row><c r="A0"><v>1</v></c></row></sheetData></worksheet>)");
      },
      ErrorKind::bad_input, "invalid_xlsx");
  expect_error(
      [&] {
        read(R"(<worksheet><sheetData><row><c><v>abc</v></c></row></sheetData></worksheet>)");
      },
      ErrorKind::bad_input, "invalid_xlsx");
  XlsxReader reader =
      XlsxReader::from_bytes(make_zip(workbook_parts(kHandmadeSheet, kSharedStrings)));
  expect_error([&] { reader.read_sheet("无此页"); }, ErrorKind::bad_input, "sheet_not_found");
  expect_error([&] { reader.read_sheet(5); }, ErrorKind::bad_input, "sheet_not_found");
}

TEST(XlsxReader, LongSheetsAreParsedInRunsOfRows) {
  // About 7 MB of XML: several runs, cut between rows wherever the chunks fall.
  std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="urn:x"><x:dimension )"
      R"(ref="A1"/><x:sheetData>)";
  for (int i = 1; i <= 60000; ++i) {
    std::string r = std::to_string(i);
    if (i % 1000 == 0) {
      xml += "<x:row r=\"" + r + "\"/>";  // an empty row, self-closed
      continue;
    }
    for (std::string_view piece :
         {"<x:row r=\"", r.c_str(), "\"><x:c r=\"A", r.c_str(),
          "\" t=\"inlineStr\"><x:is><x:t>网格", r.c_str(), "</x:t></x:is></x:c><x:c r=\"B",
          r.c_str(), "\"><x:v>", r.c_str(), "</x:v></x:c></x:row>"}) {
      xml += piece;
    }
  }
  xml += R"(</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells>)"
         R"(<x:pageMargins left="0.7"/></x:worksheet>)";
  ASSERT_GT(xml.size(), 5u * 1024 * 1024);
  XlsxReader reader = XlsxReader::from_bytes(make_zip(workbook_parts(xml, kSharedStrings)));
  Sheet sheet = reader.read_sheet(0);
  ASSERT_EQ(sheet.rows.size(), 59999u);  // row 60000 is empty
  EXPECT_EQ(sheet.rows[0], (Row{"网格1", Cell::number(1)}));
  EXPECT_EQ(sheet.rows[54320], (Row{"网格54321", Cell::number(54321)}));
  EXPECT_TRUE(sheet.rows[999].empty());
  EXPECT_EQ(sheet.merges, (std::vector<CellRange>{{0, 0, 0, 1}}));
  std::int64_t rows = 0, last = 0;
  reader.for_each_row(0, [&](const Row&, std::int64_t line) {
    ++rows;
    last = line;
  });
  EXPECT_EQ(rows, 59940);
  EXPECT_EQ(last, 59999);
}

TEST(XlsxReader, SheetWithoutRowsStillHasItsMerges) {
  Sheet sheet = XlsxReader::from_bytes(
                    make_zip(workbook_parts(R"(<worksheet><sheetData/><mergeCells><mergeCell )"
                                            R"(ref="A1:C1"/></mergeCells></worksheet>)",
                                            kSharedStrings)))
                    .read_sheet(0);
  EXPECT_TRUE(sheet.rows.empty());
  EXPECT_EQ(sheet.merges, (std::vector<CellRange>{{0, 0, 0, 2}}));
}

TEST(XlsxReader, OversizedPartIsRefused) {
  std::string big = "<worksheet><sheetData>";
  for (int i = 1; i <= 20000; ++i) big += "<row><c><v>" + std::to_string(i) + "</v></c></row>";
  big += "</sheetData></worksheet>";
  std::string bytes = make_zip(workbook_parts(big, kSharedStrings));
  XlsxReadOptions small;
  small.max_sheet_bytes = 64 * 1024;
  expect_error([&] { XlsxReader::from_bytes(bytes, small).read_sheet(0); }, ErrorKind::too_large,
               "file_too_large");
  EXPECT_EQ(XlsxReader::from_bytes(bytes).read_sheet(0).rows.size(), 20000u);

  std::string strings = "<sst>";
  for (int i = 0; i < 20000; ++i) strings += "<si><t>网格员</t></si>";
  strings += "</sst>";
  bytes = make_zip(workbook_parts(kHandmadeSheet, strings));
  small.max_part_bytes = 64 * 1024;
  expect_error([&] { XlsxReader::from_bytes(bytes, small); }, ErrorKind::too_large,
               "file_too_large");
}

// Found writing the fuzz target (tests/fuzz/xlsx_fuzz.cpp): 11 KB of XLSX, one cell at column XFD
// on each of 2,000 rows, made read_sheet() hold 32 million cells (1.5 GB). It now counts what it
// holds (tests/fuzz/corpus/xlsx/seed_far_cells_2000_rows.xlsx replays the finding).
TEST(XlsxReader, FarCellsThatWouldHoldTooMuchAreRefused) {
  std::string xml = "<worksheet><sheetData>";
  for (int r = 1; r <= 10; ++r) {
    xml += "<row r=\"" + std::to_string(r) + "\"><c r=\"XFD" + std::to_string(r) +
           "\"><v>1</v></c></row>";
  }
  std::string bytes = make_zip(workbook_parts(xml + "</sheetData></worksheet>", kSharedStrings));
  // The limit counts rows and cells, empty ones included: 10 rows of 16,384 cells.
  XlsxReadOptions options;
  options.max_cells = 10 + 10 * kMaxCols;
  Sheet sheet = XlsxReader::from_bytes(bytes, options).read_sheet(0);
  ASSERT_EQ(sheet.rows.size(), 10u);
  EXPECT_EQ(sheet.rows[9].back().text(), "1");
  options.max_cells -= 1;
  std::string zh = expect_error([&] { XlsxReader::from_bytes(bytes, options).read_sheet(0); },
                                ErrorKind::too_large, "file_too_large");
  EXPECT_NE(zh.find("台账"), std::string::npos) << zh;
  int rows = 0;  // streaming holds one row at a time: not limited
  XlsxReader::from_bytes(bytes, options).for_each_row(0, [&](const Row& row, std::int64_t) {
    EXPECT_EQ(row.size(), static_cast<std::size_t>(kMaxCols));
    ++rows;
  });
  EXPECT_EQ(rows, 10);
}

TEST(XlsxWriter, StylesMergesAndFrozenPanes) {
  auto file = temp_file("report.xlsx");
  XlsxWriter book(file);
  StyleId title = book.style({.bold = true, .font_size = 16, .align = CellStyle::Align::center});
  StyleId head = book.style({.bold = true, .align = CellStyle::Align::center, .border = true});
  EXPECT_EQ(book.style({.bold = true, .font_size = 16, .align = CellStyle::Align::center}), title);
  EXPECT_EQ(book.style({}), 0);
  XlsxSheetWriter& sheet = book.add_sheet("鲁甸县事件统计");
  sheet.merge_range({0, 0, 0, 3}, "2026年3月事件办理情况", title);
  sheet.merge_range({1, 0, 2, 0}, "乡镇", head);
  sheet.merge_range({1, 1, 1, 3}, "事件数", head);
  sheet.write_row(2, {"受理", "办结", "结案率"}, head, 1);
  sheet.append_row({"文屏镇", Cell::number(120), Cell::number(96), Cell::number(0.8)});
  sheet.merge_range({4, 0, 4, 1}, Cell::number(7));  // a number in a merged cell stays a number
  sheet.freeze_panes(3, 1);
  sheet.set_column_width(0, 0, 14);
  sheet.fit_columns();
  EXPECT_EQ(sheet.next_row(), 5);
  book.close();

  Sheet back = XlsxReader(file).read_sheet(0);
  EXPECT_EQ(texts(back), (Table{
                             {"2026年3月事件办理情况"},
                             {"乡镇", "事件数"},
                             {"", "受理", "办结", "结案率"},
                             {"文屏镇", "120", "96", "0.8"},
                             {"7"},
                         }));
  EXPECT_TRUE(back.cell(4, 0).is_number());
  EXPECT_EQ(back.merges.size(), 4u);
  ASSERT_NE(back.merge_at(2, 0), nullptr);
  EXPECT_EQ(*back.merge_at(2, 0), (CellRange{1, 0, 2, 0}));
}

TEST(XlsxWriter, ConstantMemoryWritesInOrder) {
  auto file = temp_file("big.xlsx");
  XlsxWriter book(file, {.constant_memory = true});
  XlsxSheetWriter& sheet = book.add_sheet("居民");
  sheet.append_row({"序号", "公民身份号码"});
  for (int i = 1; i <= 5000; ++i) {
    sheet.append_row({Cell::number(i), "5306211990010" + std::to_string(10000 + i)});
  }
  expect_error([&] { sheet.write(0, 0, "late"); }, ErrorKind::internal, "xlsx_writer_misuse");
  expect_error(
      [&] {
        sheet.merge_range({6000, 0, 6000, 1}, "x");
      },
      ErrorKind::internal, "xlsx_writer_misuse");
  book.close();
  Sheet back = XlsxReader(file).read_sheet(0);
  ASSERT_EQ(back.rows.size(), 5001u);
  EXPECT_EQ(back.cell(5000, 1).text(), "530621199001015000");
  EXPECT_EQ(back.cell(5000, 0).text(), "5000");
}

TEST(XlsxWriter, SheetNamesAndLimits) {
  XlsxWriter book(temp_file("names.xlsx"));
  book.add_sheet("网格");
  expect_error([&] { book.add_sheet("网格"); }, ErrorKind::bad_input, "invalid_sheet_name");
  expect_error([&] { book.add_sheet("a/b"); }, ErrorKind::bad_input, "invalid_sheet_name");
  expect_error([&] { book.add_sheet(""); }, ErrorKind::bad_input, "invalid_sheet_name");
  XlsxSheetWriter& sheet = book.add_sheet(
      safe_sheet_name("[2026]: 昭通市/鲁甸县*事件?统计\\汇总表（含各乡镇明细数据）"));
  expect_error([&] { sheet.write(0, 0, std::string(40000, 'x')); }, ErrorKind::bad_input,
               "text_too_long");
  expect_error([&] { sheet.write(kMaxRows, 0, "x"); }, ErrorKind::too_large, "sheet_too_large");
  book.close();
  expect_error([&] { book.close(); }, ErrorKind::internal, "xlsx_writer_misuse");

  EXPECT_EQ(safe_sheet_name("[2026]: 昭通/鲁甸*?\\"), "_2026__ 昭通_鲁甸___");
  EXPECT_EQ(safe_sheet_name("'引号'"), "引号");
  EXPECT_EQ(safe_sheet_name(""), "Sheet1");
  EXPECT_EQ(safe_sheet_name(std::string(40, 'a')).size(), 31u);
  EXPECT_EQ(safe_sheet_name("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三"),
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一");
}

TEST(XlsxWriter, UnwritableFileIsReportedAtClose) {
  XlsxWriter book("/nonexistent-dir/x.xlsx");
  book.add_sheet("a").append_row({"x"});
  expect_error([&] { book.close(); }, ErrorKind::unavailable, "write_failed");
}

TEST(XlsxWriter, BytesForADownload) {
  std::string bytes = xlsx_bytes(std::vector<Sheet>{sample_sheet()});
  ASSERT_TRUE(bytes.starts_with("PK"));
  EXPECT_EQ(XlsxReader::from_bytes(bytes).read_sheet(0).cell(2, 1).text(), "530621199001011234");
}

// A form sheet of `cols` columns, each `width` wide, with a one-row header and two data rows,
// finished for print; its worksheet and workbook XML.
struct PrintedForm {
  std::string sheet, workbook;
  Sheet back;
};
PrintedForm printed_form(int cols, double width, const std::string& title) {
  std::string bytes = xlsx_bytes([&](XlsxWriter& book) {
    XlsxSheetWriter& sh = book.add_sheet("表");
    FormSheetStyles st = form_sheet_styles(book);
    write_form_title(sh, st, cols - 1, title, "填报单位：鲁甸县", "统计日期：2026-06-30");
    for (int r = 2; r <= 4; ++r) {
      for (int c = 0; c < cols; ++c) sh.write(r, c, Cell("v" + std::to_string(c)), st.text);
    }
    sh.set_column_width(0, cols - 1, width);
    finish_form_sheet(sh, st, cols - 1, title, 2, 2);
  });
  detail::ZipArchive zip(bytes);
  auto file = temp_file("printed.xlsx");
  std::ofstream(file, std::ios::binary) << bytes;
  return {zip.read("xl/worksheets/sheet1.xml", 1 << 20).value_or(""),
          zip.read("xl/workbook.xml", 1 << 20).value_or(""), read_xlsx(file)};
}

TEST(XlsxPrint, AWideFormPrintsLandscapeOnePageWideWithItsHeaderOnEveryPage) {
  PrintedForm f = printed_form(12, 12, "低保对象统计表");  // 144 characters wide
  // The elements in the order the OOXML schema fixes (Excel refuses the file otherwise).
  std::vector<std::string> order{"<sheetPr>",     "<pageSetUpPr fitToPage=\"1\"/>",
                                 "<dimension",    "<sheetViews>",
                                 "<cols>",        "<sheetData>",
                                 "<mergeCells",   "<printOptions horizontalCentered=\"1\"/>",
                                 "<pageMargins",  "<pageSetup",
                                 "<headerFooter>"};
  size_t at = 0;
  for (const auto& tag : order) {
    size_t found = f.sheet.find(tag, at);
    ASSERT_NE(found, std::string::npos) << tag << " missing or out of order in " << f.sheet;
    at = found;
  }
  EXPECT_NE(f.sheet.find("orientation=\"landscape\""), std::string::npos) << f.sheet;
  EXPECT_NE(f.sheet.find("paperSize=\"9\""), std::string::npos);  // A4
  EXPECT_NE(f.sheet.find("fitToHeight=\"0\""), std::string::npos);
  EXPECT_NE(f.sheet.find("第 &amp;P 页 共 &amp;N 页"), std::string::npos);
  EXPECT_NE(
      f.workbook.find("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'表'!$3:$3"),
      std::string::npos)
      << f.workbook;
  // The signature lines one row under the table, side by side.
  EXPECT_EQ(f.back.cell(6, 0).text(), "填表人：");
  EXPECT_EQ(f.back.cell(6, 4).text(), "审核人：");
  EXPECT_EQ(f.back.cell(6, 8).text().substr(0, 15), "填报日期：");
  EXPECT_NE(std::find(f.back.merges.begin(), f.back.merges.end(), CellRange{6, 0, 6, 3}),
            f.back.merges.end());
}

TEST(XlsxPrint, ANarrowFormStaysPortraitAndALongTitleGetsTheLinesItNeeds) {
  PrintedForm f = printed_form(2, 10, "城乡最低生活保障对象花名册（2026年第二季度）");
  EXPECT_NE(f.sheet.find("orientation=\"portrait\""), std::string::npos) << f.sheet;
  // 23 wide characters at 16 points are about 69 columns of 11-point text: 4 lines in 20.
  EXPECT_NE(f.sheet.find("<row r=\"1\" spans=\"1:2\" ht=\"96\" customHeight=\"1\">"),
            std::string::npos)
      << f.sheet;
  // Two columns hold no three blocks side by side: the lines stack.
  EXPECT_EQ(f.back.cell(6, 0).text(), "填表人：");
  EXPECT_EQ(f.back.cell(7, 0).text(), "审核人：");
  EXPECT_EQ(f.back.cell(8, 0).text().substr(0, 15), "填报日期：");
}

}  // namespace
}  // namespace wangge::sheets
