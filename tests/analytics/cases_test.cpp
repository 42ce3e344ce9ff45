// The data-driven report tests (STYLE.md, as DuckDB's sqllogictest): every file of
// tests/analytics/cases/*.case names a shipped form, an org, a level and the expected rows,
// computed by hand from the fixture rows. Each runs four ways that must all agree with it: the
// in-memory index (parallel and on one thread), and the two SQL translations on this backend
// (SQLite or PostgreSQL). A roster form (kind = "roster") runs through the index and SQL.
//
//   form dibao                      # data/forms/dibao.toml
//   org 530621000000
//   level village                   # summary forms
//   as_of 2026-06-30
//   period 2026-01-01 2026-06-30    # optional
//   row 530621101201 households=1 persons=3 …   # every row, in code order, every column
//   total households=1 …            # "-" for a value that cannot be computed
//   row 530621101201001001 姓名=张一 性别=男 联系电话= …   # a roster's row: the record's org
//                                   # code, then every column by its header, as shown
//
// The data: either `fixture shared`, the C++ fixture all such cases share (fixture.h), or the
// case's own rows (node, household, resident, post, party, event lines; case_rows.h), loaded
// into a fresh database of the backend for that case alone. Every shipped form must have a
// case (ReportCaseFiles.EveryShippedFormHasACase).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "analytics/engine.h"
#include "analytics/fields.h"
#include "analytics/index.h"
#include "analytics/roster.h"
#include "case_rows.h"
#include "fixture.h"
#include "forms/forms.h"
#include "testing/testing.h"

namespace wangge::analytics {
namespace {

using Values = std::map<std::string, std::string>;

struct Case {
  std::string file, form;
  ReportRequest req;
  std::vector<std::pair<std::string, Values>> rows;
  Values total;
  bool shared = false;            // `fixture shared`
  std::vector<std::string> data;  // the case's own fixture rows
};

Values values(std::istringstream& in) {
  Values out;
  std::string kv;
  while (in >> kv) {
    auto eq = kv.find('=');
    out[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  return out;
}

Case read_case(const std::filesystem::path& p) {
  Case c;
  c.file = p.filename().string();
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    std::string word;
    s >> word;
    if (word == "form") s >> c.form;
    if (word == "org") s >> c.req.org_code;
    if (word == "level") s >> c.req.level;
    if (word == "fixture") {
      s >> word;
      if (word != "shared") throw std::runtime_error(c.file + ": fixture is `fixture shared`");
      c.shared = true;
    }
    if (testing::is_row_line(word)) c.data.push_back(line);
    if (word == "as_of") {
      s >> word;
      c.req.as_of = parse_date(word);
    }
    if (word == "period") {
      std::string a, b;
      s >> a >> b;
      c.req.from = parse_date(a);
      c.req.to = parse_date(b);
    }
    if (word == "row") {
      std::string code;
      s >> code;
      c.rows.emplace_back(code, values(s));
    }
    if (word == "total") c.total = values(s);
  }
  return c;
}

std::vector<Case> all_cases() {
  std::vector<Case> out;
  auto dir = wangge::testing::source_dir() / "tests/analytics/cases";
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".case") out.push_back(read_case(e.path()));
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.file < b.file; });
  return out;
}

const forms::FormSet& shipped_forms() {
  static const auto forms = forms::FormSet::load(forms::FormSet::shipped_dir(),
                                                 forms::Dictionary::shipped(), field_check());
  return forms;
}

void expect_row(const forms::Report& r, const forms::ReportRow& got, const Values& want,
                const std::string& what) {
  EXPECT_EQ(want.size(), r.columns.size()) << what << ": the case must list every column";
  for (size_t i = 0; i < r.columns.size(); ++i) {
    const auto& col = r.columns[i];
    auto it = want.find(col.code);
    if (it == want.end()) continue;
    const auto& v = got.values[i];
    if (it->second == "-") {
      EXPECT_FALSE(v.has_value()) << what << " " << col.code;
      continue;
    }
    ASSERT_TRUE(v.has_value()) << what << " " << col.code;
    EXPECT_DOUBLE_EQ(forms::rounded(*v, col.decimals), std::stod(it->second))
        << what << " " << col.code;
  }
}

