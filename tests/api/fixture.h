// A real API server on 127.0.0.1 (port 0) over a fresh database of each backend, with a small
// prefecture: two counties of 昭通 (鲁甸县 and 巧家县), a township, villages and grids in each,
// three households, five residents, and users of several roles whose initial passwords have
// already been changed (except "newbie").
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "api/api.h"
#include "auth/accounts.h"
#include "auth/audit.h"
#include "client.h"
#include "core/codes.h"
#include "events/events.h"
#include "example.h"
#include "http/server.h"
#include "org/service.h"
#include "people/service.h"
#include "store/migrations.h"
#include "testing/testing.h"

namespace wangge::api {

// The tag codes of a resident as the API answers it.
inline std::set<std::string> tag_codes(const nlohmann::json& resident) {
  std::set<std::string> out;
  for (const auto& t : resident["tags"]) out.insert(t["code"].get<std::string>());
  return out;
}

// A valid 18-digit ID number for a region, birth date (YYYYMMDD) and sequence.
inline std::string id_number(const std::string& region, const std::string& birth, int seq) {
  std::string seq3 = std::to_string(seq);
  std::string first17 = region + birth + std::string(3 - seq3.size(), '0') + seq3;
  return first17 + citizen_id::check_char(first17);
}

class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr const char* kInitial = "Initial#2026";
  static constexpr const char* kPassword = "Grid#Work2026";

  void SetUp() override {
    db_ = wangge::testing::fresh_database(GetParam());
    example::test_registry().migrate(*db_);
    db_->transact([&](store::Tx& tx) { build_registry(tx); });
    create_users();
    ApiOptions options;
    options.auth.password = auth::PasswordOptions::cheap();
    options.clock = [this] { return wangge::now() + std::chrono::milliseconds(clock_offset_ms_); };
    options.session_poll = session_poll_;
    options.settings = settings_;
    customize(options);
    http::ServerOptions so;
    so.port = 0;
    so.io_threads = 1;
    so.handler_threads = 4;
    so.dispatch.access_log = false;
    server_ = std::make_unique<http::Server>(so);
    install(*server_, *db_, vault_, options, example::test_registry());
    port_ = server_->start();
    ASSERT_NE(port_, 0);
  }
  // Derived fixtures adjust the API's options here (gauges, …) before the server starts.
  virtual void customize(ApiOptions& /*options*/) {}

  void TearDown() override {
    if (server_) server_->stop();
  }

  void build_registry(store::Tx& tx) {
    org::create_org(tx, {"530600000000", "", "", "昭通市"});
    org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
    org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
    org::create_org(tx, {"530621101201", "530621101000", "village", "龙井村"});
    org::create_org(tx, {"530621101202", "530621101000", "village", "砚池村"});
    org::create_org(tx, {"530621101201001", "530621101201", "", "第1网格"});
    org::create_org(tx, {"530621101202001", "530621101202", "", "第1网格"});
    org::create_org(tx, {"530622000000", "530600000000", "", "巧家县"});
    org::create_org(tx, {"530622101000", "530622000000", "town", "白鹤滩镇"});
    org::create_org(tx, {"530622101201", "530622101000", "village", "邻县村"});
    org::create_org(tx, {"530622101201001", "530622101201", "", "第1网格"});
    people::create_household(tx, {"H001", "530621101201001", "", "鲁甸县文屏镇龙井村1组1号"});
    people::create_household(tx, {"H002", "530621101202001", "", "鲁甸县文屏镇砚池村2组5号"});
    people::create_household(tx, {"H003", "530622101201001", "", "巧家县白鹤滩镇邻县村3组8号"});
    zhang_san_id_ = id_number("530621", "19800101", 11);
    zhang_san_ = add(tx, "H001", "张三", zhang_san_id_, "13812345678", {"dibao", "disabled"},
                     people::Relation::head);
    li_si_ = add(tx, "H001", "李四", id_number("530621", "19820305", 22), "", {},
                 people::Relation::spouse);
    wang_wu_ = add(tx, "H002", "王五", id_number("530621", "20150610", 31), "", {"liushou_child"},
                   people::Relation::child);
    zhao_si_ = add(tx, "H003", "赵四", id_number("530622", "19700202", 41), "13998765432",
                   {"kp_petition"}, people::Relation::head, people::RiskColor::red);
    zhang_sen_ = add(tx, "H003", "张森", id_number("530622", "19990909", 52), "", {},
                     people::Relation::child);
    h001_ = *people::find_household(tx, "H001");
    h003_ = *people::find_household(tx, "H003");
  }

