// Entities a module brings to the analytics index (app::Module::entities): its records become
// rows of one more table of the index, their dictionary fields become columns that forms can
// count, sum and filter, and the same fields get the SQL the cross-checks run on the database.
//
//   auto spec = std::make_shared<analytics::EntitySpec>();
//   spec->name = "mediation_case";                 // forms: entity = "mediation_case"
//   spec->table = "mediation_cases";               // one row per record, an id and an org id
//   spec->columns = {{"kind", ColumnType::u8, "CASE x.kind WHEN 'family' THEN 1 … END"},
//                    {"amount", ColumnType::f32, "x.amount"}};
//   spec->fields = {{"mediation_case.kind", Binding::Kind::enum_u8, "kind"},
//                   {"mediation_case.amount", Binding::Kind::f32, "amount"}};
//   spec->follows = {&mediation::kCase};          // Tx::changed(kCase, id) re-reads the row
//
// The built-in entities (residents, households, the org tree, posts, party organisations,
// events) keep their own loaders in this folder; a module's entity needs only this table.
// Entities are installed once at start, before any form is read (install_entities); a bad
// specification stops the start with a message naming the entity and the mistake.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analytics/fields.h"
#include "analytics/index.h"
#include "forms/dictionary.h"
#include "store/database.h"

namespace wangge::analytics {

struct EntitySpec {
  std::string name;                   // [a-z_]+, not a built-in entity's
  std::string label;                  // 统计对象 as a clerk names it: "调解案件"
  std::string table;                  // the SQL table, one row per record, with an integer id
  std::string org_column = "org_id";  // the org node (orgs.id) the record belongs to
  // One column of the index: its type and the SQL expression on the row `x` that gives its
  // value as the index keeps it (an enum's option index + 1, yyyymmdd for a date, bits for
  // u64); NULL is the null value.
  struct Column {
    std::string name;
    ColumnType type = ColumnType::i32;
    std::string sql;
  };
  std::vector<Column> columns;
  // A dictionary field (by code) and the column holding it. Kinds: enum_u8 (u8 column),
  // i32 (i32), f32 (f32), flags_any (u64; true when the column has any of `bits`).
  struct Field {
    std::string code;
    Binding::Kind kind = Binding::Kind::i32;
    std::string column;
    uint64_t bits = 0;
  };
  std::vector<Field> fields;
  // The record kinds whose changes (Tx::changed) re-read the record with that id.
  std::vector<const store::RecordKind*> follows;
};

// Installs the entities of every module, after checking each against the dictionary: names
// unique and not built-in, columns named once with SQL, fields whose codes the dictionary
// has (with this entity), bound to a column of the matching type. Throws Error(internal,
// "bad_entity") naming the entity and the problem. Replaces what an earlier call installed
// (tests); call before any Index, form or report uses them.
void install_entities(std::vector<std::shared_ptr<const EntitySpec>> specs,
                      const forms::Dictionary& dict);

// The installed entity with this id (kEntityCount + i), or nullptr for a built-in one.
const EntitySpec* extension(Entity e);
// The installed entity with this name.
std::optional<Entity> parse_extension(std::string_view name);
// The installed entity whose records are of this kind (EntitySpec::follows), if any.
std::optional<Entity> extension_following(const store::RecordKind* kind);
// Every installed entity's id.
std::vector<Entity> extension_ids();
// How many tables the index has: the built-in ones and the installed ones.
size_t entity_count();

// For the loaders: "SELECT x.id, x.<org>, <columns…> FROM <table> x" (add WHERE / ORDER BY).
std::string extension_select(const EntitySpec& spec);
// One row of that SELECT as a record; nullopt when its org is not in the tree.
std::optional<RecordValues> extension_values(const EntitySpec& spec, const store::Row& r,
                                             const OrgTree& tree);
// The binding of a field of an installed entity; nullopt when it has none.
std::optional<Binding> extension_binding(Entity e, std::string_view code);
// The SQL of a field of an installed entity: its column's expression, or for flags_any the
// condition that the bits are set.
std::string extension_sql(Entity e, std::string_view code);

}  // namespace wangge::analytics
