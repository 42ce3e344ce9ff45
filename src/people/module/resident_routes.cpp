// The registry reads (residents, households) and the audited reveal of an ID number or phone.
#include "api/context.h"
#include "api/route_kit.h"
#include "auth/audit.h"
#include "core/error.h"
#include "http/json_input.h"
#include "org/service.h"
#include "people/module/module.h"
#include "people/module/resident_json.h"
#include "people/people.h"
#include "people/query.h"

namespace wangge::api {
namespace {

using nlohmann::json;

// Whether the caller may see sensitive tags (the same permission as unmasking).
bool sees_sensitive(const Context& ctx, const auth::User& user) {
  return ctx.allows(user, auth::perm::resident_reveal);
}

[[noreturn]] void no_resident(int64_t id) {
  throw_not_found("居民不存在：" + std::to_string(id), "no such resident: " + std::to_string(id));
}

people::ResidentFilter parse_filter(store::Tx& tx, const http::Request& req, const auth::User& user,
                                    bool show_sensitive) {
  people::ResidentFilter f;
  f.scope_prefix = user.scope().prefix;
  const http::Query& q = req.query;
  if (auto org = q.get("org"); org && !org->empty()) {
    auto o = org::find_org(tx, *org);
    if (!o || !auth::in_scope(user.scope(), o->code)) {
      throw_not_found("组织机构不存在：" + *org, "no such org: " + *org);
    }
    f.org_prefix = org::subtree_prefix(o->code);
  }
  for (const auto& t : q.all("tag")) {
    if (t.empty()) continue;
    const people::Tag* tag = people::find_tag(tx, t);
    if (!tag) throw_bad_input("invalid_tag", "未知的标签：" + t, "unknown tag: " + t, "tag");
    // Filtering by a sensitive tag would tell who carries it.
    if (tag->sensitive && !show_sensitive) {
      throw Error(ErrorKind::forbidden, "forbidden", "无权按敏感标签查询",
                  "not allowed to filter by a sensitive tag", "tag");
    }
    f.tags.push_back(tag->code);
  }
  if (auto c = q.get("color"); c && !c->empty()) {
    f.color = std::string(people::to_string(people::parse_color(*c, "color")));
  }
  if (auto s = q.get("status"); s && !s->empty()) {
    f.status = std::string(people::to_string(people::parse_status(*s, "status")));
  }
  if (auto a = q.get_int("age_min", 0, 150)) f.age_min = static_cast<int>(*a);
  if (auto a = q.get_int("age_max", 0, 150)) f.age_max = static_cast<int>(*a);
  if (f.age_min && f.age_max && *f.age_min > *f.age_max) {
    throw_bad_input("invalid_age_range", "最小年龄不能大于最大年龄",
                    "age_min must not exceed age_max", "age_min");
  }
  f.q = q.get_or("q", "");
  while (!f.q.empty() && f.q.back() == ' ') f.q.pop_back();
  while (!f.q.empty() && f.q.front() == ' ') f.q.erase(0, 1);
  if (utf8_length(f.q) > 30) {
    throw_bad_input("invalid_query", "查询词不能超过30个字", "q must be at most 30 characters",
                    "q");
  }
  f.page = q.get_int_or("page", 1, 1, 1'000'000);
  f.size = q.get_int_or("size", 20, 1, 100);
  return f;
}

http::Response list(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::resident_read);
  bool sensitive = sees_sensitive(ctx, user);
  Date today = local_date(ctx.now());
  auto tx = ctx.db.begin(store::TxMode::read);
  people::ResidentFilter f = parse_filter(*tx, req, user, sensitive);
  if (f.scope_prefix.empty()) throw_not_found("记录不存在", "no such record");
  return http::Response::json(
      200, page_json(people::list_residents(*tx, ctx.vault, f, today, sensitive), f, today));
}

http::Response detail(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::resident_read);
  int64_t id = req.param_int("id", 1);
  std::string prefix = user.scope().prefix;
  auto tx = ctx.db.begin(store::TxMode::read);
  auto v = prefix.empty()
               ? std::nullopt
               : people::find_resident(*tx, ctx.vault, prefix, id, sees_sensitive(ctx, user));
  if (!v) no_resident(id);
  nlohmann::json out = resident_json(*v, local_date(ctx.now()));
  out["color_history"] = color_history_json(*tx, people::Subject::resident, id);
  return http::Response::json(200, out);
}

