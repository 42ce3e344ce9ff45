#include "core/codes.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.h"

namespace wangge {
namespace {

// Why a text was refused, in both languages; empty optional means accepted.
struct Problem {
  std::string zh, en;
};
using Check = std::optional<Problem>;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

// Province-level codes of GB/T 2260 (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门).
constexpr std::array<std::string_view, 34> kProvinces = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
    "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
    "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"};

bool is_province(std::string_view two) {
  return std::find(kProvinces.begin(), kProvinces.end(), two) != kProvinces.end();
}

// Names the first byte that is not printable ASCII: the usual ways a code arrives broken from
// a form or a spreadsheet (full-width digits from a Chinese IME, invisible characters, mojibake).
Check char_problem(std::string_view s, std::string_view what_zh, std::string_view what_en) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) continue;
    auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
    // U+FF01–U+FF5E (full-width ASCII) is EF BC 81–BF, EF BD 80–9E; U+3000 is E3 80 80.
    bool full_width = (c == 0xEF && (at(1) == 0xBC || at(1) == 0xBD)) ||
                      (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80);
    if (full_width) {
      return Problem{fmt::format("{}含有全角字符，请把输入法切换到半角后重新输入", what_zh),
                     fmt::format("{} contains a full-width character; use half-width (ASCII) "
                                 "digits and letters",
                                 what_en)};
    }
    if (c < 0x20 || c == 0x7F) {
      return Problem{fmt::format("{}含有看不见的控制字符，请删除后重新输入", what_zh),
                     fmt::format("{} contains an invisible control character", what_en)};
    }
    return Problem{fmt::format("{}含有汉字、乱码或其他非数字字符", what_zh),
                   fmt::format("{} contains non-ASCII characters", what_en)};
  }
  return std::nullopt;
}

[[noreturn]] void fail(std::string_view code, Problem p, std::string_view field) {
  throw_bad_input(std::string(code), std::move(p.zh), std::move(p.en), std::string(field));
}

// ---- division codes ----

constexpr std::string_view kDivisionCode = "invalid_division_code";

// The first 12 digits: province, city, county, township, village.
struct Segment {
  size_t pos, len;
  const char* zh;
  const char* en;
};
constexpr std::array<Segment, 5> kSegments = {{{0, 2, "省级", "province"},
                                               {2, 2, "市级", "city"},
                                               {4, 2, "县级", "county"},
                                               {6, 3, "乡级", "township"},
                                               {9, 3, "村级", "village"}}};
// Significant length of a code at each DivisionLevel (index level - 1).
constexpr std::array<size_t, 8> kSignificant = {2, 4, 6, 9, 12, 15, 18, 21};

