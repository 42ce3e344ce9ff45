#include <fstream>
#include <ostream>
#include <sstream>
#include <string_view>
#include <utility>

#include "core/error.h"
#include "sheets/csv.h"

namespace wangge::sheets {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;
constexpr std::string_view kFormulaStarts = "=+-@\t\r";

// Text that Excel would turn into a number when opening a CSV: 12+ digits become 5.30621E+17
// (and lose digits past the 15th), a leading zero is dropped.
bool excel_would_mangle(const std::string& text) {
  if (text.size() < 2) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return text.size() >= 12 || text[0] == '0';
}

// A plain decimal number ("-12", "+3.5"): what a numeric column holds, never a formula.
bool plain_number(const std::string& text) {
  size_t i = text[0] == '-' || text[0] == '+' ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      digits = true;
    } else if (text[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

// Text a spreadsheet program would run as a formula (= + - @, and a leading tab or CR that
// some of them skip before looking): CSV injection. A resident named "=HYPERLINK(…)" must
// stay a name.
bool formula_like(const std::string& text) {
  if (text.empty() || kFormulaStarts.find(text[0]) == std::string_view::npos) return false;
  return !plain_number(text);
}

}  // namespace

CsvWriter::CsvWriter(std::ostream& out, CsvWriteOptions options) : out_(out), options_(options) {
  if (options_.encoding == TextEncoding::utf8 && options_.utf8_bom) buf_ = "\xEF\xBB\xBF";
}

CsvWriter::~CsvWriter() {
  try {
    flush();
  } catch (...) {  // NOLINT(bugprone-empty-catch): documented; flush() reports errors
  }
}

void CsvWriter::append_field(const Cell& cell) {
  const std::string& text = cell.text();
  if (options_.excel_text_guard && cell.is_text() && excel_would_mangle(text)) {
    // ="…" needs quotes around it in CSV, its own quotes doubled.
    buf_ += "\"=\"\"";
    buf_ += text;
    buf_ += "\"\"\"";
    return;
  }
  const bool guard = options_.excel_text_guard && cell.is_text() && formula_like(text);
  bool quote = guard || text.find_first_of(std::string{options_.delimiter, '"', '\r', '\n'}) !=
                            std::string::npos;
  if (!quote) {
    buf_ += text;
    return;
  }
  buf_ += '"';
  if (guard) buf_ += '\'';  // shown as text by Excel, WPS and LibreOffice; the reader drops it
  for (char c : text) {
    if (c == '"') buf_ += '"';
    buf_ += c;
  }
  buf_ += '"';
}

void CsvWriter::write_row(const Row& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) buf_ += options_.delimiter;
    append_field(row[i]);
  }
  buf_ += options_.crlf ? "\r\n" : "\n";
  ++rows_;
  if (buf_.size() >= kFlushBytes) flush();
}

void CsvWriter::flush() {
  if (buf_.empty()) return;
  std::string bytes = std::move(buf_);
  buf_.clear();
  if (!is_valid_utf8(bytes)) {
    throw_bad_input("invalid_utf8", "要写入CSV的文本不是有效的UTF-8编码",
                    "text written to CSV is not valid UTF-8");
  }
  if (options_.encoding == TextEncoding::gb18030) bytes = utf8_to_gb18030(bytes);
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out_.flush();
  if (!out_) {
    throw Error(ErrorKind::unavailable, "write_failed", "写入CSV文件失败（磁盘已满或无权限？）",
                "writing the CSV file failed (disk full or no permission?)");
  }
}

void write_csv(std::ostream& out, const Sheet& sheet, const CsvWriteOptions& options) {
  CsvWriter writer(out, options);
  for (const Row& row : sheet.rows) writer.write_row(row);
  writer.flush();
}

void write_csv(const std::filesystem::path& file, const Sheet& sheet,
               const CsvWriteOptions& options) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) {
    throw Error(ErrorKind::unavailable, "write_failed", "无法创建文件：" + file.string(),
                "cannot create file " + file.string());
  }
  write_csv(out, sheet, options);
}

std::string to_csv(const Sheet& sheet, const CsvWriteOptions& options) {
  std::ostringstream out;
  write_csv(out, sheet, options);
  return std::move(out).str();
}

}  // namespace wangge::sheets
