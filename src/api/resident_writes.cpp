// POST /api/v1/residents and PATCH /api/v1/residents/{id}: every field goes through
// people::encode_resident, the one validation the importer uses too.
#include <algorithm>

#include "api/context.h"
#include "api/resident_json.h"
#include "auth/audit.h"
#include "auth/scope.h"
#include "core/codes.h"
#include "core/error.h"
#include "http/errors.h"
#include "http/json_input.h"
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

// Tags the caller may not see may not be set by them either.
void check_tags_visible(const std::vector<std::string>& tags, bool show_sensitive) {
  if (show_sensitive) return;
  for (const auto& t : tags) {
    const people::Tag* tag = people::find_tag(t);
    if (tag && tag->sensitive) {
      throw Error(ErrorKind::forbidden, "forbidden", "无权设置敏感标签：" + t,
                  "not allowed to set a sensitive tag: " + t, "tags");
    }
  }
}

// The resident as the API shows it after a write, with its colour history.
nlohmann::json written(Context& ctx, store::Tx& tx, const auth::User& user, int64_t id) {
  auto v = people::find_resident(tx, ctx.vault, user.scope().prefix, id, sees_sensitive(ctx, user));
  if (!v) throw_not_found("居民不存在", "no such resident");
  nlohmann::json out = resident_json(*v, local_date(ctx.now()));
  out["color_history"] = color_history_json(tx, people::Subject::resident, id);
  return out;
}

// Registering a number already on record outside the caller's scope is answered without
// saying where (no org, id or name), audited, and counted: after this many in a (local) day
// the user registers nobody until the next day, so numbers cannot be enumerated.
constexpr int64_t kProbesPerDay = 5;

// A number already registered within the caller's scope: 409 pointing to the record.
http::Response duplicate_here(const http::Request& req, int64_t resident) {
  const std::string n = std::to_string(resident);
  Error e(ErrorKind::conflict, "duplicate_id_number", "该公民身份号码已登记（居民编号 " + n + "）",
          "this ID number is already registered (resident " + n + ")", "id_number");
  json body = json::parse(http::error_response(e, req.lang).body);
  body["error"]["resident_id"] = resident;
  return http::Response::json(409, body);
}

// Checks the number against the whole registry before it is registered. Returns the answer
// when it may not be (a duplicate, or the user over the day's limit), after writing the audit
// row and the count of a probe in `tx` and committing it; nullopt when registering may go on.
std::optional<http::Response> refuse_duplicate(Context& ctx, store::Tx& tx,
                                               const http::Request& req, const auth::User& user,
                                               const people::NewResident& r) {
  const Date day = local_date(ctx.now());
  const std::string subject = "household:" + r.household_no;
  if (people::probes_on(tx, user.username, day) >= kProbesPerDay) {
    auth::audit::append(tx, user.username, "resident.duplicate_limited", subject, "{}", ctx.now());
    tx.commit();
    return http::error_response(
        429,
        Error(ErrorKind::forbidden, "too_many_duplicates",
              "今日登记其他地方已登记人员的次数过多，登记功能暂停至明日；如需办理请联系上级单位",
              "too many residents registered elsewhere were entered today; registering is "
              "paused until tomorrow"),
        req.lang);
  }
  auto id = citizen_id::try_parse(r.id_number);
  if (!id) return std::nullopt;  // encode_resident says what is wrong with it
  auto holder = people::find_id_holder(tx, ctx.vault.lookup_hash(id->number));
  if (!holder) return std::nullopt;
  if (auth::in_scope(user.scope(), holder->org_code)) return duplicate_here(req, holder->id);
  // Never the number, its hash, or where it is registered: only that it was tried.
  const int64_t hits = people::record_probe(tx, user.username, day);
  auth::audit::append(tx, user.username, "resident.duplicate_elsewhere", subject,
                      json{{"hits_today", hits}}.dump(), ctx.now());
  tx.commit();
  return http::error_response(
      409,
      Error(ErrorKind::conflict, "registered_elsewhere",
            "该居民已在其他地方登记，请由其现登记单位办理迁入",
            "this person is already registered elsewhere; move them in through the owning org",
            "id_number"),
      req.lang);
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
  check_tags_visible(r.tags, sees_sensitive(ctx, user));
  std::string prefix = user.scope().prefix;
  auto tx = ctx.db.begin(store::TxMode::write);
  if (prefix.empty() || !people::household_org(*tx, prefix, r.household_no)) {
    // The same answer as for a household that does not exist: numbers cannot be probed.
    throw_bad_input("unknown_household", "户编号不存在：" + r.household_no,
                    "no such household: " + r.household_no, "household_no");
  }
  if (auto refused = refuse_duplicate(ctx, *tx, req, user, r)) return std::move(*refused);
  int64_t id = people::create_resident(*tx, ctx.vault, r, {.by = user.username});
  audit_write(ctx, *tx, user, "resident.create", id, body);
  json out = written(ctx, *tx, user, id);
  tx->commit();
  ctx.committed("resident", id);
  return http::Response::json(201, out);
}

http::Response patch(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::resident_write);
  int64_t id = req.param_int("id", 1);
  const json& body = http::require_object(req.json());
  http::reject_unknown_fields(body,
                              {"name", "phone", "relation", "status", "tags", "color", "reason"});
  if (body.empty()) {
    throw_bad_input("empty_patch", "没有要修改的字段", "nothing to change");
  }
  auto color = http::optional_field<std::string>(body, "color");
  auto reason = http::optional_field<std::string>(body, "reason");
  if (reason && !color) {
    throw_bad_input("unexpected_reason", "原因只随颜色调整填写",
                    "reason goes with a colour change only", "reason");
  }
  bool sensitive = sees_sensitive(ctx, user);
  std::string prefix = user.scope().prefix;
  auto tx = ctx.db.begin(store::TxMode::write);
  if (prefix.empty() || !people::resident_org(*tx, prefix, id)) {
    throw_not_found("居民不存在：" + std::to_string(id), "no such resident: " + std::to_string(id));
  }
  people::NewResident r = people::load_resident(*tx, ctx.vault, id);
  if (auto v = http::optional_field<std::string>(body, "name")) r.name = *v;
  if (auto v = http::optional_field<std::string>(body, "phone")) r.phone = *v;
  if (auto v = http::optional_field<std::string>(body, "relation")) {
    r.relation = people::parse_relation(*v, "relation");
  }
  if (auto v = http::optional_field<std::string>(body, "status")) {
    r.status = people::parse_status(*v, "status");
  }
  auto tags = http::optional_field<std::vector<std::string>>(body, "tags");
  if (tags) {
    check_tags_visible(*tags, sensitive);
    std::vector<std::string> kept;  // sensitive tags the caller cannot see stay as they are
    if (!sensitive) {
      std::copy_if(r.tags.begin(), r.tags.end(), std::back_inserter(kept), [](const auto& t) {
        const people::Tag* tag = people::find_tag(t);
        return tag && tag->sensitive;
      });
    }
    r.tags = *tags;
    r.tags.insert(r.tags.end(), kept.begin(), kept.end());
  }
  people::ResidentRow row = people::encode_resident(ctx.vault, r);
  people::update_resident(*tx, id, row, ctx.now());
  if (tags) people::set_tags(*tx, id, row.tags);
  if (color) {
    people::change_color(*tx, people::Subject::resident, id, people::parse_color(*color, "color"),
                         reason.value_or(""), user.username);
  }
  audit_write(ctx, *tx, user, "resident.update", id, body);
  json out = written(ctx, *tx, user, id);
  tx->commit();
  ctx.committed("resident", id);
  return http::Response::json(200, out);
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