bool zeros(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

Check division_problem(std::string_view code) {
  if (auto p = char_problem(code, "区划代码", "division code")) return p;
  if (!all_digits(code)) {
    return Problem{"区划代码只能由数字组成", "a division code has digits only"};
  }
  size_t n = code.size();
  if (n != 12 && n != 15 && n != 18 && n != 21) {
    return Problem{fmt::format("区划代码应为12位（网格15位、微网格18位、楼栋21位），现在是{}位", n),
                   fmt::format("a division code has 12 digits (15 for a grid, 18 for a "
                               "micro-grid, 21 for a building), not {}",
                               n)};
  }
  if (!is_province(code.substr(0, 2))) {
    return Problem{fmt::format("区划代码前两位{}不是省级代码", code.substr(0, 2)),
                   fmt::format("{} is not a province code", code.substr(0, 2))};
  }
  const Segment* zero = nullptr;
  for (const Segment& s : kSegments) {
    std::string_view digits = code.substr(s.pos, s.len);
    if (zeros(digits)) {
      if (!zero) zero = &s;
    } else if (zero) {
      return Problem{fmt::format("区划代码{}有误：{}段为0，其下的{}段{}应为0", code.substr(0, 12),
                                 zero->zh, s.zh, digits),
                     fmt::format("division code {}: the {} segment is zero, so the {} segment "
                                 "{} must be zero too",
                                 code.substr(0, 12), zero->en, s.en, digits)};
    }
  }
  if (n > 12 && zero) {
    return Problem{"网格、微网格、楼栋代码须接在完整的12位村（社区）代码之后",
                   "grid, micro-grid and building codes extend a full 12-digit village code"};
  }
  for (size_t pos = 12; pos < n; pos += 3) {
    if (zeros(code.substr(pos, 3))) {
      return Problem{
          fmt::format("区划代码第{}–{}位不能为000", pos + 1, pos + 3),
          fmt::format("digits {}–{} of a division code cannot be 000", pos + 1, pos + 3)};
    }
  }
  return std::nullopt;
}

// Level of a code already known to be valid.
DivisionLevel level_of_valid(std::string_view code) {
  switch (code.size()) {
    case 21:
      return DivisionLevel::building;
    case 18:
      return DivisionLevel::micro_grid;
    case 15:
      return DivisionLevel::grid;
  }
  for (int i = 4; i >= 1; --i) {
    if (!zeros(code.substr(kSegments[i].pos, kSegments[i].len))) {
      return static_cast<DivisionLevel>(i + 1);
    }
  }
  return DivisionLevel::province;
}

// The ancestor of a valid code at a level no deeper than its own.
std::string ancestor_of_valid(std::string_view code, DivisionLevel at) {
  size_t keep = kSignificant[static_cast<int>(at) - 1];
  std::string out(code.substr(0, keep));
  if (keep < 12) out.append(12 - keep, '0');
  return out;
}

// ---- citizen ID ----

constexpr std::string_view kIdNumber = "invalid_id_number";
constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kIdCheckChars = "10X98765432";

char id_check(std::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kIdWeights[i];
  return kIdCheckChars[sum % 11];
}

Check id_shape_problem(std::string_view s) {
  if (s.empty()) return Problem{"请填写公民身份号码", "the citizen ID number is empty"};
  if (auto p = char_problem(s, "公民身份号码", "the citizen ID number")) return p;
  size_t n = s.size();
  bool digits =
      n == 18 ? all_digits(s.substr(0, 17)) && (is_digit(s[17]) || s[17] == 'X' || s[17] == 'x')
              : all_digits(s);
  if (!digits) {
    return Problem{"公民身份号码只能由数字组成，仅最后一位可以是X",
                   "a citizen ID number has digits only, except an X as the last character"};
  }
  if (n != 18 && n != 15) {
    return Problem{fmt::format("公民身份号码应为18位（旧版为15位），现在是{}位", n),
                   fmt::format("a citizen ID number has 18 digits (15 for an old one), not {}", n)};
  }
  if (!is_province(s.substr(0, 2))) {
    return Problem{fmt::format("公民身份号码前6位地址码{}有误：{}不是省级代码", s.substr(0, 6),
                               s.substr(0, 2)),
                   fmt::format("the region code {} is wrong: {} is not a province code",
                               s.substr(0, 6), s.substr(0, 2))};
  }
  return std::nullopt;
}

Check birth_problem(std::string_view yyyymmdd, Date birth, Date today) {
  if (!birth.ok()) {
    return Problem{
        fmt::format("公民身份号码中的出生日期{}不存在", yyyymmdd),
        fmt::format("the birth date {} in the citizen ID number does not exist", yyyymmdd)};
  }
  if (birth < Date{std::chrono::year{1900}, std::chrono::January, std::chrono::day{1}}) {
    return Problem{fmt::format("公民身份号码中的出生日期{}早于1900年", yyyymmdd),
                   fmt::format("the birth date {} is before 1900", yyyymmdd)};
  }
  if (birth > today) {
    return Problem{fmt::format("公民身份号码中的出生日期{}晚于今天", yyyymmdd),
                   fmt::format("the birth date {} is in the future", yyyymmdd)};
  }
  return std::nullopt;
}

// Validates and fills `out`; returns the problem when the number is refused.
Check read_id(std::string_view text, Date today, CitizenId& out) {
  std::string_view s = trim(text);
  if (auto p = id_shape_problem(s)) return p;
  std::string first17 = s.size() == 18 ? std::string(s.substr(0, 17))
                                       : fmt::format("{}19{}", s.substr(0, 6), s.substr(6, 9));
  std::string_view ymd = std::string_view(first17).substr(6, 8);
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (char c : ymd.substr(pos, len)) v = v * 10 + (c - '0');
    return v;
  };
  Date birth{std::chrono::year{num(0, 4)}, std::chrono::month(num(4, 2)),
             std::chrono::day(num(6, 2))};
  if (auto p = birth_problem(ymd, birth, today)) return p;
  char check = id_check(first17);
  if (s.size() == 18 && std::toupper(static_cast<unsigned char>(s[17])) != check) {
    return Problem{
        fmt::format("公民身份号码校验位错误，应为{}，请逐位核对号码", check),
        fmt::format("wrong check digit in the citizen ID number; it should be {}", check)};
  }
  out.number = first17 + check;
  out.region = first17.substr(0, 6);
  out.birth = birth;
  out.sex = (first17[16] - '0') % 2 == 1 ? Sex::male : Sex::female;
  return std::nullopt;
}

