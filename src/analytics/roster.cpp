#include "analytics/roster.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analytics/engine.h"
#include "analytics/fields.h"
#include "auth/audit.h"
#include "auth/scope.h"
#include "core/error.h"
#include "org/service.h"

namespace wangge::analytics {
namespace {

// How a column's stored value becomes the text shown.
// A birth date shows as its year and an age as the year's difference (core/codes.h: the
// date beside the masked number is the number; 周岁 printed day by day gives the birthday).
// Which records a roster holds still follows the form's exact 周岁 filter.
enum class Show { text, sex, stored_enum, year, age, yes_no };

struct Source {
  Show show = Show::text;
  std::string sql;
};

std::optional<Source> source_of(Entity e, const forms::Field& f) {
  if (e != Entity::resident) return std::nullopt;
  static const std::pair<const char*, Source> plain[] = {
      {"resident.name", {Show::text, "x.name"}},
      // The stored mask (the region only), never the number.
      {"resident.id_number", {Show::text, "x.id_mask"}},
      {"resident.phone", {Show::text, "x.phone_mask"}},
      {"resident.birth_date", {Show::year, "x.birth_date"}},
      {"resident.age", {Show::age, "x.birth_date"}},
      {"resident.sex", {Show::sex, "x.sex"}},
      {"resident.relation", {Show::stored_enum, "x.relation"}},
      {"resident.status", {Show::stored_enum, "x.status"}},
      {"resident.color", {Show::stored_enum, "x.color"}},
      {"resident.org", {Show::text, "o.name"}},
      {"resident.address", {Show::text, "h.address"}},
  };
  for (const auto& [code, src] : plain) {
    if (f.code == code) return src;
  }
  auto b = bind(e, f);
  if (b && b->kind == Binding::Kind::flags_any) {  // tags: 是 / 否
    forms::Expr leaf;
    leaf.kind = forms::Expr::Kind::truth;
    leaf.field = &f;
    return Source{Show::yes_no, "CASE WHEN " + sql_leaf(e, leaf, 0) + " THEN 1 ELSE 0 END"};
  }
  return std::nullopt;
}

std::string shown(const forms::Field& f, Show show, const store::Row& row, int i, int32_t as_of) {
  if (row.is_null(i)) return {};
  switch (show) {
    case Show::text:
      return row.text(i);
    case Show::sex: {
      const int64_t v = row.i64(i);
      return v >= 1 && static_cast<size_t>(v) <= f.options.size() ? f.options[v - 1] : "";
    }
    case Show::stored_enum: {
      std::string v = row.text(i);
      for (size_t k = 0; k < f.options.size(); ++k) {
        if (stored_option(f, static_cast<int>(k)) == v) return f.options[k];
      }
      return v;
    }
    case Show::year: {
      auto d = try_parse_date(row.text(i));
      return d ? std::to_string(static_cast<int>(d->year())) : "";
    }
    case Show::age: {
      auto d = try_parse_date(row.text(i));
      return d ? std::to_string(as_of / 10000 - static_cast<int>(d->year())) : "";
    }
    case Show::yes_no:
      return row.i64(i) ? "是" : "否";
  }
  return {};
}

forms::Roster head(const forms::Form& form, std::string org_code, std::string org_name,
                   Date as_of) {
  forms::Roster r;
  r.form_code = form.code;
  r.title = form.title;
  r.department = form.department;
  r.org_code = std::move(org_code);
  r.org_name = std::move(org_name);
  r.as_of = format_date(as_of);
  for (const auto& c : form.columns) r.headers.push_back({c.field->code, c.name});
  return r;
}

std::string select_list(Entity e, const forms::Form& form) {
  std::string s = "SELECT x.id, o.code";
  for (const auto& c : form.columns) s += ", " + source_of(e, *c.field)->sql;
  return s +
         " FROM residents x JOIN orgs o ON o.id = x.org_id"
         " JOIN households h ON h.id = x.household_id";
}

void add_rows(const forms::Form& form, Entity e, const std::vector<store::Row>& rows, int32_t as_of,
              forms::Roster& r) {
  for (const auto& row : rows) {
    forms::RosterRow out{row.i64(0), row.text(1), {}};
    for (size_t k = 0; k < form.columns.size(); ++k) {
      const auto& f = *form.columns[k].field;
      out.cells.push_back(shown(f, source_of(e, f)->show, row, static_cast<int>(k) + 2, as_of));
    }
    r.rows.push_back(std::move(out));
  }
}

void sort_rows(forms::Roster& r) {
  std::sort(r.rows.begin(), r.rows.end(), [](const auto& a, const auto& b) {
    return a.org_code != b.org_code ? a.org_code < b.org_code : a.id < b.id;
  });
}

Entity entity_of(const forms::Form& form) {
  if (form.kind != forms::FormKind::roster) {
    throw_bad_input("not_a_roster", "报表 " + form.code + " 不是名册",
                    "form " + form.code + " is not a roster", "form");
  }
  return *parse_entity(form.entity);
}

}  // namespace

std::optional<std::string> roster_column_sql(Entity e, const forms::Field& f) {
  auto s = source_of(e, f);
  if (!s) return std::nullopt;
  return s->sql;
}

forms::Roster run_roster(const Index& index, const forms::Form& form, const RosterRequest& req) {
  const Entity e = entity_of(form);
  const int32_t as_of = to_ymd(req.as_of);
  std::vector<int64_t> ids;
  forms::Roster r;
  {
    auto data = index.read();
    auto at = data->tree.find(req.org_code);
    if (!at) throw_not_found("组织机构不存在：" + req.org_code, "no such org: " + req.org_code);
    r = head(form, data->tree.code[*at], data->tree.name[*at], req.as_of);
    ids = select_ids(*data, e, form.filter ? &*form.filter : nullptr, *at, as_of);
  }
  // The columns by id, 500 at a time (well under either database's parameter limit).
  auto tx = index.database().begin(store::TxMode::read);
  const std::string sql = select_list(e, form) + " WHERE x.id IN (";
  for (size_t i = 0; i < ids.size(); i += 500) {
    const size_t n = std::min<size_t>(500, ids.size() - i);
    std::string marks;
    store::Params params;
    for (size_t k = 0; k < n; ++k) {
      marks += k ? ", ?" : "?";
      params.emplace_back(ids[i + k]);
    }
    add_rows(form, e, tx->query(sql + marks + ")", params), as_of, r);
  }
  sort_rows(r);
  return r;
}

forms::Roster run_roster_sql(store::Tx& tx, const forms::Form& form, const RosterRequest& req) {
  const Entity e = entity_of(form);
  const int32_t as_of = to_ymd(req.as_of);
  auto chosen = org::find_org(tx, req.org_code);
  if (!chosen) throw_not_found("组织机构不存在：" + req.org_code, "no such org: " + req.org_code);
  forms::Roster r = head(form, chosen->code, chosen->name, req.as_of);
  auto scope = auth::scope_sql(auth::scope_of(chosen->code), "o.code");
  std::string sql = select_list(e, form) + " WHERE " + scope.where;
  if (form.filter) sql += " AND " + sql_filter(e, *form.filter, as_of);
  add_rows(form, e, tx.query(sql + " ORDER BY o.code, x.id", scope.params), as_of, r);
  sort_rows(r);
  return r;
}

bool audit_roster_export(store::Tx& tx, const forms::Form& form, const forms::Roster& r,
                         std::string_view actor, std::string_view format, Instant at) {
  if (!forms::shows_personal_data(form)) return false;
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& h : r.headers) fields.push_back(h.code);
  nlohmann::json detail{{"org", r.org_code},
                        {"rows", r.rows.size()},
                        {"format", std::string(format)},
                        {"fields", fields}};
  auth::audit::append(tx, actor, "roster.export", "form:" + form.code, detail.dump(), at);
  return true;
}

}  // namespace wangge::analytics
