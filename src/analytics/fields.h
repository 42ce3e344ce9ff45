// Which dictionary fields the index can compute, per entity, and how: the column that holds a
// field and the SQL that computes the same thing on the database (used to check the index
// and by the benchmark). One table, so the two readings cannot drift apart.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/index.h"
#include "forms/dictionary.h"
#include "forms/forms.h"

namespace wangge::analytics {

struct Binding {
  enum class Kind {
    enum_u8,    // a u8 column holding option index + 1 (0 null)
    flags_any,  // true when the u64 column has any of `bits`
    i32,        // an i32 number or yyyymmdd date (kNullI32 null)
    f32,        // a float (NaN null)
    age,        // whole years from the yyyymmdd column to the report date
    day_ms,     // (SQL only differs) an i32 yyyymmdd column kept from a unix-ms column
    category,   // an i32 column of events::categories() positions + 1, compared by code/name
  };
  Kind kind = Kind::i32;
  int column = 0;
  uint64_t bits = 0;
};

// nullopt when the index does not hold this field for this entity.
std::optional<Binding> bind(Entity e, const forms::Field& f);
// The FieldCheck forms are validated with: fields the index cannot compute are refused.
forms::FieldCheck field_check();

// SQL for one entity: "FROM … x JOIN orgs o ON …" (the record is x, its org o).
std::string sql_from(Entity e);
// A condition that is true or false, never NULL, for a leaf of a filter (compare / truth),
// on the date `as_of` (ages). Values are inlined: they were validated against the dictionary.
std::string sql_leaf(Entity e, const forms::Expr& leaf, int32_t as_of_ymd);
// A whole filter as a condition (the leaves joined by AND / OR / NOT).
std::string sql_filter(Entity e, const forms::Expr& x, int32_t as_of_ymd);
// The value the database stores for option i of an enum field ("moved_in" for 人员状态 在册).
// Throws Error(internal) for a field the index does not bind.
std::string stored_option(const forms::Field& f, int i);
// The numeric value of a field for sum / avg (NULL where the index has null).
std::string sql_value(Entity e, const forms::Field& f, int32_t as_of_ymd);
// A condition for "the date field lies in [from, to]" (yyyymmdd, inclusive).
std::string sql_period(Entity e, const forms::Field& f, int32_t from, int32_t to);

// The birth dates (yyyymmdd) an age comparison `age <cmp> n` selects on the day as_of:
// after < birth <= upto. empty: none. REQUIRES: cmp is not in / ne (callers expand those).
struct BirthRange {
  int32_t after = std::numeric_limits<int32_t>::min();
  int32_t upto = std::numeric_limits<int32_t>::max();
  bool empty = false;
};
BirthRange age_range(forms::Expr::Cmp cmp, double n, int32_t as_of_ymd);
// The whole-number bounds an integer column compared with n selects: lo <= v <= hi.
struct IntRange {
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max();
  bool empty = false;
};
IntRange int_range(forms::Expr::Cmp cmp, double n);

// Whole years from a yyyymmdd birth date to a yyyymmdd day (周岁, as core/time.h age_on).
inline int age_years(int32_t birth, int32_t on) {
  return (on / 10000 - birth / 10000) - ((on % 10000) < (birth % 10000) ? 1 : 0);
}

}  // namespace wangge::analytics