  int64_t add(store::Tx& tx, const std::string& household, const std::string& name,
              const std::string& id, const std::string& phone, std::vector<std::string> tags,
              people::Relation relation, std::optional<people::RiskColor> color = std::nullopt) {
    people::NewResident r;
    r.household_no = household;
    r.name = name;
    r.id_number = id;
    r.phone = phone;
    r.tags = std::move(tags);
    r.relation = relation;
    r.color = color;
    return people::create_resident(tx, vault_, r);
  }

  void create_users() {
    auto t = wangge::now();
    db_->transact([&](store::Tx& tx) {
      using auth::Role;
      struct U {
        const char* name;
        Role role;
        const char* org;
        std::optional<int64_t> household;
      };
      for (const U& u : {U{"op_ludian", Role::county_operator, "530621000000", {}},
                         U{"op_qiaojia", Role::county_operator, "530622000000", {}},
                         U{"grid_a", Role::grid_worker, "530621101201001", {}},
                         U{"res_a", Role::resident, "530621101201001", h001_},
                         U{"auditor", Role::auditor, "530600000000", {}},
                         U{"newbie", Role::county_operator, "530621000000", {}}}) {
        int64_t id = accounts_.create_user(
            tx, {u.name, "测试用户", u.role, u.org, u.household, kInitial}, t, "secadmin");
        if (std::string(u.name) != "newbie") {
          accounts_.change_password(tx, id, kInitial, kPassword, t);
        }
      }
    });
  }

  testing::Reply call(std::string_view method, std::string_view target,
                      const testing::HeaderList& headers = {}, std::string body = {}) {
    return testing::send(port_, method, target, headers, std::move(body));
  }
  testing::Reply login(const std::string& user, const std::string& password,
                       const testing::HeaderList& headers = {}) {
    nlohmann::json body = {{"username", user}, {"password", password}};
    return call("POST", "/api/v1/auth/login", headers, body.dump());
  }
  // Logs in and gives the bearer token. REQUIRES: the login succeeds.
  std::string token(const std::string& user, const std::string& password = kPassword) {
    auto r = login(user, password);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("token", "");
  }
  // Adds a system administrator of the city (sysadmin1) and gives its bearer token.
  std::string sysadmin_token() {
    db_->transact([&](store::Tx& tx) {
      int64_t id = accounts_.create_user(
          tx, {"sysadmin1", "系统管理员", auth::Role::sysadmin, "530600000000", {}, kInitial},
          wangge::now(), "secadmin");
      accounts_.change_password(tx, id, kInitial, kPassword, wangge::now());
    });
    return token("sysadmin1");
  }
  testing::Reply get_as(const std::string& user, std::string_view target) {
    return call("GET", target, {{"Authorization", "Bearer " + token(user)}});
  }
  testing::Reply post_as(const std::string& user, std::string_view target,
                         const nlohmann::json& body) {
    return call("POST", target, {{"Authorization", "Bearer " + token(user)}}, body.dump());
  }
  static std::string path(const char* base, int64_t id, const char* rest = "") {
    return std::string(base) + std::to_string(id) + rest;
  }

  // The server's clock runs this far ahead of the real one (tests move it, never sleep).
  std::atomic<int64_t> clock_offset_ms_{0};
  // How often the server looks for account changes made outside it (set before SetUp).
  std::chrono::milliseconds session_poll_ = std::chrono::seconds(1);
  // The modules' config sections the server starts with (set before SetUp).
  app::Settings settings_ = example::test_registry().default_settings();
  std::unique_ptr<store::Database> db_;
  Vault vault_{Vault::Key{7, 7, 7}};
  auth::Accounts accounts_{auth::AuthOptions{.password = auth::PasswordOptions::cheap()}};
  std::unique_ptr<http::Server> server_;
  uint16_t port_ = 0;
  std::string zhang_san_id_;
  int64_t zhang_san_ = 0, li_si_ = 0, wang_wu_ = 0, zhao_si_ = 0, zhang_sen_ = 0;
  int64_t h001_ = 0, h003_ = 0;
};

}  // namespace wangge::api
