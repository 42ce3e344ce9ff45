#include "analytics/entity.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <set>
#include <shared_mutex>

#include "core/error.h"

namespace wangge::analytics {
namespace {

struct Catalogue {
  std::shared_mutex mu;
  std::vector<std::shared_ptr<const EntitySpec>> installed;
  // Every spec ever installed stays alive, so a pointer handed out earlier never dangles.
  std::vector<std::shared_ptr<const EntitySpec>> kept;
};

Catalogue& catalogue() {
  static Catalogue c;
  return c;
}

[[noreturn]] void bad_entity(const std::string& entity, const std::string& what) {
  throw Error(ErrorKind::internal, "bad_entity", "统计对象声明有误（" + entity + "）：" + what,
              "bad entity specification (" + entity + "): " + what);
}

bool is_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

ColumnType column_for(Binding::Kind k) {
  switch (k) {
    case Binding::Kind::enum_u8:
      return ColumnType::u8;
    case Binding::Kind::flags_any:
      return ColumnType::u64;
    case Binding::Kind::f32:
      return ColumnType::f32;
    default:
      return ColumnType::i32;
  }
}

void check(const EntitySpec& s, const forms::Dictionary& dict, std::set<std::string>& names) {
  if (!is_name(s.name)) bad_entity(s.name, "the name must be [a-z0-9_]+");
  for (int i = 0; i < kEntityCount; ++i) {
    if (to_string(static_cast<Entity>(i)) == s.name) bad_entity(s.name, "a built-in entity");
  }
  if (!names.insert(s.name).second) bad_entity(s.name, "declared twice");
  if (s.label.empty()) bad_entity(s.name, "no label");
  if (!is_name(s.table) || !is_name(s.org_column)) bad_entity(s.name, "bad table or org column");
  std::set<std::string> columns;
  for (const auto& c : s.columns) {
    if (!is_name(c.name) || !columns.insert(c.name).second) {
      bad_entity(s.name, "column \"" + c.name + "\" is unnamed or declared twice");
    }
    if (c.sql.empty()) bad_entity(s.name, "column \"" + c.name + "\" has no SQL");
    if (c.type == ColumnType::i64) bad_entity(s.name, "column \"" + c.name + "\": i64 is internal");
  }
  std::set<std::string> codes;
  for (const auto& f : s.fields) {
    const forms::Field* field = dict.find(f.code);
    if (!field) bad_entity(s.name, "the dictionary has no field \"" + f.code + "\"");
    if (field->entity != s.name) {
      bad_entity(s.name, "field \"" + f.code + "\" belongs to entity \"" + field->entity + "\"");
    }
    if (!codes.insert(f.code).second) bad_entity(s.name, "field \"" + f.code + "\" bound twice");
    auto col = std::find_if(s.columns.begin(), s.columns.end(),
                            [&](const EntitySpec::Column& c) { return c.name == f.column; });
    if (col == s.columns.end()) {
      bad_entity(s.name, "field \"" + f.code + "\" names an unknown column \"" + f.column + "\"");
    }
    if (f.kind != Binding::Kind::enum_u8 && f.kind != Binding::Kind::i32 &&
        f.kind != Binding::Kind::f32 && f.kind != Binding::Kind::flags_any) {
      bad_entity(s.name, "field \"" + f.code + "\": only enum, integer, decimal and flag fields");
    }
    if (col->type != column_for(f.kind)) {
      bad_entity(s.name, "field \"" + f.code + "\" needs a column of another type");
    }
    if (f.kind == Binding::Kind::flags_any && f.bits == 0) {
      bad_entity(s.name, "flag field \"" + f.code + "\" has no bits");
    }
  }
}

int column_index(const EntitySpec& s, std::string_view name) {
  for (size_t i = 0; i < s.columns.size(); ++i) {
    if (s.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const EntitySpec::Field* field_of(const EntitySpec& s, std::string_view code) {
  for (const auto& f : s.fields) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

}  // namespace

void install_entities(std::vector<std::shared_ptr<const EntitySpec>> specs,
                      const forms::Dictionary& dict) {
  std::set<std::string> names;
  for (const auto& s : specs) check(*s, dict, names);
  if (kEntityCount + specs.size() > 64) bad_entity("*", "at most 58 module entities");
  auto& c = catalogue();
  std::unique_lock lock(c.mu);
  c.kept.insert(c.kept.end(), specs.begin(), specs.end());
  c.installed = std::move(specs);
}

const EntitySpec* extension(Entity e) {
  auto i = static_cast<size_t>(e);
  if (i < static_cast<size_t>(kEntityCount)) return nullptr;
  auto& c = catalogue();
  std::shared_lock lock(c.mu);
  i -= kEntityCount;
  return i < c.installed.size() ? c.installed[i].get() : nullptr;
}

std::vector<Entity> extension_ids() {
  auto& c = catalogue();
  std::shared_lock lock(c.mu);
  std::vector<Entity> out;
  for (size_t i = 0; i < c.installed.size(); ++i)
    out.push_back(static_cast<Entity>(kEntityCount + i));
  return out;
}

size_t entity_count() {
  auto& c = catalogue();
  std::shared_lock lock(c.mu);
  return kEntityCount + c.installed.size();
}

std::optional<Entity> parse_extension(std::string_view name) {
  auto& c = catalogue();
  std::shared_lock lock(c.mu);
  for (size_t i = 0; i < c.installed.size(); ++i) {
    if (c.installed[i]->name == name) return static_cast<Entity>(kEntityCount + i);
  }
  return std::nullopt;
}

std::optional<Entity> extension_following(const store::RecordKind* kind) {
  auto& c = catalogue();
  std::shared_lock lock(c.mu);
  for (size_t i = 0; i < c.installed.size(); ++i) {
    const auto& f = c.installed[i]->follows;
    if (std::find(f.begin(), f.end(), kind) != f.end())
      return static_cast<Entity>(kEntityCount + i);
  }
  return std::nullopt;
}

std::string extension_select(const EntitySpec& spec) {
  std::string sql = "SELECT x.id, x." + spec.org_column;
  for (const auto& c : spec.columns) sql += ", " + c.sql;
  return sql + " FROM " + spec.table + " x";
}

std::optional<RecordValues> extension_values(const EntitySpec& spec, const store::Row& r,
                                             const OrgTree& tree) {
  auto org = r.opt_i64(1);
  if (!org) return std::nullopt;
  auto at = tree.pos_of_id.find(*org);
  if (at == tree.pos_of_id.end()) return std::nullopt;
  RecordValues v;
  v.id = r.i64(0);
  v.pos = at->second;
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    const size_t k = i + 2;
    switch (spec.columns[i].type) {
      case ColumnType::u8:
        v.num.push_back(r.is_null(k) ? 0.0 : static_cast<double>(r.i64(k)));
        break;
      case ColumnType::i32:
        v.num.push_back(r.is_null(k) ? static_cast<double>(kNullI32)
                                     : static_cast<double>(r.i64(k)));
        break;
      case ColumnType::f32:
        v.num.push_back(r.is_null(k) ? std::nan("") : r.f64(k));
        break;
      case ColumnType::u64:
        v.bits.push_back(r.is_null(k) ? 0 : static_cast<uint64_t>(r.i64(k)));
        break;
      case ColumnType::i64:
        v.wide.push_back(r.is_null(k) ? 0 : r.i64(k));
        break;
    }
  }
  return v;
}

std::optional<Binding> extension_binding(Entity e, std::string_view code) {
  const EntitySpec* s = extension(e);
  if (!s) return std::nullopt;
  const EntitySpec::Field* f = field_of(*s, code);
  if (!f) return std::nullopt;
  return Binding{.kind = f->kind, .column = column_index(*s, f->column), .bits = f->bits};
}

std::string extension_sql(Entity e, std::string_view code) {
  const EntitySpec* s = extension(e);
  const EntitySpec::Field* f = s ? field_of(*s, code) : nullptr;
  if (!f) {
    throw Error(ErrorKind::internal, "unbound_field", "字段无 SQL 映射：" + std::string(code),
                "no SQL for " + std::string(code));
  }
  const std::string& sql = s->columns[column_index(*s, f->column)].sql;
  if (f->kind == Binding::Kind::flags_any) {
    return "(COALESCE((" + sql + ") & " + std::to_string(f->bits) + ", 0) <> 0)";
  }
  return "(" + sql + ")";
}

}  // namespace wangge::analytics
