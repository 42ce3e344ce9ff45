// Households, residents, tags and colour history, against both databases.
#include <gtest/gtest.h>

#include "core/codes.h"
#include "core/error.h"
#include "org/service.h"
#include "people/service.h"
#include "testing/testing.h"

namespace wangge::people {
namespace {

// A valid ID number for a birth date and sequence, with its check digit computed.
std::string id_number(const std::string& region, const std::string& birth, int seq) {
  std::string first17 =
      region + birth + (seq < 10 ? "00" : (seq < 100 ? "0" : "")) + std::to_string(seq);
  return first17 + citizen_id::check_char(first17);
}

class PeopleTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::fresh_database(GetParam());
    std::vector<store::Migration> all = org::migrations();
    all.insert(all.end(), migrations().begin(), migrations().end());
    store::migrate(*db_, all);
    db_->transact([&](store::Tx& tx) {
      org::create_org(tx, {"530600000000", "", "", "昭通市"});
      org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
      org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
      org::create_org(tx, {"530621101201", "530621101000", "village", "龙井村"});
      org::create_org(tx, {"530621101201001", "530621101201", "", "第1网格"});
      org::create_org(tx, {"530621101201001001", "530621101201001", "", "第1微网格"});
      create_household(tx, {"H001", "530621101201001001", "", "鲁甸县文屏镇龙井村1组1号"});
    });
  }
  NewResident zhang_san() {
    NewResident r;
    r.household_no = "H001";
    r.name = "张三";
    r.id_number = id_number("530621", "19800101", 11);
    r.phone = "13812345678";
    r.relation = Relation::head;
    r.tags = {"低保", "party_member"};
    return r;
  }
  template <class F>
  void expect_error(const std::string& code, const std::string& field, F&& fn) {
    auto tx = db_->begin();
    try {
      fn(*tx);
      ADD_FAILURE() << "expected error " << code;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.message(Lang::en);
      if (!field.empty()) {
        EXPECT_EQ(e.field(), field);
      }
      EXPECT_FALSE(e.message(Lang::zh).empty());
    }
  }
  int64_t count(const std::string& table) {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_int("SELECT COUNT(*) FROM " + table);
  }
  Vault vault_{Vault::Key{7}};
  std::unique_ptr<store::Database> db_;
};

TEST_P(PeopleTest, StoresIdentityEncryptedHashedAndMasked) {
  int64_t id =
      db_->transact([&](store::Tx& tx) { return create_resident(tx, vault_, zhang_san()); });
  auto tx = db_->begin(store::TxMode::read);
  auto row = tx->query_one(
      "SELECT name_pinyin, name_initials, sex, birth_date, id_mask, id_enc, phone_mask, phone_enc "
      "FROM residents WHERE id = ?",
      {id});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), "zhangsan");
  EXPECT_EQ(row->text(1), "zs");
  EXPECT_EQ(row->i64(2), 1);  // sequence 011: odd → male
  EXPECT_EQ(row->text(3), "1980-01-01");
  // The region only: with the clear birth date the tail would give the number away.
  EXPECT_EQ(row->text(4), "530621************");
  EXPECT_EQ(vault_.decrypt(row->blob(5)), zhang_san().id_number);
  EXPECT_EQ(row->text(6), "138****5678");
  EXPECT_EQ(vault_.decrypt(row->blob(7)), "13812345678");
  // Nothing in clear anywhere in the row.
  auto raw = tx->query("SELECT * FROM residents");
  for (size_t c = 0; c < raw[0].size(); ++c) {
    if (raw[0][c].is_text()) {
      EXPECT_EQ(raw[0].text(c).find("19800101"), std::string::npos);
    }
  }
  EXPECT_EQ(find_resident_by_id_number(*tx, vault_, zhang_san().id_number), id);
  EXPECT_EQ(tags_of(*tx, id), (std::vector<std::string>{"dibao", "party_member"}));
}