// Keeps `head` and `tail` characters of an ASCII text and stars the middle; all stars when
// too short or not ASCII, so a mask never leaks a whole number.
std::string mask_middle(std::string_view s, size_t head, size_t tail, size_t min_stars) {
  bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7F; });
  if (!ascii || s.size() < head + tail + min_stars) return std::string(s.size(), '*');
  return std::string(s.substr(0, head)) + std::string(s.size() - head - tail, '*') +
         std::string(s.substr(s.size() - tail));
}

// ---- mobile ----

constexpr std::string_view kMobile = "invalid_mobile";

// The 11 digits of a mainland mobile, or the problem.
Check read_mobile(std::string_view text, std::string& digits) {
  std::string_view s = trim(text);
  if (s.empty()) return Problem{"请填写手机号码", "the mobile number is empty"};
  if (auto p = char_problem(s, "手机号码", "the mobile number")) return p;
  digits.clear();
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '-') continue;
    if (!is_digit(c) && !(c == '+' && digits.empty())) {
      return Problem{"手机号码只能包含数字，可带+86、空格和短横线",
                     "a mobile number has digits only, with an optional +86, spaces and dashes"};
    }
    digits += c;
  }
  if (digits.starts_with('+')) {
    if (!digits.starts_with("+86")) {
      return Problem{"只支持中国大陆手机号码（+86）",
                     "only mainland China mobiles (+86) are accepted"};
    }
    digits.erase(0, 3);
  } else if (digits.size() == 13 && digits.starts_with("86")) {
    digits.erase(0, 2);
  } else if (digits.size() == 15 && digits.starts_with("0086")) {
    digits.erase(0, 4);
  }
  if (digits.size() != 11) {
    return Problem{fmt::format("手机号码应为11位，现在是{}位", digits.size()),
                   fmt::format("a mobile number has 11 digits, not {}", digits.size())};
  }
  if (digits[0] != '1' || digits[1] < '3') {
    return Problem{"手机号码应以13至19开头", "a mobile number starts with 13 to 19"};
  }
  return std::nullopt;
}

// ---- USCC ----

constexpr std::string_view kUscc = "invalid_uscc";
constexpr std::string_view kUsccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kUsccWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                              29, 25, 13, 8,  24, 10, 30, 28};

char uscc_check(std::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    sum += static_cast<int>(kUsccChars.find(first17[i])) * kUsccWeights[i];
  }
  int c = 31 - sum % 31;
  return kUsccChars[c == 31 ? 0 : c];
}

Check uscc_problem(std::string_view s) {
  if (s.empty()) return Problem{"请填写统一社会信用代码", "the USCC is empty"};
  if (auto p = char_problem(s, "统一社会信用代码", "the USCC")) return p;
  if (s.size() != 18) {
    return Problem{fmt::format("统一社会信用代码应为18位，现在是{}位", s.size()),
                   fmt::format("a USCC has 18 characters, not {}", s.size())};
  }
  for (char c : s) {
    if (kUsccChars.find(c) != std::string_view::npos) continue;
    if (c >= 'a' && c <= 'z') {
      return Problem{"统一社会信用代码中的字母应为大写", "a USCC has upper-case letters only"};
    }
    return Problem{"统一社会信用代码只能由数字和大写字母组成，不含I、O、Z、S、V",
                   "a USCC has digits and upper-case letters except I, O, Z, S and V"};
  }
  if (!all_digits(s.substr(2, 6))) {
    return Problem{"统一社会信用代码第3至8位应为数字（登记机关行政区划码）",
                   "characters 3 to 8 of a USCC are digits (the registering division code)"};
  }
  char check = uscc_check(s.substr(0, 17));
  if (s[17] != check) {
    return Problem{fmt::format("统一社会信用代码校验位错误，应为{}，请逐位核对", check),
                   fmt::format("wrong check character in the USCC; it should be {}", check)};
  }
  return std::nullopt;
}

}  // namespace

