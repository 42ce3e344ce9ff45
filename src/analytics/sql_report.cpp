// The SQL engine: the same form as plain SQL, one GROUP BY query per entity and row level
// (records grouped by their org code's prefix at the row level) plus one for the total.
// It exists to check the index (tests) and to measure it against the databases (bench).
#include <map>

#include "analytics/engine.h"
#include "analytics/fields.h"
#include "analytics/levels.h"
#include "auth/scope.h"
#include "core/error.h"
#include "org/service.h"

namespace wangge::analytics {
namespace {

using forms::Expr;

std::string filter_sql(Entity e, const Expr& x, int32_t as_of) {
  switch (x.kind) {
    case Expr::Kind::all:
    case Expr::Kind::any: {
      if (x.children.empty()) return x.kind == Expr::Kind::all ? "(1 = 1)" : "(1 = 0)";
      std::string s = "(";
      for (size_t i = 0; i < x.children.size(); ++i) {
        s += (i ? (x.kind == Expr::Kind::all ? " AND " : " OR ") : "") +
             filter_sql(e, x.children[i], as_of);
      }
      return s + ")";
    }
    case Expr::Kind::negate:
      return "(NOT " + filter_sql(e, x.children.at(0), as_of) + ")";
    default:
      return sql_leaf(e, x, as_of);
  }
}

// Digits of a code that name the node at this level ("530621" + "000000" for a county).
std::string key_sql(org::OrgKind k) {
  switch (k) {
    case org::OrgKind::city:
      return "substr(o.code, 1, 4) || '00000000'";
    case org::OrgKind::county:
      return "substr(o.code, 1, 6) || '000000'";
    case org::OrgKind::township:
      return "substr(o.code, 1, 9) || '000'";
    case org::OrgKind::village:
      return "substr(o.code, 1, 12)";
    case org::OrgKind::grid:
      return "substr(o.code, 1, 15)";
    case org::OrgKind::micro_grid:
      return "substr(o.code, 1, 18)";
    default:
      return "substr(o.code, 1, 21)";
  }
}

struct SqlColumn {
  size_t index;
  std::string cond;   // the indicator's condition
  std::string value;  // sum / avg: the value expression
};

// SELECT key, then count (or sum, count) per column … GROUP BY key; key "" for the total.
std::map<std::string, std::vector<double>> run_group(store::Tx& tx, Entity e,
                                                     const std::vector<SqlColumn>& cols,
                                                     const std::string& key,
                                                     const auth::SqlFilter& scope,
                                                     std::vector<std::string>* log) {
  std::string sql = "SELECT " + (key.empty() ? std::string("''") : key);
  for (const auto& c : cols) {
    if (c.value.empty()) {
      sql += ", SUM(CASE WHEN " + c.cond + " THEN 1 ELSE 0 END)";
    } else {
      sql += ", SUM(CASE WHEN " + c.cond + " AND " + c.value + " IS NOT NULL THEN " + c.value +
             " END), SUM(CASE WHEN " + c.cond + " AND " + c.value +
             " IS NOT NULL THEN 1 ELSE 0 END)";
    }
  }
  sql += " " + sql_from(e) + " WHERE " + scope.where;
  if (!key.empty()) sql += " GROUP BY " + key;
  if (log) log->push_back(inline_params(sql, scope.params));
  std::map<std::string, std::vector<double>> out;
  for (const auto& r : tx.query(sql, scope.params)) {
    std::vector<double> v;
    for (size_t i = 1; i < r.size(); ++i) v.push_back(r.is_null(i) ? 0 : r.f64(i));
    out[r.text(0)] = std::move(v);
  }
  return out;
}

// Fills row values from one group's numbers.
void put_values(const forms::Form& form, const std::vector<SqlColumn>& cols,
                const std::vector<double>* nums, forms::ReportRow& row) {
  size_t at = 0;
  for (const auto& c : cols) {
    const auto& ind = form.indicators[c.index];
    double a = nums ? (*nums)[at] : 0;
    double b = nums && !c.value.empty() ? (*nums)[at + 1] : 0;
    at += c.value.empty() ? 1 : 2;
    if (ind.aggregate == forms::Aggregate::count) row.values[c.index] = a;
    if (ind.aggregate == forms::Aggregate::sum) row.values[c.index] = a;
    if (ind.aggregate == forms::Aggregate::avg) {
      row.values[c.index] = b > 0 ? std::optional<double>(a / b) : std::nullopt;
    }
  }
}

}  // namespace

forms::Report run_report_sql(store::Tx& tx, const forms::Form& form, const ReportRequest& req) {
  auto chosen = org::find_org(tx, req.org_code);
  if (!chosen) throw_not_found("组织机构不存在：" + req.org_code, "no such org: " + req.org_code);
  auto kinds = row_kinds(chosen->kind, req.level, form);
  const int32_t as_of = to_ymd(req.as_of);
  auto scope = auth::scope_sql(auth::scope_of(chosen->code), "o.code");

  std::map<Entity, std::vector<SqlColumn>> by_entity;
  for (size_t i = 0; i < form.indicators.size(); ++i) {
    const auto& ind = form.indicators[i];
    if (ind.entity.empty()) continue;
    Entity e = *parse_entity(ind.entity);
    SqlColumn c{i, ind.filter ? filter_sql(e, *ind.filter, as_of) : "(1 = 1)", ""};
    if (ind.period && req.from && req.to) {
      c.cond = "(" + c.cond + " AND " +
               sql_period(e, *ind.period, to_ymd(*req.from), to_ymd(*req.to)) + ")";
    }
    if (ind.field) c.value = sql_value(e, *ind.field, as_of);
    by_entity[e].push_back(std::move(c));
  }

  forms::Report r = report_head(form, req, chosen->code, chosen->name, chosen->kind);
  auto blank = [&](std::string code, std::string name) {
    return forms::ReportRow{std::move(code), std::move(name),
                            std::vector<std::optional<double>>(form.indicators.size())};
  };
  for (org::OrgKind k : kinds) {
    std::vector<forms::ReportRow> rows;
    auto row_params = scope.params;
    row_params.emplace_back(std::string(org::to_string(k)));
    for (const auto& o : tx.query("SELECT code, name FROM orgs o WHERE " + scope.where +
                                      " AND o.kind = ? ORDER BY o.code",
                                  row_params)) {
      rows.push_back(blank(o.text(0), o.text(1)));
    }
    for (const auto& [e, cols] : by_entity) {
      auto groups = run_group(tx, e, cols, key_sql(k), scope, req.sql_log);
      for (auto& row : rows) {
        auto it = groups.find(row.org_code);
        put_values(form, cols, it == groups.end() ? nullptr : &it->second, row);
      }
    }
    for (auto& row : rows) {
      forms::derive(form, row);
      r.rows.push_back(std::move(row));
    }
  }
  std::stable_sort(r.rows.begin(), r.rows.end(),
                   [](const auto& a, const auto& b) { return a.org_code < b.org_code; });
  r.total = blank(chosen->code, chosen->name);
  for (const auto& [e, cols] : by_entity) {
    auto groups = run_group(tx, e, cols, "", scope, req.sql_log);
    put_values(form, cols, groups.empty() ? nullptr : &groups.begin()->second, r.total);
  }
  forms::derive(form, r.total);
  return r;
}

std::string sql_filter(Entity e, const forms::Expr& x, int32_t as_of_ymd) {
  return filter_sql(e, x, as_of_ymd);
}

std::string inline_params(const std::string& sql, const store::Params& params) {
  std::string out;
  size_t p = 0;
  for (char c : sql) {
    if (c == '?' && p < params.size()) {
      out += "'" + params[p++].as_text() + "'";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace wangge::analytics
