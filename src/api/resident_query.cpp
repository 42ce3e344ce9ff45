#include "api/resident_query.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "people/people.h"
#include "people/service.h"

namespace wangge::api {
namespace {

using nlohmann::json;

constexpr const char* kSelect =
    "SELECT r.id, r.name, r.sex, r.birth_date, r.id_mask, r.phone_mask, r.relation, r.status, "
    "r.color, r.household_id, h.household_no, o.code, o.name FROM residents r "
    "JOIN households h ON h.id = r.household_id JOIN orgs o ON o.id = r.org_id";

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(); }

json resident_json(const store::Row& r, Date today) {
  json out = {{"id", r.i64(0)},
              {"name", r.text(1)},
              {"sex", r.i64(2) == 2 ? "female" : "male"},
              {"sex_label", r.i64(2) == 2 ? "女" : "男"},
              {"birth_date", r.text(3)},
              {"id_number", r.text(4)},
              {"phone", opt(r.opt_text(5))},
              {"relation", r.text(6)},
              {"status", r.text(7)},
              {"color", opt(r.opt_text(8))},
              {"household_id", r.i64(9)},
              {"household_no", r.text(10)},
              {"org_code", r.text(11)},
              {"org_name", r.text(12)}};
  if (auto birth = try_parse_date(r.text(3))) out["age"] = age_on(*birth, today);
  out["relation_label"] = people::label(people::parse_relation(r.text(6)));
  out["status_label"] = people::label(people::parse_status(r.text(7)));
  if (auto c = r.opt_text(8)) out["color_label"] = people::label(people::parse_color(*c));
  return out;
}

// Adds "tags" to every item, from one query for the whole page.
void attach_tags(store::Tx& tx, json& items, const View& view) {
  if (items.empty()) return;
  std::string sql = "SELECT resident_id, tag FROM resident_tags WHERE resident_id IN (";
  store::Params params;
  for (size_t i = 0; i < items.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.emplace_back(items[i]["id"].get<int64_t>());
  }
  sql += ") ORDER BY resident_id, tag";
  std::map<int64_t, json> tags;
  tx.each(sql, params, [&](const store::Row& row) {
    const people::Tag* t = people::find_tag(row.text(1));
    if (!t || (t->sensitive && !view.show_sensitive)) return;
    tags[row.i64(0)].push_back({{"code", t->code},
                                {"name", t->name},
                                {"category", t->category},
                                {"key_person", t->key_person}});
  });
  for (auto& item : items) {
    auto it = tags.find(item["id"].get<int64_t>());
    item["tags"] = it == tags.end() ? json::array() : it->second;
  }
}

json history_json(store::Tx& tx, people::Subject subject, int64_t id) {
  json out = json::array();
  for (const auto& c : people::color_history(tx, subject, id)) {
    out.push_back({{"from", c.from ? json(people::to_string(*c.from)) : json()},
                   {"to", people::to_string(c.to)},
                   {"reason", c.reason},
                   {"changed_by", c.changed_by},
                   {"at", format_instant(c.at)}});
  }
  return out;
}

// The latest birth date of someone who is at least `years` old on `today` (29 February
// birthdays count from 1 March in common years, as age_on does).
std::string born_by(Date today, int years) {
  using namespace std::chrono;
  year y = today.year() - std::chrono::years(years);
  Date d{y, today.month(), today.day()};
  if (!d.ok()) d = y / today.month() / last;
  return format_date(d);
}

// Escapes LIKE's wildcards with '\'.
std::string like_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool ascii_letters(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalpha(c) != 0; });
}

struct Where {
  std::string sql;
  store::Params params;
  void add(const std::string& clause, store::Params p = {}) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += clause;
    for (auto& v : p) params.push_back(std::move(v));
  }
};

