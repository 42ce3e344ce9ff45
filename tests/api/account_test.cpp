// Accounts and the audit log through the API: the security administrator's routes, changes
// that reach remembered sessions at once, the idle timeout on the server's clock, the audit
// administrator's view with a tampered row, bad input that writes nothing, and /metrics.
#include <gtest/gtest.h>

#include "fixture.h"

namespace wangge::api {
namespace {

using nlohmann::json;

class AccountApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    auto t = wangge::now();
    db_->transact([&](store::Tx& tx) {
      for (auto [name, role] :
           {std::pair{"sec", auth::Role::secadmin}, std::pair{"sys", auth::Role::sysadmin}}) {
        int64_t id = accounts_.create_user(tx, {name, "管理员", role, "530600000000", {}, kInitial},
                                           t, "setup");
        accounts_.change_password(tx, id, kInitial, kPassword, t);
      }
      grid_id_ = accounts_.find_user(tx, "grid_a")->id;
      auditor_id_ = accounts_.find_user(tx, "auditor")->id;
    });
  }
  void customize(ApiOptions& options) override {
    options.gauges.push_back(
        {"wangge_test_index_bytes", "A gauge set by a test", [] { return 4096.0; }});
  }

  testing::Reply as(const std::string& tok, std::string_view method, const std::string& target,
                    const json& body = nullptr) {
    return call(method, target, {{"Authorization", "Bearer " + tok}},
                body.is_null() ? "" : body.dump());
  }
  // Rows in a table, read directly.
  int64_t rows(const char* table) {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int(std::string("SELECT COUNT(*) FROM ") + table);
  }
  std::vector<auth::audit::Entry> audit_of(const std::string& action) {
    auto tx = db_->begin(store::TxMode::read);
    std::vector<auth::audit::Entry> out;
    for (auto& e : auth::audit::entries(*tx, 0, 100000)) {
      if (e.action == action) out.push_back(e);
    }
    return out;
  }

  int64_t grid_id_ = 0, auditor_id_ = 0;
};

TEST_P(AccountApiTest, SecurityAdministratorManagesAccountsAndEveryChangeIsAudited) {
  std::string sec = token("sec");
  auto list = as(sec, "GET", "/api/v1/users?org=530621000000");
  ASSERT_EQ(list.status, 200) << list.body;
  const auto users = list.json();  // a range over json()["items"] would outlive the temporary
  for (const auto& u : users["items"]) {
    EXPECT_EQ(u["org_code"].get<std::string>().substr(0, 6), "530621") << u.dump();
  }
  json body = {{"username", "new_grid"},
               {"display_name", "新网格员"},
               {"role", "grid_worker"},
               {"org_code", "530621101201001"},
               {"initial_password", kInitial}};
  auto created = as(sec, "POST", "/api/v1/users", body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["must_change_password"], true);
  EXPECT_EQ(as(sec, "POST", "/api/v1/users", body).status, 409);
  EXPECT_EQ(audit_of("user.create").back().actor, "sec");
  // The new user must change the initial password before anything else.
  EXPECT_EQ(as(token("new_grid", kInitial), "GET", "/api/v1/residents").error_code(),
            "password_change_required");

  // A lock ends the victim's remembered session on the very next request.
  std::string victim = token("grid_a");
  ASSERT_EQ(as(victim, "GET", "/api/v1/auth/me").status, 200);
  ASSERT_EQ(as(victim, "GET", "/api/v1/auth/me").status, 200);  // now from memory
  auto locked = as(sec, "POST", path("/api/v1/users/", grid_id_, "/lock"), {{"minutes", 30}});
  ASSERT_EQ(locked.status, 200) << locked.body;
  EXPECT_FALSE(locked.json()["locked_until"].is_null());
  EXPECT_EQ(as(victim, "GET", "/api/v1/auth/me").status, 401);
  EXPECT_EQ(login("grid_a", kPassword).error_code(), "locked");
  ASSERT_EQ(as(sec, "POST", path("/api/v1/users/", grid_id_, "/unlock")).status, 200);
  victim = token("grid_a");

  // Revoking every session, then a reset that forces a change at the next login.
  ASSERT_EQ(as(victim, "GET", "/api/v1/auth/me").status, 200);
  auto revoked = as(sec, "DELETE", path("/api/v1/users/", grid_id_, "/sessions"));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_GE(revoked.json()["revoked"].get<int>(), 1);
  EXPECT_EQ(as(victim, "GET", "/api/v1/auth/me").status, 401);
  victim = token("grid_a");
  auto reset = as(sec, "POST", path("/api/v1/users/", grid_id_, "/password"),
                  {{"initial_password", "Reset#Pass2026"}});
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(as(victim, "GET", "/api/v1/auth/me").status, 401);
  auto again = login("grid_a", "Reset#Pass2026");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["user"]["must_change_password"], true);

  for (const char* action : {"user.lock", "user.unlock", "session.revoke_all", "password.reset"}) {
    auto rows = audit_of(action);
    ASSERT_FALSE(rows.empty()) << action;
    EXPECT_EQ(rows.back().actor, "sec") << action;
    EXPECT_EQ(rows.back().subject, "user:" + std::to_string(grid_id_)) << action;
  }
}

