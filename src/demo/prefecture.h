// The demo prefecture's shape: 昭通's 11 real county-level divisions with their real codes and
// names, and synthetic townships, villages, grids, micro-grids and buildings sized by scale.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "demo/names.h"

namespace wangge::demo {

struct County {
  std::string code;  // 12 digits
  std::string name;
  std::string type;  // district / county / county_city
  double population_share;
  double lat, lng;  // seat of government, for plausible map positions
};
// 昭通市 (530600000000) and its county-level divisions.
const std::vector<County>& zhaotong_counties();

// One node of the synthetic tree, in preorder (parents before children).
struct PlannedOrg {
  int64_t id;
  int64_t parent_id;  // 0 for the root
  std::string code, kind, type, name;
  double lat, lng;
  int county;            // index into zhaotong_counties(), -1 for the city
  int households = 0;    // micro-grids only: how many households live here
  std::string boundary;  // GeoJSON geometry (demo/boundaries.h); empty for none
};

// Builds the tree for a scale (1.0 = the real prefecture: ~141 townships, 1,424 villages,
// 30,700 grids, 151,000 micro-grids, 1.5 million households). Deterministic for a seed.
std::vector<PlannedOrg> plan_prefecture(double scale, uint64_t seed);

}  // namespace wangge::demo
