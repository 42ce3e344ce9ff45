// Row levels of a report, shared by the index and SQL engines. Internal to src/analytics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analytics/engine.h"
#include "forms/forms.h"
#include "forms/report.h"
#include "org/org.h"

namespace wangge::analytics {

// The org kinds whose nodes are the rows, for a chosen org of kind `at` and a requested level
// (see ReportRequest::level). Throws Error(bad_input, field "level").
std::vector<org::OrgKind> row_kinds(org::OrgKind at, std::string_view level,
                                    const forms::Form& form);
// The label written in a report ("village" or "all").
std::string level_name(org::OrgKind at, std::string_view level, const forms::Form& form);
// A report's heading: the form's fields, the chosen org (its code, name and kind), the level
// label, the day and the period of the request.
forms::Report report_head(const forms::Form& form, const ReportRequest& req, std::string org_code,
                          std::string org_name, org::OrgKind org_kind);

}  // namespace wangge::analytics
