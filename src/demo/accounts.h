// Demo accounts, one for each role, with a fixed password (only ever in a demo database).
#pragma once

#include <string>
#include <vector>

#include "store/database.h"

namespace wangge::demo {

inline constexpr const char* kDemoPassword = "Wangge@2026";

struct DemoAccount {
  std::string username, role_label, org_name;
  bool must_change_password = false;
};

// REQUIRES: the demo orgs and households are in place (generate() has run).
std::vector<DemoAccount> create_demo_accounts(store::Tx& tx);

}  // namespace wangge::demo
