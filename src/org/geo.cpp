#include "org/geo.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace wangge::org::geo {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& field, const std::string& zh, const std::string& en) {
  throw_bad_input("invalid_boundary", "边界" + zh, "boundary: " + en, field);
}

// "第2个多边形第1个环" / "polygon 2, ring 1": where in the geometry a fault lies.
struct Where {
  size_t polygon, ring;
  bool multi;
  std::string zh() const {
    return multi ? fmt::format("第{}个多边形第{}个环", polygon + 1, ring + 1)
                 : fmt::format("第{}个环", ring + 1);
  }
  std::string en() const {
    return multi ? fmt::format("polygon {}, ring {}", polygon + 1, ring + 1)
                 : fmt::format("ring {}", ring + 1);
  }
};

Ring read_ring(const json& j, const Where& at, const std::string& field, size_t& vertices) {
  if (!j.is_array() || j.size() < 4) {
    bad(field, at.zh() + "须是至少4个坐标的数组（首尾相同）",
        at.en() + " must be an array of at least 4 positions (first = last)");
  }
  Ring r;
  r.reserve(j.size());
  for (const auto& pos : j) {
    if (++vertices > kMaxVertices) {
      bad(field, fmt::format("顶点超过{}个，请先简化", kMaxVertices),
          fmt::format("has more than {} vertices; simplify it first", kMaxVertices));
    }
    if (!pos.is_array() || pos.size() < 2 || pos.size() > 3 || !pos[0].is_number() ||
        !pos[1].is_number()) {
      bad(field, at.zh() + "的坐标须是[经度,纬度]数字对",
          at.en() + ": a position must be a [lng, lat] pair of numbers");
    }
    Point p{pos[0].get<double>(), pos[1].get<double>()};
    if (!std::isfinite(p.lng) || !std::isfinite(p.lat) || p.lng < 73 || p.lng > 136 || p.lat < 3 ||
        p.lat > 54) {
      bad(field,
          fmt::format(
              "{}的坐标[{},{}]不在中国境内：须是WGS-84经纬度（投影坐标请先用 ogr2ogr -t_srs "
              "EPSG:4326 转换）",
              at.zh(), pos[0].dump(), pos[1].dump()),
          fmt::format("{}: position [{},{}] lies outside China; it must be WGS-84 lng/lat "
                      "(reproject with ogr2ogr -t_srs EPSG:4326)",
                      at.en(), pos[0].dump(), pos[1].dump()));
    }
    r.push_back(p);
  }
  if (r.front().lng != r.back().lng || r.front().lat != r.back().lat) {
    bad(field, at.zh() + "未闭合（最后一个坐标须与第一个相同）",
        at.en() + " is not closed (the last position must equal the first)");
  }
  if (signed_area(r) == 0) {
    bad(field, at.zh() + "面积为零", at.en() + " has no area");
  }
  return r;
}

Polygon read_polygon(const json& j, size_t index, bool multi, const std::string& field,
                     size_t& vertices) {
  if (!j.is_array() || j.empty()) {
    Where at{index, 0, multi};
    bad(field, at.zh() + "缺少坐标", at.en() + ": no rings");
  }
  Polygon p;
  for (size_t i = 0; i < j.size(); ++i) {
    p.push_back(read_ring(j[i], {index, i, multi}, field, vertices));
  }
  return p;
}

double cross(Point o, Point a, Point b) {
  return (a.lng - o.lng) * (b.lat - o.lat) - (a.lat - o.lat) * (b.lng - o.lng);
}

double segment_distance(Point p, Point a, Point b) {
  double dx = b.lng - a.lng, dy = b.lat - a.lat;
  double len2 = dx * dx + dy * dy;
  double t = len2 == 0 ? 0 : ((p.lng - a.lng) * dx + (p.lat - a.lat) * dy) / len2;
  t = std::clamp(t, 0.0, 1.0);
  double x = a.lng + t * dx - p.lng, y = a.lat + t * dy - p.lat;
  return std::sqrt(x * x + y * y);
}

