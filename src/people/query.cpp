#include "people/query.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/error.h"

namespace wangge::people {
namespace {

constexpr std::string_view kSelect =
    "SELECT r.id, r.name, r.sex, r.birth_date, r.id_enc, r.phone_mask, r.relation, r.status, "
    "r.color, r.household_id, h.household_no, o.code, o.name, h.color FROM orgs o "
    "JOIN residents r ON r.org_id = o.id JOIN households h ON h.id = r.household_id";

// When a tag or a pinyin prefix matches at most this many residents in the whole registry,
// the list starts from them instead of walking the subtree.
constexpr int64_t kSparse = 2000;

// The birth year of a stored "YYYY-MM-DD" date (0 when malformed).
int year_of(const std::string& birth_date) {
  int y = 0;
  for (size_t i = 0; i < 4 && i < birth_date.size(); ++i) {
    if (birth_date[i] < '0' || birth_date[i] > '9') return 0;
    y = y * 10 + (birth_date[i] - '0');
  }
  return y;
}

ResidentView resident_of(const Vault& vault, const store::Row& r) {
  ResidentView v;
  v.id = r.i64(0);
  v.name = r.text(1);
  v.sex = static_cast<int>(r.i64(2));
  v.birth_year = year_of(r.text(3));  // the date itself never leaves this function
  v.id_mask = citizen_id::mask(vault.decrypt(r.blob(4)));
  v.phone_mask = r.opt_text(5);
  v.relation = r.text(6);
  v.status = r.text(7);
  v.color = r.opt_text(8);
  v.household_id = r.i64(9);
  v.household_no = r.text(10);
  v.org_code = r.text(11);
  v.org_name = r.text(12);
  v.household_color = r.text(13);
  return v;
}

// The smallest string of the same length above prefix in its alphabet ("530621" → "530622",
// "zh" → "zi"); empty when there is none (all nines or all z's).
std::string next_prefix(std::string prefix, char last) {
  for (size_t i = prefix.size(); i-- > 0;) {
    if (prefix[i] != last) {
      ++prefix[i];
      return prefix;
    }
    prefix[i] = last == '9' ? '0' : 'a';
  }
  return {};
}

struct Where {
  std::string sql;
  store::Params params;
  void add(const std::string& clause, store::Params p = {}) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += clause;
    for (auto& v : p) params.push_back(std::move(v));
  }
  // column lies in [prefix, next prefix): an index range on both databases under any collation
  // (the strings are digits or lower-case letters).
  // An empty prefix matches nothing (a user without an org sees nothing).
  void add_range(const std::string& column, const std::string& prefix, char last) {
    if (prefix.empty()) {
      add("1 = 0");
      return;
    }
    std::string upper = next_prefix(prefix, last);
    if (upper.empty()) {
      add(column + " >= ?", {prefix});
    } else {
      add(column + " >= ? AND " + column + " < ?", {prefix, upper});
    }
  }
};

// Sets every view's place: the names of its org and of the org's ancestors from the village
// down (codes: village 12 digits, then 3 more per level), one query for all of them. A name
// that already starts with its parent's ("第7网格第1微网格" under "第7网格") stands for both.
void attach_places(store::Tx& tx, std::vector<ResidentView>& views) {
  if (views.empty()) return;
  std::map<std::string, std::string> names;
  for (const auto& v : views) {
    for (size_t n = 12; n <= v.org_code.size(); n += 3) names[v.org_code.substr(0, n)];
  }
  std::string sql = "SELECT code, name FROM orgs WHERE code IN (";
  store::Params params;
  for (const auto& [code, name] : names) {
    sql += params.empty() ? "?" : ", ?";
    params.emplace_back(code);
  }
  tx.each(sql + ")", params, [&](const store::Row& row) { names[row.text(0)] = row.text(1); });
  for (auto& v : views) {
    std::string place;
    std::string next;
    for (size_t n = v.org_code.size(); n >= 12; n -= 3) {
      const std::string& name = names[v.org_code.substr(0, n)];
      if (next.rfind(name, 0) != 0) place.insert(0, name);
      next = name;
      if (n < 15) break;
    }
    v.place = place.empty() ? v.org_name : place;
  }
}

// Adds "tags" to every view, from one query for all of them.
void attach_tags(store::Tx& tx, std::vector<ResidentView>& views, bool show_sensitive) {
  if (views.empty()) return;
  std::string sql = "SELECT resident_id, tag FROM resident_tags WHERE resident_id IN (";
  store::Params params;
  for (size_t i = 0; i < views.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.emplace_back(views[i].id);
  }
  sql += ") ORDER BY resident_id, tag";
  std::map<int64_t, std::vector<TagView>> tags;
  tx.each(sql, params, [&](const store::Row& row) {
    const Tag* t = find_tag(row.text(1));
    if (!t || (t->sensitive && !show_sensitive)) return;
    tags[row.i64(0)].push_back({t->code, t->name, t->category, t->key_person});
  });
  for (auto& v : views) {
    if (auto it = tags.find(v.id); it != tags.end()) v.tags = std::move(it->second);
  }
}

// The first day ("YYYY-01-01") of the year `years` before today's: birth dates from it on
// have an age (year − birth year) of at most `years`.
std::string year_start(Date today, int years) {
  return fmt::format("{:04d}-01-01", static_cast<int>(today.year()) - years);
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

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ascii_letters(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalpha(c) != 0; });
}

