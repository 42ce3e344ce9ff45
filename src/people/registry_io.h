// Import and export of the registry (households and residents) as CSV or XLSX, in the column
// layout a county clerk keeps in Excel. Import is all or nothing: every row is validated
// first, every bad row is reported (line, column, reason), and only a clean file is applied,
// in one transaction. Re-importing the same file changes nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/vault.h"
#include "store/database.h"

namespace wangge::people {

enum class Registry { residents, households };
Registry parse_registry(std::string_view what);

// The columns, in export order, with their Chinese headers; the importer also accepts the
// English names and common synonyms (身份证号, 身份证号码, 手机号码 …) in any order.
std::vector<std::string> registry_headers(Registry what);

struct ImportProblem {
  int64_t line = 0;    // 1-based line (CSV) or row (XLSX)
  std::string column;  // the header of the column at fault, empty for the whole row
  std::string reason;  // Chinese
  std::string reason_en;
};

struct ImportResult {
  int64_t rows = 0;  // data rows read
  int64_t inserted = 0, updated = 0, unchanged = 0;
  std::vector<ImportProblem> problems;  // non-empty → nothing was applied
  bool applied() const { return problems.empty(); }
};

struct ImportOptions {
  std::string changed_by = "import";  // recorded in colour history
  // Called after each applied row, inside the transaction (for progress; tests use it to stop
  // the process half-way through).
  std::function<void(int64_t applied, int64_t total)> on_applied;
  size_t max_problems = 1000;  // stop listing after this many (the file is rejected anyway)
  // Called once inside the import's transaction after every row is applied (the audit row
  // goes there, so the import and its record commit together).
  std::function<void(store::Tx& tx, const ImportResult& result)> before_commit;
};

// Reads a .csv (UTF-8 with or without BOM, or GB18030) or .xlsx file (first sheet).
ImportResult import_registry(store::Database& db, const Vault& vault, Registry what,
                             const std::filesystem::path& file, const ImportOptions& opts = {});

enum class ExportFormat { csv, xlsx };
struct ExportOptions {
  std::string org_code;  // only this subtree; empty for everything
  ExportFormat format = ExportFormat::csv;
};

// Writes every record (identity numbers and phones in clear: the caller audits the export).
// Returns the number of records written. CSV goes to `out`; XLSX needs a file.
int64_t export_registry(store::Database& db, const Vault& vault, Registry what,
                        const ExportOptions& opts, std::ostream& out);
int64_t export_registry(store::Database& db, const Vault& vault, Registry what,
                        const ExportOptions& opts, const std::filesystem::path& file);

}  // namespace wangge::people