TEST_P(PeopleTest, RejectsEveryBadFieldAndWritesNothing) {
  auto bad = zhang_san();
  bad.id_number.back() = bad.id_number.back() == '0' ? '1' : '0';
  expect_error("invalid_id_number", "id_number",
               [&](store::Tx& tx) { create_resident(tx, vault_, bad); });
  bad = zhang_san();
  bad.sex = Sex::female;
  expect_error("sex_mismatch", "sex", [&](store::Tx& tx) { create_resident(tx, vault_, bad); });
  bad = zhang_san();
  bad.birth = parse_date("1980-01-02");
  expect_error("birth_mismatch", "birth_date",
               [&](store::Tx& tx) { create_resident(tx, vault_, bad); });
  bad = zhang_san();
  bad.name = "张3";
  expect_error("invalid_name", "name", [&](store::Tx& tx) { create_resident(tx, vault_, bad); });
  bad = zhang_san();
  bad.tags = {"不存在的标签"};
  expect_error("invalid_tag", "tags", [&](store::Tx& tx) { create_resident(tx, vault_, bad); });
  bad = zhang_san();
  bad.household_no = "H999";
  expect_error("unknown_household", "household_no",
               [&](store::Tx& tx) { create_resident(tx, vault_, bad); });
  expect_error("invalid_org", "org_code", [&](store::Tx& tx) {
    create_household(tx, {"H002", "530621000000", "", "县城"});
  });
  expect_error("invalid_household_no", "household_no", [&](store::Tx& tx) {
    create_household(tx, {"H 002", "530621101201001001", "", "地址"});
  });
  EXPECT_EQ(count("residents"), 0);
  EXPECT_EQ(count("resident_tags"), 0);
  EXPECT_EQ(count("households"), 1);
}

// people 4 rewrites masks written before it (first 6 + last 4) to the region only, on a
// database that already holds residents; running it is idempotent.
TEST_P(PeopleTest, MigrationFourDropsTheTailOfStoredMasks) {
  auto old_db = testing::fresh_database(GetParam());
  std::vector<store::Migration> upto3 = org::migrations();
  for (const auto& m : migrations()) {
    if (m.version <= 3) upto3.push_back(m);
  }
  store::migrate(*old_db, upto3);
  old_db->transact([&](store::Tx& tx) {
    org::create_org(tx, {"530600000000", "", "", "昭通市"});
    org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
    org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
    org::create_org(tx, {"530621101201", "530621101000", "village", "龙井村"});
    org::create_org(tx, {"530621101201001", "530621101201", "", "第1网格"});
    create_household(tx, {"H001", "530621101201001", "", "龙井村1组1号"});
    int64_t id = create_resident(tx, vault_, zhang_san());
    // As written before people 4.
    tx.exec("UPDATE residents SET id_mask = ? WHERE id = ?",
            {citizen_id::mask(zhang_san().id_number), id});
  });
  std::vector<store::Migration> all = org::migrations();
  all.insert(all.end(), migrations().begin(), migrations().end());
  EXPECT_GE(store::migrate(*old_db, all), 1);
  EXPECT_EQ(store::migrate(*old_db, all), 0);
  auto tx = old_db->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_one("SELECT id_mask FROM residents")->text(0), "530621************");
}

TEST_P(PeopleTest, ProbesAreCountedPerUserAndDay) {
  Date d = parse_date("2026-06-30");
  db_->transact([&](store::Tx& tx) {
    EXPECT_EQ(probes_on(tx, "grid_a", d), 0);
    EXPECT_EQ(record_probe(tx, "grid_a", d), 1);
    EXPECT_EQ(record_probe(tx, "grid_a", d), 2);
    EXPECT_EQ(record_probe(tx, "grid_b", d), 1);
    EXPECT_EQ(record_probe(tx, "grid_a", parse_date("2026-07-01")), 1);
  });
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(probes_on(*tx, "grid_a", d), 2);
}