void douglas_peucker(const Ring& r, size_t lo, size_t hi, double tol, std::vector<bool>& keep) {
  if (hi <= lo + 1) return;
  double worst = -1;
  size_t at = lo;
  for (size_t i = lo + 1; i < hi; ++i) {
    double d = segment_distance(r[i], r[lo], r[hi]);
    if (d > worst) worst = d, at = i;
  }
  if (worst <= tol) return;
  keep[at] = true;
  douglas_peucker(r, lo, at, tol, keep);
  douglas_peucker(r, at, hi, tol, keep);
}

void append_number(std::string& out, double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  double rounded = std::round(v * scale) / scale;
  std::string s = fmt::format("{:.{}f}", rounded, decimals);
  // Trailing zeros say nothing; "103.500000" → "103.5".
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  out += s;
}

}  // namespace

Shape parse(std::string_view geojson, const std::string& field) {
  if (geojson.size() > kMaxBytes) {
    throw Error(ErrorKind::too_large, "boundary_too_large",
                fmt::format("边界超过{}MB，请先简化", kMaxBytes >> 20),
                fmt::format("boundary is over {} MB; simplify it first", kMaxBytes >> 20), field);
  }
  auto j = json::parse(geojson, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    throw_bad_input("invalid_boundary", "边界不是有效的GeoJSON", "boundary is not valid GeoJSON",
                    field);
  }
  const json* geo = &j;
  if (j.value("type", "") == "Feature" && j.contains("geometry")) geo = &j["geometry"];
  if (!geo->is_object()) bad(field, "缺少几何对象", "has no geometry");
  std::string type = geo->contains("type") && (*geo)["type"].is_string() ? (*geo)["type"] : "";
  if (type != "Polygon" && type != "MultiPolygon") {
    throw_bad_input("invalid_boundary", "边界必须是GeoJSON的Polygon或MultiPolygon",
                    "boundary must be a GeoJSON Polygon or MultiPolygon", field);
  }
  if (!geo->contains("coordinates") || !(*geo)["coordinates"].is_array() ||
      (*geo)["coordinates"].empty()) {
    bad(field, "缺少坐标（coordinates）", "has no coordinates");
  }
  const json& c = (*geo)["coordinates"];
  size_t vertices = 0;
  Shape s;
  if (type == "Polygon") {
    s.push_back(read_polygon(c, 0, false, field, vertices));
  } else {
    for (size_t i = 0; i < c.size(); ++i) s.push_back(read_polygon(c[i], i, true, field, vertices));
  }
  return s;
}

std::string canonical(std::string_view geojson, const std::string& field) {
  return to_geojson(parse(geojson, field));
}

std::string to_geojson(const Shape& s, int decimals) {
  const bool multi = s.size() != 1;
  std::string out =
      multi ? R"({"type":"MultiPolygon","coordinates":[)" : R"({"type":"Polygon","coordinates":)";
  for (size_t pi = 0; pi < s.size(); ++pi) {
    if (pi) out += ',';
    out += '[';
    for (size_t ri = 0; ri < s[pi].size(); ++ri) {
      if (ri) out += ',';
      out += '[';
      for (size_t k = 0; k < s[pi][ri].size(); ++k) {
        if (k) out += ',';
        out += '[';
        append_number(out, s[pi][ri][k].lng, decimals);
        out += ',';
        append_number(out, s[pi][ri][k].lat, decimals);
        out += ']';
      }
      out += ']';
    }
    out += ']';
  }
  out += multi ? "]}" : "}";
  return out;
}

Shape simplify(const Shape& s, double tolerance) {
  Shape out;
  for (const auto& poly : s) {
    Polygon p;
    for (const auto& ring : poly) {
      if (ring.size() <= 5) {
        p.push_back(ring);
        continue;
      }
      std::vector<bool> keep(ring.size(), false);
      keep.front() = keep.back() = true;
      // Split the closed ring at its farthest point from the start, so both halves have ends.
      size_t far = 1;
      double worst = -1;
      for (size_t i = 1; i + 1 < ring.size(); ++i) {
        double dx = ring[i].lng - ring[0].lng, dy = ring[i].lat - ring[0].lat;
        if (dx * dx + dy * dy > worst) worst = dx * dx + dy * dy, far = i;
      }
      keep[far] = true;
      douglas_peucker(ring, 0, far, tolerance, keep);
      douglas_peucker(ring, far, ring.size() - 1, tolerance, keep);
      Ring r;
      for (size_t i = 0; i < ring.size(); ++i) {
        if (keep[i]) r.push_back(ring[i]);
      }
      // Too few points left for a ring (a tiny island at this tolerance): keep the original.
      if (r.size() < 4 || signed_area(r) == 0) r = ring;
      p.push_back(std::move(r));
    }
    out.push_back(std::move(p));
  }
  return out;
}

