#include "sheets/sheet.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace wangge::sheets {

Cell::Cell(std::string text)
    : kind_(text.empty() ? Kind::empty : Kind::text), text_(std::move(text)) {}

Cell::Cell(std::string_view text) : Cell(std::string(text)) {}

Cell::Cell(const char* text) : Cell(std::string(text == nullptr ? "" : text)) {}

Cell Cell::number(double value) {
  if (!std::isfinite(value)) return Cell("#NUM!");
  Cell cell;
  cell.kind_ = Kind::number;
  cell.text_ = format_number(value);
  cell.value_ = value == 0 ? 0.0 : value;  // no negative zero: it would compare unequal
  return cell;
}

Cell Cell::boolean(bool value) {
  Cell cell;
  cell.kind_ = Kind::boolean;
  cell.text_ = value ? "TRUE" : "FALSE";
  cell.value_ = value ? 1 : 0;
  return cell;
}

std::string CellRange::a1() const {
  std::string first = column_name(first_col) + std::to_string(first_row + 1);
  if (first_row == last_row && first_col == last_col) return first;
  return first + ":" + column_name(last_col) + std::to_string(last_row + 1);
}

std::string column_name(int col) {
  std::string name;
  for (int n = col + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

std::optional<CellRef> parse_cell_ref(std::string_view a1) {
  std::size_t i = 0;
  if (i < a1.size() && a1[i] == '$') ++i;
  long col = 0;
  std::size_t letters = 0;
  for (; i < a1.size() && std::isalpha(static_cast<unsigned char>(a1[i])); ++i, ++letters) {
    col = col * 26 + (std::toupper(static_cast<unsigned char>(a1[i])) - 'A' + 1);
    if (letters >= 3) return std::nullopt;
  }
  if (letters == 0) return std::nullopt;
  if (i < a1.size() && a1[i] == '$') ++i;
  long row = 0;
  std::size_t digits = 0;
  for (; i < a1.size() && a1[i] >= '0' && a1[i] <= '9'; ++i, ++digits) {
    row = row * 10 + (a1[i] - '0');
    if (digits >= 7) return std::nullopt;
  }
  if (digits == 0 || i != a1.size() || row < 1 || row > kMaxRows || col > kMaxCols) {
    return std::nullopt;
  }
  return CellRef{static_cast<int>(row - 1), static_cast<int>(col - 1)};
}

std::optional<CellRange> parse_range(std::string_view a1) {
  auto colon = a1.find(':');
  auto first = parse_cell_ref(a1.substr(0, colon));
  auto last = colon == std::string_view::npos ? first : parse_cell_ref(a1.substr(colon + 1));
  if (!first || !last) return std::nullopt;
  return CellRange{std::min(first->row, last->row), std::min(first->col, last->col),
                   std::max(first->row, last->row), std::max(first->col, last->col)};
}

const Cell& Sheet::cell(std::size_t row, std::size_t col) const {
  static const Cell kEmpty;
  if (row >= rows.size() || col >= rows[row].size()) return kEmpty;
  return rows[row][col];
}

std::size_t Sheet::column_count() const {
  std::size_t n = 0;
  for (const Row& row : rows) n = std::max(n, row.size());
  return n;
}

const CellRange* Sheet::merge_at(int row, int col) const {
  for (const CellRange& range : merges) {
    if (range.contains(row, col)) return &range;
  }
  return nullptr;
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return "#NUM!";
  if (value == 0) return "0";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15G", value);
  std::string text = buf;
  auto e = text.find('E');
  if (e == std::string::npos) return text;
  int exponent = std::atoi(text.c_str() + e + 1);
  if (exponent < 15 || exponent >= 21) return text;  // "1E-05", "1.5E+21" as Excel shows them
  // A whole number of 16 to 21 digits: spell out the 15 significant digits and pad with zeros,
  // so an ID number typed as a number reads 530621199001011000, not 5.30621E+17.
  std::string digits;
  bool negative = text[0] == '-';
  for (std::size_t i = negative ? 1 : 0; i < e; ++i) {
    if (text[i] != '.') digits += text[i];
  }
  digits.resize(static_cast<std::size_t>(exponent) + 1, '0');
  return negative ? "-" + digits : digits;
}

std::optional<std::chrono::year_month_day> excel_serial_to_date(double serial, bool date1904) {
  using std::chrono::days;
  using std::chrono::sys_days;
  if (!std::isfinite(serial)) return std::nullopt;
  auto whole = static_cast<long long>(std::floor(serial));
  sys_days day;
  if (date1904) {
    if (whole < 0) return std::nullopt;
    day = sys_days{std::chrono::year{1904} / 1 / 1} + days{whole};
  } else {
    // Excel counts a 29 February 1900 that never was (Lotus 1-2-3 compatibility).
    if (whole < 1 || whole == 60) return std::nullopt;
    day = sys_days{std::chrono::year{1899} / 12 / 31} + days{whole < 60 ? whole : whole - 1};
  }
  if (day > sys_days{std::chrono::year{9999} / 12 / 31}) return std::nullopt;
  return std::chrono::year_month_day{day};
}

namespace {

bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

int display_width(std::string_view utf8) {
  int widest = 0;
  int line = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    auto b = static_cast<unsigned char>(utf8[i]);
    if (b == '\n') {
      widest = std::max(widest, line);
      line = 0;
      ++i;
      continue;
    }
    std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? b : b & (0x3F >> (len - 1));
    for (std::size_t k = 1; k < len && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    line += is_wide(cp) ? 2 : 1;
    i += len;
  }
  return std::max(widest, line);
}

}  // namespace wangge::sheets
