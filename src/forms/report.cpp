#include "forms/report.h"

#include <cmath>

#include "sheets/csv.h"
#include "sheets/xlsx_writer.h"

namespace wangge::forms {
namespace {

using nlohmann::json;

std::string header_name(const ReportColumn& c) {
  return c.unit.empty() ? c.name : c.name + "（" + c.unit + "）";
}

// The cells of a data or totals row: name, code, then the values.
sheets::Row row_cells(const Report& r, const ReportRow& row, bool total) {
  sheets::Row cells;
  cells.emplace_back(total ? std::string("合计") : row.org_name);
  cells.emplace_back(total ? std::string() : row.org_code);
  for (size_t i = 0; i < r.columns.size(); ++i) {
    const auto& v = row.values[i];
    cells.push_back(v ? sheets::Cell::number(rounded(*v, r.columns[i].decimals))
                      : sheets::Cell("-"));
  }
  return cells;
}

std::string issued_line(const Report& r) {
  std::string s = "填报单位：" + r.org_name;
  if (!r.department.empty()) s += "（" + r.department + "）";
  return s;
}

std::string date_line(const Report& r) {
  std::string s = "统计日期：" + r.as_of;
  if (!r.period_from.empty()) s += "  报告期：" + r.period_from + " 至 " + r.period_to;
  return s;
}

json row_json(const Report& r, const ReportRow& row) {
  json values = json::object();
  for (size_t i = 0; i < r.columns.size(); ++i) {
    const auto& v = row.values[i];
    values[r.columns[i].code] = v ? json(rounded(*v, r.columns[i].decimals)) : json();
  }
  return {{"org_code", row.org_code}, {"org_name", row.org_name}, {"values", values}};
}

// Consecutive columns of the same non-empty group share one merged upper header cell.
template <class F>
void for_each_group(const Report& r, F&& f) {
  size_t i = 0;
  while (i < r.columns.size()) {
    size_t j = i + 1;
    if (!r.columns[i].group.empty()) {
      while (j < r.columns.size() && r.columns[j].group == r.columns[i].group) ++j;
    }
    f(i, j);
    i = j;
  }
}

}  // namespace

std::vector<ReportColumn> columns_of(const Form& form) {
  std::vector<ReportColumn> out;
  for (const auto& i : form.indicators)
    out.push_back({i.code, i.name, i.group, i.unit, i.decimals});
  return out;
}

void derive(const Form& form, ReportRow& row) {
  for (size_t i = 0; i < form.indicators.size(); ++i) {
    const auto& ind = form.indicators[i];
    if (ind.aggregate != Aggregate::ratio && ind.aggregate != Aggregate::percent) continue;
    const auto& n = row.values[ind.numerator_index];
    const auto& d = row.values[ind.denominator_index];
    if (!n || !d || *d == 0) {
      row.values[i] = std::nullopt;
      continue;
    }
    row.values[i] = (ind.aggregate == Aggregate::percent ? 100.0 : 1.0) * *n / *d;
  }
}

double rounded(double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

void in_english(const Form& form, Report& r) {
  if (!form.title_en.empty()) r.title = form.title_en;
  for (auto& c : r.columns) {
    for (const auto& ind : form.indicators) {
      if (ind.code != c.code) continue;
      if (!ind.name_en.empty()) c.name = ind.name_en;
      if (!ind.group_en.empty()) c.group = ind.group_en;
    }
  }
}

json report_json(const Report& r) {
  json cols = json::array();
  for (const auto& c : r.columns) {
    cols.push_back({{"code", c.code},
                    {"name", c.name},
                    {"group", c.group},
                    {"unit", c.unit},
                    {"decimals", c.decimals}});
  }
  json rows = json::array();
  for (const auto& row : r.rows) rows.push_back(row_json(r, row));
  json out = {{"form", r.form_code},
              {"title", r.title},
              {"department", r.department},
              {"org", {{"code", r.org_code}, {"name", r.org_name}}},
              {"level", r.level},
              {"as_of", r.as_of},
              {"columns", cols},
              {"rows", rows},
              {"total", row_json(r, r.total)}};
  if (!r.period_from.empty()) out["period"] = {{"from", r.period_from}, {"to", r.period_to}};
  return out;
}

std::string report_csv(const Report& r) {
  sheets::Sheet s;
  s.rows.push_back({r.title});
  s.rows.push_back({issued_line(r), date_line(r)});
  sheets::Row upper{"单位名称", "区划代码"}, lower{"", ""};
  for_each_group(r, [&](size_t i, size_t j) {
    for (size_t k = i; k < j; ++k) {
      bool grouped = !r.columns[k].group.empty();
      upper.emplace_back(grouped ? (k == i ? r.columns[k].group : std::string())
                                 : header_name(r.columns[k]));
      lower.emplace_back(grouped ? header_name(r.columns[k]) : std::string());
    }
  });
  s.rows.push_back(upper);
  s.rows.push_back(lower);
  for (const auto& row : r.rows) s.rows.push_back(row_cells(r, row, false));
  s.rows.push_back(row_cells(r, r.total, true));
  return sheets::to_csv(s);
}

std::string report_xlsx(const Report& r) {
  return sheets::xlsx_bytes([&](sheets::XlsxWriter& book) {
    auto& sh = book.add_sheet(sheets::safe_sheet_name(r.title));
    const int last = static_cast<int>(r.columns.size()) + 1;
    using A = sheets::CellStyle::Align;
    const sheets::FormSheetStyles st = sheets::form_sheet_styles(book);
    const sheets::StyleId head = st.head, text = st.text;
    sheets::StyleId total_text = book.style({.bold = true, .align = A::center, .border = true});
    std::vector<sheets::StyleId> num(7), total_num(7);
    for (int d = 0; d <= 6; ++d) {
      std::string fmt = d == 0 ? "#,##0" : "#,##0." + std::string(static_cast<size_t>(d), '0');
      num[d] = book.style({.align = A::right, .border = true, .num_format = fmt});
      total_num[d] =
          book.style({.bold = true, .align = A::right, .border = true, .num_format = fmt});
    }
    sheets::write_form_title(sh, st, last, r.title, issued_line(r), date_line(r));
    sh.merge_range({2, 0, 3, 0}, sheets::Cell("单位名称"), head);
    sh.merge_range({2, 1, 3, 1}, sheets::Cell("区划代码"), head);
    for_each_group(r, [&](size_t i, size_t j) {
      int c0 = static_cast<int>(i) + 2, c1 = static_cast<int>(j) + 1;
      if (r.columns[i].group.empty()) {
        sh.merge_range({2, c0, 3, c0}, sheets::Cell(header_name(r.columns[i])), head);
        return;
      }
      if (c1 > c0) {
        sh.merge_range({2, c0, 2, c1}, sheets::Cell(r.columns[i].group), head);
      } else {
        sh.write(2, c0, sheets::Cell(r.columns[i].group), head);
      }
      for (size_t k = i; k < j; ++k)
        sh.write(3, static_cast<int>(k) + 2, sheets::Cell(header_name(r.columns[k])), head);
    });
    int at = 4;
    auto put_row = [&](const ReportRow& row, bool total) {
      sheets::Row cells = row_cells(r, row, total);
      sh.write(at, 0, cells[0], total ? total_text : text);
      sh.write(at, 1, cells[1], total ? total_text : text);
      for (size_t i = 0; i < r.columns.size(); ++i) {
        int d = std::min(std::max(r.columns[i].decimals, 0), 6);
        sh.write(at, static_cast<int>(i) + 2, cells[i + 2], total ? total_num[d] : num[d]);
      }
      ++at;
    };
    for (const auto& row : r.rows) put_row(row, false);
    put_row(r.total, true);
    sh.freeze_panes(4, 2);
    sh.set_column_width(0, 0, 24);
    sh.set_column_width(1, 1, 18);
    sh.set_column_width(2, last, 12);
    sheets::finish_form_sheet(sh, st, last, r.title, 2, 3);
  });
}

}  // namespace wangge::forms
