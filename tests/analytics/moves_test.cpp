// Records moving between orgs (index.h put / remove / respread): a move shifts the slots up to
// the nearest gap, not the table. After many moves the index must hold exactly what a fresh
// build holds: checked on raw tables against a rebuilt one, and over the fixture (fixture.h)
// on both databases, where every shipped summary form, the dashboard and the rosters must
// come out the same as from an index loaded afresh.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "analytics/engine.h"
#include "analytics/fields.h"
#include "analytics/index.h"
#include "analytics/kpi.h"
#include "analytics/roster.h"
#include "fixture.h"
#include "people/people.h"
#include "testing/testing.h"

namespace wangge::analytics {
namespace {

// (org position, id) → (u8 value, u64 value) of every live record.
using Content = std::map<std::pair<uint32_t, int64_t>, std::pair<int, uint64_t>>;

Content content(const Table& t) {
  Content c;
  for (size_t s = 0; s < t.size(); ++s) {
    if (!t.is_live(s)) continue;
    c[{t.pos[s], t.id[s]}] = {t.cols[0].u8[s], t.cols[1].u64[s]};
  }
  return c;
}

// Every invariant a scan relies on.
void expect_consistent(const Table& t, size_t orgs) {
  ASSERT_EQ(t.start.size(), orgs + 1);
  for (size_t s = 1; s < t.size(); ++s) ASSERT_LE(t.pos[s - 1], t.pos[s]) << "slot " << s;
  for (uint32_t p = 0; p < orgs; ++p) {
    for (size_t s = t.start[p]; s < t.start[p + 1]; ++s) ASSERT_EQ(t.pos[s], p);
  }
  EXPECT_EQ(t.start[orgs], t.size());
  for (size_t s = 0; s < t.size(); ++s) {
    if (!t.is_live(s)) {
      EXPECT_EQ(t.id[s], -1);
      continue;
    }
    ASSERT_EQ(t.slot_of(t.id[s]), s);
    for (int b = 0; b < 64; ++b) {  // the bit planes follow the u64 column
      const auto& plane = t.planes[1][b];
      const bool bit = !plane.empty() && ((plane[s / 64] >> (s % 64)) & 1);
      ASSERT_EQ(bit, ((t.cols[1].u64[s] >> b) & 1) != 0) << "slot " << s << " bit " << b;
    }
  }
}

TEST(Moves, ManyMovesKeepTheTableEqualToAFreshBuild) {
  constexpr size_t kOrgs = 50;
  Table t;
  t.cols.resize(2);
  t.cols[0].type = ColumnType::u8;
  t.cols[1].type = ColumnType::u64;
  std::mt19937 rng(7);
  std::map<int64_t, std::pair<uint32_t, std::pair<int, uint64_t>>> truth;  // id → org, values
  auto put_one = [&](int64_t id) {
    RecordValues v;
    v.id = id;
    v.pos = static_cast<uint32_t>(rng() % kOrgs);
    v.num = {static_cast<double>(rng() % 5)};
    v.bits = {uint64_t{1} << (rng() % 6) | uint64_t{1} << (rng() % 6)};
    put(t, kOrgs, v);
    truth[id] = {v.pos, {static_cast<int>(v.num[0]), v.bits[0]}};
  };
  for (int64_t id = 1; id <= 3000; ++id) put_one(id);
  for (int i = 0; i < 20000; ++i) {  // moves, value changes, removals and new records
    const int64_t id = 1 + static_cast<int64_t>(rng() % 3200);
    if (rng() % 10 == 0) {
      remove(t, id);
      truth.erase(id);
    } else {
      put_one(id);
    }
  }
  expect_consistent(t, kOrgs);
  Content want;
  for (const auto& [id, v] : truth) want[{v.first, id}] = v.second;
  EXPECT_EQ(content(t), want);
  EXPECT_EQ(t.records(), truth.size());
  // Gaps stay a small share of the table.
  EXPECT_LT(t.size(), truth.size() + truth.size() / 4 + 2 * kOrgs);
}

TEST(Moves, AMoveIntoAFullTableRespreadsOnceThenShiftsLocally) {
  Table t;
  t.cols.resize(2);
  t.cols[0].type = ColumnType::u8;
  t.cols[1].type = ColumnType::u64;
  // 10 orgs of 10,000 records and no gap: the nearest gap to org 9 after record 5 leaves org 0
  // is farther than kShiftLimit.
  static_assert(kShiftLimit < 80000);
  for (int64_t id = 1; id <= 100000; ++id) {
    t.pos.push_back(static_cast<uint32_t>((id - 1) / 10000));
    t.id.push_back(id);
    t.cols[0].u8.push_back(1);
    t.cols[1].u64.push_back(2);
  }
  reindex(t, 10);
  EXPECT_EQ(t.size(), 100000u);
  put(t, 10, {5, 9, {3}, {4}, {}});  // record 5 moves from org 0 to org 9
  expect_consistent(t, 10);
  const size_t spread = t.size();
  EXPECT_GT(spread, 100000u);  // gaps were made
  for (int64_t id = 10; id < 60; ++id) put(t, 10, {id, 9, {3}, {4}, {}});
  expect_consistent(t, 10);
  EXPECT_EQ(t.size(), spread);  // the later moves used the gaps: no second respread
  size_t in_nine = 0;
  for (size_t s = t.start[9]; s < t.start[10]; ++s) in_nine += t.is_live(s);
  EXPECT_EQ(in_nine, 10051u);
}

class MovesOverTheFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(MovesOverTheFixture, ReportsAfterManyMovesEqualAFreshIndex) {
  auto db = wangge::testing::fresh_database(GetParam());
  testing::load_fixture(*db);
  Index index(*db);
  index.load();
  std::vector<int64_t> residents, households, orgs;
  {
    auto tx = db->begin(store::TxMode::read);
    for (const auto& r : tx->query("SELECT id FROM residents ORDER BY id"))
      residents.push_back(r.i64(0));
    for (const auto& r : tx->query("SELECT id FROM households ORDER BY id"))
      households.push_back(r.i64(0));
    for (const auto& r : tx->query("SELECT id FROM orgs ORDER BY id")) orgs.push_back(r.i64(0));
  }
  std::mt19937 rng(11);
  for (int i = 0; i < 150; ++i) {
    const bool resident = rng() % 3 != 0;
    const auto& ids = resident ? residents : households;
    const int64_t id = ids[rng() % ids.size()], org = orgs[rng() % orgs.size()];
    db->transact([&](store::Tx& tx) {
      tx.exec(resident ? "UPDATE residents SET org_id = ? WHERE id = ?"
                       : "UPDATE households SET org_id = ? WHERE id = ?",
              {org, id});
    });
    index.changed({resident ? &people::kResident : &people::kHousehold, id});
  }
  Index fresh(*db);
  fresh.load();
  const auto& dict = forms::Dictionary::shipped();
  auto forms = forms::FormSet::load(forms::FormSet::shipped_dir(), dict, field_check());
  int compared = 0;
  for (const forms::Form* form : forms.all()) {
    if (form->kind == forms::FormKind::roster) {
      RosterRequest req{"530600000000", parse_date("2026-06-30")};
      auto a = run_roster(index, *form, req), b = run_roster(fresh, *form, req);
      ASSERT_EQ(a.rows.size(), b.rows.size()) << form->code;
      for (size_t i = 0; i < a.rows.size(); ++i) EXPECT_EQ(a.rows[i].id, b.rows[i].id);
      continue;
    }
    ReportRequest req;
    req.org_code = "530600000000";
    req.level = "all";
    req.as_of = parse_date("2026-06-30");
    req.from = parse_date("2026-01-01");
    req.to = parse_date("2026-12-31");
    auto a = run_report(index, *form, req), b = run_report(fresh, *form, req);
    ASSERT_EQ(a.rows.size(), b.rows.size()) << form->code;
    for (size_t i = 0; i < a.rows.size(); ++i) {
      EXPECT_EQ(a.rows[i].org_code, b.rows[i].org_code) << form->code;
      EXPECT_EQ(a.rows[i].values, b.rows[i].values) << form->code << " " << a.rows[i].org_code;
    }
    EXPECT_EQ(a.total.values, b.total.values) << form->code;
    ++compared;
  }
  EXPECT_GE(compared, 15);
  EXPECT_EQ(dashboard(index, "530600000000", parse_date("2026-06-30")),
            dashboard(fresh, "530600000000", parse_date("2026-06-30")));
  // The moves did change something (the comparison is not of two untouched indexes).
  auto tx = db->begin(store::TxMode::read);
  EXPECT_LT(tx->query_int("SELECT COUNT(*) FROM residents r JOIN households h ON h.id = "
                          "r.household_id WHERE r.org_id = h.org_id"),
            static_cast<int64_t>(residents.size()));
}

INSTANTIATE_TEST_SUITE_P(Backends, MovesOverTheFixture,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::analytics
