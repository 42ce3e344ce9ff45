#include "analytics/fields.h"

#include <cmath>
#include <map>

#include "analytics/entity.h"
#include "analytics/events_load.h"
#include "analytics/load_rows.h"
#include "analytics/roster.h"
#include "core/error.h"
#include "core/time.h"
#include "events/events.h"
#include "org/org.h"
#include "people/people.h"

namespace wangge::analytics {
namespace {

using forms::Expr;
using K = Binding::Kind;

const std::map<std::pair<Entity, std::string>, Binding>& bindings() {
  static const auto table = [] {
    std::map<std::pair<Entity, std::string>, Binding> m;
    auto add = [&m](Entity e, std::string code, Binding b) { m[{e, std::move(code)}] = b; };
    const Entity R = Entity::resident, H = Entity::household, E = Entity::event;
    add(R, "resident.sex", {K::enum_u8, col::sex});
    add(R, "resident.birth_date", {K::i32, col::birth});
    add(R, "resident.age", {K::age, col::birth});
    add(R, "resident.relation", {K::enum_u8, col::relation});
    add(R, "resident.status", {K::enum_u8, col::status});
    add(R, "resident.color", {K::enum_u8, col::color});
    // The tags (resident.tag.*, resident.key_person) are bound in bind(): the catalogue grows.
    add(H, "household.color", {K::enum_u8, col::h_color});
    add(H, "household.in_building", {K::flags_any, col::h_flags, 1});
    add(H, "household.size", {K::i32, col::h_size});
    add(Entity::org, "org.kind", {K::enum_u8, col::o_kind});
    const std::pair<const char*, uint64_t> org_flags[] = {
        {"org.has_grid_head", has_grid_head},     {"org.has_full_worker", has_full_worker},
        {"org.has_part_worker", has_part_worker}, {"org.has_building_head", has_building_head},
        {"org.has_party_org", has_party_org},     {"org.has_party_household", has_party_household},
        {"org.has_secretary", has_secretary}};
    for (auto [code, bit] : org_flags) add(Entity::org, code, {K::flags_any, col::o_flags, bit});
    add(Entity::post, "post.role", {K::enum_u8, col::p_role});
    add(Entity::post, "post.active", {K::flags_any, col::p_flags, 1});
    add(Entity::party_org, "party_org.kind", {K::enum_u8, col::q_kind});
    add(E, "event.state", {K::enum_u8, col::e_state});
    add(E, "event.source", {K::enum_u8, col::e_source});
    add(E, "event.sla_class", {K::enum_u8, col::e_sla});
    add(E, "event.damage", {K::enum_u8, col::e_damage});
    add(E, "event.category", {K::category, col::e_category});
    add(E, "event.category_top", {K::category, col::e_category_top});
    add(E, "event.level", {K::i32, col::e_level});
    add(E, "event.satisfaction", {K::i32, col::e_satisfaction});
    add(E, "event.people_affected", {K::i32, col::e_people});
    add(E, "event.reported_at", {K::day_ms, col::e_reported_day});
    add(E, "event.due_at", {K::day_ms, col::e_due_day});
    add(E, "event.closed_at", {K::day_ms, col::e_closed_day});
    add(E, "event.handling_days", {K::f32, col::e_handling_days});
    const std::pair<const char*, uint64_t> ev_flags[] = {
        {"event.open", ev_open},           {"event.closed", ev_closed},
        {"event.overdue", ev_overdue},     {"event.on_time", ev_on_time},
        {"event.escalated", ev_escalated}, {"event.reopened", ev_reopened},
        {"event.extended", ev_extended},   {"event.recurrence", ev_recurrence},
        {"event.urgent", ev_urgent}};
    for (auto [code, bit] : ev_flags) add(E, code, {K::flags_any, col::e_flags, bit});
    return m;
  }();
  return table;
}

std::string sql_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// The stored (English) name of an enum option, by field and option index.
std::string stored_name(const std::string& code, int i) {
  if (code == "resident.relation")
    return std::string(people::to_string(static_cast<people::Relation>(i)));
  if (code == "resident.status")
    return std::string(people::to_string(static_cast<people::ResidentStatus>(i)));
  if (code == "resident.color" || code == "household.color")
    return std::string(people::to_string(static_cast<people::RiskColor>(i)));
  if (code == "org.kind") return std::string(org::to_string(static_cast<org::OrgKind>(i)));
  if (code == "post.role") return std::string(org::to_string(static_cast<org::PostRole>(i)));
  if (code == "party_org.kind") return std::string(org::to_string(static_cast<org::PartyKind>(i)));
  if (code == "event.state") return std::string(events::to_string(static_cast<events::State>(i)));
  if (code == "event.source") return std::string(events::to_string(static_cast<events::Source>(i)));
  if (code == "event.sla_class")
    return std::string(events::to_string(static_cast<events::SlaClass>(i)));
  if (code == "event.damage") return std::string(events::to_string(static_cast<events::Damage>(i)));
  throw Error(ErrorKind::internal, "unbound_field", "字段无 SQL 映射：" + code,
              "no SQL for " + code);
}

// The column a field reads in SQL (x is the record).
std::string sql_column(const std::string& code) {
  static const std::map<std::string, std::string> cols{
      {"resident.sex", "x.sex"},
      {"resident.relation", "x.relation"},
      {"resident.status", "x.status"},
      {"resident.color", "x.color"},
      {"household.color", "x.color"},
      {"org.kind", "x.kind"},
      {"post.role", "x.role"},
      {"party_org.kind", "x.kind"},
      {"event.state", "x.state"},
      {"event.source", "x.source"},
      {"event.sla_class", "x.sla_class"},
      {"event.damage", "x.damage"},
      {"event.level", "x.level"},
      {"event.satisfaction", "x.satisfaction"},
      {"event.people_affected", "x.people_affected"},
      {"event.reported_at", "x.reported_at"},
      {"event.due_at", "x.first_due_at"},
      {"event.closed_at", "x.closed_at"}};
  auto it = cols.find(code);
  if (it == cols.end()) return {};
  return it->second;
}

std::string date_text(int32_t ymd) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
  return buf;
}

int64_t midnight_ms(int32_t ymd) {
  Date d{std::chrono::year(ymd / 10000), std::chrono::month(static_cast<unsigned>(ymd / 100 % 100)),
         std::chrono::day(static_cast<unsigned>(ymd % 100))};
  return to_unix_ms(local_midnight(d));
}

int32_t next_day(int32_t ymd) {
  Date d{std::chrono::year(ymd / 10000), std::chrono::month(static_cast<unsigned>(ymd / 100 % 100)),
         std::chrono::day(static_cast<unsigned>(ymd % 100))};
  Date n = date_from_days(days_since_epoch(d) + 1);
  return static_cast<int>(n.year()) * 10000 +
         static_cast<int>(static_cast<unsigned>(n.month())) * 100 +
         static_cast<int>(static_cast<unsigned>(n.day()));
}

}  // namespace

