// Codes of the Chinese state that wangge validates: 统计用区划代码 (12-digit division codes),
// 公民身份号码 (GB 11643), mobile numbers, 统一社会信用代码 (GB 32100).
//
// Every validation failure throws Error(bad_input) with one stable code per kind of value
// ("invalid_division_code", "invalid_id_number", "invalid_mobile", "invalid_uscc"), the field
// given by the caller, and a message saying what is wrong (length, a full-width or invisible
// character, the date, the check digit and what it should be). Messages never echo bytes that
// are not valid UTF-8, so they are safe to put in JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace wangge {

// Levels of the administrative and grid tree, as encoded in an org code's length and digits.
enum class DivisionLevel {
  province = 1,    // 53 0000 000 000
  city = 2,        // 5306 00 000 000
  county = 3,      // 530621 000 000
  township = 4,    // 530621 101 000
  village = 5,     // 530621 101 201
  grid = 6,        // village code + 3 digits (15)
  micro_grid = 7,  // grid code + 3 digits (18)
  building = 8,    // micro-grid code + 3 digits (21)
};

// Org codes: 12-digit division codes, extended by 3 digits for grid, micro-grid and building.
namespace division {
// True when the text is a well-formed org code: 12, 15, 18 or 21 ASCII digits; the first two a
// province code (11–82); no non-zero segment after a zero segment within the first 12
// (530600101000 is not valid); a 15/18/21-digit code extends a full village code (its
// 10th–12th digits non-zero) by 3-digit segments that are not "000".
bool valid(std::string_view code);
// Throws Error(bad_input, "invalid_division_code", field) when not valid.
void require_valid(std::string_view code, std::string_view field = "code");
// level, parent and ancestor throw Error(bad_input, "invalid_division_code", "code") when the
// code is not valid.
DivisionLevel level(std::string_view code);
// The parent code ("" for a province).
std::string parent(std::string_view code);
// The code of the ancestor at the given level (level <= level(code); throws otherwise).
std::string ancestor(std::string_view code, DivisionLevel at);
// True when `code` is `ancestor` or lies below it; false when either is not valid.
bool within(std::string_view code, std::string_view ancestor);
// The 6-digit county-level prefix ("530621"), a view into `code`.
std::string_view county_prefix(std::string_view code);
}  // namespace division

enum class Sex { male = 1, female = 2 };

// A parsed, valid 18-digit citizen ID number.
struct CitizenId {
  std::string number;  // 18 characters, check digit 'X' upper case
  std::string region;  // first 6 digits
  Date birth;
  Sex sex;
};

namespace citizen_id {
// MOD 11-2 check character for the first 17 digits ('0'–'9' or 'X'). Throws
// Error(bad_input, "invalid_id_number") unless given exactly 17 ASCII digits.
char check_char(std::string_view first17);
// Parses an 18-digit number (or a 15-digit legacy number, upgraded to 18 with 19xx birth year).
// Surrounding spaces are ignored and a lower-case 'x' is accepted. Validates length, digits,
// region shape (6 digits, a province code 11–82 first), birth date (a real day, not after today
// in Asia/Shanghai, not before 1900) and the check digit. Throws
// Error(bad_input, "invalid_id_number", field) with the reason in Chinese and English.
CitizenId parse(std::string_view text, std::string_view field = "id_number");
// The same, with the day that counts as today (for imports of a given day, and for tests).
CitizenId parse(std::string_view text, std::string_view field, Date today);
std::optional<CitizenId> try_parse(std::string_view text);
// What a resident's identity shows, and where (DESIGN §4; README 安全):
//  - A number is digits 1–6 region, 7–14 birth date, 15–17 sequence (17 odd for men), 18 the
//    MOD 11-2 check. A mask is judged with every field shown beside it, so no route, export,
//    roster, file, phone-app page or offline cache shows a resident's full birth date to any
//    role: they show the birth year and an age counted from it (this year − birth year). The
//    full date comes only with the clear number: the audited reveal, and the clear registry
//    export (itself audited and limited to roles that may reveal).
//  - Shown to people: mask() = first 6 + ******** + last 4. With the birth year that leaves
//    every day of the year whose check digit matches (about 33 numbers).
//  - Kept in the database beside the birth date: stored_mask() = first 6 + 12 '*', never the
//    tail, so a copy of the file without the key leaves 500 numbers per person (sequence and
//    check unknown). The shown mask is made from the decrypted number of the rows shown.
//  - Phones show mask() of namespace phone: first 3 + **** + last 4.
//
// "530621********1234": the first 6 and last 4 characters kept; a text too short to mask
// that way is all '*'.
std::string mask(std::string_view number);
// "530621************": the first 6 characters kept (the region), the rest '*'; what the
// database stores in clear. A text too short to mask that way is all '*'.
std::string stored_mask(std::string_view number);
}  // namespace citizen_id

namespace phone {
// Mainland mobile: 11 digits starting 1[3-9]; a "+86"/"86" prefix and spaces/dashes are removed.
// Returns the 11 digits; throws Error(bad_input, "invalid_mobile", field) otherwise.
std::string normalize_mobile(std::string_view text, std::string_view field = "phone");
bool valid_mobile(std::string_view text);
// "138****5678" (the input is normalised first when it is a valid mobile); a text too short to
// mask that way is all '*'.
std::string mask(std::string_view number);
}  // namespace phone

namespace uscc {
// GB 32100 check character for the first 17 characters (charset 0-9 A-H J-N P-R T U W-Y).
// Throws Error(bad_input, "invalid_uscc") unless given 17 characters of that charset.
char check_char(std::string_view first17);
// True for 18 characters of the charset (upper case), digits in positions 3–8 (the registering
// authority's division code) and the right check character.
bool valid(std::string_view code);
// Throws Error(bad_input, "invalid_uscc", field) when not valid.
void require_valid(std::string_view code, std::string_view field = "uscc");
// Trims surrounding spaces and upper-cases, then validates; returns the canonical code.
std::string normalize(std::string_view text, std::string_view field = "uscc");
}  // namespace uscc

}  // namespace wangge
