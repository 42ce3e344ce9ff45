// What the route tables share: handlers bound to the context, the {id} path parameter and the
// small JSON schemas each table would otherwise spell again.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/context.h"
#include "http/router.h"

namespace wangge::api {

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
