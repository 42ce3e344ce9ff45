// `wangge report FORM --db URL --org CODE --level L --format json|csv|xlsx [-o FILE]`: computes
// a form from the data through the analytics index (the same engine the API serves). A
// record-list form (名册) lists its records instead; when it shows personal fields the export
// is audited (--as names the operator, else the operating-system user) before anything is
// written out. FORM `all` writes every form into the folder -o names (one file per form, named
// by its code): the month-end export, with the index built once rather than once per form.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include "analytics/roster.h"
#include "analytics/service.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "forms/report.h"
#include "forms/roster.h"

namespace wangge::cli {

namespace {

bool to_stdout(const ReportArgs& args) { return args.out.empty() || args.out == "-"; }

// The bytes of the chosen format; xlsx only into a file.
std::string render(const ReportArgs& args, const std::function<std::string()>& json,
                   const std::function<std::string()>& csv,
                   const std::function<std::string()>& xlsx) {
  if (args.format == "json") return json();
  if (args.format == "csv") return csv();
  if (to_stdout(args)) {
    throw_bad_input("output_required", "xlsx 格式须用 -o 指定输出文件",
                    "xlsx needs an output file (-o)", "-o");
  }
  return xlsx();
}

void write_out(const ReportArgs& args, const std::string& out, const std::string& title,
               size_t rows) {
  if (to_stdout(args)) {
    std::cout << out;
    return;
  }
  std::ofstream f(args.out, std::ios::binary | std::ios::trunc);
  f << out;
  if (!f) {
    throw Error(ErrorKind::unavailable, "write_failed", "无法写入 " + args.out,
                "cannot write " + args.out);
  }
  fmt::print(stderr, "{}：{} 行，已写入 {}\n", title, rows, args.out);
}

int run_roster(const ReportArgs& args, store::Database& db, analytics::ReportService& service,
               const forms::Form& form, const analytics::ReportRequest& req) {
  const std::string actor = audit_actor(args.as);
  forms::Roster roster = service.roster(form.code, {req.org_code, req.as_of});
  std::string out = render(
      args, [&] { return forms::roster_json(roster).dump(2) + "\n"; },
      [&] { return forms::roster_csv(roster); }, [&] { return forms::roster_xlsx(roster); });
  db.transact([&](store::Tx& tx) {
    analytics::audit_roster_export(tx, form, roster, actor, args.format, now());
  });
  write_out(args, out, roster.title, roster.rows.size());
  return 0;
}

int run_one(const ReportArgs& args, store::Database& db, analytics::ReportService& service,
            const std::string& code, const analytics::ReportRequest& req) {
  if (auto form = service.form(code); form && form->kind == forms::FormKind::roster) {
    return run_roster(args, db, service, *form, req);
  }
  forms::Report report = service.report(code, req);
  std::string out = render(
      args, [&] { return forms::report_json(report).dump(2) + "\n"; },
      [&] { return forms::report_csv(report); }, [&] { return forms::report_xlsx(report); });
  write_out(args, out, report.title, report.rows.size());
  return 0;
}

}  // namespace

int run_report(const ReportArgs& args) {
  spdlog::set_level(spdlog::level::warn);  // stdout carries the report
  auto db = open_existing_database(args.db);
  open_vault_if_any(*db, args.db);  // refuses a wrong key; roster exports append audit rows
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
  if (args.form != "all") return run_one(args, *db, service, args.form, req);
  if (to_stdout(args)) {
    throw_bad_input("output_required", "导出全部报表须用 -o 指定输出目录",
                    "exporting every form needs an output folder (-o)", "-o");
  }
  std::error_code ec;
  std::filesystem::create_directories(args.out, ec);
  if (ec) {
    throw Error(ErrorKind::unavailable, "write_failed", "无法创建目录 " + args.out,
                "cannot create folder " + args.out);
  }
  for (const forms::Form& form : service.forms()) {
    ReportArgs one = args;
    one.out = (std::filesystem::path(args.out) / (form.code + "." + args.format)).string();
    run_one(one, *db, service, form.code, req);
  }
  return 0;
}

}  // namespace wangge::cli
