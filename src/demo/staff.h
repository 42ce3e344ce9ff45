// The demo's party tree (两个体系) and its staff: 网格长, 专职/兼职网格员, 楼栋长, 党员中心户,
// 村（社区）书记 and 包保干部, one post each.
#pragma once

#include <cstdint>
#include <vector>

#include "core/vault.h"
#include "demo/prefecture.h"
#include "store/database.h"

namespace wangge::demo {

struct StaffCounts {
  int64_t party_orgs = 0, staff = 0, posts = 0;
};

StaffCounts write_party_and_staff(store::Tx& tx, const std::vector<PlannedOrg>& plan,
                                  const Vault& vault, uint64_t seed, int64_t created_at);

}  // namespace wangge::demo
