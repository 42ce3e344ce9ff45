#include <fstream>
#include <istream>
#include <streambuf>
#include <utility>

#include "core/error.h"
#include "sheets/csv.h"

namespace wangge::sheets {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

std::string line_text(std::int64_t line) { return std::to_string(line); }

// Reads a string in memory through std::istream without copying it.
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data());  // read only: the get area is never written
    setg(p, p, p + bytes.size());
  }
};

void refuse_binary(std::string_view head) {
  if (head.starts_with("PK\x03\x04")) {
    throw_bad_input("not_csv", "这是XLSX（或ZIP压缩）文件，不是CSV文件，请按XLSX导入",
                    "this is an XLSX (ZIP) file, not CSV", "file");
  }
  if (head.starts_with("\xD0\xCF\x11\xE0")) {
    throw_bad_input("not_csv", "这是旧版Excel（.xls）或加密的文件，不是CSV文件，请另存为CSV或XLSX",
                    "this is an old Excel (.xls) or encrypted file, not CSV", "file");
  }
}

void unwrap_excel_text(std::string& field) {
  if (field.size() >= 2 && field[0] == '\'' &&
      std::string_view("=+-@\t\r").find(field[1]) != std::string_view::npos) {
    field.erase(0, 1);  // CsvWriter's formula guard
    return;
  }
  if (field.size() < 3 || !field.starts_with("=\"") || field.back() != '"') return;
  std::string inner;
  for (std::size_t i = 2; i + 1 < field.size(); ++i) {
    inner += field[i];
    if (field[i] == '"' && field[i + 1] == '"') ++i;
  }
  field = std::move(inner);
}

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvReadOptions options)
    : in_(in), options_(options), decoder_(options_.encoding) {}

bool CsvReader::fill() {
  // Called only when every byte of buf_ has been parsed.
  buf_.clear();
  pos_ = 0;
  raw_.resize(kChunk);
  while (buf_.empty() && !eof_) {
    in_.read(raw_.data(), static_cast<std::streamsize>(raw_.size()));
    auto got = static_cast<std::size_t>(in_.gcount());
    if (in_.bad()) {
      throw_bad_input("file_unreadable", "读取CSV文件时出错", "reading the CSV file failed",
                      "file");
    }
    std::string_view bytes(raw_.data(), got);
    if (!sniffed_ && got > 0) {
      sniffed_ = true;
      refuse_binary(bytes);
    }
    decoder_.decode(bytes, buf_);
    if (got < raw_.size()) {
      decoder_.finish(buf_);
      eof_ = true;
    }
  }
  return !buf_.empty();
}

int CsvReader::peek() {
  if (pos_ == buf_.size() && !fill()) return -1;
  return static_cast<unsigned char>(buf_[pos_]);
}

int CsvReader::get() {
  int c = peek();
  if (c != -1) ++pos_;
  return c;
}

void CsvReader::check_size(std::size_t record_bytes, std::int64_t start_line) const {
  if (record_bytes <= options_.max_record_bytes) return;
  std::string mb = std::to_string(options_.max_record_bytes / (1024 * 1024));
  throw_bad_input("record_too_long",
                  "第" + line_text(start_line) + "行开始的记录超过" + mb + "MB，可能有未闭合的引号",
                  "the record starting on line " + line_text(start_line) + " is over " + mb +
                      " MB; a quote may be unclosed",
                  "file");
}

void CsvReader::read_quoted(std::string& field, std::int64_t start_line, std::size_t record_bytes) {
  for (;;) {
    int c = get();
    if (c == -1) {
      throw_bad_input(
          "unclosed_quote", "第" + line_text(start_line) + "行的引号没有闭合，直到文件结尾",
          "the quote opened on line " + line_text(start_line) + " is never closed", "file");
    }
    if (c == '"') {
      if (peek() != '"') return;
      get();
    } else if (c == '\n' || (c == '\r' && peek() != '\n')) {
      ++line_;
    }
    field += static_cast<char>(c);
    if ((field.size() & 0xFFF) == 0) check_size(record_bytes + field.size(), start_line);
  }
}

bool CsvReader::next(CsvRecord& record) {
  record.cells.clear();
  for (;;) {
    int c = peek();
    if (c == -1) return false;
    if (!options_.skip_blank_lines || (c != '\n' && c != '\r')) break;
    get();
    if (c == '\r' && peek() == '\n') get();
    ++line_;
  }
  record.line = line_;
  std::size_t record_bytes = 0;
  std::string field;
  for (;;) {
    field.clear();
    if (peek() == '"') {
      get();
      read_quoted(field, record.line, record_bytes);
    }
    // The unquoted part (or what follows a closing quote): scan the buffer up to a delimiter
    // or a line break.
    int end = -1;
    while (end == -1 && (pos_ < buf_.size() || fill())) {
      std::size_t start = pos_;
      while (pos_ < buf_.size()) {
        char ch = buf_[pos_];
        if (ch == options_.delimiter || ch == '\n' || ch == '\r') break;
        ++pos_;
      }
      field.append(buf_, start, pos_ - start);
      check_size(record_bytes + field.size(), record.line);
      if (pos_ < buf_.size()) end = get();
    }
    record_bytes += field.size();
    if (options_.unwrap_excel_text) unwrap_excel_text(field);
    record.cells.emplace_back(std::move(field));
    if (end == options_.delimiter) continue;
    if (end == '\r' && peek() == '\n') get();
    if (end != -1) ++line_;
    return true;
  }
}

void for_each_csv_row(std::istream& in, const RowCallback& on_row, const CsvReadOptions& options) {
  CsvReader reader(in, options);
  CsvRecord record;
  while (reader.next(record)) on_row(record.cells, record.line);
}

namespace {

std::ifstream open_input(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw_bad_input("file_unreadable", "无法打开文件：" + file.filename().string(),
                    "cannot open file " + file.filename().string(), "file");
  }
  return in;
}

}  // namespace

void for_each_csv_row(const std::filesystem::path& file, const RowCallback& on_row,
                      const CsvReadOptions& options) {
  std::ifstream in = open_input(file);
  for_each_csv_row(in, on_row, options);
}

Sheet read_csv(std::istream& in, const CsvReadOptions& options) {
  Sheet sheet;
  CsvReader reader(in, options);
  CsvRecord record;
  while (reader.next(record)) {
    // Row i of the sheet is record i; blank lines skipped by the reader leave no gap.
    sheet.rows.push_back(std::move(record.cells));
  }
  return sheet;
}

Sheet read_csv(const std::filesystem::path& file, const CsvReadOptions& options) {
  std::ifstream in = open_input(file);
  Sheet sheet = read_csv(in, options);
  sheet.name = file.stem().string();
  return sheet;
}

Sheet read_csv_bytes(std::string_view bytes, const CsvReadOptions& options) {
  ViewBuf buf(bytes);
  std::istream in(&buf);
  return read_csv(in, options);
}

}  // namespace wangge::sheets
