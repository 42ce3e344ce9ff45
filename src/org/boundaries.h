// The outlines of org nodes: set one, import a county's file of them, read a node's and its
// children's for a map. Every function takes the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "org/org.h"
#include "store/database.h"

namespace wangge::org {

// Sets (or, with nullopt, clears) the boundary of the org `code`. The text is checked as
// geo::parse says and stored compactly; an org without a representative point gets the
// centroid of its largest polygon when that lies inside it.
// Throws Error(not_found) for an unknown code, Error(bad_input) for a bad boundary.
void set_boundary(store::Tx& tx, std::string_view code, const std::optional<std::string>& geojson);

enum class MatchBy { code, name };
MatchBy parse_match_by(std::string_view s);  // "code" | "name"; Error(bad_input) otherwise

struct BoundaryImport {
  struct Match {
    size_t feature;  // 0-based index in the collection
    std::string code, name;
  };
  std::vector<Match> matched;
  // One line per feature that could not be used ("第3个要素（名称=龙头山镇）：没有这个组织"),
  // in Chinese and English. When any, nothing was written.
  std::vector<std::string> problems_zh, problems_en;
  bool written = false;
};

struct ImportOptions {
  MatchBy by = MatchBy::code;
  // The property that carries the code or name; empty → the first present of the usual ones
  // (code: code, CODE, adcode, XZQDM, QHDM, 区划代码, 代码; name: name, NAME, XZQMC, QHMC, 名称).
  std::string key;
  // Only org nodes in this subtree may be matched (a county loads its own); empty → all.
  std::string within;
};

// Reads a GeoJSON FeatureCollection whose features' properties carry an org code (6, 9 or 12
// digits for a division, 15 for a grid; shorter ones are padded with zeros) or name, and sets
// each matched org's boundary. All or nothing: a feature that matches no org, matches several
// (a name), matches an org another feature matched, or carries a bad geometry is a problem,
// and with any problem nothing is written. Throws Error(bad_input) when the text is not a
// FeatureCollection at all.
BoundaryImport import_boundaries(store::Tx& tx, std::string_view geojson,
                                 const ImportOptions& options);

// An org node with its boundary made small for a map: simplified to ~1 m and rounded to 5
// decimals (empty when it has none).
struct MapRegion {
  Org org;
  std::string boundary;  // GeoJSON geometry, or empty
};
// The node itself and its direct children, in code order.
std::vector<MapRegion> map_regions(store::Tx& tx, const Org& node);
std::string map_boundary(const std::string& stored);

}  // namespace wangge::org
