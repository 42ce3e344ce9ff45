// Audit rows made by API requests record the client's address (the login's included, whose
// write runs on SQLite's writer thread, not the request's), on both databases.
#include "api/fixture.h"
#include "auth/audit.h"

namespace wangge::api {
namespace {

class AuditOriginTest : public ApiTest {};

TEST_P(AuditOriginTest, LoginRowsRecordTheClientAddress) {
  EXPECT_EQ(login("grid_a", kPassword).status, 200);
  EXPECT_EQ(login("grid_a", "Wrong#password1").status / 100, 4);
  auto tx = db_->begin(store::TxMode::read);
  std::vector<auth::audit::Entry> logins;
  for (auto& e : auth::audit::entries(*tx, 0, 1000)) {
    if (e.action.starts_with("login")) logins.push_back(e);
    if (e.action == "user.create") {
      EXPECT_EQ(e.client_addr, "") << "not made over HTTP";
    }
  }
  ASSERT_EQ(logins.size(), 2u);
  for (const auto& e : logins) EXPECT_EQ(e.client_addr, "127.0.0.1") << e.action;
  EXPECT_EQ(auth::audit::verify(*tx), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditOriginTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
