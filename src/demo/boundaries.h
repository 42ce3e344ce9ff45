// Plausible outlines for the demo prefecture: every county, township, village and grid gets a
// convex polygon, nested in its parent's and tiling it with its siblings' (no overlap, no
// gap), inside a rough outline of 昭通. Real outlines are not needed; the construction is a
// Voronoi diagram of the children's points clipped to the parent's polygon, level by level,
// so a node's representative point always lies inside its own outline.
#pragma once

#include <cstdint>
#include <vector>

#include "demo/prefecture.h"
#include "store/database.h"

namespace wangge::demo {

// Fills PlannedOrg::boundary (GeoJSON, 6 decimals) for the city, counties, townships, villages
// and grids, and moves the points of counties, townships, villages, grids, micro-grids and
// buildings so that each lies inside its node's (or, below grids, its grid's) outline (a
// county's moves from its seat toward the middle of its outline). Deterministic for a seed.
void plan_boundaries(std::vector<PlannedOrg>& plan, uint64_t seed);

// Moves any event whose point lies outside its grid's outline to a point inside it, between
// the point and the grid's own point. Returns how many moved.
// REQUIRES: plan_boundaries(plan) ran and the events of the plan are written.
int64_t place_events_inside(store::Database& db, const std::vector<PlannedOrg>& plan);

}  // namespace wangge::demo