TEST_P(AccountApiTest, NoAdministratorTakesOverAnothersAccountOrJob) {
  std::string sec = token("sec"), sys = token("sys"), aud = token("auditor");
  json admin = {{"username", "aud2"},
                {"display_name", "审计"},
                {"role", "auditor"},
                {"org_code", "530600000000"},
                {"initial_password", kInitial}};
  EXPECT_EQ(as(sec, "POST", "/api/v1/users", admin).error_code(), "admin_account");
  auto reset = as(sec, "POST", path("/api/v1/users/", auditor_id_, "/password"),
                  {{"initial_password", "Reset#Pass2026"}});
  EXPECT_EQ(reset.status, 403);
  EXPECT_EQ(reset.error_code(), "admin_account");
  EXPECT_EQ(login("auditor", kPassword).status, 200);  // the password did not change
  // The system administrator manages no accounts and reads no log; the auditor changes nothing.
  EXPECT_EQ(as(sys, "GET", "/api/v1/users").status, 403);
  EXPECT_EQ(as(sys, "GET", "/api/v1/audit").status, 403);
  EXPECT_EQ(as(sec, "GET", "/api/v1/audit").status, 403);
  EXPECT_EQ(as(aud, "GET", "/api/v1/users").status, 403);
  EXPECT_EQ(as(aud, "POST", path("/api/v1/users/", grid_id_, "/lock")).status, 403);
  EXPECT_EQ(as(aud, "GET", "/api/v1/residents").status, 403);
  // Out of scope is not found.
  EXPECT_EQ(as(sec, "POST", "/api/v1/users/999999/unlock").status, 404);
}

TEST_P(AccountApiTest, TheSecurityAdministratorControlsNoneOfTheThreeAdministrators) {
  int64_t sec2 = 0, sys_id = 0;
  db_->transact([&](store::Tx& tx) {
    auto t = wangge::now();
    sec2 = accounts_.create_user(
        tx, {"sec2", "管理员", auth::Role::secadmin, "530600000000", {}, kInitial}, t, "setup");
    accounts_.change_password(tx, sec2, kInitial, kPassword, t);
    sys_id = accounts_.find_user(tx, "sys")->id;
  });
  std::string sec = token("sec");
  std::string sys = token("sys"), aud = token("auditor"), other = token("sec2");
  const int64_t audit_before = rows("audit_log");
  for (int64_t id : {sys_id, auditor_id_, sec2}) {
    for (auto [method, rest] : {std::pair{"POST", "/lock"}, std::pair{"POST", "/unlock"},
                                std::pair{"DELETE", "/sessions"}}) {
      auto r = as(sec, method, path("/api/v1/users/", id, rest));
      EXPECT_EQ(r.status, 403) << method << rest << " " << id << ": " << r.body;
      EXPECT_EQ(r.error_code(), "admin_account");
    }
    auto reset = as(sec, "POST", path("/api/v1/users/", id, "/password"),
                    {{"initial_password", "Reset#Pass2026"}});
    EXPECT_EQ(reset.error_code(), "admin_account");
  }
  // Nothing changed: their sessions go on, nothing was written.
  for (const std::string& t : {sys, aud, other}) {
    EXPECT_EQ(as(t, "GET", "/api/v1/auth/me").status, 200);
  }
  EXPECT_EQ(rows("audit_log"), audit_before);
  // Other accounts are still the security administrator's to manage.
  EXPECT_EQ(as(sec, "POST", path("/api/v1/users/", grid_id_, "/lock")).status, 200);
}

