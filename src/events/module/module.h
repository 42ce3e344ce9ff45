// The closed loop's registration: events, intake (photos, Open311, API keys, idempotency keys),
// notifications, the sweep.
#pragma once

#include <memory>
#include <vector>

#include "app/module.h"
#include "http/router.h"

namespace wangge::api {

struct Context;

// The route tables of this room of the API (built around the shared context).
std::vector<http::Route> event_routes(const std::shared_ptr<Context>& ctx);
std::vector<http::Route> photo_routes(const std::shared_ptr<Context>& ctx);
std::vector<http::Route> open311_routes(const std::shared_ptr<Context>& ctx);

}  // namespace wangge::api

namespace wangge::events {

// Everything this room brings to wangge (app/module.h).
app::Module module();

}  // namespace wangge::events
