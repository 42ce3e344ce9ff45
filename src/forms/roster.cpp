#include "forms/roster.h"

#include <algorithm>

#include "sheets/csv.h"
#include "sheets/xlsx_writer.h"

namespace wangge::forms {
namespace {

std::string issued_line(const Roster& r) {
  std::string s = "填报单位：" + r.org_name;
  if (!r.department.empty()) s += "（" + r.department + "）";
  return s;
}

std::string date_line(const Roster& r) {
  return "统计日期：" + r.as_of + "  共 " + std::to_string(r.rows.size()) + " 人（条）";
}

sheets::Row header_cells(const Roster& r) {
  sheets::Row cells{"序号"};
  for (const auto& h : r.headers) cells.emplace_back(h.name);
  return cells;
}

sheets::Row row_cells(const RosterRow& row, size_t n) {
  sheets::Row cells{sheets::Cell::number(static_cast<double>(n))};
  for (const auto& c : row.cells) cells.emplace_back(c);
  return cells;
}

}  // namespace

bool shows_personal_data(const Form& form) {
  for (const auto& c : form.columns) {
    if (c.field->sensitivity == Sensitivity::personal ||
        c.field->sensitivity == Sensitivity::sensitive_personal)
      return true;
  }
  return false;
}

void in_english(const Form& form, Roster& r) {
  if (!form.title_en.empty()) r.title = form.title_en;
  for (size_t i = 0; i < r.headers.size() && i < form.columns.size(); ++i) {
    if (!form.columns[i].name_en.empty()) r.headers[i].name = form.columns[i].name_en;
  }
}

nlohmann::json roster_json(const Roster& r) {
  using nlohmann::json;
  json headers = json::array(), rows = json::array();
  for (const auto& h : r.headers) headers.push_back({{"code", h.code}, {"name", h.name}});
  for (const auto& row : r.rows) {
    json values = json::object();
    for (size_t i = 0; i < r.headers.size(); ++i) values[r.headers[i].code] = row.cells[i];
    rows.push_back({{"id", row.id}, {"org_code", row.org_code}, {"values", values}});
  }
  return {{"form", r.form_code},
          {"kind", "roster"},
          {"title", r.title},
          {"department", r.department},
          {"org", {{"code", r.org_code}, {"name", r.org_name}}},
          {"as_of", r.as_of},
          {"columns", headers},
          {"rows", rows},
          {"count", r.rows.size()}};
}

std::string roster_csv(const Roster& r) {
  sheets::Sheet s;
  s.rows.push_back({r.title});
  s.rows.push_back({issued_line(r), date_line(r)});
  s.rows.push_back(header_cells(r));
  for (size_t i = 0; i < r.rows.size(); ++i) s.rows.push_back(row_cells(r.rows[i], i + 1));
  return sheets::to_csv(s);
}

std::string roster_xlsx(const Roster& r) {
  return sheets::xlsx_bytes([&](sheets::XlsxWriter& book) {
    auto& sh = book.add_sheet(sheets::safe_sheet_name(r.title));
    const int last = static_cast<int>(r.headers.size());
    const sheets::FormSheetStyles st = sheets::form_sheet_styles(book);
    sheets::StyleId number =
        book.style({.align = sheets::CellStyle::Align::right, .border = true, .num_format = "0"});
    sheets::write_form_title(sh, st, last, r.title, issued_line(r), date_line(r));
    sh.write_row(2, header_cells(r), st.head);
    for (size_t i = 0; i < r.rows.size(); ++i) {
      sheets::Row cells = row_cells(r.rows[i], i + 1);
      const int at = static_cast<int>(i) + 3;
      sh.write(at, 0, cells[0], number);
      for (size_t k = 1; k < cells.size(); ++k)
        sh.write(at, static_cast<int>(k), cells[k], st.text);
    }
    sh.freeze_panes(3, 2);
    sh.set_column_width(0, 0, 6);
    // Each column as wide as its widest value (an address is long, a sex short), so nothing
    // spills into the next column on paper; capped so one column cannot crowd out the rest.
    for (size_t k = 0; k < r.headers.size(); ++k) {
      int widest = sheets::display_width(r.headers[k].name);
      for (const auto& row : r.rows) widest = std::max(widest, sheets::display_width(row.cells[k]));
      const int col = static_cast<int>(k) + 1;
      sh.set_column_width(col, col, std::clamp(widest + 2, 6, 40));
    }
    sheets::finish_form_sheet(sh, st, last, r.title, 2, 2);
  });
}

}  // namespace wangge::forms
