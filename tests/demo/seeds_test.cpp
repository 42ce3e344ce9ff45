// The demo never fails for a seed: seeds 1–20 generate, and every resident's ID number
// (居民身份证号) is valid (GB 11643 check digit, a real birth date) and unique — by
// construction, not by luck (population.cpp hands out disjoint sequence numbers).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "core/codes.h"
#include "core/error.h"
#include "demo/generator.h"
#include "events/events.h"
#include "org/org.h"
#include "people/people.h"
#include "schema.h"
#include "testing/testing.h"

namespace wangge::demo {
namespace {

using testing_demo::schema;

// What is wrong with a list of ID numbers: the first invalid or repeated one, or "".
std::string id_problem(const std::vector<std::string>& numbers) {
  std::set<std::string> seen;
  for (const auto& n : numbers) {
    if (!citizen_id::try_parse(n)) return "invalid: " + n;
    if (!seen.insert(n).second) return "repeated: " + n;
  }
  return "";
}

std::vector<std::string> id_numbers(store::Database& db, const Vault& vault) {
  std::vector<std::string> out;
  auto tx = db.begin(store::TxMode::read);
  tx->each("SELECT id_enc FROM residents", {},
           [&](const store::Row& r) { out.push_back(vault.decrypt(r.blob(0))); });
  return out;
}

class SeedsTest : public ::testing::TestWithParam<std::string> {
 protected:
  Vault vault_{Vault::Key{7}};
};

TEST_P(SeedsTest, EverySeedGeneratesUniqueValidIdNumbers) {
  const Instant as_of = parse_instant("2026-12-07T10:00:00+08:00");
  // Seeds 1–20 on SQLite; the numbers come from the generator, not the backend, so PostgreSQL
  // (three times slower to load) checks the first five.
  const uint64_t last = GetParam() == "sqlite" ? 20 : 5;
  for (uint64_t seed = 1; seed <= last; ++seed) {
    auto db = testing::fresh_database(GetParam());
    store::migrate(*db, schema());
    Summary s;
    ASSERT_NO_THROW(s = generate(*db, vault_, {.scale = 0.0005, .seed = seed, .as_of = as_of}))
        << "seed " << seed;
    auto numbers = id_numbers(*db, vault_);
    ASSERT_EQ(static_cast<int64_t>(numbers.size()), s.residents) << "seed " << seed;
    ASSERT_GT(s.residents, 1000) << "seed " << seed;
    EXPECT_EQ(id_problem(numbers), "") << "seed " << seed;
  }
}

// The check above can fail: a repeated number and a wrong check digit are caught.
TEST(SeedsCheck, CatchesRepeatedAndInvalidNumbers) {
  std::vector<std::string> ok = {"53062119800101001X", "530621199001010024"};
  ok[0].back() = citizen_id::check_char(ok[0].substr(0, 17));
  ok[1].back() = citizen_id::check_char(ok[1].substr(0, 17));
  ASSERT_EQ(id_problem(ok), "");
  auto repeated = ok;
  repeated.push_back(ok[0]);
  EXPECT_EQ(id_problem(repeated), "repeated: " + ok[0]);
  auto invalid = ok;
  invalid[1].back() = invalid[1].back() == '0' ? '1' : '0';
  EXPECT_EQ(id_problem(invalid), "invalid: " + invalid[1]);
}

INSTANTIATE_TEST_SUITE_P(Backends, SeedsTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::demo
