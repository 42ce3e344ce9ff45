// A fresh database on each backend with the org and auth schemas, two neighbouring counties of
// 昭通, and an Accounts service with cheap password hashing.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "auth/accounts.h"
#include "core/error.h"
#include "core/time.h"
#include "org/service.h"
#include "store/migrations.h"
#include "testing/testing.h"

namespace wangge::auth {

class AuthTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr const char* kPassword = "Initial#2026";

  void SetUp() override {
    db_ = testing::fresh_database(GetParam());
    store::migrate(*db_, org::migrations());
    store::migrate(*db_, migrations());
    db_->transact([](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
      org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
      org::create_org(tx, {"530621101001", "530621101000", "community", "砚池社区"});
      org::create_org(tx, {"530621101201", "530621101000", "village", "红旗村"});
      org::create_org(tx, {"530622000000", "530600000000", "", "巧家县"});
      org::create_org(tx, {"530622101000", "530622000000", "town", "白鹤滩镇"});
      org::create_org(tx, {"530622101201", "530622101000", "village", "邻县村"});
    });
  }

  int64_t create(const std::string& username, Role role, const std::string& org_code,
                 std::optional<int64_t> household = std::nullopt) {
    return db_->transact([&](store::Tx& tx) {
      return accounts_.create_user(tx, {username, "测试用户", role, org_code, household, kPassword},
                                   t0_, "secadmin");
    });
  }
  // Logs in and commits whatever the outcome (failures are counted).
  LoginResult login(const std::string& username, const std::string& password, Instant at) {
    return db_->transact(
        [&](store::Tx& tx) { return accounts_.login(tx, username, password, at); });
  }
  Authenticated authenticate(const std::string& token, Instant at) {
    return db_->transact([&](store::Tx& tx) { return accounts_.authenticate(tx, token, at); });
  }
  // The error code fn throws, or "" when it does not throw.
  template <class F>
  static std::string error_code(F&& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return "";
  }

  std::unique_ptr<store::Database> db_;
  Accounts accounts_{AuthOptions{.password = PasswordOptions::cheap()}};
  Instant t0_ = parse_instant("2026-03-01T08:00:00Z");
};

}  // namespace wangge::auth
