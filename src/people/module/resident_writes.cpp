// POST /api/v1/residents and PATCH /api/v1/residents/{id}: every field goes through
// people::encode_resident, the one validation the importer uses too.
#include <variant>

#include "api/context.h"
#include "auth/audit.h"
#include "auth/scope.h"
#include "core/codes.h"
#include "core/error.h"
#include "http/errors.h"
#include "http/json_input.h"
#include "people/module/module.h"
#include "people/module/resident_json.h"
#include "people/query.h"
#include "people/service.h"

namespace wangge::api {
namespace {

using nlohmann::json;

Sex parse_sex(const std::string& s) {
  if (s == "male" || s == "男") return Sex::male;
  if (s == "female" || s == "女") return Sex::female;
  throw_bad_input("invalid_sex", "性别须为 男 或 女", "sex must be male or female", "sex");
}

bool sees_sensitive(const Context& ctx, const auth::User& user) {
  return ctx.allows(user, auth::perm::resident_reveal);
}

people::Registrar registrar(const Context& ctx, const auth::User& user) {
  return {user.username, user.scope().prefix, sees_sensitive(ctx, user)};
}

// The resident as the API shows it after a write, with its colour history.
nlohmann::json written(Context& ctx, store::Tx& tx, const auth::User& user, int64_t id) {
  auto v = people::find_resident(tx, ctx.vault, user.scope().prefix, id, sees_sensitive(ctx, user));
  if (!v) throw_not_found("居民不存在", "no such resident");
  nlohmann::json out = resident_json(*v, local_date(ctx.now()));
  out["color_history"] = color_history_json(tx, people::Subject::resident, id);
  return out;
}

// The answer to a refused registration, after its audit row (written in tx).
http::Response refusal(Context& ctx, store::Tx& tx, const http::Request& req,
                       const auth::User& user, const people::NewResident& r,
                       const people::Refusal& why) {
  const std::string subject = "household:" + r.household_no;
  using Kind = people::Refusal::Kind;
  switch (why.kind) {
    case Kind::duplicate_here: {
      // A number already registered within the caller's scope: 409 pointing to the record.
      const std::string n = std::to_string(why.resident_id);
      Error e(ErrorKind::conflict, "duplicate_id_number",
              "该公民身份号码已登记（居民编号 " + n + "）",
              "this ID number is already registered (resident " + n + ")", "id_number");
      json body = json::parse(http::error_response(e, req.lang).body);
      body["error"]["resident_id"] = why.resident_id;
      return http::Response::json(409, body);
    }
    case Kind::over_daily_limit:
      auth::audit::append(tx, user.username, "resident.duplicate_limited", subject, "{}",
                          ctx.now());
      return http::error_response(
          429,
          Error(ErrorKind::forbidden, "too_many_duplicates",
                "今日登记其他地方已登记人员的次数过多，登记功能暂停至明日；如需办理请联系上级单位",
                "too many residents registered elsewhere were entered today; registering is "
                "paused until tomorrow"),
          req.lang);
    case Kind::registered_elsewhere:
      // Where it is registered is never said; that it was tried is audited.
      auth::audit::append(tx, user.username, "resident.duplicate_elsewhere", subject,
                          json{{"hits_today", why.hits_today}}.dump(), ctx.now());
      return http::error_response(
          409,
          Error(ErrorKind::conflict, "registered_elsewhere",
                "该居民已在其他地方登记，请由其现登记单位办理迁入",
                "this person is already registered elsewhere; move them in through the owning "
                "org",
                "id_number"),
          req.lang);
  }
  throw Error(ErrorKind::internal, "internal", "内部错误", "unknown refusal");
}

// 个人信息变更留痕: who changed which fields of whom (never the values).
void audit_write(Context& ctx, store::Tx& tx, const auth::User& user, std::string_view action,
                 int64_t id, const nlohmann::json& body) {
  nlohmann::json detail = {{"fields", nlohmann::json::array()}};
  for (const auto& [k, v] : body.items()) detail["fields"].push_back(k);
  if (auto it = body.find("reason"); it != body.end() && it->is_string()) detail["reason"] = *it;
  auth::audit::append(tx, user.username, action, "resident:" + std::to_string(id), detail.dump(),
                      ctx.now());
}

http::Response create(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::resident_write);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body, {"household_no", "name", "id_number", "sex", "birth_date",
                                     "phone", "relation", "status", "tags", "color"});
  people::NewResident r;
  r.household_no = http::required_field<std::string>(body, "household_no");
  r.name = http::required_field<std::string>(body, "name");
  r.id_number = http::required_field<std::string>(body, "id_number");
  if (auto s = http::optional_field<std::string>(body, "sex")) r.sex = parse_sex(*s);
  if (auto b = http::optional_field<std::string>(body, "birth_date")) {
    r.birth = parse_date(*b, "birth_date");
  }
  r.phone = http::optional_field<std::string>(body, "phone").value_or("");
  if (auto v = http::optional_field<std::string>(body, "relation")) {
    r.relation = people::parse_relation(*v, "relation");
  }
  if (auto v = http::optional_field<std::string>(body, "status")) {
    r.status = people::parse_status(*v, "status");
  }
  r.tags = http::optional_field<std::vector<std::string>>(body, "tags")
               .value_or(std::vector<std::string>{});
  if (auto c = http::optional_field<std::string>(body, "color")) {
    r.color = people::parse_color(*c, "color");
  }
  return ctx.db.transact([&](store::Tx& tx) {
    auto outcome =
        people::register_resident(tx, ctx.vault, registrar(ctx, user), r, local_date(ctx.now()));
    if (const auto* why = std::get_if<people::Refusal>(&outcome)) {
      return refusal(ctx, tx, req, user, r, *why);  // its audit row commits with the probe
    }
    const int64_t id = std::get<int64_t>(outcome);
    audit_write(ctx, tx, user, "resident.create", id, body);
    return http::Response::json(201, written(ctx, tx, user, id));
  });
}

