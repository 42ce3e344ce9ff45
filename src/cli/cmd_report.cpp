// `wangge report FORM --db URL --org CODE --level L --format json|csv|xlsx [-o FILE]`: computes
// a form from the data through the analytics index (the same engine the API serves).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>

#include "analytics/service.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "tables/report.h"

namespace wangge::cli {

int run_report(const ReportArgs& args) {
  spdlog::set_level(spdlog::level::warn);  // stdout carries the report
  auto db = open_existing_database(args.db);
  analytics::ReportService service(*db);
  analytics::ReportRequest req;
  req.org_code = args.org;
  req.level = args.level;
  req.as_of = args.as_of.empty() ? local_date(now()) : parse_date(args.as_of, "--as-of");
  if (!args.from.empty() || !args.to.empty()) {
    req.from = parse_date(args.from, "--from");
    req.to = parse_date(args.to, "--to");
  }
  if (req.org_code.empty()) {
    auto r = service.index().read();
    if (r->tree.size() == 0) throw_not_found("数据库中没有组织机构", "the database has no orgs");
    req.org_code = r->tree.code[0];
  }
  tables::Report report = service.report(args.form, req);
  std::string out;
  if (args.format == "json") {
    out = tables::report_json(report).dump(2) + "\n";
  } else if (args.format == "csv") {
    out = tables::report_csv(report);
  } else {
    if (args.out.empty() || args.out == "-") {
      throw_bad_input("output_required", "xlsx 格式须用 -o 指定输出文件",
                      "xlsx needs an output file (-o)", "-o");
    }
    out = tables::report_xlsx(report);
  }
  if (args.out.empty() || args.out == "-") {
    std::cout << out;
    return 0;
  }
  std::ofstream f(args.out, std::ios::binary | std::ios::trunc);
  f << out;
  if (!f) {
    throw Error(ErrorKind::unavailable, "write_failed", "无法写入 " + args.out,
                "cannot write " + args.out);
  }
  fmt::print(stderr, "{}：{} 行，已写入 {}\n", report.title, report.rows.size(), args.out);
  return 0;
}

}  // namespace wangge::cli
