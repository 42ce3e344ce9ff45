// Registering households and residents, their tags and colours. Every function takes the
// caller's transaction and validates every field the way the importer does.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/vault.h"
#include "people/people.h"
#include "store/database.h"

namespace wangge::people {

struct NewHousehold {
  std::string household_no;   // 户编号: unique, 1–40 characters of [0-9A-Za-z-]
  std::string org_code;       // the micro-grid (or grid) the household belongs to
  std::string building_code;  // optional 楼栋
  std::string address;        // 1–120 characters
  RiskColor color = RiskColor::green;
};

struct NewResident {
  std::string household_no;
  std::string name;        // 1–30 characters, no digits or control characters
  std::string id_number;   // 公民身份号码, 18 digits (15-digit legacy accepted and upgraded)
  std::optional<Sex> sex;  // when given, must agree with the ID number
  std::optional<Date> birth;  // when given, must agree with the ID number
  std::string phone;          // optional mainland mobile
  Relation relation = Relation::other;
  ResidentStatus status = ResidentStatus::moved_in;
  std::vector<std::string> tags;   // tag codes or names
  std::optional<RiskColor> color;  // key persons only
};

// A resident's row as stored: identity and phone already encrypted, hashed and masked.
// The demo generator and the importer build rows with this too, so every path writes the
// same shapes.
struct ResidentRow {
  std::string name, name_pinyin, name_initials;
  int sex = 1;
  std::string birth_date;  // "YYYY-MM-DD": for reports' exact ages; never shown (core/codes.h)
  std::string id_hash;
  std::string id_mask;  // citizen_id::stored_mask: the region only
  Bytes id_enc;
  std::optional<Bytes> phone_enc;
  std::optional<std::string> phone_mask;
  std::string relation, status;
  std::optional<std::string> color;
  std::vector<std::string> tags;  // tag codes
};

// Validates every field of a resident (without touching the database) and encodes it.
// Throws Error(bad_input) naming the first bad field.
ResidentRow encode_resident(const Vault& vault, const NewResident& r);
// Validates a household's own fields (not the org codes, which need the database).
void check_household_fields(const NewHousehold& h);

// Who registers a record, and why: recorded as the first colour-history row of a household
// that is not green and of a key person with a colour.
struct Provenance {
  std::string by = "system";
  std::string reason = "登记时评定";
};

int64_t create_household(store::Tx& tx, const NewHousehold& h, const Provenance& p = {});
int64_t create_resident(store::Tx& tx, const Vault& vault, const NewResident& r,
                        const Provenance& p = {});
// Inserts an already encoded resident into a household (ids known). REQUIRES: the row came
// from encode_resident and its ID number is not registered yet.
int64_t insert_resident(store::Tx& tx, const ResidentRow& row, int64_t household_id, int64_t org_id,
                        const Provenance& p = {});
std::optional<int64_t> find_household(store::Tx& tx, std::string_view household_no);
std::optional<int64_t> find_resident_by_id_number(store::Tx& tx, const Vault& vault,
                                                  std::string_view id_number);
// The resident whose ID number has this keyed hash (Vault::lookup_hash), with its org code.
struct IdHolder {
  int64_t id = 0;
  std::string org_code;
};
std::optional<IdHolder> find_id_holder(store::Tx& tx, std::string_view id_hash);

// 查重防探测: registering a number already on record outside the caller's scope counts as a
// probe of the user on the (local) day. record_probe adds one and returns the day's count;
// probes_on gives it without adding.
int64_t record_probe(store::Tx& tx, std::string_view username, Date day);
int64_t probes_on(store::Tx& tx, std::string_view username, Date day);
std::vector<std::string> tags_of(store::Tx& tx, int64_t resident_id);
void set_tags(store::Tx& tx, int64_t resident_id, const std::vector<std::string>& tags);

enum class Subject { household, resident };
struct ColorChange {
  std::optional<RiskColor> from;
  RiskColor to = RiskColor::green;
  std::string reason, changed_by;
  Instant at;
};
// Changes the colour and appends a history row. A reason of 2–200 characters is required.
// Changing to the same colour is a no-op that writes nothing. Throws Error(not_found) for an
// unknown subject.
void change_color(store::Tx& tx, Subject subject, int64_t id, RiskColor to,
                  const std::string& reason, const std::string& changed_by);
std::vector<ColorChange> color_history(store::Tx& tx, Subject subject, int64_t id);

// ---- Registering and editing through the API (the rules of both routes) ----

// Who registers or edits: the account (named in colour history), its data scope (an org code
// prefix; empty: none) and whether it may see sensitive tags (resident.reveal).
struct Registrar {
  std::string username;
  std::string scope_prefix;
  bool sees_sensitive = false;
};

// 查重防探测: after this many registrations of numbers held outside the scope in one (local)
// day, the user registers nobody until the next day, so numbers cannot be enumerated.
inline constexpr int64_t kProbesPerDay = 5;

// Why a registration wrote no resident. The probe of a number held elsewhere is counted (and
// must be committed with the caller's audit row); the others wrote nothing.
struct Refusal {
  enum class Kind {
    duplicate_here,        // the number is registered within the scope: resident_id says where
    registered_elsewhere,  // … outside it: nothing said about where; hits_today counted
    over_daily_limit,      // kProbesPerDay reached today
  };
  Kind kind = Kind::duplicate_here;
  int64_t resident_id = 0;
  int64_t hits_today = 0;
};

// Registers a resident in a household of the registrar's scope, on the (local) day `day`.
// Throws Error(bad_input, unknown_household) for a household outside the scope or missing
// (the same answer, so numbers cannot be probed), Error(forbidden) for a sensitive tag the
// registrar may not see, and what encode_resident throws. Returns the new id or the refusal.
std::variant<int64_t, Refusal> register_resident(store::Tx& tx, const Vault& vault,
                                                 const Registrar& who, const NewResident& r,
                                                 Date day);

// A change to a registered resident: only the fields given change.
struct ResidentPatch {
  std::optional<std::string> name, phone;
  std::optional<Relation> relation;
  std::optional<ResidentStatus> status;
  std::optional<std::vector<std::string>> tags;  // replaces the tags the registrar can see
  std::optional<RiskColor> color;                // needs reason (2–200 characters)
  std::optional<std::string> reason;             // goes with color only
};
// Applies the patch. Throws Error(not_found) for a resident outside the scope, bad_input for
// an empty patch, a reason without a colour or a bad field, and forbidden for a sensitive tag
// the registrar may not see (sensitive tags it cannot see stay as they are).
void patch_resident(store::Tx& tx, const Vault& vault, const Registrar& who, int64_t id,
                    const ResidentPatch& patch, Instant at);

}  // namespace wangge::people
