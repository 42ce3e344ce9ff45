#include "sheets/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iterator>
#include <random>
#include <system_error>

#include "core/error.h"

namespace wangge::sheets {
namespace {

// Text Excel would show as a number (and so mangle) if it were typed in.
bool looks_numeric(const std::string& text) {
  if (text.size() < 2) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return text.size() >= 12 || text[0] == '0';
}

// OOXML reads _xHHHH_ in text as an escaped character; libxlsxwriter escapes control
// characters that way but leaves a literal "_x0041_" alone, which Excel would read as "A".
// Escaping its underscore (_x005F_) keeps the text as typed.
std::string escape_literal_escapes(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool escape = text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' &&
                  text[i + 6] == '_' &&
                  std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i) + 2,
                              text.begin() + static_cast<std::ptrdiff_t>(i) + 6,
                              [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
    out += escape ? "_x005F_" : std::string(1, text[i]);
  }
  return out;
}

[[noreturn]] void misuse(const std::string& what) {
  throw Error(ErrorKind::internal, "xlsx_writer_misuse", "XLSX写入程序错误：" + what,
              "XLSX writer misuse: " + what);
}

// Excel's width of a column without one of its own.
constexpr double kDefaultWidth = 8.43;

std::string cell_name(int row, int col) {
  return column_name(std::clamp(col, 0, kMaxCols - 1)) + std::to_string(row + 1);
}

}  // namespace

void XlsxSheetWriter::check_position(int row, int col) const {
  if (row < 0 || col < 0) misuse("negative row or column");
  if (row >= kMaxRows || col >= kMaxCols) {
    throw Error(ErrorKind::too_large, "sheet_too_large",
                "数据超出Excel工作表的范围（最多1048576行、16384列），请分批导出",
                "data beyond Excel's 1,048,576 rows or 16,384 columns; export in parts");
  }
  if (book_.options_.constant_memory && row + 1 < next_row_) {
    misuse("row " + std::to_string(row + 1) + " written after row " + std::to_string(next_row_) +
           " in constant_memory mode");
  }
}

void XlsxSheetWriter::check(int code, int row, int col) const {
  if (code == LXW_NO_ERROR) return;
  if (code == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
    std::string where = cell_name(row, col);
    throw_bad_input("text_too_long", "单元格" + where + "的文字超过Excel上限（32767个字符）",
                    "the text of cell " + where + " is over Excel's 32,767 characters");
  }
  misuse(lxw_strerror(static_cast<lxw_error>(code)));
}

void XlsxSheetWriter::put(int row, int col, const Cell& cell, StyleId style) {
  check_position(row, col);
  auto r = static_cast<lxw_row_t>(row);
  auto c = static_cast<lxw_col_t>(col);
  lxw_error err = LXW_NO_ERROR;
  switch (cell.kind()) {
    case Cell::Kind::empty:
      if (style != 0) err = worksheet_write_blank(sheet_, r, c, book_.format(style));
      break;
    case Cell::Kind::number:
      err = worksheet_write_number(sheet_, r, c, cell.value(), book_.format(style));
      break;
    case Cell::Kind::boolean:
      err = worksheet_write_boolean(sheet_, r, c, cell.value() != 0, book_.format(style));
      break;
    case Cell::Kind::text:
      if (looks_numeric(cell.text())) style = book_.text_variant(style);
      if (cell.text().find("_x") == std::string::npos) {
        err = worksheet_write_string(sheet_, r, c, cell.text().c_str(), book_.format(style));
      } else {
        err = worksheet_write_string(sheet_, r, c, escape_literal_escapes(cell.text()).c_str(),
                                     book_.format(style));
      }
      break;
  }
  check(err, row, col);
  next_row_ = std::max(next_row_, row + 1);
}

void XlsxSheetWriter::write(int row, int col, const Cell& cell, StyleId style) {
  put(row, col, cell, style);
  if (cell.empty()) return;
  auto at = static_cast<std::size_t>(col);
  if (widest_.size() <= at) widest_.resize(at + 1, 0);
  widest_[at] = std::max(widest_[at], display_width(cell.text()));
}

void XlsxSheetWriter::write_row(int row, const Row& cells, StyleId style, int first_col) {
  check_position(row, first_col);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    write(row, first_col + static_cast<int>(i), cells[i], style);
  }
  next_row_ = std::max(next_row_, row + 1);
}

void XlsxSheetWriter::append_row(const Row& cells, StyleId style) {
  write_row(next_row_, cells, style);
}

