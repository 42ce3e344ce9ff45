#include "demo/boundaries.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "org/geo.h"

namespace wangge::demo {
namespace {

using org::geo::Point;
using org::geo::Ring;

// A rough, convex outline of 昭通 around the county seats (lng 102.5–105.3, lat 26.4–28.8).
Ring prefecture_outline() {
  Ring r{{102.55, 26.55}, {103.40, 26.45}, {104.35, 26.95}, {105.30, 27.45}, {105.25, 28.10},
         {104.70, 28.75}, {103.70, 28.72}, {103.15, 28.25}, {102.75, 27.45}};
  r.push_back(r.front());
  return r;
}

bool has_outline(const PlannedOrg& o) {
  return o.kind == "city" || o.kind == "county" || o.kind == "township" || o.kind == "village" ||
         o.kind == "grid";
}

double uniform(Rng& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// Whether p lies in the convex ring (either orientation; on an edge counts).
bool in_convex(const Ring& r, Point p) {
  int sign = 0;
  for (size_t i = 0; i + 1 < r.size(); ++i) {
    double c = (r[i + 1].lng - r[i].lng) * (p.lat - r[i].lat) -
               (r[i + 1].lat - r[i].lat) * (p.lng - r[i].lng);
    int s = c > 0 ? 1 : (c < 0 ? -1 : 0);
    if (s == 0) continue;
    if (sign && s != sign) return false;
    sign = s;
  }
  return true;
}

// A random point well inside the convex ring (at least `margin` of the way from its edge
// toward its centroid), deterministic for the rng.
Point inside(Rng& rng, const Ring& cell, double margin = 0.15) {
  double x0 = cell[0].lng, x1 = x0, y0 = cell[0].lat, y1 = y0;
  for (const auto& p : cell) {
    x0 = std::min(x0, p.lng), x1 = std::max(x1, p.lng);
    y0 = std::min(y0, p.lat), y1 = std::max(y1, p.lat);
  }
  const Point c = org::geo::centroid(cell);
  for (int tries = 0; tries < 64; ++tries) {
    Point p{uniform(rng, x0, x1), uniform(rng, y0, y1)};
    if (!in_convex(cell, p)) continue;
    // Pull toward the centroid: the cell is convex, so the point stays inside.
    return {c.lng + (p.lng - c.lng) * (1 - margin), c.lat + (p.lat - c.lat) * (1 - margin)};
  }
  return c;
}

// The Voronoi cells of `sites` within the convex `parent`: cell i holds the points of parent
// nearer to site i than to any other. Cells tile the parent; each contains its site.
std::vector<Ring> voronoi(const Ring& parent, const std::vector<Point>& sites) {
  std::vector<Ring> cells;
  cells.reserve(sites.size());
  for (size_t i = 0; i < sites.size(); ++i) {
    Ring cell = parent;
    const Point s = sites[i];
    for (size_t j = 0; j < sites.size() && !cell.empty(); ++j) {
      if (j == i) continue;
      const Point t = sites[j];
      // |x − s|² <= |x − t|²  ⇔  2(t − s)·x <= |t|² − |s|².
      cell = org::geo::clip(cell, 2 * (t.lng - s.lng), 2 * (t.lat - s.lat),
                            t.lng * t.lng + t.lat * t.lat - s.lng * s.lng - s.lat * s.lat);
    }
    cells.push_back(std::move(cell));
  }
  return cells;
}

// Two steps of Lloyd's relaxation (each site moves to its cell's centroid), which evens out the
// cells' sizes and shapes while keeping their layout.
void relax(const Ring& parent, std::vector<Point>& sites, int steps = 2) {
  for (int step = 0; step < steps && sites.size() > 1; ++step) {
    auto cells = voronoi(parent, sites);
    for (size_t i = 0; i < sites.size(); ++i) {
      if (!cells[i].empty()) sites[i] = org::geo::centroid(cells[i]);
    }
  }
}

// Sites spread over the parent: random, then relaxed.
std::vector<Point> spread(Rng& rng, const Ring& parent, size_t n) {
  std::vector<Point> sites;
  for (size_t i = 0; i < n; ++i) sites.push_back(inside(rng, parent));
  relax(parent, sites);
  return sites;
}

std::string outline_json(const Ring& r) { return org::geo::to_geojson({{r}}, 6); }

}  // namespace

void plan_boundaries(std::vector<PlannedOrg>& plan, uint64_t seed) {
  // Children of each node (plan ids are 1-based positions, parents before children).
  std::vector<std::vector<size_t>> kids(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].parent_id) kids[plan[i].parent_id - 1].push_back(i);
  }
  std::vector<Ring> cells(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    PlannedOrg& o = plan[i];
    if (o.kind == "city") {
      cells[i] = prefecture_outline();
      o.boundary = outline_json(cells[i]);
    }
    if (cells[i].empty()) continue;  // below grids: points were placed by the grid
    Rng rng(seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(o.id));
    std::vector<size_t> outlined;
    for (size_t k : kids[i]) {
      if (has_outline(plan[k])) outlined.push_back(k);
    }
    if (!outlined.empty()) {
      std::vector<Point> sites;
      if (o.kind == "city") {
        // From the county seats; relaxed, as the seats of 昭阳 and 鲁甸 are close enough to
        // leave 鲁甸 a sliver.
        for (size_t k : outlined) sites.push_back({plan[k].lng, plan[k].lat});
        relax(cells[i], sites, 3);
      } else {
        sites = spread(rng, cells[i], outlined.size());
      }
      auto child_cells =
          outlined.size() == 1 ? std::vector<Ring>{cells[i]} : voronoi(cells[i], sites);
      for (size_t n = 0; n < outlined.size(); ++n) {
        PlannedOrg& c = plan[outlined[n]];
        cells[outlined[n]] = std::move(child_cells[n]);
        c.boundary = outline_json(cells[outlined[n]]);
        c.lng = sites[n].lng;
        c.lat = sites[n].lat;
      }
    }
    if (o.kind == "grid") {
      // Micro-grids at points inside the grid; their buildings at the micro-grid's point.
      for (size_t k : kids[i]) {
        Point p = inside(rng, cells[i], 0.3);
        plan[k].lng = p.lng;
        plan[k].lat = p.lat;
        for (size_t b : kids[k]) {
          plan[b].lng = p.lng;
          plan[b].lat = p.lat;
        }
      }
    }
  }
}

