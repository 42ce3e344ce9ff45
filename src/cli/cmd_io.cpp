// `wangge import` and `wangge export` of households and residents.
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "tables/registry_io.h"

namespace wangge::cli {
int run_import(const ImportArgs& args) {
  auto db = open_existing_database(args.db);
  Vault vault = open_vault(args.db, false);
  tables::ImportOptions opts;
  ProgressBar bar;
  // WANGGE_IMPORT_STALL_AFTER=N stops after N applied rows, inside the open transaction, and
  // waits for standard input: the crash tests kill the process there.
  const char* stall = std::getenv("WANGGE_IMPORT_STALL_AFTER");
  const int64_t stall_after = stall ? std::atoll(stall) : -1;
  opts.on_applied = [&](int64_t done, int64_t total) {
    if (done == stall_after) {
      fmt::print(stderr, "import: stalled after {} rows\n", done);
      std::fflush(stderr);
      std::string line;
      std::getline(std::cin, line);
    }
    if (done % 1000 == 0 || done == total) bar.update(done, total, "写入");
  };
  auto what = tables::parse_registry(args.what);
  auto result = tables::import_registry(*db, vault, what, args.file, opts);
  if (!result.applied()) {
    fmt::print(stderr, "导入失败：{} 行数据中发现 {} 处错误，数据库未做任何修改。\n", result.rows,
               result.problems.size());
    for (const auto& p : result.problems) {
      fmt::print(stderr, "  第{}行{}：{}\n", p.line, p.column.empty() ? "" : "【" + p.column + "】",
                 p.reason);
    }
    return 2;
  }
  fmt::print("导入完成：共 {} 行，新增 {}，更新 {}，未变 {}\n", result.rows, result.inserted,
             result.updated, result.unchanged);
  return 0;
}

int run_export(const ExportArgs& args) {
  auto db = open_existing_database(args.db);
  Vault vault = open_vault(args.db, false);
  tables::ExportOptions opts{
      .org_code = args.org,
      .format = args.format == "xlsx" ? tables::ExportFormat::xlsx : tables::ExportFormat::csv};
  auto what = tables::parse_registry(args.what);
  int64_t n;
  if (args.out.empty() || args.out == "-") {
    n = tables::export_registry(*db, vault, what, opts, std::cout);
  } else {
    n = tables::export_registry(*db, vault, what, opts, std::filesystem::path(args.out));
  }
  fmt::print(stderr, "导出 {} 条记录\n", n);
  return 0;
}

}  // namespace wangge::cli
