// What the cells of a legacy column hold, guessed from their texts: ID numbers, phones, dates,
// integers, decimals, long codes, a handful of options (an enum) or free text. Two columns
// are only merged by name similarity when their values agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "forms/dictionary.h"

namespace wangge::legacy {

// One cell. Texts are folded to half-width and trimmed first.
enum class ValueKind { empty, id_number, phone, date, integer, decimal, code, text };
//   id_number: 18 digits (last may be X) or 15 digits, or masked 530621********1234
//   phone:     a mainland mobile (1[3-9] + 9 digits) or a landline 0871-1234567
//   date:      2024-03-01, 2024/3/1, 2024.03.01, 2024.03, 2024年3月(1日), 20240301
//   code:      13 or more digits that are not an ID number (bank cards, org codes)
ValueKind classify_value(std::string_view text);

// A column's values taken together.
enum class ColumnKind {
  unknown,
  id_number,
  phone,
  date,
  integer,
  decimal,
  code,
  enumeration,
  text
};
std::string_view to_string(ColumnKind k);

struct ColumnProfile {
  ColumnKind kind = ColumnKind::unknown;  // unknown when the column has no values
  std::vector<std::string> options;       // enumeration: the distinct values, first seen first
};

// At least 80% of the values of one kind give that kind (integers among decimals count as
// decimals); text with at most 8 distinct short values, each seen more than once on average,
// is an enumeration.
ColumnProfile profile_values(const std::vector<std::string>& values);

// Whether two columns may hold the same field: equal kinds, or an unknown side, or
// integer/decimal, or enumeration/text.
bool compatible(ColumnKind a, ColumnKind b);

// The dictionary type that fits a column kind (code → text; unknown → text).
forms::FieldType field_type_of(ColumnKind k);

}  // namespace wangge::legacy
