// The built-in China working-day calendar. Keep it identical to data/calendar/china.txt (a test
// compares the two): edit the file, then paste it between the delimiters below.
#include "core/time.h"

namespace wangge {
namespace {

constexpr std::string_view kChinaCalendar =
    R"cal(# wangge working-day calendar: mainland China public holidays (法定节假日) and make-up
# working days (调休上班). Weekends are rest days unless listed as "workday"; a "holiday" is a
# rest day whatever the weekday. One day a line: "YYYY-MM-DD holiday|workday name".
# The same text is built into the program (src/core/calendar_china.cpp);
# WorkCalendar::load reads a file like this one, so operators can correct or extend it
# without a new build.
# Sources: 国务院办公厅关于2025年部分节假日安排的通知; …关于2026年部分节假日安排的通知.

# ---- 2025 ----
2025-01-01 holiday 元旦

2025-01-26 workday 春节调休
2025-01-28 holiday 春节
2025-01-29 holiday 春节
2025-01-30 holiday 春节
2025-01-31 holiday 春节
2025-02-01 holiday 春节
2025-02-02 holiday 春节
2025-02-03 holiday 春节
2025-02-04 holiday 春节
2025-02-08 workday 春节调休

2025-04-04 holiday 清明节
2025-04-05 holiday 清明节
2025-04-06 holiday 清明节

2025-04-27 workday 劳动节调休
2025-05-01 holiday 劳动节
2025-05-02 holiday 劳动节
2025-05-03 holiday 劳动节
2025-05-04 holiday 劳动节
2025-05-05 holiday 劳动节

2025-05-31 holiday 端午节
2025-06-01 holiday 端午节
2025-06-02 holiday 端午节

2025-09-28 workday 国庆节、中秋节调休
2025-10-01 holiday 国庆节、中秋节
2025-10-02 holiday 国庆节、中秋节
2025-10-03 holiday 国庆节、中秋节
2025-10-04 holiday 国庆节、中秋节
2025-10-05 holiday 国庆节、中秋节
2025-10-06 holiday 国庆节、中秋节
2025-10-07 holiday 国庆节、中秋节
2025-10-08 holiday 国庆节、中秋节
2025-10-11 workday 国庆节、中秋节调休

# ---- 2026 ----
2026-01-01 holiday 元旦
2026-01-02 holiday 元旦
2026-01-03 holiday 元旦
2026-01-04 workday 元旦调休

2026-02-14 workday 春节调休
2026-02-15 holiday 春节
2026-02-16 holiday 春节
2026-02-17 holiday 春节
2026-02-18 holiday 春节
2026-02-19 holiday 春节
2026-02-20 holiday 春节
2026-02-21 holiday 春节
2026-02-22 holiday 春节
2026-02-23 holiday 春节
2026-02-28 workday 春节调休

2026-04-04 holiday 清明节
2026-04-05 holiday 清明节
2026-04-06 holiday 清明节

2026-05-01 holiday 劳动节
2026-05-02 holiday 劳动节
2026-05-03 holiday 劳动节
2026-05-04 holiday 劳动节
2026-05-05 holiday 劳动节
2026-05-09 workday 劳动节调休

2026-06-19 holiday 端午节
2026-06-20 holiday 端午节
2026-06-21 holiday 端午节

2026-09-20 workday 国庆节调休
2026-09-25 holiday 中秋节
2026-09-26 holiday 中秋节
2026-09-27 holiday 中秋节

2026-10-01 holiday 国庆节
2026-10-02 holiday 国庆节
2026-10-03 holiday 国庆节
2026-10-04 holiday 国庆节
2026-10-05 holiday 国庆节
2026-10-06 holiday 国庆节
2026-10-07 holiday 国庆节
2026-10-10 workday 国庆节调休

# ---- 2027 ----
# 2027: provisional until the State Council notice; edit this file
# Derived from the lunar dates (春节 2027-02-06, 清明 04-05, 端午 06-09, 中秋 09-15) by the rules
# the 2025 and 2026 notices follow: 13 statutory days (元旦 1, 春节 4 from 除夕, 清明 1,
# 劳动节 2, 端午 1, 中秋 1, 国庆 3); a statutory day on a weekend moves to the next weekday;
# 春节 and 国庆 are joined with weekends by make-up days, at most 6 working days in a row.
2027-01-01 holiday 元旦
2027-01-02 holiday 元旦
2027-01-03 holiday 元旦

2027-01-31 workday 春节调休
2027-02-05 holiday 春节
2027-02-06 holiday 春节
2027-02-07 holiday 春节
2027-02-08 holiday 春节
2027-02-09 holiday 春节
2027-02-10 holiday 春节
2027-02-11 holiday 春节
2027-02-12 holiday 春节
2027-02-13 holiday 春节
2027-02-14 holiday 春节
2027-02-20 workday 春节调休

2027-04-03 holiday 清明节
2027-04-04 holiday 清明节
2027-04-05 holiday 清明节

2027-05-01 holiday 劳动节
2027-05-02 holiday 劳动节
2027-05-03 holiday 劳动节
2027-05-04 holiday 劳动节
2027-05-05 holiday 劳动节
2027-05-08 workday 劳动节调休

2027-06-09 holiday 端午节

2027-09-15 holiday 中秋节

2027-09-26 workday 国庆节调休
2027-10-01 holiday 国庆节
2027-10-02 holiday 国庆节
2027-10-03 holiday 国庆节
2027-10-04 holiday 国庆节
2027-10-05 holiday 国庆节
2027-10-06 holiday 国庆节
2027-10-07 holiday 国庆节
2027-10-09 workday 国庆节调休
)cal";

}  // namespace

std::string_view WorkCalendar::china_source() { return kChinaCalendar; }

}  // namespace wangge