std::optional<Binding> bind(Entity e, const forms::Field& f) {
  if (extension(e)) return extension_binding(e, f.code);
  if (e == Entity::resident || e == Entity::household) {
    const int column = e == Entity::resident ? col::tags : col::h_member_tags;
    if (f.code == "resident.key_person") return Binding{K::flags_any, column, key_person_bits()};
    if (f.code.starts_with("resident.tag.")) {
      const uint64_t bit = tag_bit(std::string_view(f.code).substr(13));
      if (bit) return Binding{K::flags_any, column, bit};
      return std::nullopt;
    }
  }
  auto it = bindings().find({e, f.code});
  if (it == bindings().end()) return std::nullopt;
  return it->second;
}

forms::FieldCheck field_check() {
  return [](std::string_view entity, const forms::Field& f, forms::FieldUse use) -> std::string {
    auto e = parse_entity(entity);
    if (!e) {
      return "不认识的统计对象 “" + std::string(entity) +
             "”（应为 resident、household、org、post、party_org、event 或某模块登记的对象）|"
             "unknown entity '" +
             std::string(entity) + "'";
    }
    if (use == forms::FieldUse::entity) return {};
    if (use == forms::FieldUse::column) {
      if (roster_column_sql(*e, f)) return {};
      return "字段 “" + f.name + "”（" + f.code + "）不能列入 " + std::string(entity) +
             " 名册|field " + f.code + " cannot be a column of a " + std::string(entity) +
             " roster";
    }
    const bool numeric = use == forms::FieldUse::value;
    auto b = bind(*e, f);
    if (!b) {
      return "字段 “" + f.name + "”（" + f.code + "）不能用于统计 " + std::string(entity) +
             "|field " + f.code + " cannot be computed for " + std::string(entity);
    }
    if (numeric && b->kind != K::i32 && b->kind != K::f32 && b->kind != K::age) {
      return "字段 “" + f.name + "” 不能求和或平均|field " + f.code + " cannot be summed";
    }
    return {};
  };
}

