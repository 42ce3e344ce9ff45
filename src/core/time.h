// Time: UTC instants inside, Asia/Shanghai days outside, and the working-day calendar
// (法定节假日 and 调休 make-up working days) that SLA clocks count on.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace wangge {

// A point in time, UTC, millisecond resolution.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;
// A civil day in Asia/Shanghai (UTC+8, no daylight saving since 1991).
using Date = std::chrono::year_month_day;

Instant now();
int64_t to_unix_ms(Instant t);
Instant from_unix_ms(int64_t ms);

// ISO 8601: "2026-03-01T08:00:00Z", "2026-03-01T16:00:00+08:00", "2026-03-01 16:00:00" (local).
// Also accepted: 'T' or ' ' between date and time, seconds omitted ("2026-03-01T08:00Z"),
// a fraction of a second (kept to the millisecond), offsets "+0800" and "+08", lower-case
// 't'/'z'. Without an offset the time is Asia/Shanghai local time.
// Throws Error(bad_input, "invalid_time", field) on anything else (a date alone included).
Instant parse_instant(std::string_view text, std::string_view field = "time");
// "2026-03-01T08:00:00.000Z"
std::string format_instant(Instant t);
// "2026-03-01T16:00:00+08:00"
std::string format_local(Instant t);

// "2026-03-01" (also accepts "20260301"). Throws Error(bad_input, "invalid_date", field) on a
// malformed or non-existent date (2026-02-30).
Date parse_date(std::string_view text, std::string_view field = "date");
std::optional<Date> try_parse_date(std::string_view text);
std::string format_date(Date d);  // "2026-03-01"
int64_t days_since_epoch(Date d);
Date date_from_days(int64_t days);

// The Asia/Shanghai day an instant falls on, and the instant a local day starts.
Date local_date(Instant t);
Instant local_midnight(Date d);

// Whole years between birth and on (周岁 on a given day): the age goes up on the birthday, and
// on 1 March in common years for someone born on 29 February. When on < birth, minus the
// whole years from on to birth.
int age_on(Date birth, Date on);

// Working-day calendar. Weekends are rest days unless listed as make-up working days (调休上班);
// listed holidays are rest days whatever the weekday.
class WorkCalendar {
 public:
  // The calendar with mainland China's 2025–2027 public holidays built in.
  static const WorkCalendar& china();
  // The text china() is parsed from; data/calendar/china.txt holds the same text.
  static std::string_view china_source();
  // Parses lines "2026-02-16 holiday 春节" / "2026-02-14 workday 春节调休"; '#' starts a
  // comment; blank lines, CRLF and a UTF-8 BOM are fine. Throws Error(bad_input,
  // "invalid_calendar", "calendar") naming the line on a malformed line, a day listed both as
  // holiday and workday, or a "workday" that is not a Saturday or Sunday.
  static WorkCalendar parse(std::string_view text);
  // Reads and parses a file; the same error, naming the file, also when it cannot be read.
  static WorkCalendar load(const std::string& path);

  bool is_working_day(Date d) const;
  // The n-th working day strictly after d (n >= 1); d itself when n <= 0.
  Date add_working_days(Date d, int n) const;
  // Working days in (from, to]; 0 when to <= from.
  int working_days_between(Date from, Date to) const;

  const std::set<int64_t>& holidays() const { return holidays_; }
  const std::set<int64_t>& workdays() const { return workdays_; }

 private:
  bool working(int64_t day) const;

  std::set<int64_t> holidays_;  // days since epoch
  std::set<int64_t> workdays_;
};

}  // namespace wangge
