// The PostgreSQL backend's text conversions and the Value conversions, without a server.
#include "store/postgres/pg_sql.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "store/internal.h"
#include "store_test_util.h"

namespace wangge::store::postgres {
namespace {

TEST(RewritePlaceholders, NumbersQuestionMarksOutsideQuotesAndComments) {
  auto rw = rewrite_placeholders(
      "SELECT ?, '?', 'it''s ?', \"col?\", E'\\'?', ? -- ?\n"
      ", /* ? /* nested ? */ ? */ ?, $$ ? $$, $tag$ ? $tag$, ?");
  EXPECT_EQ(rw.sql,
            "SELECT $1, '?', 'it''s ?', \"col?\", E'\\'?', $2 -- ?\n"
            ", /* ? /* nested ? */ ? */ $3, $$ ? $$, $tag$ ? $tag$, $4");
  EXPECT_EQ(rw.params, 4);
}

TEST(RewritePlaceholders, LeavesOtherDollarsAndUnterminatedQuotesAlone) {
  EXPECT_EQ(rewrite_placeholders("SELECT a$b, ? FROM t").sql, "SELECT a$b, $1 FROM t");
  EXPECT_EQ(rewrite_placeholders("SELECT 'open ?").params, 0);
  EXPECT_EQ(rewrite_placeholders("SELECT 'a\\' , ?").params, 1);  // no E: backslash is plain
  EXPECT_EQ(rewrite_placeholders("").params, 0);
}

TEST(CopyText, EscapesAndFormatsEachType) {
  std::string line;
  for (const Value& v : {Value(nullptr), Value(-42), Value(0.1), Value("a\tb\nc\rd\\e\\N"),
                         Value(Blob{0x00, 0xab, 0x5c}), Value(std::nan("")),
                         Value(-std::numeric_limits<double>::infinity())}) {
    append_copy_field(line, v);
    line += '|';
  }
  EXPECT_EQ(line, "\\N|-42|0.1|a\\tb\\nc\\rd\\\\e\\\\N|\\\\x00ab5c|NaN|-Infinity|");
}

TEST(ParseField, ConvertsByTypeOid) {
  EXPECT_EQ(parse_field(20, "-9223372036854775808").as_int(), std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(parse_field(23, "7").is_int());
  EXPECT_EQ(parse_field(16, "t").as_int(), 1);
  EXPECT_EQ(parse_field(16, "f").as_int(), 0);
  EXPECT_EQ(parse_field(701, "0.1").as_real(), 0.1);
  EXPECT_TRUE(std::isinf(parse_field(701, "-Infinity").as_real()));
  EXPECT_TRUE(std::isnan(parse_field(700, "NaN").as_real()));
  EXPECT_TRUE(parse_field(1700, "12345678901234").is_int());
  EXPECT_TRUE(parse_field(1700, "2.50").is_real());
  EXPECT_TRUE(parse_field(1700, "99999999999999999999").is_real());  // beyond int64
  EXPECT_EQ(parse_field(17, "\\x00ff10").as_blob(), (Blob{0x00, 0xff, 0x10}));
  EXPECT_EQ(parse_field(17, "a\\\\b\\001").as_blob(), (Blob{'a', '\\', 'b', 1}));  // escape form
  EXPECT_EQ(parse_field(25, "网格").as_text(), "网格");
  EXPECT_EQ(parse_field(1114, "2026-03-01 08:00:00").as_text(), "2026-03-01 08:00:00");
}

TEST(Value, ConvertsBetweenTypes) {
  EXPECT_EQ(Value(" 42 ").as_int(), 42);
  EXPECT_EQ(Value("+7").as_int(), 7);
  EXPECT_EQ(Value("2.9").as_int(), 2);
  EXPECT_EQ(Value(2.9).as_int(), 2);
  EXPECT_EQ(Value(1e30).as_int(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Value("1e3").as_real(), 1000.0);
  EXPECT_EQ(Value(5).as_real(), 5.0);
  EXPECT_EQ(Value(0.1).as_text(), "0.1");
  EXPECT_EQ(Value(int64_t{-3}).as_text(), "-3");
  EXPECT_EQ(Value(Blob{'h', 'i'}).as_text(), "hi");
  EXPECT_EQ(Value().as_int(), 0);
  EXPECT_EQ(Value().as_text(), "");
  EXPECT_TRUE(Value().as_blob().empty());
  EXPECT_TRUE(Value(std::optional<int>()).is_null());
  EXPECT_EQ(Value(std::optional<int>(3)).as_int(), 3);
  EXPECT_TRUE(Value(true).is_int());
  EXPECT_EQ(error_of([] { Value("abc").as_int(); }).kind(), ErrorKind::internal);
  EXPECT_EQ(error_of([] { Value("abc").as_blob(); }).kind(), ErrorKind::internal);
}

TEST(SqlText, FindsReturningOnlyInCode) {
  EXPECT_TRUE(detail::has_returning("INSERT INTO t VALUES (1) RETURNING id"));
  EXPECT_TRUE(detail::has_returning("insert into t values (1)\nreturning\tid"));
  EXPECT_FALSE(detail::has_returning("INSERT INTO t VALUES ('returning')"));
  EXPECT_FALSE(detail::has_returning("INSERT INTO returning_log VALUES (1) -- returning"));
}

}  // namespace
}  // namespace wangge::store::postgres
