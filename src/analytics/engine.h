// The generic indicator engine: a form (forms/forms.h) computed for the org nodes of one level
// under a chosen org. Over the index it is one parallel scan of the org's record range per
// entity — counts and sums land on each record's own org node and are then rolled up the tree
// — never a query per node. The same form also compiles to plain SQL (GROUP BY the row's code
// prefix) that runs on SQLite and PostgreSQL: the tests hold the two against each other and
// the benchmark times them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analytics/index.h"
#include "core/time.h"
#include "forms/forms.h"
#include "forms/report.h"

namespace wangge::analytics {

struct ReportRequest {
  std::string org_code;  // the chosen org (rows lie in its subtree)
  // Row level: an org kind ("county" … "building"), "child" (one below the org), "all"
  // (every node from the org down to grids) or empty (the form's level, else "child").
  std::string level;
  Date as_of;  // the day ages are counted on
  // The report period (inclusive) for indicators with a period field; none: no restriction.
  std::optional<Date> from, to;
  int threads = 0;  // 0: one per core
  // When set, the SQL engine appends every statement it runs, parameters inlined (bench).
  std::vector<std::string>* sql_log = nullptr;
};

// Throws Error(not_found) for an org not in the index, Error(bad_input, field "level") for a
// level that is not below (or at) the org.
forms::Report run_report(const Index& index, const forms::Form& form, const ReportRequest& req);
// The same through SQL on the database. REQUIRES: the form was validated with field_check().
// run_report_sql is the literal translation (a CASE per indicator and an EXISTS per tag test,
// one GROUP BY per row level over the records); run_report_sql_rollup is the tuned one a
// database engineer would write (tags pivoted once, records aggregated per org node, then
// rolled up to every level in the same statement).
forms::Report run_report_sql(store::Tx& tx, const forms::Form& form, const ReportRequest& req);
// The statement with its text parameters written in, as ReportRequest::sql_log keeps them.
std::string inline_params(const std::string& sql, const store::Params& params);
forms::Report run_report_sql_rollup(store::Tx& tx, const forms::Form& form,
                                    const ReportRequest& req);

// The ids of the records of entity e in the subtree of the org at preorder position p that
// pass filter (null: every record), in slot order. REQUIRES: data is held through a reader;
// the filter was validated with field_check().
std::vector<int64_t> select_ids(const Data& data, Entity e, const forms::Expr* filter, uint32_t p,
                                int32_t as_of_ymd);

// 2026-03-01 → 20260301.
int32_t to_ymd(Date d);

}  // namespace wangge::analytics