int64_t place_events_inside(store::Database& db, const std::vector<PlannedOrg>& plan) {
  std::unordered_map<int64_t, org::geo::Shape> grids;  // parsed when first needed
  auto shape_of = [&](int64_t id) -> const org::geo::Shape* {
    if (id < 1 || id > static_cast<int64_t>(plan.size())) return nullptr;
    const PlannedOrg& g = plan[id - 1];
    if (g.boundary.empty()) return nullptr;
    auto it = grids.find(id);
    if (it == grids.end()) it = grids.emplace(id, org::geo::parse(g.boundary)).first;
    return &it->second;
  };
  int64_t moved = 0;
  db.transact([&](store::Tx& tx) {
    struct Move {
      int64_t id;
      double lat, lng;
    };
    std::vector<Move> moves;
    tx.each(
        "SELECT id, grid_id, lat, lng FROM events WHERE lat IS NOT NULL AND grid_id IS NOT NULL",
        {}, [&](const store::Row& r) {
          const auto* shape = shape_of(r.i64(1));
          if (!shape) return;
          Point p{r.f64(3), r.f64(2)};
          if (org::geo::contains(*shape, p)) return;
          const PlannedOrg& g = plan[r.i64(1) - 1];
          // Halfway toward the grid's point until inside (that point is).
          for (int step = 0; step < 12 && !org::geo::contains(*shape, p); ++step) {
            p = {(p.lng + g.lng) / 2, (p.lat + g.lat) / 2};
          }
          if (!org::geo::contains(*shape, p)) p = {g.lng, g.lat};
          moves.push_back({r.i64(0), p.lat, p.lng});
        });
    for (const auto& m : moves) {
      tx.exec("UPDATE events SET lat = ?, lng = ? WHERE id = ?", {m.lat, m.lng, m.id});
    }
    moved = static_cast<int64_t>(moves.size());
  });
  return moved;
}

}  // namespace wangge::demo
