// A computed record list (名册, 花名册: a form of kind "roster", forms.h) and its three outputs,
// like report.h: JSON for the API, CSV (UTF-8 with BOM) and XLSX with a title, the issuing unit
// and date, one header row, frozen panes and a 序号 column. Values are already text as they
// are shown (ID numbers and phones masked). Computing one is src/analytics' job.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "forms/forms.h"

namespace wangge::forms {

struct RosterHeader {
  std::string code;  // the dictionary field's code
  std::string name;  // the header shown
};

struct RosterRow {
  int64_t id = 0;  // the record's id
  std::string org_code;
  std::vector<std::string> cells;  // one per header
};

struct Roster {
  std::string form_code, title, department;
  std::string org_code, org_name;  // the chosen org (填报单位)
  std::string as_of;               // YYYY-MM-DD ages are counted on
  std::vector<RosterHeader> headers;
  std::vector<RosterRow> rows;  // by org code, then record id
};

// Whether a roster form shows a personal or sensitive personal field: its export is audited.
bool shows_personal_data(const Form& form);

// The roster with the form's English title and column headers where the form gives them.
// REQUIRES: r was made from form (one header per column, in order).
void in_english(const Form& form, Roster& r);

nlohmann::json roster_json(const Roster& r);
// Title, unit/date line, the header row (序号 first), the rows; UTF-8 with BOM, CRLF.
std::string roster_csv(const Roster& r);
// The bytes of an .xlsx workbook with one sheet.
std::string roster_xlsx(const Roster& r);

}  // namespace wangge::forms
