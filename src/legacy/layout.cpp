#include "legacy/layout.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <utility>

#include "legacy/normalize.h"
#include "legacy/owner.h"
#include "legacy/values.h"

namespace wangge::legacy {
namespace {

constexpr int kMaxHeaderSearch = 30;
constexpr int kMaxHeaderRows = 3;

std::string trimmed(const sheets::Sheet& s, int r, int c) {
  const std::string& t = s.cell(static_cast<size_t>(r), static_cast<size_t>(c)).text();
  size_t b = t.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = t.find_last_not_of(" \t\r\n");
  return t.substr(b, e - b + 1);
}

int row_width(const sheets::Sheet& s, int r) {
  const sheets::Row& row = s.rows[static_cast<size_t>(r)];
  for (int c = static_cast<int>(row.size()) - 1; c >= 0; --c) {
    if (!trimmed(s, r, c).empty()) return c + 1;
  }
  return 0;
}

int filled(const sheets::Sheet& s, int r, int width) {
  int n = 0;
  for (int c = 0; c < width; ++c) n += !trimmed(s, r, c).empty();
  return n;
}

std::string joined(const sheets::Sheet& s, int r, int width) {
  std::string out;
  for (int c = 0; c < width; ++c) {
    std::string t = trimmed(s, r, c);
    if (t.empty()) continue;
    if (!out.empty()) out += "  ";
    out += t;
  }
  return out;
}

bool has_colon_value(std::string_view t) {
  std::string f = fold_width(t);
  return f.find(':') != std::string::npos;
}

// A row of header labels: text, short, nothing that looks like data or a "key：value" line.
bool header_like(const sheets::Sheet& s, int r, int width) {
  int n = 0;
  for (int c = 0; c < width; ++c) {
    std::string t = trimmed(s, r, c);
    if (t.empty()) continue;
    ++n;
    const sheets::Cell& cell = s.cell(static_cast<size_t>(r), static_cast<size_t>(c));
    if (!cell.is_text() || to_u32(t).size() > 30) return false;
    ValueKind k = classify_value(t);
    if (k != ValueKind::text) return false;
    std::string f = fold_width(t);
    if (f.find(':') != std::string::npos && f.find("单位:") == std::string::npos) return false;
  }
  return n > 0;
}

bool starts_with_note_word(std::string_view text) {
  static constexpr std::array<std::string_view, 17> kWords{
      "填表说明", "说明",   "备注",       "注:",    "注：",     "填报人",
      "填表人",   "审核人", "制表人",     "负责人", "联系电话", "填报日期",
      "填表日期", "审核",   "单位负责人", "统计人", "分管领导"};
  for (auto w : kWords) {
    if (text.starts_with(w)) return true;
  }
  return false;
}

bool is_totals_row(const sheets::Sheet& s, int r) {
  for (int c = 0; c < 3; ++c) {
    std::string t = clean_header(trimmed(s, r, c)).name;
    if (t == "合计" || t == "总计" || t == "小计" || t == "全县合计" || t == "总合计") return true;
  }
  return false;
}

// The first row that reads as a header: several labels over most of the width.
int find_header(const sheets::Sheet& s, int width) {
  int limit = std::min<int>(static_cast<int>(s.rows.size()), kMaxHeaderSearch);
  int need = std::max(2, static_cast<int>(std::ceil(width * 0.5)));
  for (int r = 0; r < limit; ++r) {
    if (filled(s, r, width) >= need && header_like(s, r, width)) return r;
  }
  return -1;
}

// How many rows the header takes: merges starting on its first row tell in XLSX; in CSV a
// following label row that names columns the rows above left empty.
int header_depth(const sheets::Sheet& s, int h, int width) {
  int depth = 1;
  for (const sheets::CellRange& m : s.merges) {
    if (m.first_row != h) continue;
    depth = std::max(depth, m.last_row - h + 1);
    if (m.last_col > m.first_col && m.last_row == h) depth = std::max(depth, 2);
  }
  depth = std::min(depth, kMaxHeaderRows);
  while (depth < kMaxHeaderRows && h + depth < static_cast<int>(s.rows.size())) {
    int r = h + depth;
    if (!header_like(s, r, width)) break;
    bool names_a_gap = false;
    for (int c = 0; c < width && !names_a_gap; ++c) {
      if (trimmed(s, r, c).empty()) continue;
      bool above_empty = true;
      for (int a = h; a < r; ++a) above_empty &= trimmed(s, a, c).empty() && !s.merge_at(a, c);
      names_a_gap = above_empty;
    }
    if (!names_a_gap) break;
    ++depth;
  }
  return depth;
}

// The header rows with merged and CSV-style parent cells filled in, one text per cell.
std::vector<std::vector<std::string>> header_grid(const sheets::Sheet& s, int h, int depth,
                                                  int width) {
  std::vector<std::vector<std::string>> g(depth, std::vector<std::string>(width));
  for (int r = 0; r < depth; ++r) {
    for (int c = 0; c < width; ++c) g[r][c] = trimmed(s, h + r, c);
  }
  for (const sheets::CellRange& m : s.merges) {
    std::string v = trimmed(s, m.first_row, m.first_col);
    for (int r = std::max(m.first_row, h); r <= std::min(m.last_row, h + depth - 1); ++r) {
      for (int c = m.first_col; c <= std::min(m.last_col, width - 1); ++c) g[r - h][c] = v;
    }
  }
  auto below_named = [&](int r, int c) {
    for (int b = r + 1; b < depth; ++b) {
      if (!g[b][c].empty()) return true;
    }
    return false;
  };
  // A parent (a label with children named below it) spans the empty cells on its right
  // whose columns have children too.
  for (int r = 0; r + 1 < depth; ++r) {
    for (int c = 1; c < width; ++c) {
      if (g[r][c].empty() && below_named(r, c) && !g[r][c - 1].empty() && below_named(r, c - 1)) {
        g[r][c] = g[r][c - 1];
      }
    }
  }
  return g;
}

// The bracketed remark of a group parent that tells its group from another ("(申请方)"), or
// empty; a filling hint ("(必填)", "(如有)") tells nothing.
std::string group_qualifier(const CleanName& clean) {
  std::string q;
  for (const auto& r : clean.remarks) {
    if (r.empty() || r == clean.name || r.find('/') != std::string::npos) continue;
    bool hint = false;
    for (std::string_view w : {"填", "如有", "注", "选"}) hint |= r.find(w) != std::string::npos;
    if (!hint) q += (q.empty() ? "" : "、") + r;
  }
  return q.empty() ? q : "(" + q + ")";
}

bool is_column_number_row(const sheets::Sheet& s, int r, int width) {
  int n = 0, expect = 1;
  for (int c = 0; c < width; ++c) {
    std::string t = clean_header(trimmed(s, r, c)).name;
    if (t.empty()) continue;
    ++n;
    if (t == "甲" || t == "乙" || t == "丙" || t == "丁") continue;
    if (t != std::to_string(expect)) return false;
    ++expect;
  }
  return n >= 2;
}

bool is_note_row(const sheets::Sheet& s, int r, int width) {
  int n = filled(s, r, width);
  if (n == 0) return true;
  std::string first;
  for (int c = 0; c < width && first.empty(); ++c) first = trimmed(s, r, c);
  std::string f = fold_width(first);
  if (starts_with_note_word(first) || starts_with_note_word(f)) return true;
  if (n <= 2 && has_colon_value(joined(s, r, width))) return true;
  return n == 1 && width >= 3 && to_u32(first).size() >= 8;
}

RawColumn make_column(const std::vector<std::vector<std::string>>& g, int c) {
  RawColumn col;
  col.index = c;
  for (const auto& row : g) {
    const std::string& t = row[c];
    if (!t.empty() && (col.header.empty() || col.header.back() != t)) col.header.push_back(t);
  }
  std::string name;
  for (size_t i = 0; i < col.header.size(); ++i) {
    CleanName clean = clean_header(col.header[i]);
    if (!clean.unit.empty()) col.unit = clean.unit;
    // A group parent keeps its qualifier: 当事人（申请方） and 当事人（被申请方） are two people.
    std::string part = clean.name;
    if (i + 1 < col.header.size()) part += group_qualifier(clean);
    // 联系电话（户主）: a person in brackets after a fact of a person owns it, as 户主联系电话.
    for (const auto& r : clean.remarks) {
      if (i + 1 < col.header.size() || !is_other_person(r)) continue;
      std::string owned = r;
      owned += part;
      if (!read_sense(owned).owner.empty()) {
        part = std::move(owned);
        break;
      }
    }
    name = combine_header(name, part);
  }
  col.name = name;
  return col;
}

}  // namespace

FormLayout detect_layout(const sheets::Sheet& sheet, size_t max_values) {
  FormLayout out;
  const int rows = static_cast<int>(sheet.rows.size());
  int width = 0;
  for (int r = 0; r < rows; ++r) width = std::max(width, row_width(sheet, r));
  const int h = find_header(sheet, width);
  if (h < 0) return out;
  for (int r = 0; r < h; ++r) {
    std::string text = joined(sheet, r, width);
    if (text.empty()) continue;
    bool meta = has_colon_value(text);
    if (out.title.empty() && !meta) {
      out.title = text;
    } else {
      out.meta.push_back(text);
    }
  }
  const int depth = header_depth(sheet, h, width);
  out.header_first = h;
  out.header_rows = depth;
  out.data_first = h + depth;
  if (out.data_first < rows && is_column_number_row(sheet, out.data_first, width)) {
    ++out.data_first;
  }
  int last = rows - 1;
  while (last >= out.data_first && is_note_row(sheet, last, width)) --last;
  out.data_last = last;
  for (int r = last + 1; r < rows; ++r) {
    std::string text = joined(sheet, r, width);
    if (!text.empty()) out.notes.push_back(text);
  }
  auto grid = header_grid(sheet, h, depth, width);
  for (int c = 0; c < width; ++c) {
    RawColumn col = make_column(grid, c);
    if (col.name.empty() || is_row_number_header(col.name)) {
      ++out.skipped_columns;
      continue;
    }
    for (int r = out.data_first; r <= out.data_last; ++r) {
      if (is_totals_row(sheet, r)) continue;
      ++col.data_rows;
      std::string v = trimmed(sheet, r, c);
      if (!v.empty() && col.values.size() < max_values) col.values.push_back(std::move(v));
    }
    out.columns.push_back(std::move(col));
  }
  return out;
}

}  // namespace wangge::legacy
