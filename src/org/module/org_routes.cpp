// GET /api/v1/orgs/{code} and /api/v1/orgs/{code}/children, within the caller's scope.
#include "api/context.h"
#include "auth/scope.h"
#include "core/error.h"
#include "org/boundaries.h"
#include "org/module/module.h"
#include "org/service.h"

namespace wangge::api {
namespace {

using nlohmann::json;

json org_json(const org::Org& o, const std::string& parent_code) {
  return {{"id", o.id},
          {"code", o.code},
          {"name", o.name},
          {"kind", org::to_string(o.kind)},
          {"type", o.type},
          {"type_label", org::type_label(o.type)},
          {"parent_code", parent_code.empty() ? json() : json(parent_code)},
          {"level", org::event_level(o.kind)},
          {"lat", o.lat ? json(*o.lat) : json()},
          {"lng", o.lng ? json(*o.lng) : json()}};
}

// The org by code when it lies within the caller's scope; not_found otherwise, so codes
// outside cannot be probed.
org::Org scoped_org(store::Tx& tx, const auth::User& user, const std::string& code) {
  auto o = org::find_org(tx, code);
  if (!o || !auth::in_scope(user.scope(), o->code)) {
    throw_not_found("组织机构不存在：" + code, "no such org: " + code);
  }
  return *o;
}

http::Response get_org(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::org_read);
  auto tx = ctx.db.begin(store::TxMode::read);
  org::Org o = scoped_org(*tx, user, req.param("code"));
  std::string parent_code;
  if (o.parent_id) {
    if (auto p = org::find_org(*tx, *o.parent_id)) parent_code = p->code;
  }
  json out = org_json(o, parent_code);
  out["child_count"] = org::child_count(*tx, o.id);
  return http::Response::json(200, out);
}

http::Response get_children(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::org_read);
  auto tx = ctx.db.begin(store::TxMode::read);
  org::Org o = scoped_org(*tx, user, req.param("code"));
  json items = json::array();
  for (const auto& c : org::children(*tx, o.id)) items.push_back(org_json(c, o.code));
  return http::Response::json(200, {{"items", items}});
}

// The node's outline and its children's, for a map: GeoJSON geometries simplified to ~1 m and
// rounded to 5 decimals (null where a node has none).
http::Response get_boundaries(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::org_read);
  auto tx = ctx.db.begin(store::TxMode::read);
  org::Org o = scoped_org(*tx, user, req.param("code"));
  std::string parent_code;
  if (o.parent_id) {
    if (auto p = org::find_org(*tx, *o.parent_id)) parent_code = p->code;
  }
  auto regions = org::map_regions(*tx, o);
  auto region_json = [](const org::MapRegion& r, const std::string& parent) {
    json j = org_json(r.org, parent);
    j["boundary"] = r.boundary.empty() ? json() : json::parse(r.boundary);
    return j;
  };
  json items = json::array();
  for (size_t i = 1; i < regions.size(); ++i) items.push_back(region_json(regions[i], o.code));
  return http::Response::json(200,
                              {{"org", region_json(regions[0], parent_code)}, {"items", items}});
}

// Sets an org's boundary from a GeoJSON Polygon/MultiPolygon body (or a Feature); checked,
// nothing written when bad.
http::Response put_boundary(Context& ctx, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  auth::check_access(ctx.permissions, user, auth::perm::system_config);
  json out;
  ctx.db.write([&](store::Tx& tx) {
    org::Org o = scoped_org(tx, user, req.param("code"));
    org::set_boundary(tx, o.code, req.body);
    auto regions = org::map_regions(tx, o);
    out = org_json(regions[0].org, "");
    out["boundary"] = regions[0].boundary.empty() ? json() : json::parse(regions[0].boundary);
  });
  return http::Response::json(200, out);
}

json org_schema() {
  json props;
  for (const char* s : {"code", "name", "kind", "type", "type_label", "parent_code"}) {
    props[s] = {{"type", "string"}};
  }
  props["id"] = {{"type", "integer"}};
  props["level"] = {{"type", "integer"}};
  return {{"type", "object"}, {"properties", props}};
}

json region_schema() {
  json s = org_schema();
  s["properties"]["boundary"] = {{"type", "object"}, {"nullable", true}};
  return s;
}

// The base map every signed-in user's maps draw under the outlines ([map] of the config).
http::Response get_map(Context&, const http::Request& req) {
  caller_of(req);  // signed in
  org::MapSettings m = org::map_settings();
  return http::Response::json(200, {{"tile_url", m.tile_url}, {"attribution", m.attribution}});
}

}  // namespace

std::vector<http::Route> org_routes(const std::shared_ptr<Context>& ctx) {
  auto bind = [&ctx](ApiHandler fn) { return bind_handler(ctx, fn); };
  return {
      {.method = http::Method::get,
       .path = "/api/v1/orgs/{code}",
       .summary = "One org node within the caller's scope",
       .tags = {"org"},
       .handler = bind(get_org),
       .response_schema = org_schema()},
      {.method = http::Method::get,
       .path = "/api/v1/orgs/{code}/children",
       .summary = "The direct children of an org node",
       .tags = {"org"},
       .handler = bind(get_children),
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"items", {{"type", "array"}, {"items", org_schema()}}}}}}},
      {.method = http::Method::get,
       .path = "/api/v1/orgs/{code}/boundaries",
       .summary = "The outlines (GeoJSON) of an org node and its children, small for a map",
       .tags = {"org"},
       .handler = bind(get_boundaries),
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"org", region_schema()},
                             {"items", {{"type", "array"}, {"items", region_schema()}}}}}}},
      {.method = http::Method::get,
       .path = "/api/v1/map",
       .summary = "The base map under the outlines: tile URL template and credit ([map])",
       .tags = {"org"},
       .handler = bind(get_map),
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"tile_url", {{"type", "string"}}},
                             {"attribution", {{"type", "string"}}}}}}},
      {.method = http::Method::put,
       .path = "/api/v1/orgs/{code}/boundary",
       .summary = "Set an org node's outline (GeoJSON Polygon or MultiPolygon, WGS-84)",
       .tags = {"org"},
       .handler = bind(put_boundary),
       .request_schema = {{"type", "object"},
                          {"required", {"type", "coordinates"}},
                          {"properties",
                           {{"type", {{"type", "string"}}}, {"coordinates", {{"type", "array"}}}}}},
       .response_schema = region_schema()},
  };
}

}  // namespace wangge::api