void XlsxSheetWriter::merge_range(const CellRange& range, const Cell& value, StyleId style) {
  if (book_.options_.constant_memory) misuse("merge_range in constant_memory mode");
  check_position(range.first_row, range.first_col);
  check_position(range.last_row, range.last_col);
  if (range.last_row < range.first_row || range.last_col < range.first_col) {
    misuse("inverted range " + range.a1());
  }
  if (range.first_row == range.last_row && range.first_col == range.last_col) {
    put(range.first_row, range.first_col, value, style);  // Excel refuses one-cell merges
    return;
  }
  check(worksheet_merge_range(sheet_, static_cast<lxw_row_t>(range.first_row),
                              static_cast<lxw_col_t>(range.first_col),
                              static_cast<lxw_row_t>(range.last_row),
                              static_cast<lxw_col_t>(range.last_col), "", book_.format(style)),
        range.first_row, range.first_col);
  // merge_range writes its value as a string; numbers must stay numbers.
  if (!value.empty()) put(range.first_row, range.first_col, value, style);
  next_row_ = std::max(next_row_, range.last_row + 1);
}

void XlsxSheetWriter::freeze_panes(int rows, int cols) {
  check_position(rows, cols);
  worksheet_freeze_panes(sheet_, static_cast<lxw_row_t>(rows), static_cast<lxw_col_t>(cols));
}

void XlsxSheetWriter::set_column_width(int first_col, int last_col, double width, StyleId style) {
  check_position(0, first_col);
  check_position(0, last_col);
  check(worksheet_set_column(sheet_, static_cast<lxw_col_t>(first_col),
                             static_cast<lxw_col_t>(last_col), width, book_.format(style)),
        0, first_col);
  if (width_set_.size() <= static_cast<std::size_t>(last_col)) {
    width_set_.resize(static_cast<std::size_t>(last_col) + 1, false);
  }
  for (int c = first_col; c <= last_col; ++c) width_set_[static_cast<std::size_t>(c)] = true;
  remember_width(first_col, last_col, width);
}

void XlsxSheetWriter::remember_width(int first_col, int last_col, double width) {
  if (widths_.size() <= static_cast<std::size_t>(last_col)) {
    widths_.resize(static_cast<std::size_t>(last_col) + 1, kDefaultWidth);
  }
  for (int c = first_col; c <= last_col; ++c) widths_[static_cast<std::size_t>(c)] = width;
}

double XlsxSheetWriter::width(int first_col, int last_col) const {
  double sum = 0;
  for (int c = first_col; c <= last_col; ++c) {
    auto at = static_cast<std::size_t>(c);
    sum += at < widths_.size() ? widths_[at] : kDefaultWidth;
  }
  return sum;
}

void XlsxSheetWriter::set_page(const PageSetup& page) {
  worksheet_set_paper(sheet_, 9);  // A4
  if (page.landscape) {
    worksheet_set_landscape(sheet_);
  } else {
    worksheet_set_portrait(sheet_);
  }
  if (page.fit_width) worksheet_fit_to_pages(sheet_, 1, 0);
  if (page.repeat_first >= 0) {
    if (page.repeat_last < page.repeat_first) misuse("inverted repeated rows");
    check_position(page.repeat_last, 0);
    check(worksheet_repeat_rows(sheet_, static_cast<lxw_row_t>(page.repeat_first),
                                static_cast<lxw_row_t>(page.repeat_last)),
          page.repeat_first, 0);
  }
  worksheet_set_margins(sheet_, page.margin_left, page.margin_right, page.margin_top,
                        page.margin_bottom);
  if (!page.footer.empty()) check(worksheet_set_footer(sheet_, page.footer.c_str()), 0, 0);
  if (page.center_horizontally) worksheet_center_horizontally(sheet_);
}

void XlsxSheetWriter::set_row_height(int row, double points) {
  if (row < 0 || row >= kMaxRows) misuse("row out of range");
  check(worksheet_set_row(sheet_, static_cast<lxw_row_t>(row), points, nullptr), row, 0);
}

void XlsxSheetWriter::fit_columns(double min_width, double max_width) {
  for (std::size_t c = 0; c < widest_.size(); ++c) {
    if (c < width_set_.size() && width_set_[c]) continue;
    double width = std::clamp(static_cast<double>(widest_[c]) + 2, min_width, max_width);
    auto col = static_cast<lxw_col_t>(c);
    check(worksheet_set_column(sheet_, col, col, width, nullptr), 0, static_cast<int>(c));
    remember_width(static_cast<int>(c), static_cast<int>(c), width);
  }
}

XlsxWriter::XlsxWriter(std::filesystem::path file, XlsxWriteOptions options)
    : file_(std::move(file)), options_(std::move(options)), tmpdir_(options_.tmpdir.string()) {
  lxw_workbook_options lxw{};
  lxw.constant_memory = options_.constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw.tmpdir = tmpdir_.empty() ? nullptr : tmpdir_.data();
  lxw.use_zip64 = LXW_FALSE;
  std::string path = file_.string();
  book_ = workbook_new_opt(path.c_str(), &lxw);
  if (book_ == nullptr) {
    throw Error(ErrorKind::unavailable, "write_failed", "无法创建XLSX文件：" + path,
                "cannot create XLSX file " + path);
  }
}

