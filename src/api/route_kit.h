// What the route tables share: handlers bound to the context, the {id} path parameter and the
// small JSON schemas each table would otherwise spell again.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/context.h"
#include "http/router.h"

namespace wangge::api {

// An org code as routes take it: a 12-digit division code, a grid (+3) or a micro-grid (+3).
inline constexpr const char* kOrgCodePattern = "[0-9]{12}([0-9]{3}){0,2}";

// Shared parameter formats, declared once for every table: a query parameter "org" is an org
// code, so "5306abc" is a 400 naming org before any handler sees it.
// REQUIRES: called on each table before it is added to the router.
inline void declare_shared_formats(std::vector<http::Route>& routes) {
  for (auto& r : routes) {
    for (auto& p : r.query) {
      if (p.name == "org" && p.pattern.empty()) p.pattern = kOrgCodePattern;
    }
  }
}

struct RouteKit {
  explicit RouteKit(const std::shared_ptr<Context>& c) : ctx(c) {}

  // fn bound to the context (errors become the JSON error answer).
  http::Handler bind(ApiHandler fn) const { return bind_handler(ctx, fn); }

  std::shared_ptr<Context> ctx;
  // {id}: a required integer path parameter.
  std::vector<http::Param> id_param = {
      {.name = "id", .type = http::ParamType::integer, .required = true}};
  nlohmann::json string = {{"type", "string"}};
  nlohmann::json integer = {{"type", "integer"}};
};

}  // namespace wangge::api
