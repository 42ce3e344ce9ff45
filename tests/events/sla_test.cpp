// The SLA clock on the working-day calendar, and the category taxonomy.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "events/events.h"
#include "testing/testing.h"

namespace wangge::events {
namespace {

Instant at(const char* iso) { return parse_instant(iso); }
std::string due(SlaClass c, const char* start) {
  return format_local(sla_due(c, at(start), WorkCalendar::china()));
}

TEST(SlaTest, SameDayEndsAtLocalMidnight) {
  EXPECT_EQ(due(SlaClass::same_day, "2026-04-07T09:10:00+08:00"), "2026-04-08T00:00:00+08:00");
  // 23:59 local is still the same day; 00:00 is the next.
  EXPECT_EQ(due(SlaClass::same_day, "2026-04-07T23:59:00+08:00"), "2026-04-08T00:00:00+08:00");
  EXPECT_EQ(due(SlaClass::same_day, "2026-04-08T00:00:00+08:00"), "2026-04-09T00:00:00+08:00");
  // 20:00 UTC is already the next local day.
  EXPECT_EQ(due(SlaClass::same_day, "2026-04-07T20:00:00Z"), "2026-04-09T00:00:00+08:00");
  // A holiday makes no difference to 当日结.
  EXPECT_EQ(due(SlaClass::same_day, "2026-10-01T10:00:00+08:00"), "2026-10-02T00:00:00+08:00");
}

TEST(SlaTest, ThreeDayCountsWorkingDays) {
  // Tuesday → Friday 24:00.
  EXPECT_EQ(due(SlaClass::three_day, "2026-04-07T10:00:00+08:00"), "2026-04-11T00:00:00+08:00");
  // Thursday → the weekend is skipped: Fri, Mon, Tue → Tuesday 24:00.
  EXPECT_EQ(due(SlaClass::three_day, "2026-04-09T10:00:00+08:00"), "2026-04-15T00:00:00+08:00");
  // Accepted on a Saturday: Mon, Tue, Wed.
  EXPECT_EQ(due(SlaClass::three_day, "2026-04-11T10:00:00+08:00"), "2026-04-16T00:00:00+08:00");
}

TEST(SlaTest, ThreeDayAcrossHolidaysAndMakeUpWorkdays) {
  // 2026-04-03 (Fri): 4–6 April are 清明 holidays → Tue 7, Wed 8, Thu 9.
  EXPECT_EQ(due(SlaClass::three_day, "2026-04-03T10:00:00+08:00"), "2026-04-10T00:00:00+08:00");
  // 2026-04-30 (Thu): 1–5 May 劳动节; Sat 9 May is a make-up workday → 6, 7, 8 May.
  EXPECT_EQ(due(SlaClass::three_day, "2026-04-30T10:00:00+08:00"), "2026-05-09T00:00:00+08:00");
  // 2026-05-07 (Thu): Fri 8, Sat 9 (调休上班), Mon 11.
  EXPECT_EQ(due(SlaClass::three_day, "2026-05-07T10:00:00+08:00"), "2026-05-12T00:00:00+08:00");
  // 2026-09-30 (Wed): 1–7 October 国庆; Thu 8, Fri 9, Sat 10 (调休上班).
  EXPECT_EQ(due(SlaClass::three_day, "2026-09-30T10:00:00+08:00"), "2026-10-11T00:00:00+08:00");
  // Reported on a holiday itself: 2026-10-03 → 8, 9, 10 October.
  EXPECT_EQ(due(SlaClass::three_day, "2026-10-03T10:00:00+08:00"), "2026-10-11T00:00:00+08:00");
}

TEST(SlaTest, DeadlineIsExplicitAndFreshClocksKeepItsLength) {
  const auto& cal = WorkCalendar::china();
  Instant start = at("2026-04-07T10:00:00+08:00");
  Instant d = at("2026-04-20T18:00:00+08:00");
  EXPECT_EQ(sla_due(SlaClass::deadline, start, cal, d), d);
  EXPECT_THROW(sla_due(SlaClass::deadline, start, cal), Error);
  Instant later = at("2026-04-21T00:00:00+08:00");
  EXPECT_EQ(fresh_due(SlaClass::deadline, later, start, d, cal), later + (d - start));
  EXPECT_EQ(fresh_due(SlaClass::same_day, later, start, d, cal), at("2026-04-22T00:00:00+08:00"));
}

TEST(SlaTest, DistanceInMetres) {
  // 0.001° of latitude is about 111 m.
  double m = distance_m(28.6290, 104.4120, 28.6300, 104.4120);
  EXPECT_NEAR(m, 111.2, 0.5);
  EXPECT_DOUBLE_EQ(distance_m(28.6, 104.4, 28.6, 104.4), 0.0);
}

TEST(CategoryTest, TheTaxonomyOfTheIssue) {
  const Category* sewage = find_category("排水与化粪池");
  ASSERT_NE(sewage, nullptr);
  EXPECT_EQ(sewage->code, "infra.sewage");
  EXPECT_EQ(sewage->parent, "infra");
  EXPECT_EQ(sewage->sla, SlaClass::same_day);
  const Category* infra = find_category("基础设施");
  ASSERT_NE(infra, nullptr);
  EXPECT_FALSE(infra->reportable);
  EXPECT_THROW(require_category("基础设施"), Error);
  EXPECT_TRUE(find_category("环境卫生")->reportable);
  for (const char* name :
       {"供水", "供电", "燃气", "道路", "公厕", "消防", "建筑", "地质灾害", "食品", "校园",
        "矛盾纠纷", "低保", "就业", "养老", "医疗", "教育", "社会治安", "新就业群体诉求", "其他"}) {
    EXPECT_NE(find_category(name), nullptr) << name;
  }
}

TEST(CategoryTest, BuiltInCopyMatchesTheDataFile) {
  std::ifstream in(wangge::testing::source_dir() / "data/events/categories.toml");
  ASSERT_TRUE(in) << "data/events/categories.toml";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), std::string(categories_source()));
}

