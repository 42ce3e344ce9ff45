// Synthetic households and residents of one township, generated independently of the others
// (its own random stream and its own range of ID sequence numbers), so townships can be
// generated in parallel and the result is still the same for a seed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/vault.h"
#include "demo/prefecture.h"
#include "people/service.h"

namespace wangge::demo {

struct HouseholdOut {
  int64_t org_id;
  std::optional<int64_t> building_id;
  std::string household_no, address, color;
};

struct ResidentOut {
  size_t household;  // index into TownshipBatch::households
  int64_t org_id;
  people::ResidentRow row;
};

struct TownshipBatch {
  std::vector<HouseholdOut> households;
  std::vector<ResidentOut> residents;
};

// plan: the whole planned tree (ids are index + 1); township: the index of a township node in
// it; ordinal: the township's position within its county (0-based) and townships: how many
// the county has, which pick its slice of ID sequence numbers (REQUIRES ordinal < townships
// <= 500); as_of: the day ages are counted on.
TownshipBatch generate_township(const std::vector<PlannedOrg>& plan, size_t township, int ordinal,
                                int townships, uint64_t seed, const Vault& vault, Date as_of);

}  // namespace wangge::demo
