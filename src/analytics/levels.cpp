#include "analytics/levels.h"

#include <utility>

#include "core/error.h"
#include "core/time.h"

namespace wangge::analytics {
namespace {

std::string_view effective(std::string_view level, const forms::Form& form) {
  if (!level.empty()) return level;
  if (!form.level.empty()) return form.level;
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
  std::string_view l = effective(level, form);
  if (at == OrgKind::department) bad_level(l);
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
  std::string_view l = effective(level, form);
  if (l == "all") return "all";
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
