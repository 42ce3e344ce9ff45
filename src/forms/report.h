// A computed report (报表) and its three outputs: JSON for the API, CSV (UTF-8 with BOM, so Excel
// and WPS open it) and XLSX laid out like the forms Chinese offices file: a title, the issuing
// unit and date, two-row merged headers, frozen panes, a totals row, numbers right-aligned.
// Computing a report is src/analytics' job; this file only renders one.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "forms/forms.h"

namespace wangge::forms {

struct ReportColumn {
  std::string code, name, group, unit;
  int decimals = 0;
};

struct ReportRow {
  std::string org_code, org_name;
  // One value per column; nullopt where it cannot be computed (a ratio over zero).
  std::vector<std::optional<double>> values;
};

struct Report {
  std::string form_code, title, department;
  std::string org_code, org_name;      // the chosen org (填报单位)
  std::string level;                   // the kind of the rows ("village")
  std::string as_of;                   // YYYY-MM-DD the report is computed for
  std::string period_from, period_to;  // YYYY-MM-DD, empty when the report has no period
  std::vector<ReportColumn> columns;
  std::vector<ReportRow> rows;
  ReportRow total;  // the chosen org as a whole (合计)
};

// The columns of a form, in order.
std::vector<ReportColumn> columns_of(const Form& form);
// Fills the ratio / percent columns of a row from its other values (ratio: n / d; percent:
// 100 n / d; nullopt when d is 0 or either is missing).
void derive(const Form& form, ReportRow& row);
// A value rounded as the column shows it.
double rounded(double v, int decimals);

// The report with the form's English title and headers where the form gives them (title_en,
// name_en, group_en); the Chinese ones stay where it does not.
void in_english(const Form& form, Report& r);

nlohmann::json report_json(const Report& r);
// Title, unit/date line, two header rows, the data rows, the totals row; UTF-8 with BOM, CRLF.
std::string report_csv(const Report& r);
// The bytes of an .xlsx workbook with one sheet.
std::string report_xlsx(const Report& r);

}  // namespace wangge::forms
