// The forms (报表定义): GET /api/v1/forms, GET /api/v1/forms/{code}, PUT /api/v1/forms/{code}
// with JSON {"toml": "…"}; a bad definition is refused with the line and key at fault, and
// nothing changes.
#include <algorithm>

#include "analytics/module/module.h"
#include "analytics/service.h"
#include "api/context.h"
#include "auth/audit.h"
#include "core/error.h"

namespace wangge::api {
namespace {

using nlohmann::json;

// Whether some indicator is counted over the report period (from, to).
bool has_period(const forms::Form& f) {
  for (const auto& i : f.indicators) {
    if (i.period) return true;
  }
  return false;
}

// The names and synonyms of the fields a form selects by (its filters), so that a search for
// 低保 finds 城乡最低生活保障对象花名册: each once, in the order met.
json keywords(const forms::Form& f) {
  std::vector<const forms::Field*> fields;
  auto add = [&](const std::optional<forms::Expr>& e) {
    if (!e) return;
    for (const forms::Field* x : forms::fields_of(*e)) {
      if (std::find(fields.begin(), fields.end(), x) == fields.end()) fields.push_back(x);
    }
  };
  add(f.filter);
  for (const auto& i : f.indicators) add(i.filter);
  json out = json::array();
  for (const forms::Field* x : fields) {
    out.push_back(x->name);
    for (const auto& s : x->synonyms) out.push_back(s);
  }
  return out;
}

json summary(const forms::Form& f, Lang lang = Lang::zh) {
  bool en = lang == Lang::en && !f.title_en.empty();
  return {{"code", f.code},
          {"title", en ? f.title_en : f.title},
          {"department", f.department},
          {"description", f.description},
          {"level", f.level},
          {"kind", f.kind == forms::FormKind::roster ? "roster" : "summary"},
          {"indicators", f.indicators.size()},
          {"period", has_period(f)},
          {"keywords", keywords(f)}};
}

json detail(const forms::Form& f) {
  json out = summary(f);
  json inds = json::array();
  for (const auto& i : f.indicators) {
    inds.push_back({{"code", i.code},
                    {"name", i.name},
                    {"group", i.group},
                    {"unit", i.unit},
                    {"entity", i.entity},
                    {"aggregate", forms::to_string(i.aggregate)},
                    {"decimals", i.decimals}});
  }
  out["indicators"] = inds;
  if (f.kind == forms::FormKind::roster) {
    json cols = json::array();
    for (const auto& c : f.columns) {
      cols.push_back({{"field", c.field->code},
                      {"name", c.name},
                      {"sensitivity", forms::to_string(c.field->sensitivity)}});
    }
    out["entity"] = f.entity;
    out["columns"] = cols;
  }
  out["toml"] = f.source;
  return out;
}

http::Response list_forms(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::report_read);
  // A roster lists people: only for those who may read residents (the report route asks it).
  bool people = ctx.permissions.allows(user.role, auth::perm::resident_read);
  json items = json::array();
  for (const auto& f : reports_of(ctx).forms()) {
    if (f.kind == forms::FormKind::roster && !people) continue;
    items.push_back(summary(f, req.lang));
  }
  return http::Response::json(200, {{"items", items}});
}

http::Response get_form(Context& ctx, const http::Request& req) {
  auth::check_access(ctx.permissions, caller_of(req).user, auth::perm::report_read);
  auto f = reports_of(ctx).form(req.param("code"));
  if (!f) throw_not_found("没有编码为 " + req.param("code") + " 的报表", "no such form");
  return http::Response::json(200, detail(*f));
}

http::Response put_form(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::system_config);
  const json& body = req.json();
  if (!body.is_object() || !body.contains("toml") || !body["toml"].is_string()) {
    throw_bad_input("invalid_body", "请求体应为 {\"toml\": \"…\"}",
                    "body must be {\"toml\": \"…\"}", "toml");
  }
  std::string text = body["toml"].get<std::string>();
  forms::Form f = reports_of(ctx).put_form(req.param("code"), text);
  ctx.db.transact([&](store::Tx& tx) {
    auth::audit::append(tx, user.username, "form.update", "form:" + f.code, f.title, ctx.now());
  });
  return http::Response::json(200, detail(f));
}

}  // namespace

std::vector<http::Route> form_routes(const std::shared_ptr<Context>& ctx) {
  ensure_reports(ctx);
  return {
      {.method = http::Method::get,
       .path = "/api/v1/forms",
       .summary = "The forms (报表定义) reports can be generated from",
       .tags = {"reports"},
       .handler = bind_handler(ctx, list_forms)},
      {.method = http::Method::get,
       .path = "/api/v1/forms/{code}",
       .summary = "One form: its indicators and its TOML definition",
       .tags = {"reports"},
       .handler = bind_handler(ctx, get_form)},
      {.method = http::Method::put,
       .path = "/api/v1/forms/{code}",
       .summary = "Create or replace a form from its TOML definition (errors give line and key)",
       .tags = {"reports"},
       .handler = bind_handler(ctx, put_form),
       .request_schema = {{"type", "object"}, {"properties", {{"toml", {{"type", "string"}}}}}},
       .max_body_bytes = 1024 * 1024},  // a form's TOML: hundreds of indicators
  };
}

}  // namespace wangge::api
