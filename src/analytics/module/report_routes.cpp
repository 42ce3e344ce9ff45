// GET /api/v1/reports/{form}?org=&level=&format=json|csv|xlsx: a form computed from the
// analytics index for the org nodes of one level under an org of the caller's scope. Also
// builds the reporting service (index + forms) the other analytics routes share.
#include <spdlog/spdlog.h>

#include "analytics/module/module.h"
#include "analytics/service.h"
#include "api/context.h"
#include "auth/audit.h"
#include "auth/scope.h"
#include "core/error.h"
#include "forms/report.h"

namespace wangge::api {
namespace {

using nlohmann::json;

// "%E4%BD%8E…" for a Content-Disposition filename* (RFC 5987).
std::string percent_encoded(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

http::Response download(std::string body, const std::string& type, const std::string& name) {
  auto r = http::Response::bytes(200, std::move(body), type);
  r.headers.set("Content-Disposition",
                "attachment; filename=\"report\"; filename*=UTF-8''" + percent_encoded(name));
  return r;
}

analytics::ReportRequest report_request(Context& ctx, const http::Request& req,
                                        const auth::User& user) {
  analytics::ReportRequest r;
  r.org_code = req.query.get_or("org", user.org_code);
  if (!auth::in_scope(user.scope(), r.org_code)) {
    throw_not_found("组织机构不存在：" + r.org_code, "no such org: " + r.org_code);
  }
  r.as_of = local_date(ctx.now());
  if (auto d = req.query.get("as_of"); d && !d->empty()) r.as_of = parse_date(*d, "as_of");
  auto from = req.query.get("from"), to = req.query.get("to");
  if (from && !from->empty()) r.from = parse_date(*from, "from");
  if (to && !to->empty()) r.to = parse_date(*to, "to");
  if (r.from.has_value() != r.to.has_value()) {
    throw_bad_input("invalid_period", "报告期须同时给出起止日期（from 和 to）",
                    "give both from and to", r.from ? "to" : "from");
  }
  if (r.from && *r.to < *r.from) {
    throw_bad_input("invalid_period", "报告期的结束日期早于开始日期", "to is before from", "to");
  }
  return r;
}

// A record-list form (名册): personal data, so the reader must be allowed to read residents,
// and every output of one that shows personal fields (JSON included) is audited.
http::Response get_roster(Context& ctx, const http::Request& req, const auth::User& user,
                          const analytics::ReportRequest& r, const std::string& format) {
  auth::check_access(ctx.permissions, user, auth::perm::resident_read);
  const std::string& code = req.param("form");
  forms::Roster roster = reports_of(ctx).roster(code, {r.org_code, r.as_of});
  auto form = reports_of(ctx).form(code);
  if (req.lang == Lang::en) forms::in_english(*form, roster);
  ctx.db.transact([&](store::Tx& tx) {
    analytics::audit_roster_export(tx, *form, roster, user.username, format, ctx.now());
  });
  if (format == "json") return http::Response::json(200, forms::roster_json(roster));
  std::string name = roster.title + "_" + roster.org_name + "_" + roster.as_of;
  if (format == "csv") {
    return download(forms::roster_csv(roster), "text/csv; charset=utf-8", name + ".csv");
  }
  return download(forms::roster_xlsx(roster),
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  name + ".xlsx");
}

http::Response get_report(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::report_read);
  analytics::ReportRequest r = report_request(ctx, req, user);
  if (auto f = reports_of(ctx).form(req.param("form")); f && f->kind == forms::FormKind::roster) {
    return get_roster(ctx, req, user, r, req.query.get_or("format", "json"));
  }
  r.level = req.query.get_or("level", "");
  forms::Report report = reports_of(ctx).report(req.param("form"), r);
  if (req.lang == Lang::en) {
    if (auto f = reports_of(ctx).form(report.form_code)) forms::in_english(*f, report);
  }
  std::string format = req.query.get_or("format", "json");
  if (format == "json") return http::Response::json(200, forms::report_json(report));
  // A file leaves the system: record who took which report.
  ctx.db.transact([&](store::Tx& tx) {
    auth::audit::append(
        tx, user.username, "report.export", "form:" + report.form_code,
        json{{"org", report.org_code}, {"level", report.level}, {"format", format}}.dump(),
        ctx.now());
  });
  std::string name = report.title + "_" + report.org_name + "_" + report.as_of;
  if (format == "csv") {
    return download(forms::report_csv(report), "text/csv; charset=utf-8", name + ".csv");
  }
  return download(forms::report_xlsx(report),
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  name + ".xlsx");
}

}  // namespace

analytics::ReportService& reports_of(Context& ctx) {
  if (!ctx.reports) {
    throw Error(ErrorKind::unavailable, "reports_unavailable", "报表服务未启动",
                "the reporting service is not running");
  }
  return *ctx.reports;
}

void ensure_reports(const std::shared_ptr<Context>& ctx) {
  if (ctx->reports) return;
  analytics::ServiceOptions options;
  options.forms_dir = ctx->settings.text("forms", "dir");
  options.dictionary_dirs = ctx->modules.dictionary_dirs();
  options.module_forms_dirs = ctx->modules.forms_dirs();
  options.entities = ctx->modules.entities();
  ctx->reports = std::make_shared<analytics::ReportService>(ctx->db, options);
  std::weak_ptr<analytics::ReportService> weak = ctx->reports;
  // Committed writes reach the index at once (DESIGN §6), from whichever thread made them.
  ctx->db.subscribe([weak](std::span<const store::Change> changes) {
    if (auto s = weak.lock()) s->index().changed(changes);
  });
  ctx->options.gauges.push_back(
      {"wangge_analytics_index_bytes", "Memory held by the analytics index", [weak] {
         auto s = weak.lock();
         return s ? static_cast<double>(s->index().memory_bytes()) : 0.0;
       }});
  ctx->options.gauges.push_back({"wangge_analytics_index_pending",
                                 "Changed records the analytics index has yet to re-read", [weak] {
                                   auto s = weak.lock();
                                   return s ? static_cast<double>(s->index().pending()) : 0.0;
                                 }});
}

std::vector<http::Route> report_routes(const std::shared_ptr<Context>& ctx) {
  ensure_reports(ctx);
  using http::Param;
  using http::ParamType;
  return {
      {.method = http::Method::get,
       .path = "/api/v1/reports/{form}",
       .summary = "A form (报表) computed from the data for the org nodes of one level, or a "
                  "record list (名册) of the org's subtree",
       .tags = {"reports"},
       .handler = bind_handler(ctx, get_report),
       .query = {Param{"org", ParamType::string, false, "org code; default: the caller's org"},
                 Param{"level", ParamType::string, false,
                       "county, township, village, grid, micro_grid, building, child or all"},
                 Param{"format",
                       ParamType::string,
                       false,
                       "json (default), csv or xlsx",
                       {"json", "csv", "xlsx"}},
                 Param{"as_of", ParamType::string, false, "YYYY-MM-DD ages are counted on"},
                 Param{"from", ParamType::string, false, "report period start YYYY-MM-DD"},
                 Param{"to", ParamType::string, false, "report period end YYYY-MM-DD"}}},
  };
}

}  // namespace wangge::api