Where filter_sql(const auth::Scope& scope, const ResidentFilter& f, Date today) {
  Where w;
  auto s = auth::scope_sql(scope, "o.code");
  w.add(s.where, s.params);
  if (f.org_code) {
    auto o = auth::scope_sql(auth::scope_of(*f.org_code), "o.code");
    w.add(o.where, o.params);
  }
  for (const auto& tag : f.tags) {
    w.add("EXISTS (SELECT 1 FROM resident_tags t WHERE t.resident_id = r.id AND t.tag = ?)", {tag});
  }
  if (f.color) w.add("r.color = ?", {*f.color});
  if (f.status) w.add("r.status = ?", {*f.status});
  if (f.age_min) w.add("r.birth_date <= ?", {born_by(today, *f.age_min)});
  if (f.age_max) w.add("r.birth_date > ?", {born_by(today, *f.age_max + 1)});
  if (ascii_letters(f.q)) {
    std::string q = f.q;
    std::transform(q.begin(), q.end(), q.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    w.add("(r.name_pinyin LIKE ? OR r.name_initials LIKE ?)", {q + "%", q + "%"});
  } else if (!f.q.empty()) {
    w.add("r.name LIKE ? ESCAPE '\\'", {"%" + like_escape(f.q) + "%"});
  }
  return w;
}

}  // namespace

json list_residents(store::Tx& tx, const auth::Scope& scope, const ResidentFilter& f,
                    const View& view) {
  Where w = filter_sql(scope, f, view.today);
  int64_t total = tx.query_int(
      "SELECT COUNT(*) FROM residents r JOIN orgs o ON o.id = r.org_id" + w.sql, w.params);
  store::Params params = w.params;
  params.emplace_back(f.size);
  params.emplace_back((f.page - 1) * f.size);
  json items = json::array();
  tx.each(std::string(kSelect) + w.sql + " ORDER BY r.id LIMIT ? OFFSET ?", params,
          [&](const store::Row& row) { items.push_back(resident_json(row, view.today)); });
  attach_tags(tx, items, view);
  return {{"items", items}, {"total", total}, {"page", f.page}, {"size", f.size}};
}

std::optional<json> resident_detail(store::Tx& tx, const auth::Scope& scope, int64_t id,
                                    const View& view) {
  auto s = auth::scope_sql(scope, "o.code");
  store::Params params{id};
  params.insert(params.end(), s.params.begin(), s.params.end());
  auto row = tx.query_one(std::string(kSelect) + " WHERE r.id = ? AND " + s.where, params);
  if (!row) return std::nullopt;
  json items = json::array({resident_json(*row, view.today)});
  attach_tags(tx, items, view);
  json out = items[0];
  out["color_history"] = history_json(tx, people::Subject::resident, id);
  return out;
}

std::optional<json> household_detail(store::Tx& tx, const std::optional<auth::Scope>& scope,
                                     int64_t id, const View& view) {
  Where w;
  w.add("h.id = ?", {id});
  if (scope) {
    auto s = auth::scope_sql(*scope, "o.code");
    w.add(s.where, s.params);
  }
  auto row = tx.query_one(
      "SELECT h.id, h.household_no, h.address, h.color, o.code, o.name, b.code "
      "FROM households h JOIN orgs o ON o.id = h.org_id LEFT JOIN orgs b ON b.id = h.building_id" +
          w.sql,
      w.params);
  if (!row) return std::nullopt;
  json members = json::array();
  tx.each(std::string(kSelect) + " WHERE r.household_id = ? ORDER BY r.id", {id},
          [&](const store::Row& r) { members.push_back(resident_json(r, view.today)); });
  attach_tags(tx, members, view);
  std::string color = row->text(3);
  return json{{"id", row->i64(0)},
              {"household_no", row->text(1)},
              {"address", row->text(2)},
              {"color", color},
              {"color_label", people::label(people::parse_color(color))},
              {"org_code", row->text(4)},
              {"org_name", row->text(5)},
              {"building_code", opt(row->opt_text(6))},
              {"members", members},
              {"color_history", history_json(tx, people::Subject::household, id)}};
}

std::optional<std::string> resident_org(store::Tx& tx, const auth::Scope& scope, int64_t id) {
  auto s = auth::scope_sql(scope, "o.code");
  store::Params params{id};
  params.insert(params.end(), s.params.begin(), s.params.end());
  auto row = tx.query_one(
      "SELECT o.code FROM residents r JOIN orgs o ON o.id = r.org_id WHERE r.id = ? AND " + s.where,
      params);
  if (!row) return std::nullopt;
  return row->text(0);
}

}  // namespace wangge::api
