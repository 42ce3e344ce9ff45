// 导出: the event list as CSV or XLSX through the sheets writers, one row per event, the
// columns a person reads in the console (编号 … 亮灯), times in Asia/Shanghai.
#include <algorithm>

#include "events/module/event_routes.h"
#include "http/request.h"
#include "sheets/csv.h"
#include "sheets/xlsx_writer.h"

namespace wangge::api {
namespace {

// 剩余 N 小时 / 超期 N 天, as the console shows the clock; "" once it has stopped.
std::string clock_text(const events::Clock& c) {
  if (!c.running) return "";
  int64_t m = c.left.count();
  if (m < 0) {
    m = -m;
    return m < 24 * 60 ? "超期" + std::to_string(std::max<int64_t>(1, m / 60)) + "小时"
                       : "超期" + std::to_string(m / (24 * 60)) + "天";
  }
  return m < 48 * 60 ? "剩余" + std::to_string(m / 60) + "小时"
                     : "剩余" + std::to_string(m / (24 * 60)) + "天";
}

std::string light_text(events::Light l) {
  switch (l) {
    case events::Light::green:
      return "绿";
    case events::Light::yellow:
      return "黄";
    case events::Light::red:
      return "红";
    case events::Light::none:
      break;
  }
  return "";
}

// "2026-03-01 16:00" (Asia/Shanghai).
std::string local_text(Instant t) {
  std::string s = format_local(t).substr(0, 16);
  s[10] = ' ';
  return s;
}
std::string opt_local(const std::optional<Instant>& t) { return t ? local_text(*t) : ""; }

sheets::Sheet events_sheet(const std::vector<events::Event>& list, Instant now) {
  sheets::Sheet sheet;
  sheet.name = "事件清单";
  sheet.rows.push_back({"编号", "工单号", "标题", "事件类别", "状态", "层级", "责任单位", "来源",
                        "紧急程度", "地点", "上报人", "上报时间", "办结时限", "时限状态", "亮灯",
                        "曾超期", "办结时间", "结案时间"});
  for (const auto& e : list) {
    const events::Category* c = events::find_category(e.category);
    events::Clock clock = events::clock_of(e, now);
    sheet.rows.push_back({sheets::Cell::number(static_cast<double>(e.id)), e.external_ref, e.title,
                          c ? c->name : e.category, std::string(events::label(e.state)),
                          std::string(events::level_label(e.level)), e.owner_name,
                          std::string(events::label(e.source)),
                          e.urgency == events::Urgency::urgent ? "紧急" : "一般", e.address,
                          e.reporter_name, local_text(e.reported_at), local_text(e.due_at),
                          clock_text(clock), light_text(clock.light), e.was_overdue ? "是" : "否",
                          opt_local(e.resolved_at), opt_local(e.closed_at)});
  }
  return sheet;
}

}  // namespace

http::Response events_download(const std::vector<events::Event>& list, Instant now,
                               const std::string& format) {
  sheets::Sheet sheet = events_sheet(list, now);
  Date day = local_date(now);
  std::string name = "events-" + std::to_string(static_cast<int>(day.year())) +
                     (static_cast<unsigned>(day.month()) < 10 ? "0" : "") +
                     std::to_string(static_cast<unsigned>(day.month())) +
                     (static_cast<unsigned>(day.day()) < 10 ? "0" : "") +
                     std::to_string(static_cast<unsigned>(day.day()));
  http::Response r =
      format == "csv" ? http::Response::bytes(200, sheets::to_csv(sheet), "text/csv; charset=utf-8")
                      : http::Response::bytes(
                            200, sheets::xlsx_bytes(std::span<const sheets::Sheet>(&sheet, 1)),
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  r.headers.set("Content-Disposition", "attachment; filename=\"" + name + "." + format + "\"");
  return r;
}

}  // namespace wangge::api
