// The org tree, party tree and posts, against both databases.
#include <gtest/gtest.h>

#include "core/error.h"
#include "org/service.h"
#include "testing/testing.h"

namespace wangge::org {
namespace {

class OrgTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::fresh_database(GetParam());
    store::migrate(*db_, migrations());
  }
  // Runs fn in a transaction expected to fail with the given error code; nothing is kept.
  template <class F>
  void expect_error(const std::string& code, F&& fn) {
    auto tx = db_->begin();
    try {
      fn(*tx);
      ADD_FAILURE() << "expected error " << code;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.message(Lang::en);
    }
  }
  void build_small_tree(store::Tx& tx) {
    create_org(tx, {"530600000000", "", "", "昭通市"});
    create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
    create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
    create_org(tx, {"530621101001", "530621101000", "community", "砚池社区"});
    create_org(tx, {"530621101001001", "530621101001", "", "第1网格"});
    create_org(tx, {"530621101001001001", "530621101001001", "", "第1微网格"});
    create_org(tx, {"530621101001001001001", "530621101001001001", "", "1栋"});
  }
  std::unique_ptr<store::Database> db_;
};

TEST_P(OrgTest, BuildsTheTreeAndReadsItBack) {
  db_->transact([&](store::Tx& tx) { build_small_tree(tx); });
  auto tx = db_->begin(store::TxMode::read);
  Org county = get_org(*tx, "530621000000");
  EXPECT_EQ(county.kind, OrgKind::county);
  EXPECT_EQ(county.type, "county");
  auto kids = children(*tx, county.id);
  ASSERT_EQ(kids.size(), 1u);
  EXPECT_EQ(kids[0].name, "文屏镇");
  EXPECT_EQ(kids[0].kind, OrgKind::township);
  auto chain = ancestors(*tx, "530621101001001001001");
  ASSERT_EQ(chain.size(), 7u);
  EXPECT_EQ(chain.front().name, "昭通市");
  EXPECT_EQ(chain.back().kind, OrgKind::building);
  EXPECT_EQ(event_level(chain[4].kind), 1);
  EXPECT_EQ(event_level(chain[3].kind), 2);
  EXPECT_EQ(event_level(chain[0].kind), 5);
}

TEST_P(OrgTest, RejectsBadNodesAndWritesNothing) {
  db_->transact([&](store::Tx& tx) { build_small_tree(tx); });
  expect_error("code_not_under_parent", [](store::Tx& tx) {
    create_org(tx, {"530622101000", "530621000000", "town", "错挂镇"});
  });
  expect_error("invalid_type", [](store::Tx& tx) {
    create_org(tx, {"530621102000", "530621000000", "community", "类型错"});
  });
  expect_error("unknown_parent", [](store::Tx& tx) {
    create_org(tx, {"530699101000", "530699000000", "town", "无上级"});
  });
  expect_error("duplicate_code", [](store::Tx& tx) {
    create_org(tx, {"530621101000", "530621000000", "town", "重复"});
  });
  expect_error("invalid_name", [](store::Tx& tx) {
    create_org(tx, {"530621102000", "530621000000", "town", ""});
  });
  expect_error("invalid_boundary", [](store::Tx& tx) {
    create_org(tx, {"530621102000", "530621000000", "town", "边界错", R"({"type":"Point"})"});
  });
  expect_error("missing_parent", [](store::Tx& tx) {
    create_org(tx, {"530700000000", "", "", "第二个市"});
  });
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM orgs"), 7);
}

TEST_P(OrgTest, AcceptsAPolygonBoundary) {
  db_->transact([&](store::Tx& tx) {
    build_small_tree(tx);
    create_org(
        tx,
        {"530621101001002", "530621101001", "", "第2网格",
         R"({"type":"Polygon","coordinates":[[[103.5,27.1],[103.6,27.1],[103.6,27.2],[103.5,27.1]]]})",
         27.15, 103.55});
  });
  auto tx = db_->begin(store::TxMode::read);
  auto g = get_org(*tx, "530621101001002");
  ASSERT_TRUE(g.boundary);
  EXPECT_NE(g.boundary->find("Polygon"), std::string::npos);
  EXPECT_DOUBLE_EQ(*g.lat, 27.15);
}

TEST_P(OrgTest, DepartmentsSitUnderTheirCounty) {
  db_->transact([&](store::Tx& tx) {
    build_small_tree(tx);
    create_org(tx, {"530621901000", "530621000000", "department", "鲁甸县水务局"});
  });
  expect_error("code_not_under_parent", [](store::Tx& tx) {
    create_org(tx, {"530622901000", "530621000000", "department", "错挂部门"});
  });
  auto tx = db_->begin(store::TxMode::read);
  EXPECT_EQ(get_org(*tx, "530621901000").kind, OrgKind::department);
}

TEST_P(OrgTest, PartyTreeAndPosts) {
  Vault vault(Vault::Key{1});
  int64_t staff = 0;
  db_->transact([&](store::Tx& tx) {
    build_small_tree(tx);
    auto town = get_org(tx, "530621101000");
    auto grid = get_org(tx, "530621101001001");
    int64_t committee =
        create_party_org(tx, {"中共文屏镇委员会", PartyKind::committee, std::nullopt, town.id});
    create_party_org(tx, {"第1网格党支部", PartyKind::branch, committee, grid.id});
    staff = create_staff(tx, vault, {"张三", "+86 138-1234-5678"});
    assign_post(tx, staff, grid.id, PostRole::grid_head);
  });
  expect_error("role_does_not_fit", [&](store::Tx& tx) {
    assign_post(tx, staff, get_org(tx, "530621000000").id, PostRole::grid_head);
  });
  expect_error("invalid_mobile", [&](store::Tx& tx) {
    create_staff(tx, vault, {"李四", "12345"});
  });
  auto tx = db_->begin(store::TxMode::read);
  auto posts = posts_of(*tx, staff);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].role, PostRole::grid_head);
  auto row = tx->query_one("SELECT phone_mask, phone_enc FROM staff WHERE id = ?", {staff});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), "138****5678");
  EXPECT_EQ(vault.decrypt(row->blob(1)), "13812345678");
  EXPECT_EQ(tx->query_int("SELECT COUNT(*) FROM party_orgs WHERE parent_id IS NOT NULL"), 1);
}

TEST(OrgCodes, SubtreePrefix) {
  EXPECT_EQ(subtree_prefix("530600000000"), "5306");
  EXPECT_EQ(subtree_prefix("530621000000"), "530621");
  EXPECT_EQ(subtree_prefix("530621101000"), "530621101");
  EXPECT_EQ(subtree_prefix("530621101001"), "530621101001");
  EXPECT_EQ(subtree_prefix("530621101001002"), "530621101001002");
}

INSTANTIATE_TEST_SUITE_P(Backends, OrgTest, ::testing::ValuesIn(testing::backends()));

}  // namespace
}  // namespace wangge::org
