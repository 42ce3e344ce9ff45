#include "core/time.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.h"
#include "helpers.h"
#include "testing/testing.h"

namespace wangge {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

using testing_core::ymd;

Instant utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
  return Instant(sys_days(ymd(y, m, d)) + std::chrono::hours(h) + std::chrono::minutes(min) +
                 std::chrono::seconds(s));
}

using testing_core::expect_bad_input;

bool valid_utf8_no_controls(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size() || (len == 1 && c < 0x20)) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// ---- instants ----

TEST(ParseInstant, UtcOffsetsAndLocal) {
  Instant t = utc(2026, 3, 1, 8);
  EXPECT_EQ(parse_instant("2026-03-01T08:00:00Z"), t);
  EXPECT_EQ(parse_instant("2026-03-01t08:00:00z"), t);
  EXPECT_EQ(parse_instant("2026-03-01T16:00:00+08:00"), t);
  EXPECT_EQ(parse_instant("2026-03-01T16:00:00+0800"), t);
  EXPECT_EQ(parse_instant("2026-03-01T16:00:00+08"), t);
  EXPECT_EQ(parse_instant("2026-03-01T03:00:00-05:00"), t);
  EXPECT_EQ(parse_instant("2026-03-01T13:45:00+05:45"), t);
  EXPECT_EQ(parse_instant("2026-03-01T08:00Z"), t);
  // No offset: Asia/Shanghai wall-clock time.
  EXPECT_EQ(parse_instant("2026-03-01 16:00:00"), t);
  EXPECT_EQ(parse_instant("2026-03-01T16:00:00"), t);
  EXPECT_EQ(parse_instant("2026-03-01 16:00"), t);
  // Local midnight is the previous UTC day.
  EXPECT_EQ(parse_instant("2026-03-01 00:00:00"), utc(2026, 2, 28, 16));
  EXPECT_EQ(parse_instant("2024-02-29T23:59:59Z"), utc(2024, 2, 29, 23, 59, 59));
}

TEST(ParseInstant, FractionsKeepMilliseconds) {
  Instant t = utc(2026, 3, 1, 8);
  EXPECT_EQ(parse_instant("2026-03-01T08:00:00.5Z"), t + 500ms);
  EXPECT_EQ(parse_instant("2026-03-01T08:00:00.25Z"), t + 250ms);
  EXPECT_EQ(parse_instant("2026-03-01T08:00:00.123Z"), t + 123ms);
  EXPECT_EQ(parse_instant("2026-03-01T08:00:00,123456789Z"), t + 123ms);
  EXPECT_EQ(parse_instant("2026-03-01 16:00:00.999"), t + 999ms);
}

TEST(ParseInstant, RejectsMalformedText) {
  const std::vector<std::string> bad = {
      "",
      "2026-03-01",  // a date alone is not an instant
      "20260301T080000Z",
      "2026-03-01T24:00:00Z",
      "2026-03-01T08:60:00Z",
      "2026-03-01T08:00:60Z",
      "2026-02-29T08:00:00Z",  // 2026 is not a leap year
      "2026-13-01T08:00:00Z",
      "2026-3-1 8:00:00",
      "2026/03/01 08:00:00",
      "2026-03-01T08:00:00+24:00",
      "2026-03-01T08:00:00+08:60",
      "2026-03-01T08:00:00+8",
      "2026-03-01T08:00:00 Z",
      "2026-03-01T08:00:00Zjunk",
      "2026-03-01T08:00:00.Z",
      "2026-03-01T08:00:00.1234567890Z",
      " 2026-03-01T08:00:00Z",
      std::string("2026-03-01T08:00:00Z\0", 21),
      std::string("2026-03-01\0T08:00:00Z", 21),
      "\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96-03-01T08:00:00Z",  // "２０２６"
      "\xFF\xFE\x80garbage",
      "2026-03-01T08:00:00\xE5\x8C\x97\xE4\xBA\xAC",  // "北京"
  };
  for (const std::string& text : bad) {
    SCOPED_TRACE(text);
    Error e = expect_bad_input([&] { parse_instant(text); });
    EXPECT_EQ(e.code(), "invalid_time");
    EXPECT_EQ(e.field(), "time");
    EXPECT_NE(e.message(Lang::zh).find("格式不正确"), std::string::npos);
    EXPECT_TRUE(valid_utf8_no_controls(e.message(Lang::zh)));
    EXPECT_TRUE(valid_utf8_no_controls(e.message(Lang::en)));
  }
  Error e = expect_bad_input([] { parse_instant("yesterday", "now"); });
  EXPECT_EQ(e.field(), "now");
}

