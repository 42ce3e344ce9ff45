// Times one form computed for every org node at every level (city → grids, about 32,000 rows at
// scale 1) through the analytics index, and the same form as SQL on the database(s); prints
// times, ratios and the index's memory. Run by bench/reports.sh; prints figures, asserts nothing
// about speed. Exits 1 if the index and the SQL disagree on any row.
//
//   reports_bench --db demo.db [--pg postgresql://…] [--form dibao] [--repeat 20]
//                 [--emit-sql FILE]   # the tuned roll-up SQL statements, for the DuckDB run
//                 [--literal yes] [--emit-literal FILE]   # also the literal EXISTS SQL
//                 [--sql no]          # the index only
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "analytics/engine.h"
#include "analytics/fields.h"
#include "analytics/index.h"
#include "core/error.h"
#include "forms/forms.h"
#include "store/database.h"

using namespace wangge;
using Clock = std::chrono::steady_clock;

namespace {

// User + system CPU time of the whole process so far, in ms (all threads).
double cpu_ms() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

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
bool same(const forms::Report& a, const forms::Report& b) {
  if (a.rows.size() != b.rows.size()) return false;
  for (size_t i = 0; i < a.rows.size(); ++i) {
    if (a.rows[i].org_code != b.rows[i].org_code) return false;
    for (size_t c = 0; c < a.columns.size(); ++c) {
      const auto &x = a.rows[i].values[c], &y = b.rows[i].values[c];
      if (x.has_value() != y.has_value()) return false;
      if (x &&
          forms::rounded(*x, a.columns[c].decimals) != forms::rounded(*y, a.columns[c].decimals)) {
        std::fprintf(stderr, "differ: %s %s %g %g\n", a.rows[i].org_code.c_str(),
                     a.columns[c].code.c_str(), *x, *y);
        return false;
      }
    }
  }
  return true;
}

using SqlEngine = forms::Report (*)(store::Tx&, const forms::Form&,
                                    const analytics::ReportRequest&);

double time_sql(store::Database& db, SqlEngine engine, const forms::Form& form,
                const analytics::ReportRequest& req, const forms::Report& expected,
                const std::string& name, bool& agree) {
  auto tx = db.begin(store::TxMode::read);
  // PostgreSQL's default 4 MB per hash table spills the roll-up's aggregates and joins to disk
  // (about 1.6x slower at scale 1); a DBA would raise it for a reporting session.
  if (db.dialect() == store::Dialect::postgres) tx->exec("SET LOCAL work_mem = '256MB'");
  auto t = Clock::now();
  forms::Report r = engine(*tx, form, req);
  double ms = ms_since(t);
  bool ok = same(expected, r);
  agree = agree && ok;
  std::printf("%-36s %10.1f ms   rows %zu   agrees with the index: %s\n", name.c_str(), ms,
              r.rows.size(), ok ? "yes" : "NO");
  return ms;
}

void write_lines(const std::string& file, const std::vector<std::string>& lines) {
  if (file.empty()) return;
  std::ofstream out(file);
  for (const auto& s : lines) out << s << ";\n";
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
    const auto& dict = forms::Dictionary::shipped();
    auto forms =
        forms::FormSet::load(forms::FormSet::shipped_dir(), dict, analytics::field_check());
    const forms::Form* form = forms.find(code);
    if (!form) throw std::runtime_error("no form " + code);

    analytics::Index index(*db);
    auto t = Clock::now();
    index.load();
    double load_ms = ms_since(t);
    analytics::ReportRequest req;
    req.org_code = index.read()->tree.code.at(0);
    req.level = "all";
    req.as_of = parse_date("2026-06-30");
    const size_t residents = index.read()->table(analytics::Entity::resident).records();

    forms::Report r = analytics::run_report(index, *form, req);  // warm up
    double best = 1e18, total = 0;
    const double cpu0 = cpu_ms();
    for (int i = 0; i < repeat; ++i) {
      t = Clock::now();
      forms::Report fresh = analytics::run_report(index, *form, req);
      double ms = ms_since(t);  // the time to make the report, not to free the last one
      best = std::min(best, ms);
      total += ms;
      r = std::move(fresh);
    }
    const double cpu_per_run = (cpu_ms() - cpu0) / repeat;
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
    std::printf(
        "%-28s %10.2f ms   (best of %d; mean %.2f ms; one thread %.2f ms; CPU %.2f ms per run)\n",
        "index (generic engine)", best, repeat, total / repeat, one_thread, cpu_per_run);
    if (std::string(arg(argc, argv, "--sql", "yes")) == "no") return 0;
    // The tuned roll-up SQL on every database given, and (--literal yes) the literal one.
    bool agree = true;
    const bool literal = arg(argc, argv, "--literal", "no") == "yes";
    const std::string sqlite_name =
        db->dialect() == store::Dialect::sqlite ? "SQLite" : "PostgreSQL";
    std::vector<std::string> tuned_log, literal_log;
    req.sql_log = &tuned_log;
    double ms = time_sql(*db, analytics::run_report_sql_rollup, *form, req, r,
                         "SQL roll-up (tuned) on " + sqlite_name, agree);
    std::printf("ratio %s roll-up / index: %.1f\n", sqlite_name.c_str(), ms / best);
    req.sql_log = nullptr;
    std::unique_ptr<store::Database> pdb;
    if (!pg.empty()) {
      pdb = store::Database::open(pg);
      ms = time_sql(*pdb, analytics::run_report_sql_rollup, *form, req, r,
                    "SQL roll-up (tuned) on PostgreSQL", agree);
      std::printf("ratio PostgreSQL roll-up / index: %.1f\n", ms / best);
    }
    if (literal) {
      req.sql_log = &literal_log;
      ms = time_sql(*db, analytics::run_report_sql, *form, req, r,
                    "SQL literal (EXISTS) on " + sqlite_name, agree);
      std::printf("ratio %s literal / index: %.0f\n", sqlite_name.c_str(), ms / best);
      req.sql_log = nullptr;
      if (pdb) {
        ms = time_sql(*pdb, analytics::run_report_sql, *form, req, r,
                      "SQL literal (EXISTS) on PostgreSQL", agree);
        std::printf("ratio PostgreSQL literal / index: %.0f\n", ms / best);
      }
    }
    write_lines(emit, tuned_log);
    write_lines(arg(argc, argv, "--emit-literal", ""), literal_log);
    std::printf("INDEX_MS=%.3f\n", best);
    return agree ? 0 : 1;
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.message(Lang::en).c_str());
    return 1;
  }
}
