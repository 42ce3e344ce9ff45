// GET /api/v1/kpis/events?org=&from=&to= — the closed loop's KPIs (analytics/kpi.h) — and
// GET /api/v1/dashboard?org= — the leaders' summary — and GET /api/v1/colors?org= — the 红黄绿
// card — all from the analytics index.
#include "analytics/kpi.h"
#include "analytics/module/module.h"
#include "analytics/service.h"
#include "api/context.h"
#include "auth/scope.h"
#include "core/error.h"

namespace wangge::api {
namespace {

std::string scoped_org(const http::Request& req, const auth::User& user) {
  std::string org = req.query.get_or("org", user.org_code);
  if (!auth::in_scope(user.scope(), org)) {
    throw_not_found("组织机构不存在：" + org, "no such org: " + org);
  }
  return org;
}

http::Response get_kpis(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::kpi_read);
  std::string org = scoped_org(req, user);
  Date today = local_date(ctx.now());
  Date to = today, from = Date{today.year(), std::chrono::January, std::chrono::day{1}};
  if (auto v = req.query.get("to"); v && !v->empty()) to = parse_date(*v, "to");
  if (auto v = req.query.get("from"); v && !v->empty()) from = parse_date(*v, "from");
  if (to < from)
    throw_bad_input("invalid_period", "结束日期早于开始日期", "to is before from", "to");
  auto k = analytics::event_kpis(reports_of(ctx).index(), org, from, to);
  nlohmann::json out = analytics::to_json(k);
  out["org"] = org;
  out["from"] = format_date(from);
  out["to"] = format_date(to);
  return http::Response::json(200, out);
}

http::Response get_dashboard(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::kpi_read);
  std::string org = scoped_org(req, user);
  std::optional<Date> from, to;
  if (auto v = req.query.get("from"); v && !v->empty()) from = parse_date(*v, "from");
  if (auto v = req.query.get("to"); v && !v->empty()) to = parse_date(*v, "to");
  if (from && to && *to < *from)
    throw_bad_input("invalid_period", "结束日期早于开始日期", "to is before from", "to");
  return http::Response::json(
      200, analytics::dashboard(reports_of(ctx).index(), org, local_date(ctx.now()), from, to));
}

// 红黄绿 card of the phone app and the console: households by colour, people as a second line.
// Whoever may read households may read their colours (grid workers included).
http::Response get_colors(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::household_read);
  std::string org = scoped_org(req, user);
  return http::Response::json(200, analytics::risk_colors(reports_of(ctx).index(), org));
}

nlohmann::json color_counts_schema() {
  nlohmann::json n = {{"type", "integer"}};
  return {{"type", "object"},
          {"required", {"total", "red", "yellow", "green"}},
          {"properties", {{"total", n}, {"red", n}, {"yellow", n}, {"green", n}}}};
}

}  // namespace

std::vector<http::Route> kpi_routes(const std::shared_ptr<Context>& ctx) {
  ensure_reports(ctx);
  using http::Param;
  return {
      {.method = http::Method::get,
       .path = "/api/v1/kpis/events",
       .summary = "Closed-loop KPIs of an org subtree for a period (结案率, 按期结案率 …)",
       .tags = {"reports"},
       .handler = bind_handler(ctx, get_kpis),
       .query = {Param{"org", http::ParamType::string, false, "default: the caller's org"},
                 Param{"from", http::ParamType::string, false, "YYYY-MM-DD; default 1 January"},
                 Param{"to", http::ParamType::string, false, "YYYY-MM-DD; default today"}}},
      {.method = http::Method::get,
       .path = "/api/v1/dashboard",
       .summary =
           "Leaders' summary: 红黄绿, 一老一小, open events per child org, events by category",
       .tags = {"reports"},
       .handler = bind_handler(ctx, get_dashboard),
       .query = {Param{"org", http::ParamType::string, false, "default: the caller's org"},
                 Param{"from", http::ParamType::string, false,
                       "by_category period start YYYY-MM-DD; default 364 days before to"},
                 Param{"to", http::ParamType::string, false,
                       "by_category period end YYYY-MM-DD; default today"}}},
      {.method = http::Method::get,
       .path = "/api/v1/colors",
       .summary =
           "红黄绿 of an org subtree: households by colour, people (在册) by their own colour",
       .tags = {"reports"},
       .handler = bind_handler(ctx, get_colors),
       .query = {Param{"org", http::ParamType::string, false, "default: the caller's org"}},
       .response_schema = {{"type", "object"},
                           {"required", {"org", "households", "people"}},
                           {"properties",
                            {{"org",
                              {{"type", "object"},
                               {"properties",
                                {{"code", {{"type", "string"}}}, {"name", {{"type", "string"}}}}}}},
                             {"households", color_counts_schema()},
                             {"people", color_counts_schema()}}}}},
  };
}

}  // namespace wangge::api