XlsxWriter::~XlsxWriter() {
  if (book_ != nullptr) lxw_workbook_free(book_);
}

void XlsxWriter::require_open() const {
  if (book_ == nullptr) misuse("workbook already closed");
}

XlsxSheetWriter& XlsxWriter::add_sheet(std::string_view name) {
  require_open();
  std::string n(name);
  lxw_error err =
      n.empty() ? LXW_ERROR_PARAMETER_VALIDATION : workbook_validate_sheet_name(book_, n.c_str());
  if (err != LXW_NO_ERROR) {
    throw_bad_input("invalid_sheet_name",
                    "工作表名称“" + n + "”无效（不能为空、重复、超过31个字符或含有[]:*?/\\）",
                    "invalid sheet name '" + n + "': " + lxw_strerror(err), "sheet");
  }
  lxw_worksheet* sheet = workbook_add_worksheet(book_, n.c_str());
  if (sheet == nullptr) misuse("workbook_add_worksheet failed");
  sheets_.push_back(std::unique_ptr<XlsxSheetWriter>(new XlsxSheetWriter(*this, sheet)));
  return *sheets_.back();
}

StyleId XlsxWriter::style(const CellStyle& style) {
  require_open();
  if (style == CellStyle{}) return 0;
  if (auto it = style_ids_.find(style); it != style_ids_.end()) return it->second;
  lxw_format* f = workbook_add_format(book_);
  if (style.bold) format_set_bold(f);
  if (style.font_size > 0) format_set_font_size(f, style.font_size);
  switch (style.align) {
    case CellStyle::Align::general:
      break;
    case CellStyle::Align::left:
      format_set_align(f, LXW_ALIGN_LEFT);
      break;
    case CellStyle::Align::center:
      format_set_align(f, LXW_ALIGN_CENTER);
      break;
    case CellStyle::Align::right:
      format_set_align(f, LXW_ALIGN_RIGHT);
      break;
  }
  if (style.vcenter) format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  if (style.wrap) format_set_text_wrap(f);
  if (style.border) format_set_border(f, LXW_BORDER_THIN);
  if (style.fill_rgb != 0) {
    format_set_pattern(f, LXW_PATTERN_SOLID);
    format_set_bg_color(f, style.fill_rgb);
  }
  if (style.num_format == "@") {
    format_set_num_format_index(f, 49);  // Excel's built-in text format, as Excel writes it
  } else if (!style.num_format.empty()) {
    format_set_num_format(f, style.num_format.c_str());
  }
  styles_.push_back(style);
  formats_.push_back(f);
  auto id = static_cast<StyleId>(styles_.size());
  style_ids_.emplace(style, id);
  return id;
}

lxw_format* XlsxWriter::format(StyleId id) const {
  if (id == 0) return nullptr;
  if (id < 0 || static_cast<std::size_t>(id) > formats_.size()) misuse("unknown style id");
  return formats_[static_cast<std::size_t>(id) - 1];
}

StyleId XlsxWriter::text_variant(StyleId id) {
  if (auto it = text_variants_.find(id); it != text_variants_.end()) return it->second;
  CellStyle text = id == 0 ? CellStyle{} : styles_.at(static_cast<std::size_t>(id) - 1);
  StyleId variant = id;
  if (text.num_format.empty()) {
    text.num_format.assign(1, '@');
    variant = style(text);
  }
  text_variants_.emplace(id, variant);
  return variant;
}

void XlsxWriter::close() {
  require_open();
  lxw_error err = workbook_close(book_);  // frees the workbook whatever the outcome
  book_ = nullptr;
  if (err != LXW_NO_ERROR) {
    throw Error(ErrorKind::unavailable, "write_failed",
                "写入XLSX文件失败（磁盘已满或无权限？）：" + file_.string(),
                "writing XLSX file " + file_.string() + " failed: " + lxw_strerror(err));
  }
}

std::string safe_sheet_name(std::string_view name) {
  std::string out;
  int chars = 0;
  for (std::size_t i = 0; i < name.size() && chars < 31;) {
    auto b = static_cast<unsigned char>(name[i]);
    std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    std::string_view ch = name.substr(i, len);
    out += ch.size() == 1 && std::string_view("[]:*?/\\").find(ch[0]) != std::string_view::npos
               ? std::string_view("_")
               : ch;
    i += len;
    ++chars;
  }
  while (!out.empty() && out.front() == '\'') out.erase(out.begin());
  while (!out.empty() && out.back() == '\'') out.pop_back();
  return out.empty() ? "Sheet1" : out;
}

