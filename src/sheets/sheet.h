// The neutral table model behind every tabular file wangge reads or writes (CSV, XLSX): a sheet
// is a name, rows of cells and the merged ranges. Importers, exporters and the legacy-form
// analyser (老表分析) all speak this model; the file formats stay behind csv.h and xlsx_*.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wangge::sheets {

// One cell. Every cell has a text: what a person sees in Excel's formula bar. Numbers and
// booleans also keep their value, so a writer can give them back to Excel as numbers.
// A cell whose text is empty is always of kind `empty`.
class Cell {
 public:
  enum class Kind : std::uint8_t { empty, text, number, boolean };

  Cell() = default;
  // A text cell, kept exactly as given (digits stay digits: "530621199001011234" never turns
  // into a number). The empty string gives an empty cell.
  Cell(std::string text);       // NOLINT(google-explicit-constructor): rows read as {"a", "b"}
  Cell(std::string_view text);  // NOLINT(google-explicit-constructor)
  Cell(const char* text);       // NOLINT(google-explicit-constructor)

  // A number cell; its text is format_number(value) ("12", not "12.0"). A NaN or infinite
  // value gives the text cell "#NUM!", as Excel shows it.
  static Cell number(double value);
  // A boolean cell; its text is "TRUE" or "FALSE", as Excel shows it.
  static Cell boolean(bool value);

  Kind kind() const { return kind_; }
  bool empty() const { return kind_ == Kind::empty; }
  bool is_text() const { return kind_ == Kind::text; }
  bool is_number() const { return kind_ == Kind::number; }
  bool is_boolean() const { return kind_ == Kind::boolean; }

  const std::string& text() const { return text_; }
  // The value of a number cell, 1/0 for a boolean, 0 otherwise.
  double value() const { return value_; }

  friend bool operator==(const Cell&, const Cell&) = default;

 private:
  Kind kind_ = Kind::empty;
  std::string text_;
  double value_ = 0;
};

using Row = std::vector<Cell>;

// Receives the rows of a streaming reader, one at a time, with the 1-based line (CSV) or
// spreadsheet row number (XLSX) the row starts on. The row is only valid during the call.
using RowCallback = std::function<void(const Row& row, std::int64_t line)>;

// A zero-based cell position: row 0, col 0 is A1.
struct CellRef {
  int row = 0;
  int col = 0;
  friend bool operator==(const CellRef&, const CellRef&) = default;
};

// A rectangle of cells, zero-based and inclusive at both ends; "A1:C2" is {0, 0, 1, 2}.
struct CellRange {
  int first_row = 0;
  int first_col = 0;
  int last_row = 0;
  int last_col = 0;

  bool contains(int row, int col) const {
    return row >= first_row && row <= last_row && col >= first_col && col <= last_col;
  }
  // "A1:C2"; a single cell as "B3".
  std::string a1() const;
  friend bool operator==(const CellRange&, const CellRange&) = default;
};

// Excel's grid: 1,048,576 rows by 16,384 columns (A..XFD).
inline constexpr int kMaxRows = 1048576;
inline constexpr int kMaxCols = 16384;

// "A" for 0, "Z" for 25, "AA" for 26. REQUIRES: 0 <= col < kMaxCols.
std::string column_name(int col);
// "B3" → {2, 1}; "$B$3" and lower case are accepted. nullopt when not a reference inside
// Excel's grid.
std::optional<CellRef> parse_cell_ref(std::string_view a1);
// "A1:C2" → {0, 0, 1, 2}; a single reference gives a one-cell range. The corners may come in
// any order. nullopt when malformed.
std::optional<CellRange> parse_range(std::string_view a1);

struct Sheet {
  std::string name;
  // Row i is spreadsheet row i+1. Rows may differ in length; a missing cell is empty.
  std::vector<Row> rows;
  // Merged ranges as the file declares them; the value sits in the top-left cell, the other
  // cells of the range are empty.
  std::vector<CellRange> merges;

  // The cell at (row, col), or an empty cell outside the data.
  const Cell& cell(std::size_t row, std::size_t col) const;
  // The length of the longest row.
  std::size_t column_count() const;
  // The merged range covering (row, col), or nullptr.
  const CellRange* merge_at(int row, int col) const;
};

// A number as Excel's General format shows it in the formula bar: at most 15 significant
// digits, no trailing zeros, no ".0" ("12", "0.1", "3.14159265358979"); whole numbers below
// 1e21 in plain digits ("530621199001011000"); others in scientific notation ("1E-10").
std::string format_number(double value);

// The civil date of an Excel date serial number (XLSX readers give dates as such numbers):
// 1 is 1900-01-01 (0 is 1904-01-01 in a workbook using the 1904 date system); 60 is Excel's
// phantom 1900-02-29 and gives nullopt, as do days before the first and after 9999-12-31.
// The fraction (time of day) is dropped.
std::optional<std::chrono::year_month_day> excel_serial_to_date(double serial,
                                                                bool date1904 = false);

// How wide a text is on screen, in Excel column-width units: East Asian wide characters count
// 2, others 1; the widest line counts for a multi-line text.
int display_width(std::string_view utf8);

}  // namespace wangge::sheets