TEST_P(AccountApiTest, AuditorReadsTheLogAndSeesATamperedRow) {
  ASSERT_EQ(post_as("op_ludian", path("/api/v1/residents/", zhang_san_, "/reveal"),
                    {{"field", "phone"}, {"reason", "核实低保申请"}})
                .status,
            200);
  std::string aud = token("auditor");
  auto page = as(aud, "GET", "/api/v1/audit?action=resident.reveal");
  ASSERT_EQ(page.status, 200) << page.body;
  json items = page.json()["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["actor"], "op_ludian");
  EXPECT_EQ(items[0]["target"], "resident:" + std::to_string(zhang_san_));
  EXPECT_EQ(items[0]["reason"], "核实低保申请");
  EXPECT_EQ(items[0]["verified"], true);
  int64_t reveal_id = items[0]["id"];
  EXPECT_EQ(as(aud, "GET", "/api/v1/audit?actor=op_ludian&action=login").json()["total"], 1);
  EXPECT_EQ(as(aud, "GET", "/api/v1/audit?from=2000-01-01&to=2000-12-31").json()["total"], 0);
  EXPECT_GT(as(aud, "GET", "/api/v1/audit?from=2000-01-01").json()["total"].get<int>(), 5);
  EXPECT_EQ(as(aud, "GET", "/api/v1/audit?from=yesterday").status, 400);
  EXPECT_EQ(as(aud, "GET", "/api/v1/audit?size=0").status, 400);
  auto verify = as(aud, "GET", "/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200);
  EXPECT_EQ(verify.json()["intact"], true);
  // No route edits the log.
  EXPECT_EQ(as(aud, "DELETE", "/api/v1/audit").status, 405);

  db_->transact([&](store::Tx& tx) {
    tx.exec("UPDATE audit_log SET detail = ? WHERE id = ?", {R"({"reason":"改过"})", reveal_id});
  });
  auto tampered = as(aud, "GET", "/api/v1/audit?action=resident.reveal").json()["items"][0];
  EXPECT_EQ(tampered["verified"], false);
  auto broken = as(aud, "GET", "/api/v1/audit/verify").json();
  EXPECT_EQ(broken["intact"], false);
  EXPECT_EQ(broken["first_broken_id"], reveal_id);
}

TEST_P(AccountApiTest, IdleSessionsExpireOnTheServersClock) {
  std::string tok = token("op_ludian");
  ASSERT_EQ(as(tok, "GET", "/api/v1/auth/me").status, 200);
  clock_offset_ms_ += 29 * 60 * 1000;  // used again within 30 minutes: the clock slides
  ASSERT_EQ(as(tok, "GET", "/api/v1/auth/me").status, 200);
  clock_offset_ms_ += 29 * 60 * 1000;
  ASSERT_EQ(as(tok, "GET", "/api/v1/auth/me").status, 200);
  clock_offset_ms_ += 30 * 60 * 1000;  // idle for 30 minutes
  auto r = as(tok, "GET", "/api/v1/auth/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error_code(), "session_invalid");
}

class OutsideChangeTest : public AccountApiTest {
  void SetUp() override {
    session_poll_ = std::chrono::milliseconds(0);
    AccountApiTest::SetUp();
  }
};

TEST_P(OutsideChangeTest, ALockByAnotherProcessReachesRememberedSessions) {
  std::string tok = token("op_ludian");
  ASSERT_EQ(as(tok, "GET", "/api/v1/auth/me").status, 200);
  ASSERT_EQ(as(tok, "GET", "/api/v1/auth/me").status, 200);
  // `wangge user lock` writes the database directly, not through this server.
  db_->transact([&](store::Tx& tx) {
    accounts_.lock(tx, accounts_.find_user(tx, "op_ludian")->id, std::nullopt, wangge::now(),
                   "cli");
  });
  EXPECT_EQ(as(tok, "GET", "/api/v1/auth/me").status, 401);
}

// Each class of bad input is a 4xx with a JSON error, and leaves no row behind.
TEST_P(AccountApiTest, BadInputOnEveryWriteRouteWritesNothing) {
  std::string op = token("op_ludian"), sec = token("sec");
  const int64_t residents = rows("residents"), users = rows("users"), audit = rows("audit_log");
  struct Case {
    std::string who, method, target, body, why;
  };
  std::string reveal = path("/api/v1/residents/", zhang_san_, "/reveal");
  std::string patch = path("/api/v1/residents/", zhang_san_);
  std::string lock = path("/api/v1/users/", grid_id_, "/lock");
  std::string reset = path("/api/v1/users/", grid_id_, "/password");
  std::vector<Case> cases;
  for (auto [who, method, target] : {std::tuple{op, "POST", std::string("/api/v1/residents")},
                                     {op, "PATCH", patch},
                                     {op, "POST", reveal},
                                     {sec, "POST", std::string("/api/v1/users")},
                                     {sec, "POST", lock},
                                     {sec, "POST", reset}}) {
    cases.push_back({who, method, target, "{\"name\": ", "malformed JSON"});
    cases.push_back({who, method, target, "[1, 2]", "not an object"});
    cases.push_back({who, method, target, "{\"name\": \"\xE5\xBC\"}", "bad UTF-8"});
    cases.push_back({who, method, target, R"({"zzz_unknown": 1})", "unknown field"});
  }
  cases.push_back({op, "POST", "/api/v1/residents", R"({"household_no": 1, "name": "甲",
                   "id_number": "x"})",
                   "wrong type"});
  cases.push_back({op, "PATCH", patch, R"({"tags": "dibao"})", "wrong type"});
  cases.push_back({op, "POST", reveal, R"({"field": "phone", "reason": 12})", "wrong type"});
  cases.push_back({sec, "POST", lock, R"({"minutes": "ten"})", "wrong type"});
  cases.push_back({sec, "POST", lock, R"({"minutes": 99999999999})", "out of range"});
  cases.push_back({sec, "POST", "/api/v1/users",
                   R"({"username": "x1y", "display_name": "甲", "role": "king",
                   "org_code": "530621000000", "initial_password": "Initial#2026"})",
                   "unknown role"});
  cases.push_back({sec, "POST", path("/api/v1/users/", grid_id_, "x/lock"), "{}", "bad id"});
  for (const auto& c : cases) {
    auto r = call(c.method, c.target, {{"Authorization", "Bearer " + c.who}}, c.body);
    EXPECT_GE(r.status, 400) << c.why << " " << c.target << " " << r.body;
    EXPECT_LT(r.status, 500) << c.why << " " << c.target << " " << r.body;
    EXPECT_FALSE(r.error_code().empty()) << c.why << " " << c.target << " " << r.body;
  }
  // (Oversized bodies: 413 from the transport before any handler, tests/http/server_test.cpp.)
  for (const char* q : {"?page=abc", "?page=-1", "?size=1e3", "?age_min=x", "?page=99999999999"}) {
    EXPECT_EQ(call("GET", std::string("/api/v1/residents") + q,
                   {{"Authorization", "Bearer " + op}, {"Accept-Language", "en"}})
                  .status,
              400)
        << q;
  }
  EXPECT_EQ(as(sec, "GET", "/api/v1/users?page=zero").status, 400);
  EXPECT_EQ(rows("residents"), residents);
  EXPECT_EQ(rows("users"), users);
  EXPECT_EQ(rows("audit_log"), audit);
}

