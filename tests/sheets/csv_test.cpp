#include "sheets/csv.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "sheets/icu_oracle.h"
#include "testing/testing.h"
#include "texts.h"

namespace wangge::sheets {
namespace {

using testing_sheets::texts;

using Table = std::vector<std::vector<std::string>>;

Table parse(std::string_view bytes, const CsvReadOptions& options = {}) {
  return texts(read_csv_bytes(bytes, options));
}

// Runs `fn`, which must throw Error(bad_input) with `code`; returns the Chinese message.
template <typename Fn>
std::string bad_input_message(Fn fn, const std::string& code) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_EQ(e.code(), code);
    return e.message(Lang::zh);
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

const std::string kChinese =
    "姓名,公民身份号码,住址\r\n"
    "张三,530621199001011234,\"昭通市鲁甸县文屏镇\r\n砚池社区3组\"\r\n"
    "李四（彝族）,53062119850505432X,\"龙头山镇，\"\"光明村\"\"\"\r\n"
    "𠀀生僻字,,€¥—\r\n";

const Table kChineseTable = {
    {"姓名", "公民身份号码", "住址"},
    {"张三", "530621199001011234", "昭通市鲁甸县文屏镇\r\n砚池社区3组"},
    {"李四（彝族）", "53062119850505432X", "龙头山镇，\"光明村\""},
    {"𠀀生僻字", "", "€¥—"},
};

TEST(CsvReader, Rfc4180QuotingAndLineEndings) {
  EXPECT_EQ(parse("a,b,c\r\n1,2,3\r\n"), (Table{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(parse("a,b\n1,2"), (Table{{"a", "b"}, {"1", "2"}}));    // LF, no final line break
  EXPECT_EQ(parse("a,b\r1,2\r"), (Table{{"a", "b"}, {"1", "2"}}));  // old Mac CR
  EXPECT_EQ(parse("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"), (Table{{"a,b", "say \"hi\"", ""}}));
  EXPECT_EQ(parse("\"line1\nline2\",x\r\n"), (Table{{"line1\nline2", "x"}}));
  EXPECT_EQ(parse("\"crlf\r\ninside\"\r\n"), (Table{{"crlf\r\ninside"}}));
  EXPECT_EQ(parse(",,\n"), (Table{{"", "", ""}}));
  EXPECT_EQ(parse(" a , b \n"), (Table{{" a ", " b "}}));  // nothing trimmed
  EXPECT_EQ(parse(""), Table{});
}

TEST(CsvReader, LenientLikeExcelAboutStrayQuotes) {
  EXPECT_EQ(parse("ab\"c,d\n"), (Table{{"ab\"c", "d"}}));
  EXPECT_EQ(parse("\"ab\"cd,e\n"), (Table{{"abcd", "e"}}));
}

TEST(CsvReader, BlankLinesAndTrailingEmptyLine) {
  EXPECT_EQ(parse("a\r\n\r\nb\r\n\r\n"), (Table{{"a"}, {"b"}}));
  CsvReadOptions keep;
  keep.skip_blank_lines = false;
  EXPECT_EQ(parse("a\r\n\r\nb\r\n", keep), (Table{{"a"}, {""}, {"b"}}));
}

TEST(CsvReader, EmptyFieldsAreEmptyCells) {
  Sheet sheet = read_csv_bytes("a,,\"\"\n");
  ASSERT_EQ(sheet.rows.size(), 1u);
  ASSERT_EQ(sheet.rows[0].size(), 3u);
  EXPECT_TRUE(sheet.rows[0][0].is_text());
  EXPECT_TRUE(sheet.rows[0][1].empty());
  EXPECT_TRUE(sheet.rows[0][2].empty());
}

TEST(CsvReader, ReportsTheFirstLineOfEachRecord) {
  std::istringstream in("h1,h2\n\n\"multi\nline\",x\ny,z\r\n");
  std::vector<std::int64_t> lines;
  for_each_csv_row(in, [&](const Row&, std::int64_t line) { lines.push_back(line); });
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 3, 5}));
}

TEST(CsvReader, OtherDelimiter) {
  CsvReadOptions tab;
  tab.delimiter = '\t';
  EXPECT_EQ(parse("a,b\tc\n", tab), (Table{{"a,b", "c"}}));
}

TEST(CsvReader, UnwrapsExcelTextGuard) {
  EXPECT_EQ(parse("\"=\"\"530621199001011234\"\"\",=\"0871\"\n"),
            (Table{{"530621199001011234", "0871"}}));
  CsvReadOptions raw;
  raw.unwrap_excel_text = false;
  EXPECT_EQ(parse("=\"0871\"\n", raw), (Table{{"=\"0871\""}}));
}

TEST(CsvReader, SameChineseContentInEveryEncodingReadsTheSame) {
  const std::string utf8 = kChinese;
  const std::string bom = "\xEF\xBB\xBF" + kChinese;
  const std::string gb = icu_gb18030(kChinese);
  ASSERT_NE(gb, utf8);
  for (const std::string* bytes : {&utf8, &bom, &gb}) {
    std::istringstream in(*bytes);
    CsvReader reader(in);
    std::vector<CsvRecord> records;
    for (CsvRecord r; reader.next(r);) records.push_back(r);
    Sheet sheet;
    for (auto& r : records) sheet.rows.push_back(r.cells);
    EXPECT_EQ(texts(sheet), kChineseTable);
    EXPECT_EQ(reader.encoding(), bytes == &gb ? TextEncoding::gb18030 : TextEncoding::utf8);
    ASSERT_EQ(records.size(), 4u);
    EXPECT_EQ(records[2].line, 4);  // the quoted line break pushed record 3 down a line
  }
}

TEST(CsvReader, GbkLateInALongAsciiFileIsStillDetected) {
  std::string text = "id,name\r\n";
  for (int i = 0; i < 20000; ++i) text += std::to_string(i) + ",ascii\r\n";
  text += "20000,王五\r\n";
  std::istringstream in(icu_gb18030(text));
  Row last;
  std::int64_t last_line = 0;
  for_each_csv_row(in, [&](const Row& row, std::int64_t line) {
    last = row;
    last_line = line;
  });
  EXPECT_EQ(last, (Row{"20000", "王五"}));
  EXPECT_EQ(last_line, 20002);
}

TEST(CsvReader, InvalidBytesAreRejectedWithTheirLine) {
  std::string msg = bad_input_message([] { read_csv_bytes("a,b\r\nc,d\r\ne,\xFF\xFE\xFF\r\n"); },
                                      "invalid_encoding");
  EXPECT_NE(msg.find("第3行"), std::string::npos) << msg;
  EXPECT_NE(msg.find("0xFF"), std::string::npos) << msg;

  // UTF-8 decided on from the first 64 KiB; a GBK byte pair far below is refused.
  std::string mixed;
  for (int i = 0; i < 5000; ++i) mixed += "网格员张三,昭通市\r\n";
  mixed += "李四\xC0\xEE\r\n";
  msg = bad_input_message([&] { read_csv_bytes(mixed); }, "invalid_encoding");
  EXPECT_NE(msg.find("第5001行"), std::string::npos) << msg;
  EXPECT_NE(msg.find("UTF-8"), std::string::npos) << msg;

  // GB18030 file with a stray byte; the quoted line break counts as a line.
  std::string gb = icu_gb18030("名称,备注\n\"一\n二\",三\n四") + "\x80\x0A";
  msg = bad_input_message([&] { read_csv_bytes(gb); }, "invalid_encoding");
  EXPECT_NE(msg.find("第4行"), std::string::npos) << msg;
}

TEST(CsvReader, ForcedEncodingIsObeyed) {
  CsvReadOptions utf8;
  utf8.encoding = TextEncoding::utf8;
  std::string msg =
      bad_input_message([&] { read_csv_bytes(icu_gb18030("张三\n"), utf8); }, "invalid_encoding");
  EXPECT_NE(msg.find("UTF-8"), std::string::npos) << msg;
}

TEST(CsvReader, UnclosedQuoteNamesTheLineItOpenedOn) {
  std::string msg =
      bad_input_message([] { read_csv_bytes("a,b\n1,\"open\n2,3\n4,5\n"); }, "unclosed_quote");
  EXPECT_NE(msg.find("第2行"), std::string::npos) << msg;
}

TEST(CsvReader, OverlongRecordIsRefused) {
  CsvReadOptions small;
  small.max_record_bytes = 1024;
  std::string big = "\"" + std::string(5000, 'x') + "\"\n";
  bad_input_message([&] { read_csv_bytes(big, small); }, "record_too_long");
  EXPECT_EQ(parse(big).at(0).at(0).size(), 5000u);
}

TEST(CsvReader, RefusesXlsxAndUtf16) {
  bad_input_message([] { read_csv_bytes(std::string("PK\x03\x04rest", 8)); }, "not_csv");
  bad_input_message(
      [] {
        read_csv_bytes(
            "\xFF\xFE"
            "a\0,\0");
      },
      "unsupported_encoding");
}

TEST(CsvReader, MissingFileIsBadInput) {
  bad_input_message([] { read_csv(std::filesystem::path("/nonexistent/x.csv")); },
                    "file_unreadable");
}

TEST(CsvReader, StreamsAMillionRowsInSmallMemory) {
  // Generates rows on the fly through a streambuf: nothing holds the whole input.
  class Rows : public std::streambuf {
   public:
    int_type underflow() override {
      if (next_ >= 1000000) return traits_type::eof();
      line_ = std::to_string(next_) + ",网格员" + std::to_string(next_ % 97) + "\r\n";
      ++next_;
      setg(line_.data(), line_.data(), line_.data() + line_.size());
      return traits_type::to_int_type(line_[0]);
    }

   private:
    int next_ = 0;
    std::string line_;
  } rows;
  std::istream in(&rows);
  std::int64_t count = 0, last_line = 0;
  for_each_csv_row(in, [&](const Row& row, std::int64_t line) {
    ASSERT_EQ(row.size(), 2u);
    ++count;
    last_line = line;
  });
  EXPECT_EQ(count, 1000000);
  EXPECT_EQ(last_line, 1000000);
}

TEST(CsvWriter, QuotesWhenNeededBomAndCrlf) {
  Sheet sheet;
  sheet.rows = {{"a", "b,c", "say \"hi\""}, {"line\nbreak", "", Cell::number(12)}};
  EXPECT_EQ(to_csv(sheet),
            "\xEF\xBB\xBF"
            "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"line\nbreak\",,12\r\n");
  CsvWriteOptions plain;
  plain.utf8_bom = false;
  plain.crlf = false;
  EXPECT_EQ(to_csv(sheet, plain), "a,\"b,c\",\"say \"\"hi\"\"\"\n\"line\nbreak\",,12\n");
}

TEST(CsvWriter, GuardsDigitStringsForExcel) {
  Sheet sheet;
  sheet.rows = {{"530621199001011234", "0871", "13812345678", Cell::number(530621)}};
  CsvWriteOptions options;
  options.utf8_bom = false;
  EXPECT_EQ(to_csv(sheet, options),
            "\"=\"\"530621199001011234\"\"\",\"=\"\"0871\"\"\",13812345678,530621\r\n");
  EXPECT_EQ(texts(read_csv_bytes(to_csv(sheet, options))),
            (Table{{"530621199001011234", "0871", "13812345678", "530621"}}));
  options.excel_text_guard = false;
  EXPECT_EQ(to_csv(sheet, options), "530621199001011234,0871,13812345678,530621\r\n");
}

// CSV injection (issue 14, item 9): text a spreadsheet would run as a formula is written
// quoted with an apostrophe in front; numbers, plain numeric text and the ="…" guard of long
// digit strings are not touched, and the reader gives the text back as it was.
TEST(CsvWriter, GuardsTextThatASpreadsheetWouldRunAsAFormula) {
  Sheet sheet;
  sheet.rows = {{"=HYPERLINK(\"http://evil.example\",\"点我\")", "@SUM(1)", "+1+1", "-x", "\tA",
                 "\r=1", "-12", "+3.5", Cell::number(-5), "张三", "530621199001011234"}};
  CsvWriteOptions options;
  options.utf8_bom = false;
  EXPECT_EQ(to_csv(sheet, options),
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\",\"'@SUM(1)\",\"'+1+1\","
            "\"'-x\",\"'\tA\",\"'\r=1\",-12,+3.5,-5,张三,\"=\"\"530621199001011234\"\"\"\r\n");
  Table back = texts(read_csv_bytes(to_csv(sheet, options)));
  ASSERT_EQ(back.size(), 1u);
  for (size_t i = 0; i < sheet.rows[0].size(); ++i) EXPECT_EQ(back[0][i], sheet.rows[0][i].text());
}

TEST(CsvWriter, RoundTripsInEveryEncoding) {
  Sheet sheet = read_csv_bytes(kChinese);
  CsvWriteOptions gb;
  gb.encoding = TextEncoding::gb18030;
  std::string gb_bytes = to_csv(sheet, gb);
  EXPECT_EQ(gb_bytes, icu_gb18030(to_csv(sheet, CsvWriteOptions{.utf8_bom = false})));
  EXPECT_EQ(texts(read_csv_bytes(gb_bytes)), kChineseTable);
  EXPECT_EQ(texts(read_csv_bytes(to_csv(sheet))), kChineseTable);
}

TEST(CsvWriter, WritesAndReadsAFile) {
  auto file = testing::temp_dir("tables-csv") / "居民.csv";
  Sheet sheet;
  sheet.rows = {{"户主", "人数"}, {"王芳", Cell::number(4)}};
  write_csv(file, sheet);
  Sheet back = read_csv(file);
  EXPECT_EQ(back.name, "居民");
  EXPECT_EQ(texts(back), (Table{{"户主", "人数"}, {"王芳", "4"}}));
}

TEST(CsvWriter, RefusesInvalidUtf8Text) {
  std::ostringstream out;
  CsvWriter writer(out);
  writer.write_row({std::string("bad\xFF")});
  bad_input_message([&] { writer.flush(); }, "invalid_utf8");
}

}  // namespace
}  // namespace wangge::sheets