TEST_P(PeopleTest, OneIdNumberOnce) {
  db_->transact([&](store::Tx& tx) { create_resident(tx, vault_, zhang_san()); });
  auto again = zhang_san();
  again.name = "张四";
  expect_error("duplicate_id_number", "",
               [&](store::Tx& tx) { create_resident(tx, vault_, again); });
  // The same person written with the legacy 15-digit number is still the same person.
  auto legacy = zhang_san();
  legacy.id_number = "530621800101011";
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_TRUE(find_resident_by_id_number(*tx, vault_, legacy.id_number));
}

TEST_P(PeopleTest, ColourChangesNeedAReasonAndKeepHistory) {
  int64_t hh = 0;
  db_->transact([&](store::Tx& tx) { hh = *find_household(tx, "H001"); });
  expect_error("invalid_reason", "reason", [&](store::Tx& tx) {
    change_color(tx, Subject::household, hh, RiskColor::red, "", "网格员甲");
  });
  db_->transact([&](store::Tx& tx) {
    change_color(tx, Subject::household, hh, RiskColor::red, "家中有人突发重病，无劳动力",
                 "网格员甲");
    change_color(tx, Subject::household, hh, RiskColor::red, "重复", "网格员甲");  // no-op
    change_color(tx, Subject::household, hh, RiskColor::yellow, "已落实临时救助", "村干部乙");
  });
  auto tx = db_->begin(store::TxMode::read);
  auto history = color_history(*tx, Subject::household, hh);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].from, RiskColor::green);
  EXPECT_EQ(history[0].to, RiskColor::red);
  EXPECT_EQ(history[1].to, RiskColor::yellow);
  EXPECT_EQ(history[1].changed_by, "村干部乙");
  EXPECT_EQ(tx->query_one("SELECT color FROM households WHERE id = ?", {hh})->text(0), "yellow");
  EXPECT_THROW(change_color(*tx, Subject::resident, 999, RiskColor::red, "原因", "x"), Error);
}

TEST(PeopleNames, ParseChineseAndCodes) {
  EXPECT_EQ(parse_color("红色"), RiskColor::red);
  EXPECT_EQ(parse_color("yellow"), RiskColor::yellow);
  EXPECT_THROW(parse_color("紫"), Error);
  EXPECT_EQ(parse_relation("户主"), Relation::head);
  EXPECT_EQ(parse_relation("长子"), Relation::child);
  EXPECT_EQ(parse_status("迁出"), ResidentStatus::moved_out);
  EXPECT_EQ(find_tag("留守儿童")->code, "liushou_child");
  EXPECT_TRUE(find_tag("kp_mental")->sensitive);
  EXPECT_EQ(find_tag("nothing"), nullptr);
}

// The seeds' 17 key-person categories (鲁甸: 20,860 people in 17), each with the colour its
// 红黄绿 rule gives, are in the catalogue and in the tags table.
TEST_P(PeopleTest, SeventeenKeyPersonCategoriesEachWithAColourRule) {
  int key = 0;
  for (const Tag& t : tag_catalogue()) {
    if (!t.key_person) continue;
    ++key;
    EXPECT_TRUE(t.color) << t.code;
    EXPECT_TRUE(t.sensitive) << t.code;
  }
  EXPECT_EQ(key, 17);
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(
      tx->query_one("SELECT count(*) FROM tags WHERE key_person = 1 AND color IS NOT NULL")->i64(0),
      17);
  EXPECT_EQ(tx->query_one("SELECT color FROM tags WHERE code = 'kp_gang'")->text(0), "red");
  EXPECT_EQ(tx->query_one("SELECT count(*) FROM tags")->i64(0),
            static_cast<int64_t>(tag_catalogue().size()));
  EXPECT_EQ(rule_color({"kp_dispute", "dibao"}), RiskColor::green);
  EXPECT_EQ(rule_color({"kp_dispute", "kp_gang", "kp_fraud"}), RiskColor::red);
  EXPECT_EQ(rule_color({"dibao", "party_member"}), std::nullopt);
}

