#include "demo/staff.h"

#include <fmt/format.h>

#include "core/codes.h"
#include "demo/names.h"
#include "org/org.h"

namespace wangge::demo {
namespace {

std::string party_name(const PlannedOrg& o, const std::vector<PlannedOrg>& plan,
                       org::PartyKind& kind) {
  if (o.kind == "city" || o.kind == "county") {
    kind = org::PartyKind::committee;
    return "中共" + o.name + "委员会";
  }
  if (o.kind == "township") {
    kind = o.type == "street" ? org::PartyKind::working_committee : org::PartyKind::committee;
    return "中共" + o.name + (o.type == "street" ? "工作委员会" : "委员会");
  }
  if (o.kind == "village") {
    kind = o.type == "community" ? org::PartyKind::general_branch : org::PartyKind::branch;
    return "中共" + o.name + (o.type == "community" ? "总支部委员会" : "支部委员会");
  }
  if (o.kind == "grid") {
    kind = org::PartyKind::branch;
    return plan[o.parent_id - 1].name + o.name + "党支部";
  }
  kind = org::PartyKind::group;
  return o.name + "党小组";
}

}  // namespace

StaffCounts write_party_and_staff(store::Tx& tx, const std::vector<PlannedOrg>& plan,
                                  const Vault& vault, uint64_t seed, int64_t created_at) {
  StaffCounts c;
  Rng rng(seed ^ 0x5eed5eedULL);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };

  // Party organisations beside every node but micro-grids (党员中心户 are posts there).
  {
    std::vector<int64_t> party_of(plan.size() + 1, 0);
    auto bulk = tx.bulk("party_orgs", {"id", "name", "kind", "parent_id", "org_id", "created_at"});
    for (const auto& o : plan) {
      if (o.kind == "micro_grid") continue;
      int64_t parent = 0;
      for (int64_t p = o.parent_id; p && !parent; p = plan[p - 1].parent_id) parent = party_of[p];
      org::PartyKind kind;
      std::string name = party_name(o, plan, kind);
      party_of[o.id] = ++c.party_orgs;
      bulk->add({c.party_orgs, name, org::to_string(kind),
                 parent ? store::Value(parent) : store::Value(), o.id, created_at});
    }
    bulk->finish();
  }

  auto staff = tx.bulk("staff", {"id", "name", "phone_enc", "phone_mask", "created_at"});
  std::vector<store::Params> posts;
  auto hire = [&](int64_t org_id, org::PostRole role) {
    bool male = chance(0.55);
    std::string phone = fmt::format("1{}{:09d}", 3 + static_cast<int>(rng() % 7),
                                    static_cast<int>(rng() % 1000000000));
    staff->add(
        {++c.staff, person_name(rng, male), vault.encrypt(phone), phone::mask(phone), created_at});
    posts.push_back({++c.posts, c.staff, org_id, org::to_string(role), created_at});
  };
  for (const auto& o : plan) {
    if (o.kind == "village") {
      hire(o.id, org::PostRole::secretary);
      hire(o.id, org::PostRole::cadre_contact);
    } else if (o.kind == "grid") {
      hire(o.id, org::PostRole::grid_head);
      hire(o.id, org::PostRole::grid_worker_full);
    } else if (o.kind == "micro_grid") {
      if (chance(0.5)) hire(o.id, org::PostRole::grid_worker_part);
      if (chance(0.1)) hire(o.id, org::PostRole::party_household);
    } else if (o.kind == "building") {
      if (chance(0.5)) hire(o.id, org::PostRole::building_head);
    }
  }
  staff->finish();
  auto bulk = tx.bulk("posts", {"id", "staff_id", "org_id", "role", "started_at"});
  for (const auto& p : posts) bulk->add(p);
  bulk->finish();
  return c;
}

}  // namespace wangge::demo
