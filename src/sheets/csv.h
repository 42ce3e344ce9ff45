// CSV in and out (RFC 4180), in the encodings Chinese offices actually produce: UTF-8 with or
// without a byte-order mark, and GB18030/GBK from Excel's and WPS's "CSV" save.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "sheets/sheet.h"
#include "sheets/text_encoding.h"

namespace wangge::sheets {

struct CsvReadOptions {
  char delimiter = ',';
  // nullopt detects the encoding as TextDecoder does (BOM → UTF-8; valid UTF-8 → UTF-8; else
  // GB18030).
  std::optional<TextEncoding> encoding;
  // Lines with nothing on them (outside quotes) produce no record.
  bool skip_blank_lines = true;
  // A field of the form ="…" (how Excel-minded exports keep 0012 or an 18-digit ID as text)
  // is read as the text inside the quotes, and an apostrophe before = + - @, a tab or a CR
  // (CsvWriter's formula guard) is dropped.
  bool unwrap_excel_text = true;
  // A record longer than this (in UTF-8 bytes) is refused: usually an unclosed quote.
  std::size_t max_record_bytes = 16 * 1024 * 1024;
};

// One record: its fields as text cells (an empty field is an empty cell; nothing is trimmed)
// and the 1-based line its first character is on.
struct CsvRecord {
  Row cells;
  std::int64_t line = 0;
};

// Reads records one by one from a byte stream, holding only the current record in memory.
//
// Fields are separated by the delimiter, records by CRLF, LF or a lone CR; a field that starts
// with a quote runs to the matching quote and may contain delimiters, line breaks and doubled
// quotes (""). Like Excel, a quote inside an unquoted field is kept as is, and text after a
// closing quote is appended to the field. Records may have different numbers of fields.
//
// Errors are Error(bad_input) with the line in both messages: "invalid_encoding" (see
// TextDecoder), "unclosed_quote" (a quoted field runs to the end of the file), "record_too_long",
// "not_csv" (an XLSX, ZIP or old .xls file given as CSV), "file_unreadable".
//
// REQUIRES: `in` outlives the reader and is read in binary mode.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in, CsvReadOptions options = {});
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into `record`; false at the end of the input.
  bool next(CsvRecord& record);

  // The encoding the input was found to be in so far; nullopt while only ASCII has been seen.
  std::optional<TextEncoding> encoding() const { return decoder_.encoding(); }

 private:
  int peek();
  int get();
  bool fill();
  void read_quoted(std::string& field, std::int64_t start_line, std::size_t record_bytes);
  void check_size(std::size_t record_bytes, std::int64_t start_line) const;

  std::istream& in_;
  CsvReadOptions options_;
  TextDecoder decoder_;
  std::string raw_;  // the last chunk of bytes read
  std::string buf_;  // decoded UTF-8 not yet parsed, from pos_
  std::size_t pos_ = 0;
  bool eof_ = false;
  bool sniffed_ = false;
  std::int64_t line_ = 1;
};

// Streams every record of `in` (or of the file) to `on_row`.
void for_each_csv_row(std::istream& in, const RowCallback& on_row,
                      const CsvReadOptions& options = {});
void for_each_csv_row(const std::filesystem::path& file, const RowCallback& on_row,
                      const CsvReadOptions& options = {});

// Reads all records into one sheet (named after the file's stem for a file, else empty).
Sheet read_csv(std::istream& in, const CsvReadOptions& options = {});
Sheet read_csv(const std::filesystem::path& file, const CsvReadOptions& options = {});
// Reads CSV held in memory (an uploaded file).
Sheet read_csv_bytes(std::string_view bytes, const CsvReadOptions& options = {});

struct CsvWriteOptions {
  TextEncoding encoding = TextEncoding::utf8;
  // Start UTF-8 output with a byte-order mark, which Excel and WPS need to see UTF-8.
  // GB18030 output never has one.
  bool utf8_bom = true;
  char delimiter = ',';
  bool crlf = true;
  // Write text cells that Excel would mangle when opening the file (all digits with 12 or more
  // of them, or with a leading zero: ID numbers, division codes, 0871…) as ="…", which Excel
  // and WPS show as the text itself; CsvReader reads it back as the plain text.
  // Text cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a CR,
  // and not a plain number such as "-12") are written quoted with an apostrophe in front
  // ("'=HYPERLINK(…)"): CSV injection. Number cells are never touched.
  bool excel_text_guard = true;
};

// Writes records one by one. Fields are quoted when they hold the delimiter, a quote or a line
// break. Output is buffered; it reaches the stream at flush() and on destruction.
// Throws Error(unavailable, "write_failed") when the stream fails.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out, CsvWriteOptions options = {});
  ~CsvWriter();  // flushes, swallowing errors: call flush() to see them
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  void write_row(const Row& row);
  void flush();
  std::int64_t rows_written() const { return rows_; }

 private:
  void append_field(const Cell& cell);

  std::ostream& out_;
  CsvWriteOptions options_;
  std::string buf_;  // UTF-8, not yet written
  std::int64_t rows_ = 0;
};

// Writes a whole sheet (its rows; merges have no CSV form).
void write_csv(std::ostream& out, const Sheet& sheet, const CsvWriteOptions& options = {});
void write_csv(const std::filesystem::path& file, const Sheet& sheet,
               const CsvWriteOptions& options = {});
std::string to_csv(const Sheet& sheet, const CsvWriteOptions& options = {});

}  // namespace wangge::sheets
