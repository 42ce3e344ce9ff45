// Password hashing and the password policy (no database).
#include "auth/password.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace wangge::auth {
namespace {

std::string policy_error(std::string_view password, std::string_view username = "zhangsan") {
  try {
    check_password_policy(password, username);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "weak_password");
    EXPECT_EQ(e.field(), "password");
    return e.message(Lang::zh);
  }
  return "";
}

TEST(PasswordPolicy, AcceptsThreeClassesOfEightOrMore) {
  EXPECT_EQ(policy_error("Abcdef12"), "");     // upper, lower, digit
  EXPECT_EQ(policy_error("abcdef1!"), "");     // lower, digit, symbol
  EXPECT_EQ(policy_error("ABCDEF!1"), "");     // upper, digit, symbol
  EXPECT_EQ(policy_error("网格员Abc12"), "");  // CJK counts as a symbol; 8 code points
  EXPECT_NE(policy_error("网格Abc12"), "");    // 7 code points, though 11 bytes
}

TEST(PasswordPolicy, RefusesShortOrTwoClassPasswords) {
  const std::string msg = "密码至少8位，且须包含大写字母、小写字母、数字、符号中的三类";
  EXPECT_EQ(policy_error("Abc12!"), msg);      // too short
  EXPECT_EQ(policy_error("Abcd12!"), msg);     // 7 characters
  EXPECT_EQ(policy_error("abcdefgh1"), msg);   // two classes
  EXPECT_EQ(policy_error("ABCDEFGHIJ"), msg);  // one class
  EXPECT_EQ(policy_error("12345678!"), msg);   // digits and symbols only
  EXPECT_EQ(policy_error(""), msg);
}

TEST(PasswordPolicy, RefusesTheUsername) {
  EXPECT_EQ(policy_error("Zhang.san1", "Zhang.san1"), "密码不能与用户名相同");
  EXPECT_EQ(policy_error("Zhang.san1", "zhangsan"), "");
}

TEST(PasswordPolicy, RefusesOverlongInput) {
  EXPECT_NE(policy_error("Aa1!" + std::string(300, 'x')), "");
}

TEST(PasswordHash, VerifiesOnlyTheRightPassword) {
  std::string h = hash_password("Abcdef12!", PasswordOptions::cheap());
  EXPECT_TRUE(h.starts_with("$argon2id$v=19$m=64,t=1,p=1$")) << h;
  EXPECT_TRUE(verify_password("Abcdef12!", h));
  EXPECT_FALSE(verify_password("Abcdef12?", h));
  EXPECT_FALSE(verify_password("", h));
  EXPECT_FALSE(verify_password("Abcdef12!", "not a hash"));
  // A fresh salt each time.
  EXPECT_NE(hash_password("Abcdef12!", PasswordOptions::cheap()), h);
}

TEST(PasswordHash, DefaultCostIsOwaspMinimum) {
  PasswordOptions o;
  EXPECT_EQ(o.time_cost, 2u);
  EXPECT_EQ(o.memory_kib, 19456u);
  EXPECT_EQ(o.parallelism, 1u);
  std::string h = hash_password("Abcdef12!", o);
  EXPECT_TRUE(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << h;
  EXPECT_TRUE(verify_password("Abcdef12!", h));
}

}  // namespace
}  // namespace wangge::auth
