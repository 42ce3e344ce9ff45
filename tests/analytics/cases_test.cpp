// The data-driven report tests (STYLE.md, as DuckDB's sqllogictest): every file of
// tests/analytics/cases/*.case names a shipped form, an org, a level and the expected rows,
// computed by hand from the fixture (fixture.h). Each runs three ways that must all agree with
// it: the in-memory index, and the SQL translation on this backend (SQLite or PostgreSQL).
//
//   form dibao                      # data/forms/dibao.toml
//   org 530621000000
//   level village
//   as_of 2026-06-30
//   period 2026-01-01 2026-06-30    # optional
//   row 530621101201 households=1 persons=3 …   # every row, in code order
//   total households=1 …            # "-" for a value that cannot be computed
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "analytics/engine.h"
#include "analytics/fields.h"
#include "analytics/index.h"
#include "fixture.h"
#include "forms/forms.h"
#include "testing/testing.h"

namespace wangge::analytics {
namespace {

struct Case {
  std::string file, form, org, level;
  ReportRequest req;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> rows;
  std::map<std::string, std::string> total;
};

std::map<std::string, std::string> values(std::istringstream& in) {
  std::map<std::string, std::string> out;
  std::string kv;
  while (in >> kv) {
    auto eq = kv.find('=');
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
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

void expect_row(const forms::Report& r, const forms::ReportRow& got,
                const std::map<std::string, std::string>& want, const std::string& what) {
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

class ReportCases : public ::testing::TestWithParam<std::string> {};

TEST_P(ReportCases, IndexAndSqlAgreeWithTheHandCountedRows) {
  auto db = wangge::testing::fresh_database(GetParam());
  testing::load_fixture(*db);
  Index index(*db);
  index.load();
  const auto& dict = forms::Dictionary::shipped();
  auto forms = forms::FormSet::load(forms::FormSet::shipped_dir(), dict, field_check());
  auto dir = wangge::testing::source_dir() / "tests/analytics/cases";
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".case") continue;
    Case c = read_case(e.path());
    const forms::Form* form = forms.find(c.form);
    ASSERT_NE(form, nullptr) << c.file << ": no form " << c.form;
    expect_report(c, run_report(index, *form, c.req), "index");
    auto single = c.req;
    single.threads = 1;
    expect_report(c, run_report(index, *form, single), "index, one thread");
    auto tx = db->begin(store::TxMode::read);
    expect_report(c, run_report_sql(*tx, *form, c.req), "sql");
    expect_report(c, run_report_sql_rollup(*tx, *form, c.req), "sql roll-up");
    ++n;
  }
  EXPECT_GE(n, 10);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportCases, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::analytics
