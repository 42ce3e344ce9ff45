// Times one form computed for every org node at every level (city → grids, about 32,000 rows at
// scale 1) through the analytics index, and the same form as SQL on the database(s); prints
// times, ratios and the index's memory. Run by bench/reports.sh; prints figures, asserts nothing
// about speed. Exits 1 if the index and the SQL disagree on any row.
//
//   reports_bench --db demo.db [--pg postgresql://…] [--form dibao] [--repeat 20]
//                 [--emit-sql FILE]   # the SQL statements, for the DuckDB run
//                 [--sql no]          # the index only
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "analytics/engine.h"
#include "analytics/fields.h"
#include "analytics/index.h"
#include "core/error.h"
#include "store/database.h"
#include "tables/forms.h"

using namespace wangge;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

// Rows equal to the shown precision.
bool same(const tables::Report& a, const tables::Report& b) {
  if (a.rows.size() != b.rows.size()) return false;
  for (size_t i = 0; i < a.rows.size(); ++i) {
    if (a.rows[i].org_code != b.rows[i].org_code) return false;
    for (size_t c = 0; c < a.columns.size(); ++c) {
      const auto &x = a.rows[i].values[c], &y = b.rows[i].values[c];
      if (x.has_value() != y.has_value()) return false;
      if (x && tables::rounded(*x, a.columns[c].decimals) !=
                   tables::rounded(*y, a.columns[c].decimals)) {
        std::fprintf(stderr, "differ: %s %s %g %g\n", a.rows[i].org_code.c_str(),
                     a.columns[c].code.c_str(), *x, *y);
        return false;
      }
    }
  }
  return true;
}

double time_sql(store::Database& db, const tables::Form& form, const analytics::ReportRequest& req,
                const tables::Report& expected, const char* name, bool& agree) {
  auto tx = db.begin(store::TxMode::read);
  auto t = Clock::now();
  tables::Report r = analytics::run_report_sql(*tx, form, req);
  double ms = ms_since(t);
  bool ok = same(expected, r);
  agree = agree && ok;
  std::printf("%-28s %10.1f ms   rows %zu   agrees with the index: %s\n", name, ms, r.rows.size(),
              ok ? "yes" : "NO");
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string url = arg(argc, argv, "--db", "");
    const std::string pg = arg(argc, argv, "--pg", "");
    const std::string code = arg(argc, argv, "--form", "dibao");
    const int repeat = std::stoi(arg(argc, argv, "--repeat", "20"));
    const std::string emit = arg(argc, argv, "--emit-sql", "");
    if (url.empty()) {
      std::fprintf(stderr,
                   "usage: reports_bench --db FILE [--pg URL] [--form CODE] [--repeat N]\n");
      return 2;
    }
    auto db = store::Database::open(url);
    const auto& dict = tables::Dictionary::shipped();
    auto forms =
        tables::FormSet::load(tables::FormSet::shipped_dir(), dict, analytics::field_check());
    const tables::Form* form = forms.find(code);
    if (!form) throw std::runtime_error("no form " + code);

    analytics::Index index(*db);
    auto t = Clock::now();
    index.load();
    double load_ms = ms_since(t);
    analytics::ReportRequest req;
    req.org_code = index.read()->tree.code.at(0);
    req.level = "all";
    req.as_of = parse_date("2026-06-30");
    const size_t residents = index.read()->table(analytics::Entity::resident).size();

    tables::Report r = analytics::run_report(index, *form, req);  // warm up
    double best = 1e18, total = 0;
    for (int i = 0; i < repeat; ++i) {
      t = Clock::now();
      r = analytics::run_report(index, *form, req);
      double ms = ms_since(t);
      best = std::min(best, ms);
      total += ms;
    }
    auto single = req;
    single.threads = 1;
    t = Clock::now();
    analytics::run_report(index, *form, single);
    double one_thread = ms_since(t);
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);

    std::printf(
        "form %s (%s): %zu indicators, %zu rows (every org node from the city down to grids)\n",
        form->code.c_str(), form->title.c_str(), form->indicators.size(), r.rows.size());
    std::printf(
        "index: %zu residents, loaded in %.0f ms, %.1f MiB of columns, process peak RSS %.1f MiB\n",
        residents, load_ms, static_cast<double>(index.memory_bytes()) / (1 << 20),
        static_cast<double>(ru.ru_maxrss) / 1024);
    std::printf("%-28s %10.2f ms   (best of %d; mean %.2f ms; one thread %.2f ms)\n",
                "index (generic engine)", best, repeat, total / repeat, one_thread);
    if (std::string(arg(argc, argv, "--sql", "yes")) == "no") return 0;
    bool agree = true;
    std::vector<std::string> log;
    req.sql_log = &log;
    double sqlite_ms = time_sql(
        *db, *form, req, r,
        db->dialect() == store::Dialect::sqlite ? "SQL on SQLite" : "SQL on PostgreSQL", agree);
    req.sql_log = nullptr;
    std::printf("ratio SQL/index: %.0f\n", sqlite_ms / best);
    if (!pg.empty()) {
      auto pdb = store::Database::open(pg);
      double pg_ms = time_sql(*pdb, *form, req, r, "SQL on PostgreSQL", agree);
      std::printf("ratio PostgreSQL/index: %.0f\n", pg_ms / best);
    }
    if (!emit.empty()) {
      std::ofstream out(emit);
      for (const auto& s : log) out << s << ";\n";
    }
    std::printf("INDEX_MS=%.3f\n", best);
    return agree ? 0 : 1;
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.message(Lang::en).c_str());
    return 1;
  }
}
