#include "fixture.h"

// g++ 12 sees "maybe uninitialized" in std::optional / std::variant parameters built below (a
// known false positive of -O2 with initializer lists).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "auth/auth.h"
#include "core/codes.h"
#include "core/time.h"
#include "events/events.h"
#include "org/service.h"
#include "people/service.h"
#include "store/migrations.h"

namespace wangge::analytics::testing {
namespace {

// A valid ID number: region + birth (YYYYMMDD) + 3-digit sequence (odd: male) + check.
std::string id_number(const std::string& region, const std::string& birth, int seq) {
  char s[8];
  std::snprintf(s, sizeof s, "%03d", seq);
  std::string first17 = region + birth + s;
  return first17 + citizen_id::check_char(first17);
}

int64_t ms(const char* local) { return to_unix_ms(parse_instant(local)); }

void orgs(store::Tx& tx) {
  const char* rows[][4] = {
      {"530600000000", "", "", "昭通市"},
      {"530602000000", "530600000000", "", "昭阳区"},
      {"530602001000", "530602000000", "street", "凤凰街道"},
      {"530602001001", "530602001000", "community", "凤凰社区"},
      {"530602001001001", "530602001001", "", "凤凰社区第1网格"},
      {"530602001001001001", "530602001001001", "", "凤凰社区第1网格第1微网格"},
      {"530621000000", "530600000000", "", "鲁甸县"},
      {"530621101000", "530621000000", "town", "文屏镇"},
      {"530621101201", "530621101000", "village", "龙井村"},
      {"530621101201001", "530621101201", "", "龙井村第1网格"},
      {"530621101201001001", "530621101201001", "", "龙井村第1网格第1微网格"},
      {"530621101201001001001", "530621101201001001", "", "1号楼"},
      {"530621101201002", "530621101201", "", "龙井村第2网格"},
      {"530621101201002001", "530621101201002", "", "龙井村第2网格第1微网格"},
      {"530621101202", "530621101000", "community", "砚池社区"},
      {"530621101202001", "530621101202", "", "砚池社区第1网格"},
      {"530621101202001001", "530621101202001", "", "砚池社区第1网格第1微网格"},
  };
  for (auto& r : rows) org::create_org(tx, {r[0], r[1], r[2], r[3]});
}

void people_rows(store::Tx& tx, const Vault& vault) {
  using people::RiskColor;
  const char* M1 = "530621101201001001";
  people::create_household(tx,
                           {"H1", M1, "530621101201001001001", "龙井村1号楼101", RiskColor::red});
  people::create_household(tx, {"H2", M1, "", "龙井村1组2号", RiskColor::green});
  people::create_household(tx, {"H3", "530621101201002001", "", "龙井村2组3号", RiskColor::yellow});
  people::create_household(tx, {"H4", "530621101202001001", "", "砚池社区4号", RiskColor::green});
  people::create_household(tx, {"H5", "530602001001001001", "", "凤凰社区5号", RiskColor::red});
  struct R {
    const char* hh;
    const char* name;
    const char* birth;
    int seq;  // odd: male
    people::Relation rel;
    people::ResidentStatus status;
    std::vector<std::string> tags;
    std::optional<RiskColor> color;
  };
  using people::Relation;
  using S = people::ResidentStatus;
  const R rows[] = {
      {"H1", "张一", "19500301", 11, Relation::head, S::moved_in, {"低保", "独居老人"}, {}},
      {"H1", "张二", "19560701", 12, Relation::spouse, S::moved_in, {"低保", "残疾人"}, {}},
      {"H1", "张三", "20160630", 13, Relation::grandchild, S::moved_in, {"留守儿童", "低保"}, {}},
      {"H2", "李四", "19900115", 15, Relation::head, S::moved_in, {"党员", "退役军人"}, {}},
      {"H2", "李五", "20080701", 16, Relation::child, S::moved_out, {}, {}},
      {"H3",
       "王六",
       "19660630",
       17,
       Relation::head,
       S::moved_in,
       {"特困", "残疾人", "社区矫正对象"},
       RiskColor::red},
      {"H3", "王七", "19460101", 18, Relation::other, S::deceased, {"特困", "留守老人"}, {}},
      {"H4",
       "赵八",
       "19850505",
       20,
       Relation::head,
       S::moved_in,
       {"矛盾纠纷当事人", "易地搬迁"},
       RiskColor::yellow},
      {"H4", "赵九", "20200229", 21, Relation::child, S::moved_in, {"留守儿童", "易地搬迁"}, {}},
      {"H5",
       "钱十",
       "19401231",
       23,
       Relation::head,
       S::moved_in,
       {"脱贫户", "防返贫监测户", "独居老人"},
       {}},
      {"H5",
       "钱十一",
       "20121010",
       24,
       Relation::grandchild,
       S::moved_in,
       {"留守儿童", "脱贫户"},
       {}},
  };
  for (const auto& r : rows) {
    people::NewResident n;
    n.household_no = r.hh;
    n.name = r.name;
    n.id_number = id_number(r.hh[1] == '5' ? "530602" : "530621", r.birth, r.seq);
    n.relation = r.rel;
    n.status = r.status;
    n.tags = r.tags;
    n.color = r.color;
    people::create_resident(tx, vault, n);
  }
}

int64_t org_id(store::Tx& tx, const char* code) { return org::get_org(tx, code).id; }

void posts_and_party(store::Tx& tx, const Vault& vault) {
  using org::PostRole;
  const std::pair<const char*, PostRole> posts[] = {
      {"530621101201001", PostRole::grid_head},
      {"530621101201001", PostRole::grid_worker_full},
      {"530621101201002", PostRole::grid_worker_full},
      {"530621101201001001001", PostRole::building_head},
      {"530621101201001001", PostRole::party_household},
      {"530621101202001", PostRole::grid_worker_part},
  };
  int n = 0;
  for (auto [code, role] : posts) {
    int64_t staff = org::create_staff(tx, vault, {"工作人员" + std::to_string(++n), ""});
    org::assign_post(tx, staff, org_id(tx, code), role);
  }
  // The G2 full-time worker has left.
  tx.exec("UPDATE posts SET ended_at = 1 WHERE org_id = ?", {org_id(tx, "530621101201002")});
  using org::PartyKind;
  int64_t county = org::create_party_org(
      tx, {"中共鲁甸县委员会", PartyKind::committee, std::nullopt, org_id(tx, "530621000000")});
  int64_t v1 = org::create_party_org(
      tx, {"龙井村党支部", PartyKind::branch, county, org_id(tx, "530621101201")});
  int64_t g1 = org::create_party_org(
      tx, {"龙井村第1网格党支部", PartyKind::branch, v1, org_id(tx, "530621101201001")});
  org::create_party_org(tx,
                        {"1号楼党小组", PartyKind::group, g1, org_id(tx, "530621101201001001001")});
}

void events_rows(store::Tx& tx) {
  struct E {
    const char* grid;
    const char* category;
    const char* state;
    int level;
    const char* reported;
    const char* first_due;
    const char* resolved;  // "" when not
    const char* closed;
    int overdue, escalations, reopens;
    int satisfaction;  // 0: none
  };
  const E rows[] = {
      {"530621101201001", "sanitation", "closed", 1, "2026-03-01 09:00", "2026-03-02 00:00",
       "2026-03-01 15:00", "2026-03-01 15:00", 0, 0, 0, 5},
      {"530621101201001", "dispute", "closed", 2, "2026-04-01 10:00", "2026-04-04 00:00",
       "2026-04-05 10:00", "2026-04-05 12:00", 1, 1, 0, 4},
      {"530621101202001", "dispute", "in_progress", 3, "2026-05-10 08:00", "2026-05-11 00:00", "",
       "", 1, 2, 0, 0},
      {"530602001001001", "infra.water", "closed", 2, "2026-06-01 08:00", "2026-06-02 00:00",
       "2026-06-04 08:00", "2026-06-04 09:00", 1, 1, 1, 3},
      {"530621101201001", "sanitation", "closed", 1, "2025-12-01 08:00", "2025-12-04 00:00",
       "2025-12-02 08:00", "2025-12-02 08:00", 0, 0, 0, 0},
  };
  for (const auto& e : rows) {
    int64_t grid = org_id(tx, e.grid);
    using Opt = std::optional<int64_t>;
    Opt resolved = *e.resolved ? Opt(ms(e.resolved)) : std::nullopt;
    Opt closed = *e.closed ? Opt(ms(e.closed)) : std::nullopt;
    Opt sat = e.satisfaction ? Opt(e.satisfaction) : std::nullopt;
    Opt resolved_level = *e.resolved ? Opt(e.level) : std::nullopt;
    tx.exec(
        "INSERT INTO events (category, title, grid_id, owner_id, level, state, sla_class, source, "
        "reported_at, clock_started_at, due_at, first_due_at, accepted_at, resolved_at, "
        "resolved_level, closed_at, overdue, escalations, reopens, satisfaction, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'three_day', 'grid_patrol', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)",
        {e.category, "事件", grid, grid, e.level, e.state, ms(e.reported), ms(e.reported),
         ms(e.first_due), ms(e.first_due), ms(e.reported), resolved, resolved_level, closed,
         e.overdue, e.escalations, e.reopens, sat, ms(e.reported)});
  }
}

}  // namespace

void load_fixture(store::Database& db) {
  std::vector<store::Migration> all = org::migrations();
  for (const auto* m : {&people::migrations(), &auth::migrations(), &events::migrations()}) {
    all.insert(all.end(), m->begin(), m->end());
  }
  store::migrate(db, all);
  Vault vault{Vault::Key{7}};
  db.transact([&](store::Tx& tx) {
    orgs(tx);
    people_rows(tx, vault);
    posts_and_party(tx, vault);
    events_rows(tx);
  });
}

}  // namespace wangge::analytics::testing
