// The text conversions of the PostgreSQL backend, apart from libpq so they can be tested alone:
// '?' placeholders to $n, values to parameter and COPY text, result text to values.
#pragma once

#include <string>
#include <string_view>

#include "store/database.h"

namespace wangge::store::postgres {

struct Rewritten {
  std::string sql;  // with $1, $2, … in place of each '?'
  int params = 0;   // how many there were
};

// Replaces each '?' outside quoted strings, quoted identifiers, comments and dollar quotes
// with $1, $2, … in order.
Rewritten rewrite_placeholders(std::string_view sql);

// A real in the form PostgreSQL reads back exactly ("NaN", "Infinity", shortest digits).
std::string format_real(double v);

// Appends v to a line of COPY … FROM STDIN text format: \N for null; backslash, tab, newline
// and carriage return escaped; a blob as \\x followed by hex.
void append_copy_field(std::string& line, const Value& v);

// The value of a text-format result field of the type with OID `type`: int2/int4/int8/oid and
// bool give ints (true = 1), float4/float8 reals, numeric an int when it is whole and fits
// (as SQLite's SUM of integers is) and a real otherwise, bytea a Blob, all else text.
Value parse_field(unsigned type, std::string_view text);

}  // namespace wangge::store::postgres
