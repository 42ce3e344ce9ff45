#include "org/boundaries.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "org/geo.h"
#include "org/service.h"

namespace wangge::org {
namespace {

using nlohmann::json;

// The largest outer ring's centroid, when it lies inside the shape.
std::optional<geo::Point> inner_point(const geo::Shape& s) {
  const geo::Ring* best = nullptr;
  for (const auto& p : s) {
    if (!best || std::abs(geo::signed_area(p[0])) > std::abs(geo::signed_area(*best))) {
      best = &p[0];
    }
  }
  if (!best) return std::nullopt;
  geo::Point c = geo::centroid(*best);
  if (!geo::contains(s, c)) return std::nullopt;
  return c;
}

void store_boundary(store::Tx& tx, const Org& o, const geo::Shape& shape) {
  std::optional<geo::Point> point;
  if (!o.lat || !o.lng) point = inner_point(shape);
  if (point) {
    tx.exec("UPDATE orgs SET boundary = ?, lat = ?, lng = ? WHERE id = ?",
            {geo::to_geojson(shape), point->lat, point->lng, o.id});
  } else {
    tx.exec("UPDATE orgs SET boundary = ? WHERE id = ?", {geo::to_geojson(shape), o.id});
  }
  tx.changed(kOrg, o.id);
}

const std::vector<std::string>& usual_keys(MatchBy by) {
  static const std::vector<std::string> code{"code",  "CODE", "org_code", "adcode",
                                             "XZQDM", "QHDM", "区划代码", "代码"};
  static const std::vector<std::string> name{"name", "NAME", "XZQMC", "QHMC", "名称"};
  return by == MatchBy::code ? code : name;
}

// The property value as text ("530621" from a number or a string); empty when absent.
std::string property(const json& props, const ImportOptions& o) {
  if (!props.is_object()) return {};
  auto text = [](const json& v) -> std::string {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
    return {};
  };
  if (!o.key.empty()) return props.contains(o.key) ? text(props[o.key]) : std::string();
  for (const auto& k : usual_keys(o.by)) {
    if (props.contains(k)) {
      std::string v = text(props[k]);
      if (!v.empty()) return v;
    }
  }
  return {};
}

// A division code as a county's file may write it: 6 digits (county), 9 (township).
std::string full_code(std::string c) {
  if (c.size() == 6 || c.size() == 9) c.append(12 - c.size(), '0');
  return c;
}

}  // namespace

void set_boundary(store::Tx& tx, std::string_view code, const std::optional<std::string>& geojson) {
  Org o = get_org(tx, code);
  if (!geojson) {
    tx.exec("UPDATE orgs SET boundary = NULL WHERE id = ?", {o.id});
    tx.changed(kOrg, o.id);
    return;
  }
  store_boundary(tx, o, geo::parse(*geojson));
}

MatchBy parse_match_by(std::string_view s) {
  if (s == "code") return MatchBy::code;
  if (s == "name") return MatchBy::name;
  throw_bad_input("invalid_match_by", "匹配方式须为 code 或 name", "match by code or name",
                  "match_by");
}

BoundaryImport import_boundaries(store::Tx& tx, std::string_view geojson,
                                 const ImportOptions& options) {
  auto j = json::parse(geojson, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("type", "") != "FeatureCollection" ||
      !j.contains("features") || !j["features"].is_array()) {
    throw_bad_input("invalid_feature_collection", "文件不是GeoJSON的FeatureCollection",
                    "the file is not a GeoJSON FeatureCollection", "file");
  }
  const std::string prefix = options.within.empty() ? "" : subtree_prefix(options.within);
  const std::string prefix_end = prefix + ":";
  if (!options.within.empty()) get_org(tx, options.within);
  const char* what_zh = options.by == MatchBy::code ? "编码" : "名称";
  const char* what_en = options.by == MatchBy::code ? "code" : "name";

  BoundaryImport out;
  auto problem = [&](size_t i, const std::string& value, const std::string& zh,
                     const std::string& en) {
    out.problems_zh.push_back(fmt::format("第{}个要素（{}={}）：{}", i + 1, what_zh, value, zh));
    out.problems_en.push_back(fmt::format("feature {} ({}={}): {}", i + 1, what_en, value, en));
  };
  std::vector<std::pair<Org, geo::Shape>> writes;
  std::map<std::string, size_t> taken;  // org code → the feature that matched it
  const auto& features = j["features"];
  for (size_t i = 0; i < features.size(); ++i) {
    const json& f = features[i];
    std::string value =
        f.is_object() && f.contains("properties") ? property(f["properties"], options) : "";
    if (value.empty()) {
      problem(i, "", "属性中没有" + std::string(what_zh),
              std::string("its properties carry no ") + what_en);
      continue;
    }
    std::vector<Org> found;
    if (options.by == MatchBy::code) {
      if (auto o = find_org(tx, full_code(value))) found.push_back(*o);
    } else {
      for (const auto& r :
           tx.query("SELECT code FROM orgs WHERE name = ? ORDER BY code", {value})) {
        if (auto o = find_org(tx, r.text(0))) found.push_back(*o);
      }
    }
    if (!prefix.empty()) {
      std::erase_if(found, [&](const Org& o) { return o.code < prefix || o.code >= prefix_end; });
    }
    if (found.empty()) {
      problem(i, value, "没有这个组织", "no such org");
      continue;
    }
    if (found.size() > 1) {
      std::string codes;
      for (const auto& o : found) codes += (codes.empty() ? "" : ", ") + o.code;
      problem(i, value, "同名组织有多个（" + codes + "），请按编码匹配或用 --within 限定",
              "several orgs have this name (" + codes + "); match by code or narrow with --within");
      continue;
    }
    const Org& o = found.front();
    if (auto [it, fresh] = taken.emplace(o.code, i); !fresh) {
      problem(i, value, fmt::format("与第{}个要素对应同一组织 {}", it->second + 1, o.code),
              fmt::format("matches the same org {} as feature {}", o.code, it->second + 1));
      continue;
    }
    if (!f.contains("geometry") || f["geometry"].is_null()) {
      problem(i, value, "没有几何图形", "it has no geometry");
      continue;
    }
    try {
      writes.emplace_back(o, geo::parse(f["geometry"].dump()));
      out.matched.push_back({i, o.code, o.name});
    } catch (const Error& e) {
      problem(i, value, e.message(Lang::zh), e.message(Lang::en));
    }
  }
  if (!out.problems_zh.empty()) {
    out.matched.clear();
    return out;
  }
  for (const auto& [o, shape] : writes) store_boundary(tx, o, shape);
  out.written = true;
  return out;
}

std::string map_boundary(const std::string& stored) {
  // Stored boundaries were checked on the way in; one that no longer parses is left off the
  // map rather than failing it.
  try {
    return geo::to_geojson(geo::simplify(geo::parse(stored), 1e-5), 5);
  } catch (const Error&) {
    return {};
  }
}

std::vector<MapRegion> map_regions(store::Tx& tx, const Org& node) {
  std::vector<MapRegion> out;
  out.push_back({node, node.boundary ? map_boundary(*node.boundary) : ""});
  for (auto& c : children(tx, node.id)) {
    std::string b = c.boundary ? map_boundary(*c.boundary) : "";
    out.push_back({std::move(c), std::move(b)});
  }
  for (auto& r : out) r.org.boundary.reset();  // the map form replaces the stored one
  return out;
}

}  // namespace wangge::org
