// The registry's read side and the few single-row reads and writes the API needs: resident
// lists with filters, resident and household details, and the encrypted fields behind an
// audited reveal. Every read is limited to an org subtree, given as the subtree's code prefix
// (org::subtree_prefix), so a record outside it is simply not found. Identity numbers and
// phones come out masked (the ID mask made from the decrypted number of each row read, as
// the stored one keeps the region only) and the birth date as its year (core/codes.h says
// why); the clear values only through encrypted_field().
//
// Lists are ordered by org code, then id: the order the orgs(code) and residents(org_id)
// indexes give, so a page is read without sorting a whole county. Counting stops kPagesAhead
// pages past the requested one: the total is exact below that and a lower bound beyond it
// (exact counts of whole subtrees come from the analytics index, DESIGN §6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "core/vault.h"
#include "people/people.h"
#include "people/service.h"
#include "store/database.h"

namespace wangge::people {

struct ResidentFilter {
  std::string scope_prefix;               // the caller's subtree; REQUIRES: not empty
  std::optional<std::string> org_prefix;  // a narrower subtree (REQUIRES: within scope)
  std::vector<std::string> tags;          // tag codes, all required
  std::optional<std::string> color;       // "red" / "yellow" / "green"
  std::optional<std::string> status;      // "moved_in" / …
  // Ages as shown: today's year − birth year (never 周岁, which polled daily gives the
  // birthday away): age_min selects birth years <= year − age_min.
  std::optional<int> age_min, age_max;
  std::string q;  // name substring, or pinyin / initials prefix
  int64_t page = 1, size = 20;
};

struct TagView {
  std::string code, name, category;
  bool key_person = false;
};

struct ResidentView {
  int64_t id = 0;
  std::string name;
  int sex = 1;  // 1 male, 2 female
  int birth_year = 0;
  std::string id_mask;  // citizen_id::mask of the decrypted number
  std::optional<std::string> phone_mask;
  std::string relation, status;
  std::optional<std::string> color;
  int64_t household_id = 0;
  std::string household_no, org_code, org_name;
  // 红黄绿 as the registry defines it: households are coloured; a person shows their household's.
  std::string household_color;
  // The full place: 社区 + 网格 + 微网格 ("竹湾社区第7网格第1微网格"), from the village down.
  std::string place;
  std::vector<TagView> tags;  // sensitive ones only when the reader may see them
};

inline constexpr int64_t kPagesAhead = 10;

struct ResidentPage {
  std::vector<ResidentView> items;
  int64_t total = 0;  // exact when total_exact; otherwise a lower bound
  bool total_exact = true;
};

ResidentPage list_residents(store::Tx& tx, const Vault& vault, const ResidentFilter& f, Date today,
                            bool show_sensitive);

// The resident within the subtree, or nullopt.
std::optional<ResidentView> find_resident(store::Tx& tx, const Vault& vault,
                                          std::string_view scope_prefix, int64_t id,
                                          bool show_sensitive);

struct HouseholdView {
  int64_t id = 0;
  std::string household_no, address, color, org_code, org_name;
  std::optional<std::string> building_code;
  std::vector<ResidentView> members;
};
// The household within the subtree (no subtree: any), or nullopt.
std::optional<HouseholdView> find_household_view(store::Tx& tx, const Vault& vault,
                                                 const std::optional<std::string>& scope_prefix,
                                                 int64_t id, bool show_sensitive);

// The org code of a resident, or of a household by its number, when within the subtree.
std::optional<std::string> resident_org(store::Tx& tx, std::string_view scope_prefix, int64_t id);
std::optional<std::string> household_org(store::Tx& tx, std::string_view scope_prefix,
                                         std::string_view household_no);

// The resident as a NewResident with identity and phone decrypted, for re-validation before
// an edit. Throws Error(not_found).
NewResident load_resident(store::Tx& tx, const Vault& vault, int64_t id);
// Writes the editable fields of an encoded resident (name, pinyin, phone, relation, status);
// tags and colour have their own functions in service.h.
void update_resident(store::Tx& tx, int64_t id, const ResidentRow& row, Instant at);

enum class SecretField { id_number, phone };
// The encrypted value, or nullopt when none is on record (a resident without a phone).
std::optional<store::Blob> encrypted_field(store::Tx& tx, int64_t id, SecretField field);

}  // namespace wangge::people