double signed_area(const Ring& r) {
  double a = 0;
  for (size_t i = 0; i + 1 < r.size(); ++i) {
    a += r[i].lng * r[i + 1].lat - r[i + 1].lng * r[i].lat;
  }
  return a / 2;
}

Point centroid(const Ring& r) {
  double a = 0, x = 0, y = 0;
  for (size_t i = 0; i + 1 < r.size(); ++i) {
    double f = r[i].lng * r[i + 1].lat - r[i + 1].lng * r[i].lat;
    a += f;
    x += (r[i].lng + r[i + 1].lng) * f;
    y += (r[i].lat + r[i + 1].lat) * f;
  }
  if (a == 0) return r.empty() ? Point{} : r.front();
  return {x / (3 * a), y / (3 * a)};
}

bool contains(const Shape& s, Point p) {
  bool in = false;
  for (const auto& poly : s) {
    for (const auto& ring : poly) {
      for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const Point &a = ring[i], &b = ring[j];
        if ((a.lat > p.lat) != (b.lat > p.lat) &&
            p.lng < (b.lng - a.lng) * (p.lat - a.lat) / (b.lat - a.lat) + a.lng) {
          in = !in;
        }
      }
    }
  }
  return in;
}

double distance_to_edge(const Shape& s, Point p) {
  double best = INFINITY;
  for (const auto& poly : s) {
    for (const auto& ring : poly) {
      for (size_t i = 0; i + 1 < ring.size(); ++i) {
        best = std::min(best, segment_distance(p, ring[i], ring[i + 1]));
      }
    }
  }
  return best;
}

size_t vertex_count(const Shape& s) {
  size_t n = 0;
  for (const auto& poly : s) {
    for (const auto& ring : poly) n += ring.size();
  }
  return n;
}

bool is_convex(const Ring& r) {
  if (r.size() < 4) return false;
  int sign = 0;
  const size_t n = r.size() - 1;  // distinct points
  for (size_t i = 0; i < n; ++i) {
    const Point a = r[i], b = r[(i + 1) % n], c3 = r[(i + 2) % n];
    double c = cross(a, b, c3);
    // A vertex within ~1e-6 degrees of the line through its neighbours (a point on a parent's
    // edge, moved by rounding) bends neither way.
    double longest = std::max(std::hypot(b.lng - a.lng, b.lat - a.lat),
                              std::hypot(c3.lng - b.lng, c3.lat - b.lat));
    if (std::abs(c) <= 2e-6 * longest) continue;
    int s = c > 0 ? 1 : -1;
    if (sign && s != sign) return false;
    sign = s;
  }
  return sign != 0;
}

Ring clip(const Ring& r, double a, double b, double c) {
  Ring out;
  if (r.size() < 4) return out;
  auto side = [&](Point p) { return a * p.lng + b * p.lat - c; };
  for (size_t i = 0; i + 1 < r.size(); ++i) {
    Point p = r[i], q = r[i + 1];
    double sp = side(p), sq = side(q);
    if (sp <= 0) out.push_back(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      double t = sp / (sp - sq);
      out.push_back({p.lng + t * (q.lng - p.lng), p.lat + t * (q.lat - p.lat)});
    }
  }
  if (out.size() < 3) return {};
  out.push_back(out.front());
  if (std::abs(signed_area(out)) == 0) return {};
  return out;
}

Ring intersect_convex(const Ring& a, const Ring& b) {
  Ring out = a;
  const double orient = signed_area(b) > 0 ? 1 : -1;
  for (size_t i = 0; i + 1 < b.size() && !out.empty(); ++i) {
    Point p = b[i], q = b[i + 1];
    // Keep the side of edge p→q where b lies: left for counter-clockwise b.
    double nx = (q.lat - p.lat) * orient, ny = -(q.lng - p.lng) * orient;
    out = clip(out, nx, ny, nx * p.lng + ny * p.lat);
  }
  return out;
}

}  // namespace wangge::org::geo