std::string stored_option(const forms::Field& f, int i) { return stored_name(f.code, i); }

std::string sql_from(Entity e) {
  if (const EntitySpec* spec = extension(e)) {
    return "FROM " + spec->table + " x JOIN orgs o ON o.id = x." + spec->org_column;
  }
  switch (e) {
    case Entity::resident:
      return "FROM residents x JOIN orgs o ON o.id = x.org_id";
    case Entity::household:
      return "FROM households x JOIN orgs o ON o.id = x.org_id";
    case Entity::org:
      return "FROM orgs x JOIN orgs o ON o.id = x.id";
    case Entity::post:
      return "FROM posts x JOIN orgs o ON o.id = x.org_id";
    case Entity::party_org:
      return "FROM party_orgs x JOIN orgs o ON o.id = x.org_id";
    case Entity::event:
      return "FROM events x JOIN orgs o ON o.id = x.grid_id";
  }
  return {};
}

}  // namespace wangge::analytics

namespace wangge::analytics {

IntRange int_range(Expr::Cmp cmp, double n) {
  IntRange r;
  bool whole = n == std::floor(n);
  switch (cmp) {
    case Expr::Cmp::ge:
      r.lo = static_cast<int64_t>(std::ceil(n));
      break;
    case Expr::Cmp::gt:
      r.lo = static_cast<int64_t>(std::floor(n)) + 1;
      break;
    case Expr::Cmp::le:
      r.hi = static_cast<int64_t>(std::floor(n));
      break;
    case Expr::Cmp::lt:
      r.hi = static_cast<int64_t>(std::ceil(n)) - 1;
      break;
    case Expr::Cmp::eq:
      if (!whole) r.empty = true;
      r.lo = r.hi = static_cast<int64_t>(n);
      break;
    default:
      break;
  }
  return r;
}

BirthRange age_range(Expr::Cmp cmp, double n, int32_t as_of) {
  IntRange ages = int_range(cmp, n);
  BirthRange b;
  b.empty = ages.empty;
  const int32_t y = as_of / 10000, md = as_of % 10000;
  // age >= A  ⟺  birth <= (y - A)md;   age <= B  ⟺  birth > (y - B - 1)md
  if (ages.lo != std::numeric_limits<int64_t>::min()) {
    b.upto = static_cast<int32_t>((y - ages.lo) * 10000 + md);
  }
  if (ages.hi != std::numeric_limits<int64_t>::max()) {
    b.after = static_cast<int32_t>((y - ages.hi - 1) * 10000 + md);
  }
  return b;
}

namespace {

std::string tag_codes(const std::string& code) {
  std::string out;
  for (const auto& t : people::tag_catalogue()) {
    bool hit = code == "resident.key_person" ? t.key_person : code == "resident.tag." + t.code;
    if (hit) out += (out.empty() ? "" : ", ") + sql_quote(t.code);
  }
  return out;
}

std::string flag_sql(Entity e, const std::string& code) {
  if (code.starts_with("resident.")) {
    if (e == Entity::resident) {
      return "EXISTS (SELECT 1 FROM resident_tags t WHERE t.resident_id = x.id AND t.tag IN (" +
             tag_codes(code) + "))";
    }
    return "EXISTS (SELECT 1 FROM residents m JOIN resident_tags t ON t.resident_id = m.id "
           "WHERE m.household_id = x.id AND m.status = 'moved_in' AND t.tag IN (" +
           tag_codes(code) + "))";
  }
  static const std::map<std::string, std::string> flags{
      {"household.in_building", "x.building_id IS NOT NULL"},
      {"org.has_party_org", "EXISTS (SELECT 1 FROM party_orgs q WHERE q.org_id = x.id)"},
      {"post.active", "x.ended_at IS NULL"},
      {"event.open", "x.state NOT IN ('resolved', 'closed', 'cancelled')"},
      {"event.closed", "x.state = 'closed'"},
      {"event.overdue", "x.overdue <> 0"},
      {"event.on_time",
       "(x.state = 'closed' AND x.closed_at IS NOT NULL AND x.closed_at <= x.first_due_at)"},
      {"event.escalated", "x.escalations > 0"},
      {"event.reopened", "x.reopens > 0"},
      {"event.extended", "x.extensions > 0"},
      {"event.recurrence", "x.recurrence_of IS NOT NULL"},
      {"event.urgent", "x.urgency = 'urgent'"}};
  if (auto it = flags.find(code); it != flags.end()) return it->second;
  static const std::map<std::string, std::string> roles{
      {"org.has_grid_head", "grid_head"},
      {"org.has_full_worker", "grid_worker_full"},
      {"org.has_part_worker", "grid_worker_part"},
      {"org.has_building_head", "building_head"},
      {"org.has_party_household", "party_household"},
      {"org.has_secretary", "secretary"}};
  if (auto it = roles.find(code); it != roles.end()) {
    return "EXISTS (SELECT 1 FROM posts p WHERE p.org_id = x.id AND p.ended_at IS NULL AND "
           "p.role = '" +
           it->second + "')";
  }
  throw Error(ErrorKind::internal, "unbound_field", "字段无 SQL 映射：" + code,
              "no SQL for " + code);
}

std::string op_sql(Expr::Cmp c) {
  switch (c) {
    case Expr::Cmp::eq:
      return " = ";
    case Expr::Cmp::ne:
      return " <> ";
    case Expr::Cmp::lt:
      return " < ";
    case Expr::Cmp::le:
      return " <= ";
    case Expr::Cmp::gt:
      return " > ";
    default:
      return " >= ";
  }
}

std::string number_text(double n) {
  if (n == std::floor(n) && std::fabs(n) < 1e15) return std::to_string(static_cast<int64_t>(n));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", n);
  return buf;
}

// One comparison with a single value (eq, ne, lt, le, gt, ge).
std::string compare_one(Entity e, const forms::Field& f, const Binding& b, Expr::Cmp cmp, double n,
                        const std::string& text, int32_t as_of) {
  const std::string& code = f.code;
  switch (b.kind) {
    case K::age: {
      if (cmp == Expr::Cmp::ne) {
        return "(x.birth_date IS NOT NULL AND NOT " +
               compare_one(e, f, b, Expr::Cmp::eq, n, text, as_of) + ")";
      }
      BirthRange r = age_range(cmp, n, as_of);
      if (r.empty) return "(1 = 0)";
      std::string s = "(x.birth_date IS NOT NULL";
      if (r.after != std::numeric_limits<int32_t>::min())
        s += " AND x.birth_date > '" + date_text(r.after) + "'";
      if (r.upto != std::numeric_limits<int32_t>::max())
        s += " AND x.birth_date <= '" + date_text(r.upto) + "'";
      return s + ")";
    }
    case K::day_ms: {
      std::string c = sql_column(code);
      auto d = static_cast<int32_t>(n);
      std::string lo = std::to_string(midnight_ms(d)),
                  hi = std::to_string(midnight_ms(next_day(d)));
      std::string base = "(" + c + " IS NOT NULL AND " + c;
      switch (cmp) {
        case Expr::Cmp::ge:
          return base + " >= " + lo + ")";
        case Expr::Cmp::gt:
          return base + " >= " + hi + ")";
        case Expr::Cmp::le:
          return base + " < " + hi + ")";
        case Expr::Cmp::lt:
          return base + " < " + lo + ")";
        case Expr::Cmp::eq:
          return base + " >= " + lo + " AND " + c + " < " + hi + ")";
        default:
          return base + " IS NOT NULL AND (" + c + " < " + lo + " OR " + c + " >= " + hi + "))";
      }
    }
    case K::category: {
      const auto* cat = events::find_category(text);
      std::string want = cat ? cat->code : text;
      std::string s = b.column == col::e_category_top
                          ? "(x.category = " + sql_quote(want) + " OR substr(x.category, 1, " +
                                std::to_string(want.size() + 1) + ") = " + sql_quote(want + ".") +
                                ")"
                          : "(x.category = " + sql_quote(want) + ")";
      return cmp == Expr::Cmp::ne ? "(NOT " + s + ")" : s;
    }
    case K::enum_u8: {
      std::string c = sql_column(code);
      std::string v = code == "resident.sex" ? std::to_string(static_cast<int>(n) + 1)
                                             : sql_quote(stored_name(code, static_cast<int>(n)));
      return "(" + c + " IS NOT NULL AND " + c + (cmp == Expr::Cmp::ne ? " <> " : " = ") + v + ")";
    }
    case K::i32:
    case K::f32: {
      if (code == "resident.birth_date") {
        return "(x.birth_date IS NOT NULL AND x.birth_date" + op_sql(cmp) + "'" +
               date_text(static_cast<int32_t>(n)) + "')";
      }
      std::string v = sql_value(e, f, as_of);
      return "(" + v + " IS NOT NULL AND " + v + op_sql(cmp) + number_text(n) + ")";
    }
    case K::flags_any:
      break;
  }
  throw Error(ErrorKind::internal, "unbound_field", "字段无 SQL 映射：" + code,
              "no SQL for " + code);
}

// A module entity's leaf (entity.h): its column's expression compared as the index compares it.
std::string extension_leaf(Entity e, const Expr& leaf, const Binding& b) {
  std::string v = extension_sql(e, leaf.field->code);
  if (leaf.kind == Expr::Kind::truth) return v;
  const bool enumerated = b.kind == K::enum_u8;  // the column holds option index + 1
  auto one = [&](Expr::Cmp cmp, double n) {
    const std::string want = number_text(enumerated ? n + 1 : n);
    return "(" + v + " IS NOT NULL AND " + v + op_sql(cmp) + want + ")";
  };
  if (leaf.cmp == Expr::Cmp::in) {
    std::string s = "(";
    for (size_t i = 0; i < leaf.values.size(); ++i) {
      s += (i ? " OR " : "") + one(Expr::Cmp::eq, i < leaf.numbers.size() ? leaf.numbers[i] : 0);
    }
    return s + ")";
  }
  return one(leaf.cmp, leaf.numbers.empty() ? 0 : leaf.numbers[0]);
}

}  // namespace

std::string sql_leaf(Entity e, const Expr& leaf, int32_t as_of) {
  const forms::Field& f = *leaf.field;
  auto b = bind(e, f);
  if (!b)
    throw Error(ErrorKind::internal, "unbound_field", "字段无映射：" + f.code, "unbound " + f.code);
  if (extension(e)) return extension_leaf(e, leaf, *b);
  if (leaf.kind == Expr::Kind::truth) return flag_sql(e, f.code);
  if (leaf.cmp == Expr::Cmp::in) {
    std::string s = "(";
    for (size_t i = 0; i < leaf.values.size(); ++i) {
      double n = i < leaf.numbers.size() ? leaf.numbers[i] : 0;
      s += (i ? " OR " : "") + compare_one(e, f, *b, Expr::Cmp::eq, n, leaf.values[i], as_of);
    }
    return s + ")";
  }
  double n = leaf.numbers.empty() ? 0 : leaf.numbers[0];
  return compare_one(e, f, *b, leaf.cmp, n, leaf.values.at(0), as_of);
}

std::string sql_value(Entity e, const forms::Field& f, int32_t as_of) {
  if (extension(e)) return extension_sql(e, f.code);
  if (f.code == "resident.age") {
    return "(" + std::to_string(as_of / 10000) +
           " - CAST(substr(x.birth_date, 1, 4) AS INTEGER) - CASE WHEN substr(x.birth_date, 6, 5) "
           "> '" +
           date_text(as_of).substr(5) + "' THEN 1 ELSE 0 END)";
  }
  if (f.code == "household.size") {
    return "(SELECT COUNT(*) FROM residents m WHERE m.household_id = x.id AND m.status = "
           "'moved_in')";
  }
  if (f.code == "event.handling_days") {
    return "(CASE WHEN x.resolved_at IS NOT NULL THEN (x.resolved_at - x.reported_at) / 86400000.0 "
           "END)";
  }
  std::string c = sql_column(f.code);
  if (c.empty())
    throw Error(ErrorKind::internal, "unbound_field", "字段无 SQL 映射：" + f.code,
                "no SQL for " + f.code);
  return c;
}

std::string sql_period(Entity e, const forms::Field& f, int32_t from, int32_t to) {
  if (extension(e)) {  // a yyyymmdd column
    const std::string v = extension_sql(e, f.code);
    return "(" + v + " IS NOT NULL AND " + v + " >= " + std::to_string(from) + " AND " + v +
           " <= " + std::to_string(to) + ")";
  }
  std::string c = sql_column(f.code);
  return "(" + c + " IS NOT NULL AND " + c + " >= " + std::to_string(midnight_ms(from)) + " AND " +
         c + " < " + std::to_string(midnight_ms(next_day(to))) + ")";
}

}  // namespace wangge::analytics
