// Boundaries of org nodes: GeoJSON Polygon / MultiPolygon geometries in WGS-84 lon/lat, read,
// checked, written back compactly, and the few planar operations the maps and the demo need.
// Coordinates are degrees treated as a plane: fine at the scale of a county.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wangge::org::geo {

struct Point {
  double lng = 0, lat = 0;
};
using Ring = std::vector<Point>;     // closed: front() == back(), at least 4 points
using Polygon = std::vector<Ring>;   // the outer ring, then holes
using Shape = std::vector<Polygon>;  // a MultiPolygon; a Polygon is a Shape of one

// Limits on a stored boundary: the text, and the vertices over all rings.
inline constexpr size_t kMaxBytes = 4u << 20;
inline constexpr size_t kMaxVertices = 200'000;

// Parses a GeoJSON geometry (or a Feature carrying one) and checks it: a Polygon or
// MultiPolygon; every ring an array of at least 4 [lng, lat] positions, closed (the last equal
// to the first), of non-zero area; every coordinate a finite number within China's bounds
// (lng 73–136, lat 3–54, as events' places); within kMaxBytes and kMaxVertices.
// Throws Error(bad_input, code "invalid_boundary", field) with a Chinese message saying what
// is wrong and where (English under Lang::en).
Shape parse(std::string_view geojson, const std::string& field = "boundary");
// parse() then to_geojson(): the form a boundary is stored in.
std::string canonical(std::string_view geojson, const std::string& field = "boundary");

// The geometry as compact GeoJSON ({"type":"Polygon"|"MultiPolygon","coordinates":…}),
// coordinates rounded to `decimals` places (6 ≈ 0.1 m; 5 ≈ 1 m, enough for a phone's map).
std::string to_geojson(const Shape& s, int decimals = 6);

// Douglas–Peucker on every ring with this tolerance (degrees); a ring keeps at least 4 points
// and stays closed. Used to keep imported outlines small for the phone.
Shape simplify(const Shape& s, double tolerance);

// Signed area (positive when counter-clockwise) and centroid of a closed ring.
double signed_area(const Ring& r);
Point centroid(const Ring& r);
// Even-odd test over every ring of the shape (holes exclude). Points on an edge may go
// either way.
bool contains(const Shape& s, Point p);
// The distance from p to the nearest edge of the shape.
double distance_to_edge(const Shape& s, Point p);
size_t vertex_count(const Shape& s);

// Convex polygons (closed rings, either orientation), as the demo builds them. A vertex within
// ~1e-6 degrees of the line through its neighbours counts as straight (rounding moves those).
bool is_convex(const Ring& r);
// The part of convex `r` where a·lng + b·lat <= c (Sutherland–Hodgman); empty when none.
Ring clip(const Ring& r, double a, double b, double c);
// The intersection of two convex rings (empty when they do not overlap).
Ring intersect_convex(const Ring& a, const Ring& b);

}  // namespace wangge::org::geo