http::Response household(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  int64_t id = req.param_int("id", 1);
  std::optional<std::string> scope;
  if (user.household_id && !ctx.allows(user, auth::perm::household_read)) {
    // A resident reads their own household and nothing else.
    if (user.must_change_password) {
      throw Error(ErrorKind::forbidden, "password_change_required", "请先修改初始密码",
                  "change the initial password first");
    }
    if (id != *user.household_id) id = 0;
  } else {
    auth::check_access(ctx.permissions, user, auth::perm::household_read);
    scope = user.scope().prefix;
    if (scope->empty()) id = 0;
  }
  auto tx = ctx.db.begin(store::TxMode::read);
  auto h = id ? people::find_household_view(*tx, ctx.vault, scope, id, sees_sensitive(ctx, user))
              : std::nullopt;
  if (!h) {
    throw_not_found("住户不存在：" + req.param("id"), "no such household: " + req.param("id"));
  }
  return http::Response::json(200, household_json(*tx, *h, local_date(ctx.now())));
}

http::Response reveal(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::resident_reveal);
  int64_t id = req.param_int("id", 1);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body, {"field", "reason"});
  auto field = http::required_field<std::string>(body, "field");
  if (field != "id_number" && field != "phone") {
    throw_bad_input("invalid_field", "field 须为 id_number 或 phone",
                    "field must be id_number or phone", "field");
  }
  auto reason = http::required_field<std::string>(body, "reason");
  size_t len = utf8_length(reason);
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos || len < 2 || len > 200) {
    throw_bad_input("invalid_reason", "查看原因须为2至200个字",
                    "reason must be 2 to 200 characters", "reason");
  }
  std::string prefix = user.scope().prefix;
  // 每次查看明文都留痕: the audit row commits with the read or not at all.
  std::string value = ctx.db.transact([&](store::Tx& tx) {
    if (prefix.empty() || !people::resident_org(tx, prefix, id)) no_resident(id);
    auto enc = people::encrypted_field(
        tx, id, field == "id_number" ? people::SecretField::id_number : people::SecretField::phone);
    if (!enc) throw_not_found("该居民未登记联系电话", "this resident has no phone on record");
    auth::audit::append(tx, user.username, "resident.reveal", "resident:" + std::to_string(id),
                        json{{"field", field}, {"reason", reason}}.dump(), ctx.now());
    return ctx.vault.decrypt(*enc);
  });
  auto res = http::Response::json(200, {{"id", id}, {"field", field}, {"value", value}});
  res.headers.set("Cache-Control", "no-store");
  return res;
}

json list_schema() {
  return {{"type", "object"},
          {"properties",
           {{"items", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"total", {{"type", "integer"}}},
            {"total_exact", {{"type", "boolean"}}},
            {"page", {{"type", "integer"}}},
            {"size", {{"type", "integer"}}}}}};
}

}  // namespace

std::vector<http::Route> resident_routes(const std::shared_ptr<Context>& ctx) {
  const RouteKit kit(ctx);
  using http::ParamType;
  return {
      {.method = http::Method::get,
       .path = "/api/v1/residents",
       .summary = "Residents within the caller's scope, filtered and paged (masked)",
       .tags = {"people"},
       .handler = kit.bind(list),
       .query = {{.name = "org", .description = "org code: its subtree only"},
                 {.name = "tag", .description = "tag code or name; may repeat (all required)"},
                 {.name = "color", .description = "red / yellow / green (红 / 黄 / 绿)"},
                 {.name = "status", .description = "moved_in / moved_out / deceased"},
                 {.name = "age_min",
                  .type = ParamType::integer,
                  .description = "0–150: this year − birth year"},
                 {.name = "age_max",
                  .type = ParamType::integer,
                  .description = "0–150: this year − birth year"},
                 {.name = "q", .description = "name substring, or pinyin / initials prefix"},
                 {.name = "page", .type = ParamType::integer, .description = "from 1"},
                 {.name = "size", .type = ParamType::integer, .description = "1–100, default 20"}},
       .response_schema = list_schema()},
      {.method = http::Method::get,
       .path = "/api/v1/residents/{id}",
       .summary = "One resident with tags, colour and its history (masked)",
       .tags = {"people"},
       .handler = kit.bind(detail),
       .path_params = kit.id_param},
      {.method = http::Method::get,
       .path = "/api/v1/households/{id}",
       .summary = "One household with its members (masked)",
       .tags = {"people"},
       .handler = kit.bind(household),
       .path_params = kit.id_param},
      {.method = http::Method::post,
       .path = "/api/v1/residents/{id}/reveal",
       .summary = "The clear ID number or phone of a resident, audited",
       .tags = {"people"},
       .handler = kit.bind(reveal),
       .path_params = kit.id_param,
       .request_schema = {{"type", "object"},
                          {"required", {"field", "reason"}},
                          {"properties",
                           {{"field", {{"type", "string"}, {"enum", {"id_number", "phone"}}}},
                            {"reason", kit.string}}}},
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"id", kit.integer}, {"field", kit.string}, {"value", kit.string}}}}},
  };
}

}  // namespace wangge::api