// How many rows `inner` (one column, no LIMIT) gives, counting to at most cap + 1.
int64_t count_upto(store::Tx& tx, const std::string& inner, const store::Params& params,
                   int64_t cap) {
  store::Params p = params;
  p.emplace_back(cap + 1);
  return tx.query_int("SELECT COUNT(*) FROM (" + inner + " LIMIT ?) t", p);
}

// Whether at most kSparse residents have a pinyin, and at most kSparse have initials, that
// start with q (each counted through its index), and if so a subquery of their ids.
std::optional<Where> sparse_pinyin(store::Tx& tx, const std::string& q) {
  Where a, b;
  a.add_range("name_pinyin", q, 'z');
  b.add_range("name_initials", q, 'z');
  if (count_upto(tx, "SELECT id FROM residents" + a.sql, a.params, kSparse) > kSparse ||
      count_upto(tx, "SELECT id FROM residents" + b.sql, b.params, kSparse) > kSparse) {
    return std::nullopt;
  }
  Where ids;
  ids.sql =
      "r.id IN (SELECT id FROM residents" + a.sql + " UNION SELECT id FROM residents" + b.sql + ")";
  ids.params = a.params;
  ids.params.insert(ids.params.end(), b.params.begin(), b.params.end());
  return ids;
}

// The WHERE clause of a list. A tag or pinyin prefix that few residents carry drives the
// query through its index (r.id IN …); a common one is checked row by row while the subtree
// is walked in code order, which stops as soon as the page is full.
Where filter_sql(store::Tx& tx, const ResidentFilter& f, Date today) {
  Where w;
  w.add_range("o.code", f.scope_prefix, '9');
  if (f.org_prefix) w.add_range("o.code", *f.org_prefix, '9');
  for (const auto& tag : f.tags) {
    bool sparse = count_upto(tx, "SELECT resident_id FROM resident_tags WHERE tag = ?", {tag},
                             kSparse) <= kSparse;
    w.add(sparse
              ? "r.id IN (SELECT resident_id FROM resident_tags WHERE tag = ?)"
              : "EXISTS (SELECT 1 FROM resident_tags t WHERE t.resident_id = r.id AND t.tag = ?)",
          {tag});
  }
  if (f.color) w.add("r.color = ?", {*f.color});
  if (f.status) w.add("r.status = ?", {*f.status});
  // By birth year only, as the age shown (query.h): age >= A ⟺ born before 1 January of
  // year − A + 1; age <= B ⟺ born on or after 1 January of year − B.
  if (f.age_min) w.add("r.birth_date < ?", {year_start(today, *f.age_min - 1)});
  if (f.age_max) w.add("r.birth_date >= ?", {year_start(today, *f.age_max)});
  if (ascii_letters(f.q)) {
    std::string q = ascii_lower(f.q);
    if (auto ids = sparse_pinyin(tx, q)) {
      w.add(ids->sql, ids->params);
    } else {
      w.add("(r.name_pinyin LIKE ? OR r.name_initials LIKE ?)", {q + "%", q + "%"});
    }
  } else if (!f.q.empty()) {
    w.add("r.name LIKE ? ESCAPE '\\'", {"%" + like_escape(f.q) + "%"});
  }
  return w;
}

}  // namespace

ResidentPage list_residents(store::Tx& tx, const Vault& vault, const ResidentFilter& f, Date today,
                            bool show_sensitive) {
  Where w = filter_sql(tx, f, today);
  ResidentPage out;
  const std::string from = " FROM orgs o JOIN residents r ON r.org_id = o.id";
  const int64_t cap = (f.page - 1) * f.size + kPagesAhead * f.size;
  int64_t n = count_upto(tx, "SELECT r.id" + from + w.sql, w.params, cap);
  out.total_exact = n <= cap;
  out.total = std::min(n, cap);
  store::Params params = w.params;
  params.emplace_back(f.size);
  params.emplace_back((f.page - 1) * f.size);
  tx.each(std::string(kSelect) + w.sql + " ORDER BY o.code, r.id LIMIT ? OFFSET ?", params,
          [&](const store::Row& row) { out.items.push_back(resident_of(vault, row)); });
  attach_tags(tx, out.items, show_sensitive);
  attach_places(tx, out.items);
  return out;
}