TEST(CategoryTest, MalformedTaxonomiesAreRefused) {
  EXPECT_THROW(parse_categories("[[category]]\ncode = \"a\"\n"), Error);  // no name
  EXPECT_THROW(parse_categories("[[category]]\ncode = \"a.b\"\nname = \"x\"\nparent = \"a\"\n"),
               Error);  // parent not defined first
  EXPECT_THROW(parse_categories("[[category]]\ncode = \"a\"\nname = \"x\"\nsla = \"weekly\"\n"),
               Error);
  EXPECT_THROW(parse_categories("[[category]]\ncode = \"a\"\nname = \"x\"\n[[category]]\n"
                                "code = \"a\"\nname = \"y\"\n"),
               Error);
  EXPECT_THROW(parse_categories("not toml ["), Error);
  auto ok = parse_categories("[[category]]\ncode = \"a\"\nname = \"甲\"\nsla = \"same_day\"\n");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].sla, SlaClass::same_day);
}

TEST(NamesTest, EnumsRoundTripAndUnknownNamesAreBadInput) {
  for (auto s :
       {State::reported, State::accepted, State::dispatched, State::in_progress, State::resolved,
        State::closed, State::returned, State::reopened, State::cancelled}) {
    EXPECT_EQ(parse_state(to_string(s)), s);
    EXPECT_EQ(parse_state(label(s)), s);
  }
  EXPECT_EQ(parse_action("return"), Action::return_back);
  EXPECT_EQ(to_string(Action::return_back), "return");
  try {
    parse_action("fly");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_EQ(e.field(), "action");
  }
  EXPECT_EQ(parse_source("12345热线"), Source::hotline_12345);
  EXPECT_EQ(level_label(3), "乡镇（街道）");
  EXPECT_TRUE(is_open(State::returned));
  EXPECT_FALSE(is_open(State::resolved));
}

}  // namespace
}  // namespace wangge::events
