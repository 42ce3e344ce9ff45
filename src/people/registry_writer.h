// Writes imported registry rows (internal to the importer): checks their references against
// the database and inserts, updates or leaves each record, so a re-import changes nothing.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "core/vault.h"
#include "people/service.h"
#include "store/database.h"

namespace wangge::people {

class RegistryWriter {
 public:
  // source: the file name, recorded as the reason of colour changes.
  RegistryWriter(store::Tx& tx, const Vault& vault, std::string changed_by,
                 const std::string& source);

  // Throws Error(bad_input, field) when a referenced household, grid or building is missing.
  void check(const people::NewResident& r);
  void check(const people::NewHousehold& h);

  enum class Outcome { unchanged, inserted, updated };
  // REQUIRES: the row passed check() and validation; a write transaction.
  Outcome apply(const people::NewResident& r);
  Outcome apply(const people::NewHousehold& h);

 private:
  struct HouseholdRef {
    int64_t id, org_id;
  };
  struct OrgRef {
    int64_t id;
    std::optional<int64_t> parent_id;
    std::string kind;
  };
  std::optional<HouseholdRef> household(const std::string& no);
  std::optional<OrgRef> org(const std::string& code);

  store::Tx& tx_;
  const Vault& vault_;
  std::string changed_by_, reason_;
  std::optional<std::pair<std::string, std::optional<HouseholdRef>>> last_household_;
  std::unordered_map<std::string, std::optional<OrgRef>> orgs_;
};

}  // namespace wangge::people
