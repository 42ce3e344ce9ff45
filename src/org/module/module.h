// The org room's registration: its schema and the org tree routes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/module.h"
#include "http/router.h"

namespace wangge::api {

struct Context;

// The route tables of this room of the API (built around the shared context).
std::vector<http::Route> org_routes(const std::shared_ptr<Context>& ctx);

}  // namespace wangge::api

namespace wangge::org {

// Everything this room brings to wangge (app/module.h).
app::Module module();

// The base map drawn under the outlines, from the config's [map] section; an empty tile_url
// (the default) draws none, so maps need no network beyond the wangge server.
struct MapSettings {
  std::string tile_url;     // a Leaflet template over https: …/{z}/{x}/{y}…
  std::string attribution;  // shown in the map's corner (a tile provider's terms ask for it)
};
// Checks and keeps them (Error bad_input naming the key when tile_url is not such a template).
void use_map_settings(MapSettings settings);
MapSettings map_settings();

}  // namespace wangge::org