namespace {

void write_tables(XlsxWriter& book, std::span<const Sheet> sheets,
                  const XlsxTableOptions& options) {
  StyleId header = options.bold_header ? book.style(CellStyle{.bold = true}) : 0;
  for (const Sheet& sheet : sheets) {
    XlsxSheetWriter& out = book.add_sheet(safe_sheet_name(sheet.name));
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      out.write_row(static_cast<int>(r), sheet.rows[r], r == 0 ? header : 0);
    }
    for (const CellRange& range : sheet.merges) {
      out.merge_range(range,
                      sheet.cell(static_cast<std::size_t>(range.first_row),
                                 static_cast<std::size_t>(range.first_col)),
                      range.first_row == 0 ? header : 0);
    }
    if (options.freeze_header && !sheet.rows.empty()) out.freeze_panes(1, 0);
    for (std::size_t c = 0; c < options.column_widths.size(); ++c) {
      if (options.column_widths[c] > 0) {
        out.set_column_width(static_cast<int>(c), static_cast<int>(c), options.column_widths[c]);
      }
    }
    out.fit_columns();
  }
}

}  // namespace

void write_xlsx(const std::filesystem::path& file, std::span<const Sheet> sheets,
                const XlsxTableOptions& options) {
  XlsxWriter book(file, options.write);
  write_tables(book, sheets, options);
  book.close();
}

void write_xlsx(const std::filesystem::path& file, const Sheet& sheet,
                const XlsxTableOptions& options) {
  write_xlsx(file, std::span<const Sheet>(&sheet, 1), options);
}

std::string xlsx_bytes(std::span<const Sheet> sheets, const XlsxTableOptions& options) {
  return xlsx_bytes([&](XlsxWriter& book) { write_tables(book, sheets, options); }, options.write);
}

FormSheetStyles form_sheet_styles(XlsxWriter& book) {
  using A = CellStyle::Align;
  return {
      .title = book.style(
          {.bold = true, .font_size = 16, .align = A::center, .vcenter = true, .wrap = true}),
      .left = book.style({.align = A::left}),
      .right = book.style({.align = A::right}),
      .head = book.style({.bold = true,
                          .align = A::center,
                          .vcenter = true,
                          .wrap = true,
                          .border = true,
                          .fill_rgb = 0xDDEBF7}),
      .text = book.style({.align = A::left, .border = true}),
  };
}

void write_form_title(XlsxSheetWriter& sheet, const FormSheetStyles& styles, int last,
                      const std::string& title, const std::string& issued,
                      const std::string& date) {
  sheet.merge_range({0, 0, 0, last}, Cell(title), styles.title);
  sheet.set_row_height(0, 30);
  sheet.write(1, 0, Cell(issued), styles.left);
  sheet.write(1, last, Cell(date), styles.right);
}

void finish_form_sheet(XlsxSheetWriter& sheet, const FormSheetStyles& styles, int last,
                       const std::string& title, int head_first, int head_last) {
  // The signature lines, one empty row under the table: three blocks side by side when the
  // table has the columns for them, else one under the other.
  int at = sheet.next_row() + 1;
  const std::array<std::string, 3> lines{"填表人：", "审核人：",
                                         "填报日期：　　　　年　　月　　日"};
  const int cols = last + 1;
  for (int i = 0; i < 3; ++i) {
    CellRange where{at, 0, at, last};
    if (cols >= 3) {
      where.first_col = cols * i / 3;
      where.last_col = cols * (i + 1) / 3 - 1;
    } else if (i > 0) {
      where.first_row = where.last_row = ++at;
    }
    sheet.set_row_height(at, 24);
    sheet.merge_range(where, Cell(lines[static_cast<std::size_t>(i)]), styles.left);
  }
  // The title wraps (its style does) inside the table's width: give it the lines it needs. A
  // 16-point title is 16/11 as wide as the body text the column widths are measured in.
  const double table = sheet.width(0, last);
  const double title_width = display_width(title) * 16.0 / 11.0 + 2;
  const int lines_needed = std::max(1, static_cast<int>(std::ceil(title_width / table)));
  sheet.set_row_height(0, 8 + 22.0 * lines_needed);
  sheet.set_page(
      {.landscape = table > kPortraitWidth, .repeat_first = head_first, .repeat_last = head_last});
}

std::string xlsx_bytes(const std::function<void(XlsxWriter&)>& fill,
                       const XlsxWriteOptions& options) {
  std::random_device random;
  auto tag = std::to_string(random()) + std::to_string(random());
  std::filesystem::path file = std::filesystem::temp_directory_path() / ("wangge-" + tag + ".xlsx");
  struct Remove {
    std::filesystem::path path;
    ~Remove() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } remove{file};
  {
    XlsxWriter book(file, options);
    fill(book);
    book.close();
  }
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace wangge::sheets
