// The tuned SQL engine (a fair anchor for the benchmark, checked by the same cases as the
// others): per entity ONE statement that
//   1. turns the tags a form tests into one row per resident (or household) with a 0/1 column
//      per tag (GROUP BY over resident_tags) instead of an EXISTS per record and tag,
//   2. aggregates the records per org node they hang on ("leaf": ~150,000 groups at scale 1),
//   3. rolls those up to every row level at once through a derived ancestor table (each org
//      joined with its ancestor's code at every level, from the code's prefix) and GROUP BY.
// Plain SQL that runs on SQLite, PostgreSQL and DuckDB.
#include <fmt/format.h>

#include <map>

#include "analytics/engine.h"
#include "analytics/entity.h"
#include "analytics/fields.h"
#include "analytics/levels.h"
#include "auth/scope.h"
#include "core/error.h"
#include "org/service.h"
#include "people/people.h"

namespace wangge::analytics {
namespace {

using forms::Expr;

// The tag tests of one statement, each a 0/1 column of the "tg" derived table.
struct TagColumns {
  std::vector<std::string> lists;  // "'dibao', 'tekun'" per column

  std::string column(const std::string& list) {
    for (size_t i = 0; i < lists.size(); ++i) {
      if (lists[i] == list) return "COALESCE(tg.f" + std::to_string(i) + ", 0) = 1";
    }
    lists.push_back(list);
    return "COALESCE(tg.f" + std::to_string(lists.size() - 1) + ", 0) = 1";
  }
};

std::string tag_list(const std::string& code) {
  std::string out;
  for (const auto& t : people::tag_catalogue()) {
    bool hit = code == "resident.key_person" ? t.key_person : code == "resident.tag." + t.code;
    if (hit) out += (out.empty() ? "'" : ", '") + t.code + "'";
  }
  return out;
}

std::string filter(Entity e, const Expr& x, int32_t as_of, TagColumns& tags) {
  switch (x.kind) {
    case Expr::Kind::all:
    case Expr::Kind::any: {
      if (x.children.empty()) return x.kind == Expr::Kind::all ? "(1 = 1)" : "(1 = 0)";
      std::string s = "(";
      for (size_t i = 0; i < x.children.size(); ++i) {
        s += (i ? (x.kind == Expr::Kind::all ? " AND " : " OR ") : "") +
             filter(e, x.children[i], as_of, tags);
      }
      return s + ")";
    }
    case Expr::Kind::negate:
      return "(NOT " + filter(e, x.children.at(0), as_of, tags) + ")";
    case Expr::Kind::truth:
      if ((e == Entity::resident || e == Entity::household) &&
          x.field->code.starts_with("resident.")) {
        return "(" + tags.column(tag_list(x.field->code)) + ")";
      }
      [[fallthrough]];
    default:
      return sql_leaf(e, x, as_of);
  }
}

// "tg": one row per record with a tag of interest, a 0/1 column per tag list.
std::string tag_table(Entity e, const TagColumns& tags) {
  if (tags.lists.empty()) return {};
  std::string cols, all;
  for (size_t i = 0; i < tags.lists.size(); ++i) {
    cols += ", MAX(CASE WHEN t.tag IN (" + tags.lists[i] + ") THEN 1 ELSE 0 END) AS f" +
            std::to_string(i);
    all += (i ? ", " : "") + tags.lists[i];
  }
  if (e == Entity::resident) {
    return "SELECT t.resident_id AS rid" + cols + " FROM resident_tags t WHERE t.tag IN (" + all +
           ") GROUP BY t.resident_id";
  }
  return "SELECT m.household_id AS rid" + cols +
         " FROM residents m JOIN resident_tags t ON t.resident_id = m.id WHERE m.status = "
         "'moved_in' AND t.tag IN (" +
         all + ") GROUP BY m.household_id";
}

std::string org_column(Entity e) {
  if (const EntitySpec* spec = extension(e)) return "x." + spec->org_column;
  switch (e) {
    case Entity::org:
      return "x.id";
    case Entity::event:
      return "x.grid_id";
    default:
      return "x.org_id";
  }
}

std::string table_of(Entity e) {
  if (const EntitySpec* spec = extension(e)) return spec->table;
  switch (e) {
    case Entity::resident:
      return "residents";
    case Entity::household:
      return "households";
    case Entity::org:
      return "orgs";
    case Entity::post:
      return "posts";
    case Entity::party_org:
      return "party_orgs";
    case Entity::event:
      return "events";
  }
  return {};
}

// Digits of a code that name its ancestor at this level (as sql_report.cpp's key_sql).
std::string prefix_key(org::OrgKind k) {
  static const std::map<org::OrgKind, std::string> keys{
      {org::OrgKind::city, "substr(o.code, 1, 4) || '00000000'"},
      {org::OrgKind::county, "substr(o.code, 1, 6) || '000000'"},
      {org::OrgKind::township, "substr(o.code, 1, 9) || '000'"},
      {org::OrgKind::village, "substr(o.code, 1, 12)"},
      {org::OrgKind::grid, "substr(o.code, 1, 15)"},
      {org::OrgKind::micro_grid, "substr(o.code, 1, 18)"}};
  auto it = keys.find(k);
  return it == keys.end() ? "substr(o.code, 1, 21)" : it->second;
}

struct SqlColumn {
  size_t index;
  std::string cond, value;
};

}  // namespace

forms::Report run_report_sql_rollup(store::Tx& tx, const forms::Form& form,
                                    const ReportRequest& req) {
  auto chosen = org::find_org(tx, req.org_code);
  if (!chosen) throw_not_found("组织机构不存在：" + req.org_code, "no such org: " + req.org_code);
  auto kinds = row_kinds(chosen->kind, req.level, form);
  const int32_t as_of = to_ymd(req.as_of);
  auto scope = auth::scope_sql(auth::scope_of(chosen->code), "o.code");

  std::map<Entity, std::vector<SqlColumn>> by_entity;
  std::map<Entity, TagColumns> tags;
  for (size_t i = 0; i < form.indicators.size(); ++i) {
    const auto& ind = form.indicators[i];
    if (ind.entity.empty()) continue;
    Entity e = *parse_entity(ind.entity);
    SqlColumn c{i, ind.filter ? filter(e, *ind.filter, as_of, tags[e]) : "(1 = 1)", ""};
    if (ind.period && req.from && req.to) {
      c.cond = "(" + c.cond + " AND " +
               sql_period(e, *ind.period, to_ymd(*req.from), to_ymd(*req.to)) + ")";
    }
    if (ind.field) c.value = sql_value(e, *ind.field, as_of);
    by_entity[e].push_back(std::move(c));
  }

  // The ancestor table: (org id, level, the ancestor's code at that level) for the levels asked.
  std::string up;
  store::Params params;
  for (org::OrgKind k : kinds) {
    up += std::string(up.empty() ? "" : " UNION ALL ") + "SELECT o.id AS org_id, '" +
          std::string(org::to_string(k)) + "' AS lvl, " + prefix_key(k) +
          " AS code FROM orgs o WHERE " + scope.where;
    params.insert(params.end(), scope.params.begin(), scope.params.end());
  }
  up += " UNION ALL SELECT o.id AS org_id, 'total' AS lvl, '' AS code FROM orgs o WHERE " +
        scope.where;
  params.insert(params.end(), scope.params.begin(), scope.params.end());

  // (level, code) → the values of every column, per entity.
  std::vector<std::map<std::pair<std::string, std::string>, std::vector<double>>> got(
      entity_count());
  for (const auto& [e, cols] : by_entity) {
    std::string leaf = "SELECT " + org_column(e) + " AS org_id";
    std::string outer = "SELECT up.lvl, up.code";
    for (size_t i = 0; i < cols.size(); ++i) {
      const auto& c = cols[i];
      const std::string n = std::to_string(i);
      if (c.value.empty()) {
        leaf += ", SUM(CASE WHEN " + c.cond + " THEN 1 ELSE 0 END) AS c" + n;
        outer += ", SUM(leaf.c" + n + ")";
      } else {
        leaf += fmt::format(
            ", SUM(CASE WHEN {0} AND {1} IS NOT NULL THEN {1} END) AS s{2}, "
            "SUM(CASE WHEN {0} AND {1} IS NOT NULL THEN 1 ELSE 0 END) AS c{2}",
            c.cond, c.value, n);
        outer += fmt::format(", SUM(leaf.s{0}), SUM(leaf.c{0})", n);
      }
    }
    std::string tg = tag_table(e, tags[e]);
    leaf += fmt::format(" FROM {} x{} GROUP BY {}", table_of(e),
                        tg.empty() ? "" : fmt::format(" LEFT JOIN ({}) tg ON tg.rid = x.id", tg),
                        org_column(e));
    std::string sql = fmt::format(
        "WITH leaf AS ({}), up AS ({}) {} FROM leaf JOIN up ON up.org_id = leaf.org_id GROUP BY "
        "up.lvl, up.code",
        leaf, up, outer);
    if (req.sql_log) req.sql_log->push_back(inline_params(sql, params));
    auto& out = got[static_cast<int>(e)];
    for (const auto& r : tx.query(sql, params)) {
      std::vector<double> v;
      for (size_t i = 2; i < r.size(); ++i) v.push_back(r.is_null(i) ? 0 : r.f64(i));
      out[{r.text(0), r.text(1)}] = std::move(v);
    }
  }

  forms::Report r = report_head(form, req, chosen->code, chosen->name, chosen->kind);
  auto fill = [&](forms::ReportRow& row, const std::string& lvl, const std::string& code) {
    for (const auto& [e, cols] : by_entity) {
      auto& m = got[static_cast<int>(e)];
      auto it = m.find({lvl, code});
      size_t at = 0;
      for (const auto& c : cols) {
        const auto& ind = form.indicators[c.index];
        const bool sum = !c.value.empty();
        double a = it == m.end() ? 0 : it->second[at];
        double b = it == m.end() || !sum ? 0 : it->second[at + 1];
        at += sum ? 2 : 1;
        if (ind.aggregate == forms::Aggregate::count) row.values[c.index] = a;
        if (ind.aggregate == forms::Aggregate::sum) row.values[c.index] = a;
        if (ind.aggregate == forms::Aggregate::avg) {
          row.values[c.index] = b > 0 ? std::optional<double>(a / b) : std::nullopt;
        }
      }
    }
    forms::derive(form, row);
  };
  for (org::OrgKind k : kinds) {
    auto row_params = scope.params;
    row_params.emplace_back(std::string(org::to_string(k)));
    for (const auto& o : tx.query("SELECT code, name FROM orgs o WHERE " + scope.where +
                                      " AND o.kind = ? ORDER BY o.code",
                                  row_params)) {
      forms::ReportRow row{o.text(0), o.text(1),
                           std::vector<std::optional<double>>(form.indicators.size())};
      fill(row, std::string(org::to_string(k)), row.org_code);
      r.rows.push_back(std::move(row));
    }
  }
  std::stable_sort(r.rows.begin(), r.rows.end(),
                   [](const auto& a, const auto& b) { return a.org_code < b.org_code; });
  r.total = forms::ReportRow{chosen->code, chosen->name,
                             std::vector<std::optional<double>>(form.indicators.size())};
  fill(r.total, "total", "");
  return r;
}

}  // namespace wangge::analytics