// A key person registered without a colour starts with the most severe colour of their
// categories' rules; a colour given explicitly wins; others stay without one.
TEST_P(PeopleTest, TheRulesGiveAKeyPersonTheirStartingColour) {
  auto color_of = [&](int64_t id) {
    auto tx = db_->begin(store::TxMode::read);
    return tx->query_one("SELECT color FROM residents WHERE id = ?", {id})->opt_text(0);
  };
  int64_t a = 0, b = 0, c = 0;
  db_->transact([&](store::Tx& tx) {
    NewResident r = zhang_san();
    r.tags = {"矛盾纠纷当事人", "涉诈高危人员"};  // green and yellow rules
    a = create_resident(tx, vault_, r);
    r.id_number = id_number("530621", "19820305", 22);
    r.relation = Relation::spouse;
    r.color = RiskColor::green;
    b = create_resident(tx, vault_, r);
    r.id_number = id_number("530621", "20100101", 33);
    r.relation = Relation::child;
    r.color.reset();
    r.tags = {"dibao"};
    c = create_resident(tx, vault_, r);
  });
  EXPECT_EQ(color_of(a), "yellow");
  EXPECT_EQ(color_of(b), "green");
  EXPECT_EQ(color_of(c), std::nullopt);
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(color_history(*tx, Subject::resident, a).size(), 1u);  // the first colour on record
}

// people 6, on a database of the first release holding key persons: the nine categories and the
// colour rules arrive; every tag and colour already given stays as it was.
TEST_P(PeopleTest, MigrationSixAddsTheCategoriesAndKeepsTheTagged) {
  auto old_db = testing::fresh_database(GetParam());
  std::vector<store::Migration> upto5 = org::migrations();
  for (const auto& m : migrations()) {
    if (m.version <= 5) upto5.push_back(m);
  }
  store::migrate(*old_db, upto5);
  int64_t id = 0;
  old_db->transact([&](store::Tx& tx) {
    EXPECT_EQ(tx.query_one("SELECT count(*) FROM tags")->i64(0), 20);
    org::create_org(tx, {"530600000000", "", "", "昭通市"});
    org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
    org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
    org::create_org(tx, {"530621101201", "530621101000", "village", "龙井村"});
    org::create_org(tx, {"530621101201001", "530621101201", "", "第1网格"});
    create_household(tx, {"H001", "530621101201001", "", "龙井村1组1号"});
    NewResident r = zhang_san();
    r.tags = {"kp_petition", "dibao"};
    r.color = RiskColor::red;  // a worker's judgement, above the rule's yellow
    id = create_resident(tx, vault_, r);
  });
  std::vector<store::Migration> all = org::migrations();
  all.insert(all.end(), migrations().begin(), migrations().end());
  EXPECT_EQ(store::migrate(*old_db, all), 1);
  EXPECT_EQ(store::migrate(*old_db, all), 0);
  {
    auto tx = old_db->begin(store::TxMode::read);
    EXPECT_EQ(tx->query_one("SELECT count(*) FROM tags WHERE key_person = 1")->i64(0), 17);
    EXPECT_EQ(tx->query_one("SELECT color FROM tags WHERE code = 'kp_petition'")->text(0),
              "yellow");
    EXPECT_EQ(tx->query_one("SELECT color FROM residents WHERE id = ?", {id})->text(0), "red");
    EXPECT_EQ(
        tx->query_one("SELECT count(*) FROM resident_tags WHERE resident_id = ?", {id})->i64(0), 2);
  }
  old_db->transact([&](store::Tx& tx) {  // a new category takes people at once
    NewResident r = zhang_san();
    r.id_number = id_number("530621", "19820305", 22);
    r.relation = Relation::spouse;
    r.tags = {"涉黑涉恶人员"};
    int64_t gang = create_resident(tx, vault_, r);
    EXPECT_EQ(tx.query_one("SELECT color FROM residents WHERE id = ?", {gang})->text(0), "red");
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, PeopleTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::people
