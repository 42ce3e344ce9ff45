#include "analytics/levels.h"

#include <utility>

#include "core/error.h"
#include "core/time.h"

namespace wangge::analytics {
namespace {

// The level asked for; else the form's default when the chosen org lies above it (a county
// form opened by a township operator shows the township's villages, not an error); else one
// level down.
std::string_view effective(std::string_view level, const forms::Form& form, org::OrgKind at) {
  if (!level.empty()) return level;
  if (form.level.empty() || form.level == "child") return "child";
  if (form.level == "all") return "all";
  try {
    org::OrgKind k = org::parse_kind(form.level);
    if (k >= at && k != org::OrgKind::department) return form.level;
  } catch (const Error&) {
  }
  return "child";
}

[[noreturn]] void bad_level(std::string_view level) {
  throw_bad_input("invalid_level",
                  "层级 “" + std::string(level) +
                      "” 不在所选单位之下（可用 county、township、village、grid、micro_grid、"
                      "building、child、all）",
                  "level '" + std::string(level) +
                      "' is not below the chosen org (use county, "
                      "township, village, grid, micro_grid, building, child or all)",
                  "level");
}

}  // namespace

std::vector<org::OrgKind> row_kinds(org::OrgKind at, std::string_view level,
                                    const forms::Form& form) {
  using org::OrgKind;
  if (at == OrgKind::department) {
    throw_bad_input("org_not_division", "部门不是行政区划单位，报表须选县、乡镇、村（社区）或网格",
                    "a department is no division: choose a county, township, village or grid",
                    "org");
  }
  std::string_view l = effective(level, form, at);
  if (l == "all") {
    std::vector<OrgKind> out;
    for (int k = static_cast<int>(at); k <= static_cast<int>(OrgKind::grid); ++k) {
      out.push_back(static_cast<OrgKind>(k));
    }
    if (out.empty()) out.push_back(at);
    return out;
  }
  if (l == "child") {
    if (at >= OrgKind::building) return {at};
    return {static_cast<OrgKind>(static_cast<int>(at) + 1)};
  }
  OrgKind k{};
  try {
    k = org::parse_kind(l);
  } catch (const Error&) {
    bad_level(l);
  }
  if (k < at || k == OrgKind::department) bad_level(l);
  return {k};
}

std::string level_name(org::OrgKind at, std::string_view level, const forms::Form& form) {
  if (effective(level, form, at) == "all") return "all";
  return std::string(org::to_string(row_kinds(at, level, form).at(0)));
}

forms::Report report_head(const forms::Form& form, const ReportRequest& req, std::string org_code,
                          std::string org_name, org::OrgKind org_kind) {
  forms::Report r;
  r.form_code = form.code;
  r.title = form.title;
  r.department = form.department;
  r.columns = forms::columns_of(form);
  r.org_code = std::move(org_code);
  r.org_name = std::move(org_name);
  r.level = level_name(org_kind, req.level, form);
  r.as_of = format_date(req.as_of);
  if (req.from && req.to) {
    r.period_from = format_date(*req.from);
    r.period_to = format_date(*req.to);
  }
  return r;
}

}  // namespace wangge::analytics