TEST(FormatInstant, UtcAndLocal) {
  Instant t = utc(2026, 3, 1, 8) + 7ms;
  EXPECT_EQ(format_instant(t), "2026-03-01T08:00:00.007Z");
  EXPECT_EQ(format_local(t), "2026-03-01T16:00:00+08:00");
  EXPECT_EQ(format_local(utc(2026, 2, 28, 16)), "2026-03-01T00:00:00+08:00");
  EXPECT_EQ(format_local(utc(2026, 2, 28, 15, 59, 59)), "2026-02-28T23:59:59+08:00");
  EXPECT_EQ(format_instant(from_unix_ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_instant(from_unix_ms(-1)), "1969-12-31T23:59:59.999Z");
}

TEST(FormatInstant, RoundTrips) {
  int64_t ms = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  for (int i = 0; i < 2000; ++i) {
    ms += 86'399'997 + i * 7'919;  // about a day, at varying times of day
    Instant t = from_unix_ms(ms);
    ASSERT_EQ(to_unix_ms(t), ms);
    ASSERT_EQ(parse_instant(format_instant(t)), t) << format_instant(t);
    ASSERT_EQ(parse_instant(format_local(t)), std::chrono::floor<std::chrono::seconds>(t))
        << format_local(t);
  }
}

TEST(Now, IsPlausible) {
  Instant t = now();
  EXPECT_GT(t, utc(2025, 1, 1));
}

// ---- dates ----

TEST(ParseDate, BothForms) {
  EXPECT_EQ(parse_date("2026-03-01"), ymd(2026, 3, 1));
  EXPECT_EQ(parse_date("20260301"), ymd(2026, 3, 1));
  EXPECT_EQ(parse_date("2024-02-29"), ymd(2024, 2, 29));
  EXPECT_EQ(parse_date("2000-02-29"), ymd(2000, 2, 29));
  EXPECT_EQ(try_parse_date("1999-12-31"), ymd(1999, 12, 31));
  EXPECT_EQ(format_date(ymd(2026, 3, 1)), "2026-03-01");
  EXPECT_EQ(format_date(ymd(987, 1, 2)), "0987-01-02");
}

TEST(ParseDate, NonExistentDaysSaySo) {
  for (std::string text : {"2026-02-29", "1900-02-29", "2026-04-31", "20260230", "2026-13-01",
                           "2026-00-10", "2026-01-00"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(try_parse_date(text));
    Error e = expect_bad_input([&] { parse_date(text, "birth_date"); });
    EXPECT_EQ(e.code(), "invalid_date");
    EXPECT_EQ(e.field(), "birth_date");
    EXPECT_NE(e.message(Lang::zh).find("不存在"), std::string::npos) << e.message(Lang::zh);
  }
}

TEST(ParseDate, RejectsMalformedText) {
  const std::vector<std::string> bad = {
      "",
      "2026-3-1",
      "2026/03/01",
      "2026-03-01 ",
      "2026-03-01T00:00:00Z",
      "202631",
      "2026030",
      "202603011",
      "2026-0301",
      std::string("2026-03-01\0", 11),
      std::string("20260\0", 6) + "301",
      "\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96-03-01",             // "２０２６-03-01"
      std::string("2026\xE5\xB9\xB4") + "3\xE6\x9C\x88" + "1\xE6\x97\xA5",  // "2026年3月1日"
      "\xC3\x28\xA0\xA1",                                                   // broken UTF-8
  };
  for (const std::string& text : bad) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(try_parse_date(text));
    Error e = expect_bad_input([&] { parse_date(text); });
    EXPECT_EQ(e.code(), "invalid_date");
    EXPECT_EQ(e.field(), "date");
    EXPECT_NE(e.message(Lang::zh).find("格式不正确"), std::string::npos);
    EXPECT_TRUE(valid_utf8_no_controls(e.message(Lang::zh)));
  }
}

TEST(Days, EpochArithmetic) {
  EXPECT_EQ(days_since_epoch(ymd(1970, 1, 1)), 0);
  EXPECT_EQ(days_since_epoch(ymd(1969, 12, 31)), -1);
  EXPECT_EQ(days_since_epoch(ymd(2026, 3, 1)), 20513);
  for (int64_t n = -40000; n < 40000; n += 37) {
    ASSERT_EQ(days_since_epoch(date_from_days(n)), n);
  }
}

TEST(LocalDay, ShanghaiIsUtcPlusEight) {
  EXPECT_EQ(local_date(utc(2026, 2, 28, 15, 59, 59) + 999ms), ymd(2026, 2, 28));
  EXPECT_EQ(local_date(utc(2026, 2, 28, 16)), ymd(2026, 3, 1));
  EXPECT_EQ(local_date(utc(2026, 3, 1, 15, 59, 59)), ymd(2026, 3, 1));
  EXPECT_EQ(local_midnight(ymd(2026, 3, 1)), utc(2026, 2, 28, 16));
  EXPECT_EQ(local_midnight(ymd(2026, 3, 1)), parse_instant("2026-03-01 00:00:00"));
  for (int64_t n = 19000; n < 22000; n += 13) {
    Date d = date_from_days(n);
    ASSERT_EQ(local_date(local_midnight(d)), d);
    ASSERT_EQ(local_date(local_midnight(d) - 1ms), date_from_days(n - 1));
  }
}

TEST(AgeOn, Birthdays) {
  Date b = ymd(2000, 6, 15);
  EXPECT_EQ(age_on(b, b), 0);
  EXPECT_EQ(age_on(b, ymd(2001, 6, 14)), 0);
  EXPECT_EQ(age_on(b, ymd(2001, 6, 15)), 1);
  EXPECT_EQ(age_on(b, ymd(2026, 6, 14)), 25);
  EXPECT_EQ(age_on(b, ymd(2026, 6, 15)), 26);
  EXPECT_EQ(age_on(b, ymd(2026, 5, 31)), 25);
  EXPECT_EQ(age_on(b, ymd(2026, 7, 1)), 26);
  EXPECT_EQ(age_on(ymd(1990, 12, 31), ymd(1991, 12, 30)), 0);
  EXPECT_EQ(age_on(ymd(1990, 12, 31), ymd(1991, 12, 31)), 1);
  EXPECT_EQ(age_on(ymd(1990, 1, 1), ymd(2025, 12, 31)), 35);
  EXPECT_EQ(age_on(b, ymd(1999, 6, 15)), -1);
}

TEST(AgeOn, LeapDayBirthday) {
  Date b = ymd(2004, 2, 29);
  EXPECT_EQ(age_on(b, ymd(2005, 2, 28)), 0);
  EXPECT_EQ(age_on(b, ymd(2005, 3, 1)), 1);
  EXPECT_EQ(age_on(b, ymd(2026, 2, 28)), 21);
  EXPECT_EQ(age_on(b, ymd(2026, 3, 1)), 22);
  EXPECT_EQ(age_on(b, ymd(2028, 2, 28)), 23);
  EXPECT_EQ(age_on(b, ymd(2028, 2, 29)), 24);
  // Someone born on 1 March is a day younger, even in a leap year.
  EXPECT_EQ(age_on(ymd(2004, 3, 1), ymd(2028, 2, 29)), 23);
}

// ---- working-day calendar ----

const WorkCalendar& cn() { return WorkCalendar::china(); }

TEST(WorkCalendar, WeekendsHolidaysAndMakeUpDays) {
  EXPECT_TRUE(cn().is_working_day(ymd(2026, 3, 2)));    // Monday
  EXPECT_FALSE(cn().is_working_day(ymd(2026, 3, 7)));   // Saturday
  EXPECT_FALSE(cn().is_working_day(ymd(2026, 3, 8)));   // Sunday
  EXPECT_FALSE(cn().is_working_day(ymd(2026, 1, 1)));   // 元旦, Thursday
  EXPECT_FALSE(cn().is_working_day(ymd(2026, 1, 2)));   // 元旦, Friday
  EXPECT_TRUE(cn().is_working_day(ymd(2026, 1, 4)));    // Sunday, 元旦调休
  EXPECT_TRUE(cn().is_working_day(ymd(2026, 2, 14)));   // Saturday, 春节调休
  EXPECT_FALSE(cn().is_working_day(ymd(2026, 2, 16)));  // 春节, Monday
  EXPECT_FALSE(cn().is_working_day(ymd(2026, 2, 23)));  // 春节, Monday
  EXPECT_TRUE(cn().is_working_day(ymd(2026, 2, 24)));
  EXPECT_TRUE(cn().is_working_day(ymd(2026, 2, 28)));   // Saturday, 春节调休
  EXPECT_TRUE(cn().is_working_day(ymd(2025, 1, 26)));   // Sunday, 春节调休
  EXPECT_FALSE(cn().is_working_day(ymd(2025, 10, 8)));  // 国庆中秋, Wednesday
  EXPECT_TRUE(cn().is_working_day(ymd(2025, 10, 11)));  // Saturday
  EXPECT_FALSE(cn().is_working_day(ymd(2027, 2, 8)));   // 2027 春节 (provisional)
  EXPECT_TRUE(cn().is_working_day(ymd(2028, 1, 3)));    // beyond the list: weekdays work
}

TEST(WorkCalendar, AddWorkingDaysAcrossSpringFestival2026) {
  EXPECT_EQ(cn().add_working_days(ymd(2026, 2, 13), 1), ymd(2026, 2, 14));
  EXPECT_EQ(cn().add_working_days(ymd(2026, 2, 13), 2), ymd(2026, 2, 24));
  EXPECT_EQ(cn().add_working_days(ymd(2026, 2, 12), 3), ymd(2026, 2, 24));  // 3日结
  EXPECT_EQ(cn().add_working_days(ymd(2026, 2, 14), 1), ymd(2026, 2, 24));
  EXPECT_EQ(cn().add_working_days(ymd(2026, 2, 16), 1), ymd(2026, 2, 24));
  EXPECT_EQ(cn().add_working_days(ymd(2026, 2, 16), 5), ymd(2026, 2, 28));
  EXPECT_EQ(cn().add_working_days(ymd(2026, 2, 16), 6), ymd(2026, 3, 2));
  EXPECT_EQ(cn().add_working_days(ymd(2026, 3, 6), 1), ymd(2026, 3, 9));
  EXPECT_EQ(cn().add_working_days(ymd(2026, 3, 6), 0), ymd(2026, 3, 6));
  EXPECT_EQ(cn().add_working_days(ymd(2025, 9, 30), 1), ymd(2025, 10, 9));
}

TEST(WorkCalendar, WorkingDaysBetween) {
  EXPECT_EQ(cn().working_days_between(ymd(2026, 2, 13), ymd(2026, 2, 28)), 6);
  EXPECT_EQ(cn().working_days_between(ymd(2026, 2, 14), ymd(2026, 2, 23)), 0);
  EXPECT_EQ(cn().working_days_between(ymd(2026, 2, 13), ymd(2026, 2, 14)), 1);
  EXPECT_EQ(cn().working_days_between(ymd(2026, 3, 2), ymd(2026, 3, 2)), 0);
  EXPECT_EQ(cn().working_days_between(ymd(2026, 3, 9), ymd(2026, 3, 2)), 0);
  EXPECT_EQ(cn().working_days_between(ymd(2026, 3, 1), ymd(2026, 3, 8)), 5);
}

// The arithmetic count agrees with counting day by day, and with add_working_days.
TEST(WorkCalendar, BetweenAgreesWithCountingDays) {
  int64_t first = days_since_epoch(ymd(2024, 12, 1));
  int64_t last = days_since_epoch(ymd(2028, 1, 31));
  for (int64_t a = first; a < last; a += 11) {
    int count = 0;
    for (int64_t b = a; b < std::min(last, a + 400); ++b) {
      if (b > a && cn().is_working_day(date_from_days(b))) ++count;
      ASSERT_EQ(cn().working_days_between(date_from_days(a), date_from_days(b)), count)
          << format_date(date_from_days(a)) << " .. " << format_date(date_from_days(b));
      if (count > 0 && cn().is_working_day(date_from_days(b))) {
        ASSERT_EQ(cn().add_working_days(date_from_days(a), count), date_from_days(b));
      }
    }
  }
}

// Each year has 13 statutory days off on weekdays net of make-up days, hence 248 working days,
// and no stretch of more than 6 working days in a row.
TEST(WorkCalendar, BuiltInYearsAreConsistent) {
  for (int y : {2025, 2026, 2027}) {
    SCOPED_TRACE(y);
    int working = 0, run = 0, longest = 0;
    for (Date d = ymd(y, 1, 1); d.year() == std::chrono::year{y};
         d = date_from_days(days_since_epoch(d) + 1)) {
      bool w = cn().is_working_day(d);
      working += w;
      run = w ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    EXPECT_EQ(working, 248);
    EXPECT_LE(longest, 6);
    EXPECT_EQ(cn().working_days_between(ymd(y - 1, 12, 31), ymd(y, 12, 31)), 248);
  }
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in) << p;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(WorkCalendar, BuiltInMatchesDataFile) {
  auto path = testing::source_dir() / "data/calendar/china.txt";
  std::string file = read_file(path);
  std::string_view built_in = WorkCalendar::china_source();
  if (file != built_in) {
    auto [f, b] = std::mismatch(file.begin(), file.end(), built_in.begin(), built_in.end());
    ADD_FAILURE() << "src/core/calendar_china.cpp and data/calendar/china.txt have drifted apart "
                  << "at line " << std::count(file.begin(), f, '\n') + 1 << " of the file";
  }
  WorkCalendar loaded = WorkCalendar::load(path.string());
  EXPECT_EQ(loaded.holidays(), cn().holidays());
  EXPECT_EQ(loaded.workdays(), cn().workdays());
  EXPECT_NE(WorkCalendar::china_source().find(
                "# 2027: provisional until the State Council notice; edit this file"),
            std::string::npos);
}

TEST(WorkCalendar, ParsesCommentsBlankLinesCrlfAndBom) {
  WorkCalendar c = WorkCalendar::parse(
      "\xEF\xBB\xBF# a comment\r\n"
      "\r\n"
      "2026-03-02 holiday 测试假日  # inline comment\r\n"
      "\t2026-03-07\tworkday\r\n"
      "20260303 holiday\n"
      "   \n"
      "2026-03-02 holiday again");
  EXPECT_FALSE(c.is_working_day(ymd(2026, 3, 2)));
  EXPECT_FALSE(c.is_working_day(ymd(2026, 3, 3)));
  EXPECT_TRUE(c.is_working_day(ymd(2026, 3, 7)));
  EXPECT_FALSE(c.is_working_day(ymd(2026, 3, 8)));
  EXPECT_EQ(c.holidays().size(), 2u);
  EXPECT_EQ(c.workdays().size(), 1u);
  WorkCalendar empty = WorkCalendar::parse("");
  EXPECT_TRUE(empty.is_working_day(ymd(2026, 2, 16)));
  EXPECT_EQ(empty.working_days_between(ymd(2026, 2, 13), ymd(2026, 2, 28)), 10);
}

TEST(WorkCalendar, ParseErrorsNameTheLine) {
  struct Case {
    std::string text;
    int line;
    std::string zh;
  };
  const std::vector<Case> cases = {
      {"2026-02-16 holiday 春节\n2026-02-30 holiday 春节", 2, "日期"},
      {"# header\n\n2026-02-16 vacation", 3, "holiday"},
      {"2026-02-16", 1, "holiday"},
      {"2026-02-16 Holiday", 1, "holiday"},
      {"2026-02-16 workday", 1, "不是周六或周日"},
      {"2026-02-14 workday\n2026-02-14 holiday", 2, "调休上班日"},
      {"2026-02-15 holiday\n2026-02-15 workday", 2, "假日"},
      {"2026/02/16 holiday", 1, "日期"},
      {"a\n2026-02-16 holiday\n\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x96-02-16 holiday", 1,
       "日期"},
      {"2026-02-16 holiday\n2026-02-17 holiday\r\n\xFF\xFE holiday", 3, "日期"},
      {"2026-02-16 holiday\n" + std::string("2026-02-17\0holiday", 18), 2, "日期"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Error e = expect_bad_input([&] { WorkCalendar::parse(c.text); });
    EXPECT_EQ(e.code(), "invalid_calendar");
    EXPECT_EQ(e.field(), "calendar");
    EXPECT_NE(e.message(Lang::zh).find("第" + std::to_string(c.line) + "行"), std::string::npos)
        << e.message(Lang::zh);
    EXPECT_NE(e.message(Lang::en).find("line " + std::to_string(c.line)), std::string::npos)
        << e.message(Lang::en);
    EXPECT_NE(e.message(Lang::zh).find(c.zh), std::string::npos) << e.message(Lang::zh);
    EXPECT_TRUE(valid_utf8_no_controls(e.message(Lang::zh)));
  }
}

TEST(WorkCalendar, LoadErrorsNameTheFile) {
  auto dir = testing::temp_dir("wangge-calendar");
  Error missing = expect_bad_input([&] { WorkCalendar::load((dir / "none.txt").string()); });
  EXPECT_EQ(missing.code(), "invalid_calendar");
  EXPECT_NE(missing.message(Lang::zh).find("none.txt"), std::string::npos);

  auto bad = dir / "bad.txt";
  std::ofstream(bad) << "2026-02-16 holiday\n2026-02-17 holliday\n";
  Error e = expect_bad_input([&] { WorkCalendar::load(bad.string()); });
  EXPECT_NE(e.message(Lang::zh).find("bad.txt"), std::string::npos);
  EXPECT_NE(e.message(Lang::zh).find("第2行"), std::string::npos);
  EXPECT_NE(e.message(Lang::en).find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace wangge
