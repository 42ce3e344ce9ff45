#include "demo/prefecture.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace wangge::demo {
namespace {

double uniform(Rng& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// A count near mean (±40%), at least 1.
int around(Rng& rng, double mean) {
  return std::max(1, static_cast<int>(std::lround(mean * uniform(rng, 0.6, 1.4))));
}

struct Builder {
  std::vector<PlannedOrg> orgs;
  int64_t add(int64_t parent, std::string code, std::string kind, std::string type,
              std::string name, double lat, double lng, int county) {
    int64_t id = static_cast<int64_t>(orgs.size()) + 1;
    orgs.push_back({id, parent, std::move(code), std::move(kind), std::move(type), std::move(name),
                    lat, lng, county});
    return id;
  }
};

}  // namespace

const std::vector<County>& zhaotong_counties() {
  // Shares from the 2020 census (昭通 ≈ 5.09 million); seats' coordinates rounded.
  static const std::vector<County> counties{
      {"530602000000", "昭阳区", "district", 0.182, 27.34, 103.72},
      {"530621000000", "鲁甸县", "county", 0.075, 27.19, 103.56},
      {"530622000000", "巧家县", "county", 0.093, 26.91, 102.93},
      {"530623000000", "盐津县", "county", 0.063, 28.11, 104.23},
      {"530624000000", "大关县", "county", 0.047, 27.75, 103.89},
      {"530625000000", "永善县", "county", 0.073, 28.23, 103.64},
      {"530626000000", "绥江县", "county", 0.028, 28.59, 103.97},
      {"530627000000", "镇雄县", "county", 0.256, 27.44, 104.87},
      {"530628000000", "彝良县", "county", 0.093, 27.63, 104.05},
      {"530629000000", "威信县", "county", 0.071, 27.85, 105.05},
      {"530681000000", "水富市", "county_city", 0.019, 28.63, 104.42},
  };
  return counties;
}

std::vector<PlannedOrg> plan_prefecture(double scale, uint64_t seed) {
  Rng rng(seed);
  const double f = std::pow(std::max(scale, 1e-6), 0.25);
  const auto& counties = zhaotong_counties();
  Builder b;
  int64_t city = b.add(0, "530600000000", "city", "city", "昭通市", 27.34, 103.72, -1);

  const int townships_total = std::max(22, static_cast<int>(std::lround(141 * f)));
  for (int ci = 0; ci < static_cast<int>(counties.size()); ++ci) {
    const County& c = counties[ci];
    int64_t county = b.add(city, c.code, "county", c.type, c.name, c.lat, c.lng, ci);
    int townships =
        std::max(2, static_cast<int>(std::lround(townships_total * c.population_share)));
    int streets = c.type == "district" ? 3 : 1;
    int seg_street = 1, seg_town = 101, seg_xiang = 201;
    for (int t = 0; t < townships; ++t) {
      std::string type = t < streets ? "street" : (uniform(rng, 0, 1) < 0.7 ? "town" : "xiang");
      int seg = type == "street" ? seg_street++ : (type == "town" ? seg_town++ : seg_xiang++);
      std::string tcode = c.code.substr(0, 6) + fmt::format("{:03d}", seg) + "000";
      std::string suffix = type == "street" ? "街道" : (type == "town" ? "镇" : "乡");
      double tlat = c.lat + uniform(rng, -0.25, 0.25), tlng = c.lng + uniform(rng, -0.25, 0.25);
      int64_t township =
          b.add(county, tcode, "township", type, place_stem(rng) + suffix, tlat, tlng, ci);
      int villages = around(rng, 10.1 * f);
      int seg_comm = 1, seg_vil = 201;
      for (int v = 0; v < villages; ++v) {
        bool community = type == "street" || (type == "town" && v < 2);
        int vseg = community ? seg_comm++ : seg_vil++;
        std::string vcode = tcode.substr(0, 9) + fmt::format("{:03d}", vseg);
        double vlat = tlat + uniform(rng, -0.06, 0.06), vlng = tlng + uniform(rng, -0.06, 0.06);
        int64_t village = b.add(township, vcode, "village", community ? "community" : "village",
                                place_stem(rng) + (community ? "社区" : "村"), vlat, vlng, ci);
        int grids = std::min(999, around(rng, 21.56 * f));
        for (int g = 1; g <= grids; ++g) {
          std::string gcode = vcode + fmt::format("{:03d}", g);
          double glat = vlat + uniform(rng, -0.01, 0.01), glng = vlng + uniform(rng, -0.01, 0.01);
          int64_t grid = b.add(village, gcode, "grid", community ? "compound_grid" : "grid",
                               fmt::format("第{}网格", g), glat, glng, ci);
          int micro = std::min(999, around(rng, 4.92 * f));
          int households = around(rng, 48.9 * f);
          for (int m = 1; m <= micro; ++m) {
            std::string mcode = gcode + fmt::format("{:03d}", m);
            int share = households / micro + (m <= households % micro ? 1 : 0);
            int64_t mg = b.add(
                grid, mcode, "micro_grid", "micro_grid", fmt::format("第{}网格第{}微网格", g, m),
                glat + uniform(rng, -0.002, 0.002), glng + uniform(rng, -0.002, 0.002), ci);
            b.orgs.back().households = share;
            if (community) {
              int buildings = 1 + static_cast<int>(uniform(rng, 0, 2.5));
              for (int k = 1; k <= buildings; ++k) {
                b.add(mg, mcode + fmt::format("{:03d}", k), "building", "building",
                      fmt::format("{}栋", (m - 1) * 3 + k), b.orgs[mg - 1].lat, b.orgs[mg - 1].lng,
                      ci);
              }
            }
          }
        }
      }
    }
  }
  return b.orgs;
}

}  // namespace wangge::demo
