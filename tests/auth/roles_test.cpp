// Roles, permissions as data (三员分立) and data scope.
#include <algorithm>
#include <set>

#include "auth/scope.h"
#include "fixture.h"

namespace wangge::auth {
namespace {

template <class F>
std::string error_code_of(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return "";
}

TEST(Roles, NamesAndLabelsRoundTrip) {
  EXPECT_EQ(all_roles().size(), 11u);
  for (Role r : all_roles()) EXPECT_EQ(parse_role(to_string(r)), r);
  EXPECT_EQ(label(Role::township_operator), "乡镇（街道）操作员");
  EXPECT_EQ(label(Role::auditor), "审计管理员");
  EXPECT_THROW(parse_role("root"), Error);
}

TEST(Scope, CountySeesItsVillagesNotTheNeighbours) {
  Scope county = scope_of("530621000000");
  EXPECT_EQ(county.prefix, "530621");
  EXPECT_TRUE(in_scope(county, "530621000000"));
  EXPECT_TRUE(in_scope(county, "530621101201"));
  EXPECT_TRUE(in_scope(county, "530621101001001"));  // a grid
  EXPECT_FALSE(in_scope(county, "530622101201"));
  EXPECT_FALSE(in_scope(county, "530600000000"));  // its own city is above it
  Scope village = scope_of("530621101201");
  EXPECT_TRUE(in_scope(village, "530621101201003"));
  EXPECT_FALSE(in_scope(village, "530621101001"));
  EXPECT_EQ(error_code_of([&] { require_in_scope(village, "530621101001"); }), "not_found");
}

TEST(Scope, SqlBoundsAreDigitStrings) {
  SqlFilter f = scope_sql(scope_of("530621000000"), "o.code");
  EXPECT_EQ(f.where, "(o.code >= ? AND o.code < ?)");
  ASSERT_EQ(f.params.size(), 2u);
  EXPECT_EQ(f.params[0].as_text(), "530621");
  EXPECT_EQ(f.params[1].as_text(), "530622");
  EXPECT_EQ(scope_sql(scope_of("539900000000")).params[1].as_text(), "5400");  // carry
}

TEST_P(AuthTest, ScopeSqlSelectsTheSubtreeOnBothDatabases) {
  auto tx = db_->begin(store::TxMode::read);
  auto codes = [&](std::string_view root) {
    SqlFilter f = scope_sql(scope_of(root), "o.code");
    std::vector<std::string> out;
    for (const auto& r :
         tx->query("SELECT o.code FROM orgs o WHERE " + f.where + " ORDER BY o.code", f.params)) {
      out.push_back(r.text(0));
    }
    return out;
  };
  EXPECT_EQ(codes("530621000000"), (std::vector<std::string>{"530621000000", "530621101000",
                                                             "530621101001", "530621101201"}));
  EXPECT_EQ(codes("530622101000"), (std::vector<std::string>{"530622101000", "530622101201"}));
  EXPECT_EQ(codes("530600000000").size(), 8u);
}

TEST_P(AuthTest, ThreeAdministratorsAreSeparateAsData) {
  auto tx = db_->begin(store::TxMode::read);
  // sysadmin: configuration, but neither accounts nor the audit log.
  EXPECT_TRUE(allowed(*tx, Role::sysadmin, perm::system_config));
  EXPECT_FALSE(allowed(*tx, Role::sysadmin, perm::user_manage));
  EXPECT_FALSE(allowed(*tx, Role::sysadmin, perm::session_revoke));
  EXPECT_FALSE(allowed(*tx, Role::sysadmin, perm::audit_read));
  // secadmin: accounts and sessions, not the audit log nor configuration.
  EXPECT_TRUE(allowed(*tx, Role::secadmin, perm::user_manage));
  EXPECT_TRUE(allowed(*tx, Role::secadmin, perm::session_revoke));
  EXPECT_FALSE(allowed(*tx, Role::secadmin, perm::audit_read));
  EXPECT_FALSE(allowed(*tx, Role::secadmin, perm::system_config));
  // auditor: reads the audit log and nothing else.
  Permissions p = Permissions::load(*tx);
  EXPECT_EQ(p.of(Role::auditor), (std::vector<std::string>{"audit.read"}));
  // No business role holds any of the three administrators' permissions.
  for (Role r : all_roles()) {
    if (r == Role::sysadmin || r == Role::secadmin || r == Role::auditor) continue;
    for (auto admin : {perm::system_config, perm::user_manage, perm::audit_read}) {
      EXPECT_FALSE(p.allows(r, admin)) << to_string(r) << " " << admin;
    }
  }
  // The snapshot and the table agree on every seeded grant.
  for (const auto& [role, permission] : default_grants()) {
    EXPECT_TRUE(allowed(*tx, role, permission));
    EXPECT_TRUE(p.allows(role, permission));
  }
  // … and on the grants later migrations added (auth 3: grid workers handle events).
  size_t loaded = 0;
  for (Role r : all_roles()) loaded += p.of(r).size();
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM permissions"), static_cast<int64_t>(loaded));
  EXPECT_GE(loaded, default_grants().size());
  EXPECT_FALSE(p.allows(Role::leader, perm::resident_write));  // 只读驾驶舱
  EXPECT_TRUE(p.allows(Role::leader, perm::kpi_read));
  EXPECT_FALSE(p.allows(Role::grid_worker, perm::resident_reveal));
  EXPECT_EQ(error_code([&] { p.require(Role::auditor, perm::resident_read); }), "forbidden");
}

TEST_P(AuthTest, AGrantChangedInTheTableChangesTheAnswer) {
  db_->transact([](store::Tx& tx) {
    tx.exec("DELETE FROM permissions WHERE role = 'leader' AND permission = 'kpi.read'");
  });
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_FALSE(allowed(*tx, Role::leader, perm::kpi_read));
  EXPECT_FALSE(Permissions::load(*tx).allows(Role::leader, perm::kpi_read));
  EXPECT_TRUE(allowed(*tx, Role::leader, perm::report_read));
}

}  // namespace
}  // namespace wangge::auth
