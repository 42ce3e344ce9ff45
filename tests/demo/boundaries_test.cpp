// The demo's outlines: every grid lies inside its village and no two grids of a village
// overlap (likewise villages in townships, townships in counties), siblings tile their parent,
// and every point (org, event) lies inside its own outline — on both databases.
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "auth/auth.h"
#include "demo/generator.h"
#include "events/events.h"
#include "org/geo.h"
#include "org/org.h"
#include "people/people.h"
#include "testing/testing.h"

namespace wangge::demo {
namespace {

namespace geo = org::geo;

// Rounding to 6 decimals moves a shared vertex by up to 5e-7 degrees (5 cm).
constexpr double kTolerance = 2e-6;

struct Node {
  int64_t id = 0, parent = 0;
  std::string code, kind;
  geo::Ring ring;
  double lat = 0, lng = 0;
};

// Whether every vertex of `inner` lies inside `outer` (or on its edge, within rounding).
bool lies_inside(const geo::Ring& inner, const geo::Ring& outer) {
  geo::Shape o{{outer}};
  for (const auto& p : inner) {
    if (!geo::contains(o, p) && geo::distance_to_edge(o, p) > kTolerance) return false;
  }
  return true;
}

// The area two convex rings share, in square degrees.
double overlap(const geo::Ring& a, const geo::Ring& b) {
  auto i = geo::intersect_convex(a, b);
  return i.empty() ? 0 : std::abs(geo::signed_area(i));
}
// A shared edge of length ≤ 1 degree displaced by the rounding overlaps by less than this.
constexpr double kAreaTolerance = 1e-8;

class BoundariesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::fresh_database(GetParam());
    std::vector<store::Migration> all = org::migrations();
    for (const auto* m : {&people::migrations(), &auth::migrations(), &events::migrations()}) {
      all.insert(all.end(), m->begin(), m->end());
    }
    store::migrate(*db_, all);
    generate(*db_, vault_, {.scale = 0.001, .seed = 11});
    auto tx = db_->begin(store::TxMode::read);
    for (const auto& r : tx->query("SELECT id, parent_id, code, kind, boundary, lat, lng FROM orgs "
                                   "WHERE kind IN ('city','county','township','village','grid')")) {
      Node n{r.i64(0), r.is_null(1) ? 0 : r.i64(1), r.text(2), r.text(3)};
      if (r.is_null(4)) {
        ADD_FAILURE() << n.code << " has no boundary";
        continue;
      }
      auto shape = geo::parse(r.text(4));
      EXPECT_EQ(shape.size(), 1u) << n.code;
      EXPECT_EQ(shape[0].size(), 1u) << n.code;
      n.ring = shape[0][0];
      n.lat = r.f64(5);
      n.lng = r.f64(6);
      nodes_[n.id] = n;
    }
  }
  std::map<int64_t, std::vector<const Node*>> children_of(const std::string& kind) const {
    std::map<int64_t, std::vector<const Node*>> out;
    for (const auto& [id, n] : nodes_) {
      if (n.kind == kind) out[n.parent].push_back(&n);
    }
    return out;
  }

  Vault vault_{Vault::Key{42}};
  std::unique_ptr<store::Database> db_;
  std::map<int64_t, Node> nodes_;
};

TEST_P(BoundariesTest, EveryOutlineNestsInItsParentAndSiblingsTileIt) {
  int64_t grids = 0, pairs = 0;
  for (const char* kind : {"county", "township", "village", "grid"}) {
    for (const auto& [parent_id, kids] : children_of(kind)) {
      const Node& parent = nodes_.at(parent_id);
      double sum = 0;
      for (size_t i = 0; i < kids.size(); ++i) {
        const Node& a = *kids[i];
        EXPECT_TRUE(geo::is_convex(a.ring)) << a.code;
        EXPECT_TRUE(lies_inside(a.ring, parent.ring)) << a.code << " outside " << parent.code;
        sum += std::abs(geo::signed_area(a.ring));
        for (size_t j = i + 1; j < kids.size(); ++j, ++pairs) {
          EXPECT_LT(overlap(a.ring, kids[j]->ring), kAreaTolerance)
              << a.code << " overlaps " << kids[j]->code;
        }
        grids += a.kind == "grid";
      }
      // No gap: the children cover the parent.
      double whole = std::abs(geo::signed_area(parent.ring));
      EXPECT_NEAR(sum, whole, whole * 1e-5) << "children of " << parent.code;
    }
  }
  EXPECT_GT(grids, 100);
  EXPECT_GT(pairs, 200);
}

TEST_P(BoundariesTest, EveryPointLiesInsideItsOutline) {
  for (const auto& [id, n] : nodes_) {
    if (n.kind == "city") continue;
    EXPECT_TRUE(geo::contains({{n.ring}}, {n.lng, n.lat})) << n.code;
  }
  auto tx = db_->begin(store::TxMode::read);
  int64_t events = 0;
  tx->each("SELECT grid_id, lat, lng FROM events WHERE lat IS NOT NULL AND grid_id IS NOT NULL", {},
           [&](const store::Row& r) {
             const Node& g = nodes_.at(r.i64(0));
             EXPECT_TRUE(geo::contains({{g.ring}}, {r.f64(2), r.f64(1)})) << "event in " << g.code;
             ++events;
           });
  EXPECT_GT(events, 100);
  // Micro-grids' points lie in their grid.
  for (const auto& r :
       tx->query("SELECT parent_id, lat, lng FROM orgs WHERE kind = 'micro_grid'")) {
    EXPECT_TRUE(geo::contains({{nodes_.at(r.i64(0)).ring}}, {r.f64(2), r.f64(1)}));
  }
}

// The checks above can fail: a grid moved by a fraction of its width sticks out of its village
// and overlaps a sibling.
TEST_P(BoundariesTest, TheChecksCatchAShiftedGrid) {
  for (const auto& [village, kids] : children_of("grid")) {
    if (kids.size() < 2) continue;
    geo::Ring moved = kids[0]->ring;
    double dx = 0;
    for (const auto& p : moved) dx = std::max(dx, std::abs(p.lng - moved[0].lng));
    for (auto& p : moved) p.lng += dx / 3;
    bool outside = !lies_inside(moved, nodes_.at(village).ring);
    bool overlaps = false;
    for (size_t j = 1; j < kids.size(); ++j)
      overlaps |= overlap(moved, kids[j]->ring) > kAreaTolerance;
    EXPECT_TRUE(outside || overlaps);
    EXPECT_GT(overlap(moved, kids[0]->ring), kAreaTolerance);
    return;
  }
  FAIL() << "no village with two grids";
}

INSTANTIATE_TEST_SUITE_P(Backends, BoundariesTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::demo
