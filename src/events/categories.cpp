// The built-in category taxonomy. Keep it identical to data/events/categories.toml (a test
// compares the two): edit the file, then paste it between the delimiters below.
#include "events/events.h"

namespace wangge::events {
namespace {

constexpr std::string_view kCategories =
    R"toml(# 事件分类 (two-level taxonomy of the closed loop) and each category's default SLA class:
# same_day 当日结, three_day 3日结, deadline 限期结. A parent with children is not reportable
# itself and has no sla. The same text is compiled into the program as the fallback
# (src/events/categories.cpp); keep the two identical (a unit test compares them).
#
# public = true: the city publishes the category through Open311 (GET requests): requests made
# through Open311, and events an owner reviewed and published, with rounded coordinates and,
# once published, their description and address. Default false: the category is not shown
# there at all. Disputes, livelihood and public order are never published by default: their
# words name people.

[[category]]
code = "infra"
name = "基础设施"

[[category]]
code = "infra.water"
name = "供水"
parent = "infra"
sla = "same_day"
public = true

[[category]]
code = "infra.power"
name = "供电"
parent = "infra"
sla = "same_day"
public = true

[[category]]
code = "infra.gas"
name = "燃气"
parent = "infra"
sla = "same_day"
public = true

[[category]]
code = "infra.road"
name = "道路"
parent = "infra"
sla = "three_day"
public = true

[[category]]
code = "infra.sewage"
name = "排水与化粪池"
parent = "infra"
sla = "same_day"
public = true

[[category]]
code = "infra.toilet"
name = "公厕"
parent = "infra"
sla = "three_day"
public = true

[[category]]
code = "safety"
name = "安全隐患"

[[category]]
code = "safety.fire"
name = "消防"
parent = "safety"
sla = "same_day"

[[category]]
code = "safety.building"
name = "建筑"
parent = "safety"
sla = "three_day"

[[category]]
code = "safety.geohazard"
name = "地质灾害"
parent = "safety"
sla = "same_day"

[[category]]
code = "safety.food"
name = "食品"
parent = "safety"
sla = "three_day"

[[category]]
code = "safety.campus"
name = "校园"
parent = "safety"
sla = "three_day"

[[category]]
code = "sanitation"
name = "环境卫生"
sla = "same_day"
public = true

[[category]]
code = "dispute"
name = "矛盾纠纷"
sla = "three_day"

[[category]]
code = "livelihood"
name = "民生诉求"

[[category]]
code = "livelihood.dibao"
name = "低保"
parent = "livelihood"
sla = "three_day"

[[category]]
code = "livelihood.jobs"
name = "就业"
parent = "livelihood"
sla = "three_day"

[[category]]
code = "livelihood.elderly"
name = "养老"
parent = "livelihood"
sla = "three_day"

[[category]]
code = "livelihood.medical"
name = "医疗"
parent = "livelihood"
sla = "three_day"

[[category]]
code = "livelihood.education"
name = "教育"
parent = "livelihood"
sla = "three_day"

[[category]]
code = "public_order"
name = "社会治安"
sla = "same_day"

[[category]]
code = "new_workers"
name = "新就业群体诉求"
sla = "three_day"

[[category]]
code = "other"
name = "其他"
sla = "three_day"
)toml";

}  // namespace

std::string_view categories_source() { return kCategories; }

}  // namespace wangge::events
