// The demo prefecture: valid identities that agree with the records, plausible rates,
// the same data for the same seed — on both databases.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "analytics/index.h"
#include "analytics/kpi.h"
#include "auth/accounts.h"
#include "auth/auth.h"
#include "core/codes.h"
#include "core/error.h"
#include "core/time.h"
#include "demo/accounts.h"
#include "demo/generator.h"
#include "events/events.h"
#include "org/org.h"
#include "people/people.h"
#include "schema.h"
#include "testing/testing.h"

namespace wangge::demo {
namespace {

using testing_demo::schema;

class DemoTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<store::Database> make(Summary& s, uint64_t seed = 7) {
    auto db = testing::fresh_database(GetParam());
    store::migrate(*db, schema());
    s = generate(*db, vault_, {.scale = 0.001, .seed = seed, .as_of = as_of_});
    return db;
  }
  // Everything a seed decides, in one string (encrypted columns differ by nonce, so the
  // keyed hash stands for the identity).
  static std::string fingerprint(store::Database& db) {
    auto tx = db.begin(store::TxMode::read);
    std::string out;
    tx->each(
        "SELECT r.id, r.name, r.birth_date, r.sex, r.id_hash, r.relation, h.household_no, "
        "h.address, h.color FROM residents r JOIN households h ON h.id = r.household_id "
        "ORDER BY r.id",
        {}, [&](const store::Row& r) {
          for (size_t c = 0; c < r.size(); ++c) out += r.text(c) + "|";
        });
    return out;
  }
  Vault vault_{Vault::Key{42}};
  const Instant as_of_ = parse_instant("2026-12-07T10:30:00+08:00");
};

TEST_P(DemoTest, IdentitiesAreValidAndAgreeWithTheRecord) {
  Summary s;
  auto db = make(s);
  EXPECT_GE(s.townships, 22);
  EXPECT_GT(s.households, 500);
  EXPECT_GT(s.residents, 2 * s.households);
  auto tx = db->begin(store::TxMode::read);
  int64_t checked = 0;
  tx->each(
      "SELECT r.id_enc, r.birth_date, r.sex, r.id_mask, o.code FROM residents r "
      "JOIN orgs o ON o.id = r.org_id",
      {}, [&](const store::Row& r) {
        std::string number = vault_.decrypt(r.blob(0));
        auto id = citizen_id::parse(number);  // throws on a bad check digit or date
        EXPECT_EQ(format_date(id.birth), r.text(1));
        EXPECT_EQ(static_cast<int>(id.sex), r.i64(2));
        EXPECT_EQ(citizen_id::stored_mask(number), r.text(3));
        EXPECT_EQ(id.region, r.text(4).substr(0, 6));  // born in the county they live in
        ++checked;
      });
  EXPECT_EQ(checked, s.residents);
  EXPECT_EQ(tx->query_int("SELECT COUNT(DISTINCT id_hash) FROM residents"), s.residents);
}

TEST_P(DemoTest, ShapeAndRatesArePlausible) {
  Summary s;
  auto db = make(s);
  auto tx = db->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM orgs WHERE kind = 'county'"), 11);
  EXPECT_EQ(tx->query_one("SELECT name FROM orgs WHERE code = '530621000000'")->text(0), "鲁甸县");
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM posts WHERE role = 'grid_head'"), s.grids);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM residents WHERE relation = 'head'"), s.households);
  auto share = [&](const char* tag) {
    return double(tx->query_int("SELECT COUNT(*) FROM resident_tags WHERE tag = ?", {tag})) /
           double(s.residents);
  };
  EXPECT_GT(share("tuopin"), 0.15);  // 1.85 of 5 million lifted out of poverty
  EXPECT_LT(share("tuopin"), 0.5);
  EXPECT_GT(share("liushou_child"), 0.002);
  EXPECT_LT(share("liushou_child"), 0.05);
  double red = double(tx->query_int("SELECT COUNT(*) FROM households WHERE color = 'red'")) /
               double(s.households);
  EXPECT_GT(red, 0.003);
  EXPECT_LT(red, 0.06);
  // Every non-green household has the history row that explains its colour.
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM households WHERE color <> 'green'"),
            tx->query_int("SELECT COUNT(*) FROM color_history WHERE subject = 'household'"));
  // Key persons carry a colour; nobody else does.
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM residents r WHERE color IS NOT NULL AND NOT "
                          "EXISTS (SELECT 1 FROM resident_tags t WHERE t.resident_id = r.id "
                          "AND t.tag LIKE 'kp%')"),
            0);
}

