#include "org/module/module.h"

#include <mutex>

#include "core/error.h"
#include "org/org.h"

namespace wangge::org {
namespace {

std::mutex map_mu;
MapSettings map_now;

// Nothing a URL or a line of text on the map needs: no markup (Leaflet writes the credit as
// HTML), no quotes, no control characters; a URL no spaces, a credit no &.
bool plain(std::string_view s, bool url) {
  constexpr std::string_view kNever = "\"'<>\\`";
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f || kNever.find(static_cast<char>(c)) != std::string_view::npos) {
      return false;
    }
    if (url ? c == ' ' : c == '&') return false;  // a URL's query needs &, a credit does not
  }
  return true;
}

}  // namespace

void use_map_settings(MapSettings settings) {
  const std::string& url = settings.tile_url;
  if (!url.empty() && (!url.starts_with("https://") || url.find("{z}") == std::string::npos ||
                       url.find("{x}") == std::string::npos ||
                       url.find("{y}") == std::string::npos || !plain(url, true))) {
    throw_bad_input("bad_tile_url",
                    "[map] tile_url 应为 https 瓦片地址模板，含 {z}、{x}、{y}，不含空格和引号，"
                    "如 https://t0.tianditu.gov.cn/vec_w/wmts?…&TILEMATRIX={z}&TILEROW={y}&"
                    "TILECOL={x}&tk=密钥",
                    "[map] tile_url must be an https tile template with {z}, {x} and {y}, "
                    "without spaces or quotes",
                    "map.tile_url");
  }
  if (settings.attribution.size() > 200 || !plain(settings.attribution, false)) {
    throw_bad_input("bad_attribution", "[map] tile_attribution 至多 200 字节，不含引号、尖括号和 &",
                    "[map] tile_attribution: at most 200 bytes, no quotes, angle brackets or &",
                    "map.tile_attribution");
  }
  std::lock_guard lock(map_mu);
  map_now = std::move(settings);
}

MapSettings map_settings() {
  std::lock_guard lock(map_mu);
  return map_now;
}

app::Module module() {
  app::Module m{.name = "org"};
  m.migrations = migrations();
  m.routes = {&api::org_routes};
  m.config = {
      {"map",
       {{.name = "tile_url",
         .help = "base-map tiles under the outlines (Tianditu, OSM), an https template with {z} "
                 "{x} {y}; empty: none, maps work offline"},
        {.name = "tile_attribution", .help = "the tile provider's credit, shown on the map"}}},
  };
  m.configure = [](const app::Settings& s) {
    use_map_settings({s.text("map", "tile_url"), s.text("map", "tile_attribution")});
  };
  return m;
}

}  // namespace wangge::org
