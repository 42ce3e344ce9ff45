// Row levels of a report, shared by the index and SQL engines. Internal to src/analytics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "org/org.h"
#include "tables/forms.h"
#include "tables/report.h"

namespace wangge::analytics {

// The org kinds whose nodes are the rows, for a chosen org of kind `at` and a requested level
// (see ReportRequest::level). Throws Error(bad_input, field "level").
std::vector<org::OrgKind> row_kinds(org::OrgKind at, std::string_view level,
                                    const tables::Form& form);
// The label written in a report ("village" or "all").
std::string level_name(org::OrgKind at, std::string_view level, const tables::Form& form);
// A report's heading fields filled from the form.
tables::Report report_head(const tables::Form& form);

}  // namespace wangge::analytics