// Key persons at the seeds' proportion (鲁甸: 20,860 in 17 categories among about 472,000
// people, 4.4%), spread over the categories, each person with the colour of their category's rule.
TEST_P(DemoTest, KeyPersonsFollowTheSeventeenCategoriesAndTheirColourRules) {
  Summary s;
  auto db = make(s);
  auto tx = db->begin(store::TxMode::read);
  double key = double(tx->query_int("SELECT COUNT(DISTINCT resident_id) FROM resident_tags "
                                    "WHERE tag LIKE 'kp%'")) /
               double(s.residents);
  EXPECT_GT(key, 0.034);
  EXPECT_LT(key, 0.054);
  EXPECT_GE(tx->query_int("SELECT COUNT(DISTINCT tag) FROM resident_tags WHERE tag LIKE 'kp%'"),
            12);
  // The person's colour is their category's (tags.color, people migration 6).
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM residents r JOIN resident_tags rt ON "
                          "rt.resident_id = r.id JOIN tags t ON t.code = rt.tag "
                          "WHERE t.key_person = 1 AND (r.color IS NULL OR r.color <> t.color)"),
            0);
  EXPECT_GT(tx->query_int("SELECT COUNT(*) FROM residents WHERE color = 'red'"), 0);
}

// The year of events looks like the seeds': most solved at village level, a mean handling
// time near 1.8 days, a few climbing to the city.
TEST_P(DemoTest, EventsLookLikeTheSeeds) {
  Summary s;
  auto db = make(s);
  auto tx = db->begin(store::TxMode::read);
  int64_t resolved = tx->query_int("SELECT COUNT(*) FROM events WHERE resolved_level IS NOT NULL");
  ASSERT_GT(resolved, 50);
  auto at_level = [&](int level) {
    return tx->query_int("SELECT COUNT(*) FROM events WHERE resolved_level = ?", {level});
  };
  for (int level : {1, 3, 4, 5}) EXPECT_GT(at_level(2), at_level(level)) << level;
  EXPECT_LT(double(at_level(5)) / double(resolved), 0.05);
  double mean_days = tx->query_one(
                           "SELECT AVG(resolved_at - reported_at) FROM events "
                           "WHERE resolved_at IS NOT NULL")
                         ->f64(0) /
                     86'400'000.0;
  EXPECT_GT(mean_days, 1.3);
  EXPECT_LT(mean_days, 2.3);
  // Departments exist for 吹哨报到 in every county.
  EXPECT_GE(tx->query_int("SELECT COUNT(*) FROM orgs WHERE type = 'department'"), 11);

  // The KPIs of the index over all time: the same count, mean and median as the rows give.
  // Working days walked day by day: the overlap of each working day with the span.
  const WorkCalendar& cal = WorkCalendar::china();
  auto working_days = [&](int64_t from_ms, int64_t to_ms) {
    double total = 0;
    for (Date d = local_date(from_unix_ms(from_ms));; d = date_from_days(days_since_epoch(d) + 1)) {
      int64_t start = to_unix_ms(local_midnight(d));
      if (start >= to_ms) break;
      int64_t end = start + 86'400'000;
      if (cal.is_working_day(d)) total += double(std::min(to_ms, end) - std::max(from_ms, start));
    }
    return total / 86'400'000.0;
  };
  std::vector<double> days;
  double working_sum = 0;
  for (const auto& r : tx->query("SELECT reported_at, resolved_at FROM events WHERE "
                                 "resolved_at IS NOT NULL")) {
    days.push_back(static_cast<double>(r.i64(1) - r.i64(0)) / 86'400'000.0);
    working_sum += working_days(r.i64(0), r.i64(1));
  }
  std::sort(days.begin(), days.end());
  const size_t m = days.size() / 2;
  const double median = days.size() % 2 ? days[m] : (days[m - 1] + days[m]) / 2;
  analytics::Index index(*db);
  index.load();
  std::string root = tx->query_one("SELECT code FROM orgs WHERE parent_id IS NULL")->text(0);
  auto k = analytics::event_kpis(
      index, root, Date{std::chrono::year(2000), std::chrono::month(1), std::chrono::day(1)},
      Date{std::chrono::year(2099), std::chrono::month(12), std::chrono::day(31)});
  EXPECT_EQ(k.resolved, static_cast<int64_t>(days.size()));
  ASSERT_TRUE(k.mean_days && k.median_days);
  EXPECT_NEAR(*k.mean_days, mean_days, 1e-9);
  EXPECT_NEAR(*k.median_days, median, 1e-9);
  ASSERT_TRUE(k.mean_working_days);
  EXPECT_NEAR(*k.mean_working_days, working_sum / double(days.size()), 1e-9);
  EXPECT_LT(*k.mean_working_days, *k.mean_days);  // weekends and holidays fall in some spans
}