// ---- division ----

namespace division {

bool valid(std::string_view code) { return !division_problem(code); }

void require_valid(std::string_view code, std::string_view field) {
  if (auto p = division_problem(code)) fail(kDivisionCode, std::move(*p), field);
}

DivisionLevel level(std::string_view code) {
  require_valid(code);
  return level_of_valid(code);
}

std::string parent(std::string_view code) {
  DivisionLevel l = level(code);
  if (l == DivisionLevel::province) return {};
  return ancestor_of_valid(code, static_cast<DivisionLevel>(static_cast<int>(l) - 1));
}

std::string ancestor(std::string_view code, DivisionLevel at) {
  DivisionLevel l = level(code);
  if (at > l || at < DivisionLevel::province) {
    throw_bad_input(std::string(kDivisionCode),
                    fmt::format("区划代码{}的层级为{}，没有第{}级的上级", code, static_cast<int>(l),
                                static_cast<int>(at)),
                    fmt::format("division code {} is at level {} and has no ancestor at level {}",
                                code, static_cast<int>(l), static_cast<int>(at)),
                    "code");
  }
  return ancestor_of_valid(code, at);
}

bool within(std::string_view code, std::string_view ancestor) {
  if (!valid(code) || !valid(ancestor)) return false;
  DivisionLevel la = level_of_valid(ancestor);
  if (level_of_valid(code) < la) return false;
  size_t keep = kSignificant[static_cast<int>(la) - 1];
  return code.substr(0, keep) == ancestor.substr(0, keep);
}

std::string_view county_prefix(std::string_view code) { return code.substr(0, 6); }

}  // namespace division

// ---- citizen ID ----

namespace citizen_id {

char check_char(std::string_view first17) {
  if (first17.size() != 17 || !all_digits(first17)) {
    throw_bad_input(std::string(kIdNumber), "计算校验位需要公民身份号码的前17位数字",
                    "the check digit needs the first 17 digits of a citizen ID number");
  }
  return id_check(first17);
}

CitizenId parse(std::string_view text, std::string_view field, Date today) {
  CitizenId id;
  if (auto p = read_id(text, today, id)) fail(kIdNumber, std::move(*p), field);
  return id;
}

CitizenId parse(std::string_view text, std::string_view field) {
  return parse(text, field, local_date(now()));
}

std::optional<CitizenId> try_parse(std::string_view text) {
  CitizenId id;
  if (read_id(text, local_date(now()), id)) return std::nullopt;
  return id;
}

std::string mask(std::string_view number) { return mask_middle(number, 6, 4, 1); }

std::string stored_mask(std::string_view number) { return mask_middle(number, 6, 0, 1); }

}  // namespace citizen_id

// ---- phone ----

namespace phone {

std::string normalize_mobile(std::string_view text, std::string_view field) {
  std::string digits;
  if (auto p = read_mobile(text, digits)) fail(kMobile, std::move(*p), field);
  return digits;
}

bool valid_mobile(std::string_view text) {
  std::string digits;
  return !read_mobile(text, digits);
}

std::string mask(std::string_view number) {
  std::string digits;
  if (!read_mobile(number, digits)) return mask_middle(digits, 3, 4, 4);
  return mask_middle(number, 3, 4, 4);
}

}  // namespace phone

// ---- USCC ----

namespace uscc {

char check_char(std::string_view first17) {
  if (first17.size() != 17 || first17.find_first_not_of(kUsccChars) != std::string_view::npos) {
    throw_bad_input(std::string(kUscc), "计算校验位需要统一社会信用代码的前17位",
                    "the check character needs the first 17 characters of a USCC");
  }
  return uscc_check(first17);
}

bool valid(std::string_view code) { return !uscc_problem(code); }

void require_valid(std::string_view code, std::string_view field) {
  if (auto p = uscc_problem(code)) fail(kUscc, std::move(*p), field);
}

std::string normalize(std::string_view text, std::string_view field) {
  std::string s(trim(text));
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  require_valid(s, field);
  return s;
}

}  // namespace uscc

}  // namespace wangge
