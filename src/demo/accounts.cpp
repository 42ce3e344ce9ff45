#include "demo/accounts.h"

#include "auth/accounts.h"
#include "core/time.h"

namespace wangge::demo {
namespace {

// The first org of a kind under a code prefix (codes sort in tree order).
std::pair<std::string, std::string> first_org(store::Tx& tx, const std::string& kind,
                                              const std::string& prefix) {
  auto r = tx.query_one(
      "SELECT code, name FROM orgs WHERE kind = ? AND code >= ? AND code < ? ORDER BY code "
      "LIMIT 1",
      {kind, prefix, prefix + ":"});
  return {r->text(0), r->text(1)};
}

}  // namespace

std::vector<DemoAccount> create_demo_accounts(store::Tx& tx) {
  const Instant t = now();
  auth::Accounts accounts;
  auto [township, township_name] = first_org(tx, "township", "530621");
  auto [village, village_name] = first_org(tx, "village", township.substr(0, 9));
  auto [grid, grid_name] = first_org(tx, "grid", village);
  // 吹哨报到: the department handler sits in one of 鲁甸县's departments (水务局), so it sees
  // the events that department is summoned to, not the county's.
  auto department = tx.query_one(
      "SELECT code, name FROM orgs WHERE kind = 'department' AND code >= ? AND code < ? "
      "ORDER BY code LIMIT 1",
      {std::string("530621"), std::string("530621:")});
  std::string dept = department ? department->text(0) : std::string("530621000000");
  std::string dept_name = department ? "鲁甸县" + department->text(1) : std::string("鲁甸县");
  auto household = tx.query_one(
      "SELECT h.id FROM households h JOIN orgs o ON o.id = h.org_id WHERE o.code >= ? AND "
      "o.code < ? ORDER BY h.id LIMIT 1",
      {grid, grid + ":"});

  struct Spec {
    const char* username;
    const char* display;
    auth::Role role;
    std::string org, org_name;
    std::optional<int64_t> household;
    bool keep_initial = false;
  };
  const std::vector<Spec> specs{
      {"admin", "系统管理员", auth::Role::sysadmin, "530600000000", "昭通市"},
      {"security", "安全管理员", auth::Role::secadmin, "530600000000", "昭通市"},
      {"auditor", "审计管理员", auth::Role::auditor, "530600000000", "昭通市"},
      {"leader", "市领导", auth::Role::leader, "530600000000", "昭通市"},
      {"city", "市级操作员", auth::Role::city_operator, "530600000000", "昭通市"},
      {"county", "鲁甸县操作员", auth::Role::county_operator, "530621000000", "鲁甸县"},
      {"township", "乡镇操作员", auth::Role::township_operator, township, township_name},
      {"village", "村（社区）操作员", auth::Role::village_operator, village, village_name},
      {"gridworker", "网格员", auth::Role::grid_worker, grid, village_name + grid_name},
      {"department", "部门处置人员", auth::Role::department_handler, dept, dept_name},
      {"resident", "居民", auth::Role::resident, grid, village_name + grid_name,
       household ? std::optional<int64_t>(household->i64(0)) : std::nullopt},
      {"newcomer", "新上岗网格员", auth::Role::grid_worker, grid, village_name + grid_name,
       std::nullopt, true},
  };
  std::vector<DemoAccount> out;
  const std::string initial = std::string(kDemoPassword) + "!";
  for (const auto& s : specs) {
    if (s.role == auth::Role::resident && !s.household) continue;
    int64_t id = accounts.create_user(tx,
                                      {s.username, s.display, s.role, s.org, s.household,
                                       s.keep_initial ? kDemoPassword : initial},
                                      t, "demo");
    // Ready to use: the demo's accounts have already changed their initial password, but
    // "newcomer", which shows the forced change at first login.
    if (!s.keep_initial) accounts.change_password(tx, id, initial, kDemoPassword, t);
    out.push_back({s.username, std::string(auth::label(s.role)), s.org_name, s.keep_initial});
  }
  return out;
}

}  // namespace wangge::demo
