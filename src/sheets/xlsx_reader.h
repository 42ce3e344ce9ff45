// Reading XLSX workbooks (Excel 2007+, WPS) into the table model: sheet list, cell values as
// Excel shows them, merged ranges. Formatting, formulas and pictures are not read.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sheets/sheet.h"

namespace wangge::sheets {

struct XlsxReadOptions {
  // Parts larger than these once unpacked are refused with Error(too_large, "file_too_large"),
  // against ZIP bombs. Parts parsed whole (shared strings, workbook) cost memory in proportion;
  std::uint64_t max_part_bytes = 256ull * 1024 * 1024;
  // worksheets are parsed a run of rows at a time, and a sheet of a million rows by ten
  // columns is some 300-600 MB of XML.
  std::uint64_t max_sheet_bytes = 2ull * 1024 * 1024 * 1024;
  // read_sheet() holds every row up to the last and every cell of a row up to its last, so a
  // few bytes of XML (one cell at XFD1048576) could ask for gigabytes. It refuses a sheet whose
  // rows and cells so held, empty ones included, number more than this (Error(too_large,
  // "file_too_large")): 20 million, about a gigabyte, a million rows of twenty columns.
  // for_each_row() holds one row at a time and needs no such limit.
  std::uint64_t max_cells = 20'000'000;
};

struct SheetInfo {
  std::string name;
  bool hidden = false;  // hidden or "very hidden" in Excel
};

// An opened workbook. Cell values:
//   - text (shared strings, rich text runs joined, inline strings, formula text results) as
//     text cells; _xHHHH_ escapes decoded;
//   - numbers as number cells whose text is format_number(value) (12, not 12.0), whatever
//     number format the cell has (a cell showing 80% reads 0.8);
//   - booleans as boolean cells (TRUE/FALSE); error values (#DIV/0!) as text cells;
//   - formulas by their cached result; a formula never calculated reads as empty;
//   - dates as what XLSX stores: the serial number (45292 for 2024-01-01), a number cell; use
//     excel_serial_to_date(value, date1904()) where a column is known to hold dates (the rare
//     ISO date cell, t="d", reads as its text).
//
// A damaged, truncated or non-XLSX file, and any malformed part, is refused with
// Error(bad_input, "invalid_xlsx") and a Chinese message; an old .xls or an encrypted
// workbook with its own message.
//
// Memory: the file itself and the shared strings are held; a sheet is unpacked and parsed a
// run of rows at a time, so for_each_row() takes little more than that however long the sheet.
// Const methods may be called from several threads at once.
class XlsxReader {
 public:
  explicit XlsxReader(const std::filesystem::path& file, XlsxReadOptions options = {});
  // Reads a workbook held in memory (an upload).
  static XlsxReader from_bytes(std::string bytes, XlsxReadOptions options = {});

  XlsxReader(XlsxReader&&) noexcept;
  XlsxReader& operator=(XlsxReader&&) noexcept;
  ~XlsxReader();

  // The sheets in workbook order (as their tabs appear).
  const std::vector<SheetInfo>& sheets() const;
  // The index of the sheet called `name`, or -1.
  int sheet_index(std::string_view name) const;
  // Whether the workbook counts dates from 1904 (old Mac Excel) instead of 1900.
  bool date1904() const;

  // The whole sheet: row i is spreadsheet row i+1 (gaps are empty rows), each row as long as
  // its last non-empty cell, trailing empty rows dropped, merged ranges included.
  // Throws Error(bad_input) for an index out of range or a name not in the workbook.
  Sheet read_sheet(int index) const;
  Sheet read_sheet(std::string_view name) const;

  // Calls `on_row` for every row with a non-empty cell, in order, with its 1-based row
  // number. Merged ranges are not reported: read_sheet() has them.
  void for_each_row(int index, const RowCallback& on_row) const;

 private:
  struct Impl;
  explicit XlsxReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Shorthand: the first sheet of a file.
Sheet read_xlsx(const std::filesystem::path& file, const XlsxReadOptions& options = {});

}  // namespace wangge::sheets
