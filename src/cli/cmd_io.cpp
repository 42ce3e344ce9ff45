// `wangge import` and `wangge export` of households and residents. Both move personal data
// (ID numbers and phones in clear), so both leave a row in the audit chain: who (--as, else
// the operating-system user), which table, how many rows, which personal columns were in clear
// and where the file went — never a value from it. An import's row commits with the import; an
// export's row is written before any data leaves: to a temporary file beside the target when
// there is one, renamed into place after the audit row commits, so an export that cannot be
// audited leaves nothing behind.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "auth/audit.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/text.h"
#include "people/registry_io.h"

namespace wangge::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What the audit row says about a file of the registry: its table and which columns carry
// personal data in clear (the layout's, read from its headers).
json what_moved(people::Registry what, const std::string& actor) {
  auto headers = people::registry_headers(what);
  auto has = [&](std::string_view h) {
    return std::find(headers.begin(), headers.end(), h) != headers.end();
  };
  return {{"table", what == people::Registry::residents ? "residents" : "households"},
          {"os_user", os_user()},
          {"as", actor},
          {"id_numbers_in_clear", has("公民身份号码")},
          {"phones_in_clear", has("联系电话")}};
}

void report_problems(const people::ImportResult& result) {
  fmt::print(stderr, "导入失败：{} 行数据中发现 {} 处错误，数据库未做任何修改。\n", result.rows,
             result.problems.size());
  for (const auto& p : result.problems) {
    fmt::print(stderr, "  第{}行{}：{}\n", p.line, p.column.empty() ? "" : "【" + p.column + "】",
               p.reason);
  }
}

// Copies a file to standard output.
void copy_to(const fs::path& file, std::ostream& out) {
  std::ifstream in(file, std::ios::binary);
  out << in.rdbuf();
  out.flush();
}

}  // namespace

int run_import(const ImportArgs& args) {
  const std::string actor = audit_actor(args.as);
  auto db = open_existing_database(args.db);
  Vault vault = open_vault(*db, args.db, false);
  people::ImportOptions opts;
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
  auto what = people::parse_registry(args.what);
  json detail = what_moved(what, actor);
  detail["file"] = fs::path(args.file).filename().string();
  opts.before_commit = [&](store::Tx& tx, const people::ImportResult& r) {
    json d = detail;
    d.update({{"rows", r.rows},
              {"inserted", r.inserted},
              {"updated", r.updated},
              {"unchanged", r.unchanged}});
    auth::audit::append(tx, actor, "registry.import", "table:" + d["table"].get<std::string>(),
                        d.dump());
  };
  auto result = people::import_registry(*db, vault, what, args.file, opts);
  if (!result.applied()) {
    report_problems(result);
    return 2;
  }
  fmt::print("导入完成：共 {} 行，新增 {}，更新 {}，未变 {}\n", result.rows, result.inserted,
             result.updated, result.unchanged);
  return 0;
}

int run_export(const ExportArgs& args) {
  const std::string actor = audit_actor(args.as);
  auto db = open_existing_database(args.db);
  Vault vault = open_vault(*db, args.db, false);
  people::ExportOptions opts{
      .org_code = args.org,
      .format = args.format == "xlsx" ? people::ExportFormat::xlsx : people::ExportFormat::csv};
  auto what = people::parse_registry(args.what);
  const bool to_stdout = args.out.empty() || args.out == "-";
  // A device or pipe (-o /dev/null, a FIFO) is written through, never replaced by a rename.
  std::error_code kind_error;
  const bool to_special =
      !to_stdout && fs::exists(args.out, kind_error) && !fs::is_regular_file(args.out, kind_error);
  if (to_stdout && opts.format == people::ExportFormat::xlsx) {
    throw_bad_input("invalid_format", "XLSX 只能导出到文件", "XLSX needs an output file", "format");
  }
  ::umask(077);  // the export holds personal data in clear: readable by its owner only
  // Written beside the target (or in the temporary folder for standard output) and moved into
  // place only once the audit row has committed.
  const fs::path part =
      to_stdout || to_special
          ? fs::temp_directory_path() / fmt::format("wangge-export-{}.part", ::getpid())
          : fs::path(args.out + ".part");
  int64_t n = 0;
  try {
    n = people::export_registry(*db, vault, what, opts, part);
    json detail = what_moved(what, actor);
    detail.update({{"rows", n},
                   {"org", args.org},
                   {"format", args.format.empty() ? "csv" : args.format},
                   {"file", to_stdout ? "-" : fs::path(args.out).filename().string()}});
    db->transact([&](store::Tx& tx) {
      auth::audit::append(tx, actor, "registry.export",
                          "table:" + detail["table"].get<std::string>(), detail.dump());
    });
  } catch (...) {
    std::error_code ignored;
    fs::remove(part, ignored);
    throw;
  }
  if (to_stdout) {
    copy_to(part, std::cout);
    fs::remove(part);
  } else if (to_special) {
    std::ofstream target(args.out, std::ios::binary);
    copy_to(part, target);
    fs::remove(part);
  } else {
    fs::rename(part, args.out);
  }
  fmt::print(stderr, "导出 {} 条记录\n", n);
  return 0;
}

}  // namespace wangge::cli
