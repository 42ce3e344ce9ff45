// API keys: shown once, stored only as a hash, checked, listed and revoked — on both databases.
#include "intake/apikeys.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "testing/testing.h"

namespace wangge::intake {
namespace {

class ApiKeyTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = wangge::testing::fresh_database(GetParam());
    store::migrate(*db_, apikey_migrations());
  }
  IssuedKey issue(const std::string& name) {
    return db_->transact([&](store::Tx& tx) { return issue_api_key(tx, name, t0_); });
  }
  std::optional<ApiKey> check(const std::string& key) {
    auto tx = db_->begin(store::TxMode::read);
    return check_api_key(*tx, key);
  }

  std::unique_ptr<store::Database> db_;
  Instant t0_ = parse_instant("2026-03-02T09:00:00+08:00");
};

TEST_P(ApiKeyTest, AnIssuedKeyChecksAndOnlyItsHashIsStored) {
  IssuedKey a = issue("12345 便民 app");
  IssuedKey b = issue("街道小程序");
  EXPECT_TRUE(a.key.starts_with("w311_"));
  EXPECT_EQ(a.key.size(), 5u + 43u);
  EXPECT_NE(a.key, b.key);
  auto found = check(a.key);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "12345 便民 app");
  EXPECT_EQ(found->created_at, t0_);
  EXPECT_EQ(check(b.key)->name, "街道小程序");
  EXPECT_FALSE(check(a.key + "x"));
  EXPECT_FALSE(check(""));
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM api_keys WHERE key_hash = ?", {a.key}), 0);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM api_keys WHERE length(key_hash) = 64"), 2);
}

TEST_P(ApiKeyTest, NamesAreRequiredAndUnique) {
  issue("app");
  auto code = [&](const std::string& name) {
    try {
      issue(name);
    } catch (const Error& e) {
      return e.code();
    }
    return std::string("issued");
  };
  EXPECT_EQ(code(""), "invalid_name");
  EXPECT_EQ(code(std::string(61, 'a')), "invalid_name");
  EXPECT_EQ(code("app"), "duplicate_name");
  EXPECT_EQ(code(std::string(60, 'a')), "issued");
}

TEST_P(ApiKeyTest, ARevokedKeyNoLongerChecks) {
  IssuedKey a = issue("app");
  db_->transact([&](store::Tx& tx) { revoke_api_key(tx, "app", t0_ + std::chrono::hours(1)); });
  EXPECT_FALSE(check(a.key));
  auto tx = db_->begin(store::TxMode::write);
  auto all = list_api_keys(*tx);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].revoked_at, t0_ + std::chrono::hours(1));
  EXPECT_THROW(revoke_api_key(*tx, "app", t0_), Error);
  EXPECT_THROW(revoke_api_key(*tx, "nosuch", t0_), Error);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiKeyTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::intake
