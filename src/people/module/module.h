// The people room's registration: households, residents, tags and colours, and their routes.
#pragma once

#include <memory>
#include <vector>

#include "app/module.h"
#include "http/router.h"

namespace wangge::api {

struct Context;

// The route tables of this room of the API (built around the shared context).
std::vector<http::Route> resident_routes(const std::shared_ptr<Context>& ctx);
std::vector<http::Route> resident_write_routes(const std::shared_ptr<Context>& ctx);

}  // namespace wangge::api

namespace wangge::people {

// Everything this room brings to wangge (app/module.h).
app::Module module();

}  // namespace wangge::people