// The history ends at as_of and is alive there: a trend point in each of the last six months,
// and open events of every kind — just reported, not yet due, due today, a few overdue.
TEST_P(DemoTest, HistoryEndsAtAsOfWithALiveMix) {
  Summary s;
  auto db = make(s);
  auto tx = db->begin(store::TxMode::read);
  const int64_t t = to_unix_ms(as_of_);
  EXPECT_LE(tx->query_int("SELECT MAX(reported_at) FROM events"), t);
  EXPECT_GT(tx->query_int("SELECT MAX(reported_at) FROM events"), t - 86'400'000);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM event_steps WHERE at > ?", {t}), 0);
  // Resolved events in each of the six months up to as_of (the dashboard's trend).
  const Date today = local_date(as_of_);
  for (int back = 0; back < 6; ++back) {
    int m = static_cast<int>(static_cast<unsigned>(today.month())) - back;
    int y = static_cast<int>(today.year()) + (m <= 0 ? -1 : 0);
    m = m <= 0 ? m + 12 : m;
    Date first{std::chrono::year(y), std::chrono::month(m), std::chrono::day(1)};
    Date next = m == 12
                    ? Date{std::chrono::year(y + 1), std::chrono::month(1), std::chrono::day(1)}
                    : Date{std::chrono::year(y), std::chrono::month(m + 1), std::chrono::day(1)};
    EXPECT_GT(
        tx->query_int("SELECT COUNT(*) FROM events WHERE resolved_at >= ? AND resolved_at < ?",
                      {to_unix_ms(local_midnight(first)), to_unix_ms(local_midnight(next))}),
        0)
        << y << "-" << m;
  }
  const std::string open =
      "SELECT COUNT(*) FROM events WHERE state NOT IN ('resolved', 'closed', 'cancelled') AND ";
  const int64_t all_open = tx->query_int(open + "1 = 1");
  // Overdue: missed a due time (the sweep escalated it, with a fresh due time, or it sits at
  // the city), as the events service marks it.
  const int64_t overdue = tx->query_int(open + "overdue = 1");
  const int64_t tomorrow = to_unix_ms(local_midnight(date_from_days(days_since_epoch(today) + 1)));
  EXPECT_GT(tx->query_int(open + "reported_at > ?", {t - 6 * 3'600'000}), 0);  // just reported
  EXPECT_GT(tx->query_int(open + "due_at >= ? AND due_at <= ?", {t, tomorrow}), 0);  // due today
  EXPECT_GT(tx->query_int(open + "due_at > ?", {tomorrow}), 0);                      // later
  EXPECT_GT(overdue, 0);
  EXPECT_LT(overdue * 3, all_open);  // a few, not all
}

TEST_P(DemoTest, SameSeedSameData) {
  Summary a, b, c;
  auto db1 = make(a, 11);
  auto db2 = make(b, 11);
  auto db3 = make(c, 12);
  EXPECT_EQ(a.residents, b.residents);
  std::string f1 = fingerprint(*db1);
  EXPECT_EQ(f1, fingerprint(*db2));
  EXPECT_NE(f1, fingerprint(*db3));
}

TEST_P(DemoTest, RefusesANonEmptyDatabase) {
  Summary s;
  auto db = make(s);
  EXPECT_THROW(generate(*db, vault_, {.scale = 0.001}), Error);
  auto tx = db->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM residents"), s.residents);
}

TEST_P(DemoTest, EveryRoleHasAnAccountThatLogsIn) {
  Summary s;
  auto db = make(s);
  auto accounts = db->transact([](store::Tx& tx) { return create_demo_accounts(tx); });
  EXPECT_EQ(accounts.size(), 12u);  // 11 roles, and one account still on its initial password
  auth::Accounts auth;
  std::set<std::string> roles;
  for (const auto& a : accounts) {
    auto result = db->transact(
        [&](store::Tx& tx) { return auth.login(tx, a.username, kDemoPassword, now()); });
    ASSERT_TRUE(result.session) << a.username;
    EXPECT_EQ(result.session->user.must_change_password, a.must_change_password) << a.username;
    roles.insert(std::string(auth::to_string(result.session->user.role)));
  }
  EXPECT_EQ(roles.size(), auth::all_roles().size());
  auto wrong = db->transact([&](store::Tx& tx) { return auth.login(tx, "county", "nope", now()); });
  EXPECT_FALSE(wrong.session);
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::demo