void expect_report(const Case& c, const forms::Report& r, const std::string& engine) {
  std::string what = c.file + " (" + engine + ")";
  ASSERT_EQ(r.rows.size(), c.rows.size()) << what;
  for (size_t i = 0; i < c.rows.size(); ++i) {
    EXPECT_EQ(r.rows[i].org_code, c.rows[i].first) << what;
    expect_row(r, r.rows[i], c.rows[i].second, what + " row " + c.rows[i].first);
  }
  expect_row(r, r.total, c.total, what + " total");
}

void expect_roster(const Case& c, const forms::Roster& r, const std::string& engine) {
  std::string what = c.file + " (" + engine + ")";
  ASSERT_EQ(r.rows.size(), c.rows.size()) << what;
  for (size_t i = 0; i < c.rows.size(); ++i) {
    const auto& [code, want] = c.rows[i];
    std::string at = what + " row " + std::to_string(i + 1);
    EXPECT_EQ(r.rows[i].org_code, code) << at;
    EXPECT_EQ(want.size(), r.headers.size()) << at << ": the case must list every column";
    for (size_t k = 0; k < r.headers.size(); ++k) {
      auto it = want.find(r.headers[k].name);
      if (it == want.end()) {
        ADD_FAILURE() << at << ": no value for " << r.headers[k].name;
        continue;
      }
      EXPECT_EQ(k < r.rows[i].cells.size() ? r.rows[i].cells[k] : "?", it->second)
          << at << " " << r.headers[k].name;
    }
  }
}

void run_case(const Case& c, store::Database& db, const Index& index) {
  const forms::Form* form = shipped_forms().find(c.form);
  ASSERT_NE(form, nullptr) << c.file << ": no form " << c.form;
  auto tx = db.begin(store::TxMode::read);
  if (form->kind == forms::FormKind::roster) {
    RosterRequest req{c.req.org_code, c.req.as_of};
    expect_roster(c, run_roster(index, *form, req), "index");
    expect_roster(c, run_roster_sql(*tx, *form, req), "sql");
    return;
  }
  expect_report(c, run_report(index, *form, c.req), "index");
  auto single = c.req;
  single.threads = 1;
  expect_report(c, run_report(index, *form, single), "index, one thread");
  expect_report(c, run_report_sql(*tx, *form, c.req), "sql");
  expect_report(c, run_report_sql_rollup(*tx, *form, c.req), "sql roll-up");
}

class ReportCases : public ::testing::TestWithParam<std::string> {};

TEST_P(ReportCases, IndexAndSqlAgreeWithTheHandCountedRows) {
  std::unique_ptr<store::Database> shared_db;
  std::unique_ptr<Index> shared_index;
  int n = 0, own = 0;
  for (const Case& c : all_cases()) {
    SCOPED_TRACE(c.file);
    ASSERT_NE(c.shared, !c.data.empty())
        << c.file << ": say `fixture shared` or give the case's own rows, not both";
    if (c.shared) {
      if (!shared_db) {
        shared_db = wangge::testing::fresh_database(GetParam());
        testing::load_fixture(*shared_db);
        shared_index = std::make_unique<Index>(*shared_db);
        shared_index->load();
      }
      run_case(c, *shared_db, *shared_index);
    } else {
      auto db = wangge::testing::fresh_database(GetParam());
      testing::load_case_rows(*db, c.data, c.file);
      Index index(*db);
      index.load();
      run_case(c, *db, index);
      ++own;
    }
    ++n;
  }
  EXPECT_GE(n, 19);
  EXPECT_GE(own, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportCases, ::testing::ValuesIn(wangge::testing::backends()));

// As the route × role matrix does for routes: a shipped form without a case fails, by name.
TEST(ReportCaseFiles, EveryShippedFormHasACase) {
  std::set<std::string> covered;
  for (const Case& c : all_cases()) covered.insert(c.form);
  std::string missing;
  for (const forms::Form* f : shipped_forms().all()) {
    if (!covered.count(f->code)) missing += " " + f->code;
  }
  EXPECT_EQ(missing, "") << "forms of data/forms without a case in tests/analytics/cases:"
                         << missing;
}

}  // namespace
}  // namespace wangge::analytics