TEST_P(AccountApiTest, MetricsShowDatabaseAndComponentGauges) {
  ASSERT_EQ(get_as("op_ludian", "/api/v1/residents").status, 200);
  auto m = call("GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  for (const char* line :
       {"wangge_test_index_bytes 4096", "wangge_db_transactions_open{mode=\"read\"} 0",
        "wangge_db_transactions_open{mode=\"write\"} 0", "wangge_db_waiting{mode=\"read\"} 0",
        "wangge_db_info{backend=\""}) {
    EXPECT_NE(m.body.find(line), std::string::npos) << line << "\n" << m.body;
  }
  const std::string key = "wangge_db_transactions_begun{mode=\"read\"} ";
  auto begun = m.body.find(key);
  ASSERT_NE(begun, std::string::npos);
  EXPECT_GT(std::stoi(m.body.substr(begun + key.size())), 0);
  EXPECT_NE(m.body.find("wangge_sessions_cached "), std::string::npos);
  // The writer's counts: the logins above committed (sessions, audit rows).
  auto figure = [&](const std::string& name) {
    auto at = m.body.find("\n" + name + " ");
    EXPECT_NE(at, std::string::npos) << name << "\n" << m.body;
    return at == std::string::npos ? -1.0 : std::stod(m.body.substr(at + name.size() + 2));
  };
  EXPECT_GT(figure("wangge_db_commits_total"), 0);
  EXPECT_GE(figure("wangge_db_commit_writes_total"), figure("wangge_db_commits_total"));
  EXPECT_GE(figure("wangge_db_commit_group_largest"), 1);
  EXPECT_GT(figure("wangge_db_commit_seconds_total"), 0);
  EXPECT_EQ(figure("wangge_db_write_queue"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountApiTest,
                         ::testing::ValuesIn(wangge::testing::backends()));
INSTANTIATE_TEST_SUITE_P(Backends, OutsideChangeTest,
                         ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