std::optional<ResidentView> find_resident(store::Tx& tx, const Vault& vault,
                                          std::string_view scope_prefix, int64_t id,
                                          bool show_sensitive) {
  Where w;
  w.add("r.id = ?", {id});
  w.add_range("o.code", std::string(scope_prefix), '9');
  auto row = tx.query_one(std::string(kSelect) + w.sql, w.params);
  if (!row) return std::nullopt;
  std::vector<ResidentView> one{resident_of(vault, *row)};
  attach_tags(tx, one, show_sensitive);
  attach_places(tx, one);
  return std::move(one[0]);
}

std::optional<HouseholdView> find_household_view(store::Tx& tx, const Vault& vault,
                                                 const std::optional<std::string>& scope_prefix,
                                                 int64_t id, bool show_sensitive) {
  Where w;
  w.add("h.id = ?", {id});
  if (scope_prefix) w.add_range("o.code", *scope_prefix, '9');
  auto row = tx.query_one(
      "SELECT h.id, h.household_no, h.address, h.color, o.code, o.name, b.code "
      "FROM households h JOIN orgs o ON o.id = h.org_id LEFT JOIN orgs b ON b.id = h.building_id" +
          w.sql,
      w.params);
  if (!row) return std::nullopt;
  HouseholdView h{row->i64(0),  row->text(1), row->text(2),     row->text(3),
                  row->text(4), row->text(5), row->opt_text(6), {}};
  tx.each(std::string(kSelect) + " WHERE r.household_id = ? ORDER BY r.id", {id},
          [&](const store::Row& r) { h.members.push_back(resident_of(vault, r)); });
  attach_tags(tx, h.members, show_sensitive);
  return h;
}

std::optional<std::string> resident_org(store::Tx& tx, std::string_view scope_prefix, int64_t id) {
  Where w;
  w.add("r.id = ?", {id});
  w.add_range("o.code", std::string(scope_prefix), '9');
  auto row = tx.query_one("SELECT o.code FROM residents r JOIN orgs o ON o.id = r.org_id" + w.sql,
                          w.params);
  if (!row) return std::nullopt;
  return row->text(0);
}

std::optional<std::string> household_org(store::Tx& tx, std::string_view scope_prefix,
                                         std::string_view household_no) {
  Where w;
  w.add("h.household_no = ?", {household_no});
  w.add_range("o.code", std::string(scope_prefix), '9');
  auto row = tx.query_one("SELECT o.code FROM households h JOIN orgs o ON o.id = h.org_id" + w.sql,
                          w.params);
  if (!row) return std::nullopt;
  return row->text(0);
}

NewResident load_resident(store::Tx& tx, const Vault& vault, int64_t id) {
  auto row = tx.query_one(
      "SELECT r.name, r.id_enc, r.phone_enc, r.relation, r.status, h.household_no "
      "FROM residents r JOIN households h ON h.id = r.household_id WHERE r.id = ?",
      {id});
  if (!row) throw_not_found("居民不存在", "no such resident");
  NewResident r;
  r.name = row->text(0);
  r.id_number = vault.decrypt(row->blob(1));
  if (!row->is_null(2)) r.phone = vault.decrypt(row->blob(2));
  r.relation = parse_relation(row->text(3));
  r.status = parse_status(row->text(4));
  r.household_no = row->text(5);
  r.tags = tags_of(tx, id);
  return r;
}

void update_resident(store::Tx& tx, int64_t id, const ResidentRow& row, Instant at) {
  tx.exec(
      "UPDATE residents SET name = ?, name_pinyin = ?, name_initials = ?, phone_enc = ?, "
      "phone_mask = ?, relation = ?, status = ?, updated_at = ? WHERE id = ?",
      {row.name, row.name_pinyin, row.name_initials, row.phone_enc, row.phone_mask, row.relation,
       row.status, to_unix_ms(at), id});
  tx.changed(kResident, id);
}

std::optional<store::Blob> encrypted_field(store::Tx& tx, int64_t id, SecretField field) {
  auto row =
      tx.query_one(field == SecretField::id_number ? "SELECT id_enc FROM residents WHERE id = ?"
                                                   : "SELECT phone_enc FROM residents WHERE id = ?",
                   {id});
  if (!row || row->is_null(0)) return std::nullopt;
  return row->blob(0);
}

}  // namespace wangge::people
