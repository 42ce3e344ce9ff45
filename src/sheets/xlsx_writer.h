// Writing XLSX workbooks (libxlsxwriter). Two layers:
//   - XlsxWriter / XlsxSheetWriter: a workbook of sheets written cell by cell or row by row,
//     with styles, column widths, merged ranges and frozen panes — the base a formatted report
//     (title row, two-row merged headers, totals row) is built on;
//   - write_xlsx(): a sheet model written as a plain table (bold header row, fitted widths).
// Text cells are always written as text: an 18-digit ID number stays 18 digits in Excel.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sheets/sheet.h"

// libxlsxwriter's handles, kept out of this header.
struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace wangge::sheets {

// How a cell looks. Plain data: compare, copy, keep in tables.
struct CellStyle {
  enum class Align : std::uint8_t { general, left, center, right };

  bool bold = false;
  double font_size = 0;  // points; 0 keeps the default (11)
  Align align = Align::general;
  bool vcenter = false;        // vertically centred
  bool wrap = false;           // wrap text in the cell
  bool border = false;         // thin border on all four sides
  std::uint32_t fill_rgb = 0;  // background colour 0xRRGGBB; 0 for none
  std::string num_format;      // Excel number format: "@" text, "0.00%", "yyyy-mm-dd"; "" general

  // NOLINTNEXTLINE(modernize-use-nullptr): a defaulted comparison, no pointers involved
  friend auto operator<=>(const CellStyle&, const CellStyle&) = default;
};

// A style registered with a workbook (XlsxWriter::style()); 0 is the default look.
using StyleId = int;

struct XlsxWriteOptions {
  // Rows are written to disk as soon as a later row is started, so a sheet of a million rows
  // takes little memory. Then rows must be written in order and merge_range() is unavailable
  // (both checked: Error(internal)).
  bool constant_memory = false;
  // Where libxlsxwriter keeps its temporary files; empty for the system's.
  std::filesystem::path tmpdir;
};

class XlsxWriter;

// How a sheet prints (页面设置): paper A4, orientation, scaling, the rows repeated at the top of
// every page (Excel's 打印标题, the _xlnm.Print_Titles name), margins and the footer. Excel, WPS
// and LibreOffice honour it when printing or exporting to PDF.
struct PageSetup {
  bool landscape = false;
  // Scale the sheet to one page wide; as many pages tall as it needs.
  bool fit_width = true;
  // Rows printed again at the top of every page, zero-based inclusive; -1 for none.
  int repeat_first = -1;
  int repeat_last = -1;
  // Excel's header/footer codes: &C centres, &P is the page number, &N the number of pages.
  std::string footer = "&C第 &P 页 共 &N 页";
  double margin_left = 0.5, margin_right = 0.5;  // inches
  double margin_top = 0.6, margin_bottom = 0.7;  // inches; the footer sits in the bottom one
  bool center_horizontally = true;
};

// One sheet of a workbook being written. Rows and columns are zero-based. Obtained from
// XlsxWriter::add_sheet(); lives as long as the writer.
class XlsxSheetWriter {
 public:
  XlsxSheetWriter(const XlsxSheetWriter&) = delete;
  XlsxSheetWriter& operator=(const XlsxSheetWriter&) = delete;

  // Writes one cell (an empty cell writes nothing unless a style is given). A text cell that
  // Excel would take for a number (all digits, 12+ of them or a leading zero) also gets the
  // text number format "@". Throws Error(bad_input) for text over Excel's 32,767 characters,
  // Error(too_large) past Excel's last row or column.
  void write(int row, int col, const Cell& cell, StyleId style = 0);
  // Writes `cells` from column `first_col` of `row`, then next_row() is row + 1 (if larger).
  void write_row(int row, const Row& cells, StyleId style = 0, int first_col = 0);
  // Writes `cells` at next_row().
  void append_row(const Row& cells, StyleId style = 0);
  // The row after the last one written (0 for a new sheet).
  int next_row() const { return next_row_; }

  // Merges the range and writes `value` in it with `style` (style every cell of a merged
  // header, borders included, through this call). REQUIRES: not constant_memory mode.
  void merge_range(const CellRange& range, const Cell& value, StyleId style = 0);
  // Keeps the top `rows` rows and left `cols` columns in view when scrolling.
  void freeze_panes(int rows, int cols);
  // Width in characters (Excel's unit) of columns first_col..last_col; `style` applies to
  // their empty cells too.
  void set_column_width(int first_col, int last_col, double width, StyleId style = 0);
  void set_row_height(int row, double points);
  // Sets each column without a width of its own to fit the widest text written to it
  // (display_width() + 2, between min_width and max_width).
  void fit_columns(double min_width = 6, double max_width = 60);
  // The width in characters of columns first_col..last_col as set so far (Excel's default 8.43
  // for a column without one).
  double width(int first_col, int last_col) const;
  // Sets how the sheet prints. Allowed in constant_memory mode too.
  void set_page(const PageSetup& page);

 private:
  friend class XlsxWriter;
  XlsxSheetWriter(XlsxWriter& book, lxw_worksheet* sheet) : book_(book), sheet_(sheet) {}
  void put(int row, int col, const Cell& cell, StyleId style);
  void check_position(int row, int col) const;
  void check(int code, int row, int col) const;
  void remember_width(int first_col, int last_col, double width);

  XlsxWriter& book_;
  lxw_worksheet* sheet_;
  int next_row_ = 0;
  std::vector<int> widest_;      // display width of the widest text per column
  std::vector<bool> width_set_;  // columns given a width by set_column_width()
  std::vector<double> widths_;   // each column's width once set (by either call)
};

// A workbook being written to `file`. Nothing is on disk before close(); a writer destroyed
// without close() writes nothing more.
class XlsxWriter {
 public:
  explicit XlsxWriter(std::filesystem::path file, XlsxWriteOptions options = {});
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // Adds a sheet. Throws Error(bad_input, "invalid_sheet_name") for a name Excel refuses
  // (empty, over 31 characters, any of []:*?/\, or already used); safe_sheet_name() makes one.
  XlsxSheetWriter& add_sheet(std::string_view name);
  // Registers a style (the same style twice gives the same id).
  StyleId style(const CellStyle& style);
  // Writes the file. Throws Error(unavailable, "write_failed") when it cannot.
  void close();

 private:
  friend class XlsxSheetWriter;
  lxw_format* format(StyleId id) const;  // nullptr for 0
  StyleId text_variant(StyleId id);
  void require_open() const;

  std::filesystem::path file_;
  XlsxWriteOptions options_;
  std::string tmpdir_;
  lxw_workbook* book_ = nullptr;
  std::vector<std::unique_ptr<XlsxSheetWriter>> sheets_;
  std::map<CellStyle, StyleId> style_ids_;
  std::vector<CellStyle> styles_;     // by id - 1
  std::vector<lxw_format*> formats_;  // by id - 1
  std::map<StyleId, StyleId> text_variants_;
};

// A sheet name Excel accepts, made from any text: forbidden characters []:*?/\ become _,
// leading and trailing apostrophes are dropped, it is cut to 31 characters, and an empty
// result becomes "Sheet1".
std::string safe_sheet_name(std::string_view name);

struct XlsxTableOptions {
  // Write the first row of each sheet bold, and keep it in view when scrolling.
  bool bold_header = true;
  bool freeze_header = true;
  // Widths by column; columns without one are fitted to their text.
  std::vector<double> column_widths;
  XlsxWriteOptions write;
};

// Writes each sheet as a plain table: its rows, with its merged ranges (not in constant_memory
// mode). Sheet names go through safe_sheet_name(); duplicates are refused.
void write_xlsx(const std::filesystem::path& file, std::span<const Sheet> sheets,
                const XlsxTableOptions& options = {});
void write_xlsx(const std::filesystem::path& file, const Sheet& sheet,
                const XlsxTableOptions& options = {});
// The same, as the bytes of an .xlsx file (for a download).
std::string xlsx_bytes(std::span<const Sheet> sheets, const XlsxTableOptions& options = {});
// The bytes of the workbook that `fill` writes into a writer over a temporary file (removed
// afterwards); fill adds sheets and styles, this closes the book.
std::string xlsx_bytes(const std::function<void(XlsxWriter&)>& fill,
                       const XlsxWriteOptions& options = {});

// What the form sheets (统计表 and 花名册) share: their styles, and their first two rows: the
// title merged over columns 0..last, then the issuing line on the left and the date line on
// the right. Their headers start at row 2, in `head`; their text cells use `text`.
struct FormSheetStyles {
  StyleId title, left, right, head, text;
};
FormSheetStyles form_sheet_styles(XlsxWriter& book);
void write_form_title(XlsxSheetWriter& sheet, const FormSheetStyles& styles, int last,
                      const std::string& title, const std::string& issued, const std::string& date);

// The widest table (in Excel's character units) that prints on A4 portrait at readable size;
// wider form sheets print landscape.
inline constexpr double kPortraitWidth = 100;

// Finishes a form sheet for print, once its table (columns 0..last) is written and its columns
// have their widths: the 填表人 / 审核人 / 填报日期 lines under the table, to sign and stamp;
// the title row made tall enough for the whole title; and the page: A4, landscape when wider
// than kPortraitWidth, one page wide, header rows head_first..head_last on every page, page
// numbers in the footer. REQUIRES: not constant_memory mode (the lines are merged cells).
void finish_form_sheet(XlsxSheetWriter& sheet, const FormSheetStyles& styles, int last,
                       const std::string& title, int head_first, int head_last);

}  // namespace wangge::sheets