http::Response patch(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::resident_write);
  int64_t id = req.param_int("id", 1);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body,
                              {"name", "phone", "relation", "status", "tags", "color", "reason"});
  people::ResidentPatch p;
  p.name = http::optional_field<std::string>(body, "name");
  p.phone = http::optional_field<std::string>(body, "phone");
  if (auto v = http::optional_field<std::string>(body, "relation")) {
    p.relation = people::parse_relation(*v, "relation");
  }
  if (auto v = http::optional_field<std::string>(body, "status")) {
    p.status = people::parse_status(*v, "status");
  }
  p.tags = http::optional_field<std::vector<std::string>>(body, "tags");
  if (auto c = http::optional_field<std::string>(body, "color")) {
    p.color = people::parse_color(*c, "color");
  }
  p.reason = http::optional_field<std::string>(body, "reason");
  return ctx.db.transact([&](store::Tx& tx) {
    people::patch_resident(tx, ctx.vault, registrar(ctx, user), id, p, ctx.now());
    audit_write(ctx, tx, user, "resident.update", id, body);
    return http::Response::json(200, written(ctx, tx, user, id));
  });
}

}  // namespace

std::vector<http::Route> resident_write_routes(const std::shared_ptr<Context>& ctx) {
  auto bind = [&ctx](ApiHandler fn) { return bind_handler(ctx, fn); };
  json string = {{"type", "string"}};
  json tags = {{"type", "array"}, {"items", string}};
  json props;
  for (const char* f : {"household_no", "name", "id_number", "sex", "birth_date", "phone",
                        "relation", "status", "color"}) {
    props[f] = string;
  }
  props["tags"] = tags;
  json patch_props = {{"name", string}, {"phone", string}, {"relation", string}, {"status", string},
                      {"tags", tags},   {"color", string}, {"reason", string}};
  return {
      {.method = http::Method::post,
       .path = "/api/v1/residents",
       .summary = "Register a resident in a household within scope",
       .tags = {"people"},
       .handler = bind(create),
       .request_schema = {{"type", "object"},
                          {"required", {"household_no", "name", "id_number"}},
                          {"properties", props}},
       .success_status = 201},
      {.method = http::Method::patch,
       .path = "/api/v1/residents/{id}",
       .summary = "Change a resident; a colour change needs a reason and is kept in history",
       .tags = {"people"},
       .handler = bind(patch),
       .path_params = {{.name = "id", .type = http::ParamType::integer, .required = true}},
       .request_schema = {{"type", "object"}, {"properties", patch_props}}},
  };
}

}  // namespace wangge::api
