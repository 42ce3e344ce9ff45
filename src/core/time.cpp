#include "core/time.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <string>

#include "core/error.h"

namespace wangge {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

// Asia/Shanghai has kept UTC+8 without daylight saving since 1991; older instants do not
// occur in wangge's data, so a fixed offset is exact for it.
constexpr hours kShanghaiOffset{8};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A forward reader over the text being parsed.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool done() const { return i_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (done() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  // Reads exactly n ASCII digits.
  std::optional<int> digits(size_t n) {
    if (s_.size() - i_ < n) return std::nullopt;
    int v = 0;
    for (size_t k = 0; k < n; ++k) {
      char c = s_[i_ + k];
      if (!is_digit(c)) return std::nullopt;
      v = v * 10 + (c - '0');
    }
    i_ += n;
    return v;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// Reads "YYYY-MM-DD"; nullopt when malformed, an invalid Date (!ok()) when the day does not exist.
std::optional<Date> read_dashed_date(Cursor& c) {
  auto y = c.digits(4);
  if (!y || !c.eat('-')) return std::nullopt;
  auto m = c.digits(2);
  if (!m || !c.eat('-')) return std::nullopt;
  auto d = c.digits(2);
  if (!d) return std::nullopt;
  return Date{std::chrono::year{*y}, std::chrono::month(*m), std::chrono::day(*d)};
}

// Reads "YYYYMMDD".
std::optional<Date> read_compact_date(Cursor& c) {
  auto y = c.digits(4);
  auto m = y ? c.digits(2) : std::nullopt;
  auto d = m ? c.digits(2) : std::nullopt;
  if (!d) return std::nullopt;
  return Date{std::chrono::year{*y}, std::chrono::month(*m), std::chrono::day(*d)};
}

// Reads a whole text "YYYY-MM-DD" or "YYYYMMDD"; the Date may not exist (!ok()).
std::optional<Date> read_any_date(std::string_view text) {
  Cursor dashed(text);
  auto d = read_dashed_date(dashed);
  if (d && dashed.done()) return d;
  Cursor compact(text);
  d = read_compact_date(compact);
  if (d && compact.done()) return d;
  return std::nullopt;
}

// Reads a UTC offset after its sign: "HH:MM", "HHMM" or "HH".
std::optional<minutes> read_offset(Cursor& c) {
  auto h = c.digits(2);
  if (!h) return std::nullopt;
  int m = 0;
  if (c.eat(':')) {
    auto mm = c.digits(2);
    if (!mm) return std::nullopt;
    m = *mm;
  } else if (is_digit(c.peek())) {
    auto mm = c.digits(2);
    if (!mm) return std::nullopt;
    m = *mm;
  }
  if (*h > 23 || m > 59) return std::nullopt;
  return hours(*h) + minutes(m);
}

// Reads the fraction of a second after '.' or ',': 1 to 9 digits, truncated to milliseconds.
std::optional<milliseconds> read_fraction(Cursor& c) {
  int ms = 0;
  int n = 0;
  while (is_digit(c.peek())) {
    int digit = *c.digits(1);
    if (n < 3) ms = ms * 10 + digit;
    if (++n > 9) return std::nullopt;
  }
  if (n == 0) return std::nullopt;
  for (int k = n; k < 3; ++k) ms *= 10;
  return milliseconds(ms);
}

// The instant the text names, or nullopt when it is not one of the accepted forms.
std::optional<Instant> read_instant(std::string_view text) {
  Cursor c(text);
  auto date = read_dashed_date(c);
  if (!date || !date->ok()) return std::nullopt;
  if (!c.eat('T') && !c.eat('t') && !c.eat(' ')) return std::nullopt;
  auto h = c.digits(2);
  if (!h || !c.eat(':')) return std::nullopt;
  auto m = c.digits(2);
  if (!m) return std::nullopt;
  int s = 0;
  milliseconds frac{0};
  if (c.eat(':')) {
    auto ss = c.digits(2);
    if (!ss) return std::nullopt;
    s = *ss;
    if (c.eat('.') || c.eat(',')) {
      auto f = read_fraction(c);
      if (!f) return std::nullopt;
      frac = *f;
    }
  }
  if (*h > 23 || *m > 59 || s > 59) return std::nullopt;
  minutes offset = kShanghaiOffset;
  if (c.eat('Z') || c.eat('z')) {
    offset = minutes(0);
  } else if (c.peek() == '+' || c.peek() == '-') {
    bool minus = c.eat('-');
    if (!minus) c.eat('+');
    auto off = read_offset(c);
    if (!off) return std::nullopt;
    offset = minus ? -*off : *off;
  }
  if (!c.done()) return std::nullopt;
  auto local = sys_days(*date) + hours(*h) + minutes(*m) + seconds(s) + frac;
  return Instant(local - offset);
}

// Copies text for an error message: valid UTF-8 without control characters is kept, anything
// else becomes U+FFFD, so a message never carries bytes a JSON encoder would refuse. At most
// `limit` characters are kept: enough to recognise a typo, not a whole pasted file.
std::string printable(std::string_view s, size_t limit = 40) {
  std::string out;
  size_t shown = 0;
  for (size_t i = 0; i < s.size() && shown < limit; ++shown) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool ok = len > 0 && i + len <= s.size() && !(len == 1 && (c < 0x20 || c == 0x7F));
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

// Days since 1970-01-01 of the Monday on or before it; 1970-01-05 was a Monday.
constexpr int64_t kMonday = 4;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Monday-to-Friday days in [kMonday, day) — negative for days before it — so that the count in
// any range is a difference of two calls.
int64_t weekdays_before(int64_t day) {
  int64_t m = day - kMonday;
  int64_t weeks = floor_div(m, 7);
  return 5 * weeks + std::min<int64_t>(m - 7 * weeks, 5);
}

bool is_weekend(int64_t day) {
  unsigned wd = std::chrono::weekday(sys_days(days(day))).c_encoding();
  return wd == 0 || wd == 6;
}

[[noreturn]] void throw_line(int line, const std::string& zh, const std::string& en) {
  throw_bad_input("invalid_calendar", fmt::format("工作日历第{}行：{}", line, zh),
                  fmt::format("calendar line {}: {}", line, en), "calendar");
}

}  // namespace

Instant now() { return std::chrono::floor<milliseconds>(std::chrono::system_clock::now()); }

int64_t to_unix_ms(Instant t) { return t.time_since_epoch().count(); }

Instant from_unix_ms(int64_t ms) { return Instant(milliseconds(ms)); }

Instant parse_instant(std::string_view text, std::string_view field) {
  if (auto t = read_instant(text)) return *t;
  throw_bad_input("invalid_time",
                  "时间“" + printable(text) +
                      "”格式不正确，应写成 2026-03-01 16:00:00（北京时间）、"
                      "2026-03-01T16:00:00+08:00 或 2026-03-01T08:00:00Z",
                  "invalid time \"" + printable(text) +
                      "\"; expected 2026-03-01 16:00:00 (Beijing time), "
                      "2026-03-01T16:00:00+08:00 or 2026-03-01T08:00:00Z",
                  std::string(field));
}

std::string format_instant(Instant t) {
  auto day = std::chrono::floor<days>(t);
  Date d(day);
  std::chrono::hh_mm_ss<milliseconds> tod(t - day);
  return fmt::format("{}T{:02}:{:02}:{:02}.{:03}Z", format_date(d), tod.hours().count(),
                     tod.minutes().count(), tod.seconds().count(), tod.subseconds().count());
}

std::string format_local(Instant t) {
  auto local = t + kShanghaiOffset;
  auto day = std::chrono::floor<days>(local);
  std::chrono::hh_mm_ss<milliseconds> tod(local - day);
  return fmt::format("{}T{:02}:{:02}:{:02}+08:00", format_date(Date(day)), tod.hours().count(),
                     tod.minutes().count(), tod.seconds().count());
}

std::optional<Date> try_parse_date(std::string_view text) {
  auto d = read_any_date(text);
  if (!d || !d->ok()) return std::nullopt;
  return d;
}

Date parse_date(std::string_view text, std::string_view field) {
  auto d = read_any_date(text);
  if (d && d->ok()) return *d;
  std::string shown = printable(text);
  if (d) {
    throw_bad_input("invalid_date", "日期“" + shown + "”不存在，请核对年、月、日",
                    "date \"" + shown + "\" does not exist", std::string(field));
  }
  throw_bad_input("invalid_date", "日期“" + shown + "”格式不正确，应写成 2026-03-01 或 20260301",
                  "invalid date \"" + shown + "\"; expected 2026-03-01 or 20260301",
                  std::string(field));
}

std::string format_date(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

int64_t days_since_epoch(Date d) { return sys_days(d).time_since_epoch().count(); }

Date date_from_days(int64_t n) { return Date(sys_days(days(n))); }

Date local_date(Instant t) { return Date(std::chrono::floor<days>(t + kShanghaiOffset)); }

Instant local_midnight(Date d) { return Instant(sys_days(d) - kShanghaiOffset); }

int age_on(Date birth, Date on) {
  if (on < birth) return -age_on(on, birth);
  int years = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day())) {
    --years;
  }
  return years;
}

// ---- WorkCalendar ----

const WorkCalendar& WorkCalendar::china() {
  static const WorkCalendar calendar = parse(china_source());
  return calendar;
}

WorkCalendar WorkCalendar::parse(std::string_view text) {
  WorkCalendar cal;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // BOM left by Windows editors
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;

    size_t sp = line.find_first_of(" \t");
    std::string_view date_text = line.substr(0, sp);
    std::string_view rest = sp == std::string_view::npos ? "" : trim(line.substr(sp));
    std::string_view kind = rest.substr(0, rest.find_first_of(" \t"));

    auto date = try_parse_date(date_text);
    if (!date) {
      throw_line(line_no, "日期“" + printable(date_text) + "”无效，应写成 2026-02-16",
                 "invalid date \"" + printable(date_text) + "\"; expected 2026-02-16");
    }
    int64_t day = days_since_epoch(*date);
    if (kind == "holiday") {
      if (cal.workdays_.contains(day)) {
        throw_line(line_no, format_date(*date) + " 已被列为调休上班日，不能同时是假日",
                   format_date(*date) + " is already listed as a workday");
      }
      cal.holidays_.insert(day);
    } else if (kind == "workday") {
      if (cal.holidays_.contains(day)) {
        throw_line(line_no, format_date(*date) + " 已被列为假日，不能同时是调休上班日",
                   format_date(*date) + " is already listed as a holiday");
      }
      if (!is_weekend(day)) {
        throw_line(line_no, format_date(*date) + " 不是周六或周日，本来就上班，不必列为调休上班日",
                   format_date(*date) +
                       " is not a Saturday or Sunday; only weekend days can "
                       "be make-up workdays");
      }
      cal.workdays_.insert(day);
    } else {
      throw_line(
          line_no,
          "第二项应为 holiday（放假）或 workday（调休上班），现在是“" + printable(kind) + "”",
          "the second field must be holiday or workday, not \"" + printable(kind) + "\"");
    }
  }
  return cal;
}

WorkCalendar WorkCalendar::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_bad_input("invalid_calendar", "无法读取工作日历文件 " + printable(path, 4096),
                    "cannot read the calendar file " + printable(path, 4096), "calendar");
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return parse(text);
  } catch (const Error& e) {
    throw_bad_input(e.code(), printable(path, 4096) + "：" + e.message(Lang::zh),
                    printable(path, 4096) + ": " + e.message(Lang::en), e.field());
  }
}

bool WorkCalendar::working(int64_t day) const {
  if (holidays_.contains(day)) return false;
  return workdays_.contains(day) || !is_weekend(day);
}

bool WorkCalendar::is_working_day(Date d) const { return working(days_since_epoch(d)); }

Date WorkCalendar::add_working_days(Date d, int n) const {
  int64_t day = days_since_epoch(d);
  while (n > 0) {
    ++day;
    if (working(day)) --n;
  }
  return date_from_days(day);
}

int WorkCalendar::working_days_between(Date from, Date to) const {
  int64_t a = days_since_epoch(from), b = days_since_epoch(to);
  if (b <= a) return 0;
  // Weekdays in (a, b], corrected by the listed days that fall in the range.
  int64_t n = weekdays_before(b + 1) - weekdays_before(a + 1);
  for (auto it = holidays_.upper_bound(a); it != holidays_.end() && *it <= b; ++it) {
    if (!is_weekend(*it)) --n;
  }
  for (auto it = workdays_.upper_bound(a); it != workdays_.end() && *it <= b; ++it) {
    if (is_weekend(*it) && !holidays_.contains(*it)) ++n;
  }
  return static_cast<int>(n);
}

}  // namespace wangge
