#include "core/codes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "helpers.h"

namespace wangge {
namespace {

using testing_core::ymd;

using testing_core::expect_bad_input;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// "５３０６２１" in full-width digits, as a Chinese IME in full-width mode types it.
std::string full_width(std::string_view ascii_digits) {
  std::string out;
  for (char c : ascii_digits) {
    out += "\xEF\xBC";
    out += static_cast<char>(0x90 + (c - '0'));
  }
  return out;
}

// ---- division codes ----

TEST(Division, LevelsOfWellFormedCodes) {
  EXPECT_EQ(division::level("530000000000"), DivisionLevel::province);
  EXPECT_EQ(division::level("530600000000"), DivisionLevel::city);
  EXPECT_EQ(division::level("530621000000"), DivisionLevel::county);
  EXPECT_EQ(division::level("530621101000"), DivisionLevel::township);
  EXPECT_EQ(division::level("530621101201"), DivisionLevel::village);
  EXPECT_EQ(division::level("530621101201001"), DivisionLevel::grid);
  EXPECT_EQ(division::level("530621101201001002"), DivisionLevel::micro_grid);
  EXPECT_EQ(division::level("530621101201001002003"), DivisionLevel::building);
  EXPECT_EQ(division::level("110101001001"), DivisionLevel::village);  // 北京东城
  EXPECT_EQ(division::county_prefix("530621101201001"), "530621");
}

TEST(Division, ParentAndAncestorChain) {
  std::vector<std::string> chain = {
      "530621101201001002003", "530621101201001002", "530621101201001",
      "530621101201",          "530621101000",       "530621000000",
      "530600000000",          "530000000000",       ""};
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    EXPECT_EQ(division::parent(chain[i]), chain[i + 1]);
  }
  const std::string b = chain[0];
  for (int l = 1; l <= 8; ++l) {
    EXPECT_EQ(division::ancestor(b, static_cast<DivisionLevel>(l)), chain[8 - l]);
  }
  Error e = expect_bad_input([] { division::ancestor("530621000000", DivisionLevel::village); });
  EXPECT_EQ(e.code(), "invalid_division_code");
}

TEST(Division, Within) {
  EXPECT_TRUE(division::within("530621101201", "530621000000"));
  EXPECT_TRUE(division::within("530621101201", "530600000000"));
  EXPECT_TRUE(division::within("530621101201001002", "530621101201"));
  EXPECT_TRUE(division::within("530621000000", "530621000000"));
  EXPECT_TRUE(division::within("530621000000", "530000000000"));
  EXPECT_FALSE(division::within("530621000000", "530621101201"));
  EXPECT_FALSE(division::within("530622101201", "530621000000"));
  EXPECT_FALSE(division::within("530621101201002", "530621101201001"));
  EXPECT_FALSE(division::within("530621101201001", "530621101201001002"));
  EXPECT_FALSE(division::within("520621101201", "530000000000"));
  EXPECT_FALSE(division::within("53062110120", "530621000000"));   // not a code
  EXPECT_FALSE(division::within("530621101201", "5306210000"));    // not a code
  EXPECT_FALSE(division::within("530600101000", "530600000000"));  // not a code
}

TEST(Division, RejectsMalformedCodes) {
  struct Case {
    std::string code;
    std::string zh;  // a fragment of the Chinese message
  };
  const std::vector<Case> cases = {
      {"530600101000", "县级段为0"},  // a township under a zero county segment
      {"530000101000", "市级段为0"},
      {"530621000201", "乡级段为0"},
      {"000000000000", "省级代码"},
      {"990000000000", "省级代码"},
      {"100621101201", "省级代码"},
      {"53062110120", "12位"},
      {"5306211012010", "12位"},
      {"", "12位"},
      {"530621101201001002003004", "12位"},
      {"530621101201000", "不能为000"},
      {"530621101201001000", "不能为000"},
      {"530621101000001", "完整的12位村"},
      {"53062110120a", "只能由数字组成"},
      {"5306-2110-1201", "只能由数字组成"},
      {full_width("530621101201"), "全角"},
      {full_width("5306") + "21101201", "全角"},
      {std::string("530621\0"
                   "01201",
                   12),
       "控制字符"},
      {"530621101201\n", "控制字符"},
      {"\xE9\xB2\x81\xE7\x94\xB8\xE5\x8E\xBF", "汉字"},  // "鲁甸县"
      {"\xFF\xFE\xFD\xFC", "汉字"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.code);
    EXPECT_FALSE(division::valid(c.code));
    Error e = expect_bad_input([&] { division::require_valid(c.code, "org_code"); });
    EXPECT_EQ(e.code(), "invalid_division_code");
    EXPECT_EQ(e.field(), "org_code");
    EXPECT_TRUE(contains(e.message(Lang::zh), c.zh)) << e.message(Lang::zh);
    EXPECT_FALSE(e.message(Lang::en).empty());
  }
  Error e = expect_bad_input([] { division::level("530600101000"); });
  EXPECT_EQ(e.field(), "code");
  expect_bad_input([] { division::parent("5306"); });
}

// ---- citizen ID (GB 11643) ----

// The check character computed from the standard's definition rather than its table: weight
// W(i) = 2^(i-1) mod 11 for position i counted from the right (the check digit is i = 1), and
// the check value a1 with (sum + a1) ≡ 1 (mod 11), 10 written as X.
char reference_id_check(std::string_view first17) {
  int sum = 0;
  for (int pos = 0; pos < 17; ++pos) {
    int weight = 1;
    for (int k = 0; k < 17 - pos; ++k) weight = weight * 2 % 11;
    sum += (first17[pos] - '0') * weight;
  }
  int a1 = ((1 - sum) % 11 + 11) % 11;
  return a1 == 10 ? 'X' : static_cast<char>('0' + a1);
}

std::string make_id(std::string_view first17) {
  return std::string(first17) + reference_id_check(first17);
}

const Date kToday = ymd(2026, 3, 1);

TEST(CitizenId, CheckCharMatchesTheStandard) {
  EXPECT_EQ(citizen_id::check_char("11010519491231002"), 'X');  // GB 11643's own example
  for (int i = 0; i < 1000; ++i) {
    std::string first17 = "5306211990030" + std::to_string(1000 + i * 7 % 9000);
    ASSERT_EQ(citizen_id::check_char(first17), reference_id_check(first17)) << first17;
  }
  for (std::string bad : {"1101051949123100", "110105194912310021", "1101051949123100X",
                          "\xEF\xBC\x91"
                          "1010519491231002"}) {
    Error e = expect_bad_input([&] { citizen_id::check_char(bad); });
    EXPECT_EQ(e.code(), "invalid_id_number");
  }
}

TEST(CitizenId, ParsesEighteenDigits) {
  std::string number = make_id("53062119900307123");
  CitizenId id = citizen_id::parse(number, "id_number", kToday);
  EXPECT_EQ(id.number, number);
  EXPECT_EQ(id.region, "530621");
  EXPECT_EQ(id.birth, ymd(1990, 3, 7));
  EXPECT_EQ(id.sex, Sex::male);
  EXPECT_EQ(citizen_id::parse("  " + number + " ").number, number);
  EXPECT_EQ(citizen_id::try_parse(number)->number, number);
}

TEST(CitizenId, SexFromSeventeenthDigit) {
  for (char d = '0'; d <= '9'; ++d) {
    std::string number = make_id(std::string("5306211990030712") + d);
    EXPECT_EQ(citizen_id::parse(number).sex, (d - '0') % 2 ? Sex::male : Sex::female) << number;
  }
}

TEST(CitizenId, LowerCaseXIsNormalised) {
  std::string with_x;
  for (int seq = 100; seq < 1000 && with_x.empty(); ++seq) {
    std::string number = make_id("53062120040229" + std::to_string(seq));
    if (number.back() == 'X') with_x = number;
  }
  ASSERT_FALSE(with_x.empty());
  std::string lower = with_x.substr(0, 17) + "x";
  CitizenId id = citizen_id::parse(lower);
  EXPECT_EQ(id.number, with_x);
  EXPECT_EQ(id.birth, ymd(2004, 2, 29));
}

TEST(CitizenId, UpgradesFifteenDigits) {
  CitizenId id = citizen_id::parse("530621900307124");
  EXPECT_EQ(id.number, make_id("53062119900307124"));
  EXPECT_EQ(id.birth, ymd(1990, 3, 7));
  EXPECT_EQ(id.sex, Sex::female);
  EXPECT_EQ(id.number.size(), 18u);
  Error e = expect_bad_input([] { citizen_id::parse("530621990230123"); });
  EXPECT_TRUE(contains(e.message(Lang::zh), "19990230")) << e.message(Lang::zh);
}

TEST(CitizenId, BirthDateBounds) {
  EXPECT_NO_THROW(citizen_id::parse(make_id("11010519000101001"), "id_number", kToday));
  EXPECT_NO_THROW(citizen_id::parse(make_id("11010520260301001"), "id_number", kToday));
  Error tomorrow = expect_bad_input(
      [] { citizen_id::parse(make_id("11010520260302001"), "id_number", kToday); });
  EXPECT_TRUE(contains(tomorrow.message(Lang::zh), "晚于今天"));
  // Against the real clock: a birth in 2099 is in the future.
  EXPECT_FALSE(citizen_id::try_parse(make_id("11010520990101001")));
}

TEST(CitizenId, RejectsBadNumbers) {
  std::string good = make_id("53062119900307123");
  char wrong = good[17] == '0' ? '1' : '0';
  struct Case {
    std::string text;
    std::string zh;
  };
  const std::vector<Case> cases = {
      {"", "请填写"},
      {"   ", "请填写"},
      {good.substr(0, 16), "现在是16位"},
      {good.substr(0, 17), "现在是17位"},
      {good + "1", "现在是19位"},
      {"53062119900307", "现在是14位"},
      {good.substr(0, 17) + wrong, std::string("校验位错误，应为") + good[17]},
      {good.substr(0, 17) + "Y", "只能由数字组成"},
      {"5306211990X307123" + std::string(1, good[17]), "只能由数字组成"},
      {"530621-1990-0307-123", "只能由数字组成"},
      {make_id("53062119990230123"), "19990230不存在"},
      {make_id("53062119991301123"), "不存在"},
      {make_id("53062120990302123"), "晚于今天"},
      {make_id("53062118991231123"), "早于1900年"},
      {make_id("00062119900307123"), "地址码"},
      {make_id("99062119900307123"), "地址码"},
      {make_id("10062119900307123"), "地址码"},
      {make_id("90062119900307123"), "地址码"},
      {full_width("530621199003071234"), "全角"},
      {full_width("5306") + good.substr(4), "全角"},
      {good.substr(0, 17) + "\xEF\xBC\xB8", "全角"},  // full-width 'Ｘ'
      {std::string("530621\0"
                   "9900307123",
                   17) +
           "4",
       "控制字符"},
      {good.substr(0, 10) + '\0' + good.substr(11), "控制字符"},
      {"\xE8\xBA\xAB\xE4\xBB\xBD\xE8\xAF\x81", "汉字"},  // "身份证"
      {good.substr(0, 17) + "\xC3", "汉字"},
      {"\xFF" + good.substr(1), "汉字"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_FALSE(citizen_id::try_parse(c.text));
    Error e = expect_bad_input([&] { citizen_id::parse(c.text, "guardian_id", kToday); });
    EXPECT_EQ(e.code(), "invalid_id_number");
    EXPECT_EQ(e.field(), "guardian_id");
    EXPECT_TRUE(contains(e.message(Lang::zh), c.zh)) << e.message(Lang::zh);
    EXPECT_FALSE(e.message(Lang::en).empty());
  }
  Error e = expect_bad_input([] { citizen_id::parse("123"); });
  EXPECT_EQ(e.field(), "id_number");
}

// Any single wrong digit is caught by the check digit.
TEST(CitizenId, CheckDigitCatchesEverySingleDigitError) {
  std::string good = make_id("53062119900307123");
  for (size_t pos = 0; pos < 17; ++pos) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == good[pos]) continue;
      std::string typo = good;
      typo[pos] = d;
      ASSERT_NE(citizen_id::check_char(typo.substr(0, 17)), good[17]) << typo;
    }
  }
}

TEST(CitizenId, Mask) {
  EXPECT_EQ(citizen_id::mask("530621199003071234"), "530621********1234");
  EXPECT_EQ(citizen_id::mask("53062119900307123X"), "530621********123X");
  EXPECT_EQ(citizen_id::mask("530621900307124"), "530621*****7124");
  EXPECT_EQ(citizen_id::mask("123456789"), "*********");
  EXPECT_EQ(citizen_id::mask(""), "");
  EXPECT_EQ(citizen_id::mask(full_width("5306211990")), std::string(30, '*'));
}

// The stored mask keeps the region only: beside the birth date a database keeps in clear,
// the last 4 digits pinned the number (issue 14, item 1).
TEST(CitizenId, StoredMaskKeepsTheRegionOnly) {
  EXPECT_EQ(citizen_id::stored_mask("530621199003071234"), "530621************");
  EXPECT_EQ(citizen_id::stored_mask("53062119900307123X"), "530621************");
  EXPECT_EQ(citizen_id::stored_mask("530621"), "******");
  EXPECT_EQ(citizen_id::stored_mask(""), "");
}

// ---- mobile numbers ----

TEST(Phone, NormalizesMobiles) {
  for (std::string text :
       {"13800138000", "+8613800138000", "+86 138 0013 8000", "+86-138-0013-8000", "8613800138000",
        "008613800138000", " 138-0013-8000 ", "138 0013 8000"}) {
    EXPECT_EQ(phone::normalize_mobile(text), "13800138000") << text;
    EXPECT_TRUE(phone::valid_mobile(text)) << text;
  }
  EXPECT_EQ(phone::normalize_mobile("19912345678"), "19912345678");
}

TEST(Phone, RejectsBadMobiles) {
  struct Case {
    std::string text;
    std::string zh;
  };
  const std::vector<Case> cases = {
      {"", "请填写"},
      {"1380013800", "现在是10位"},
      {"138001380001", "现在是12位"},
      {"12800138000", "13至19开头"},
      {"23800138000", "13至19开头"},
      {"+1 415 555 0100", "+86"},
      {"+8612800138000", "13至19开头"},
      {"138-0013-800O", "只能包含数字"},
      {"(0870) 2123456", "只能包含数字"},
      {"138+00138000", "只能包含数字"},
      {full_width("13800138000"), "全角"},
      {"138\xE3\x80\x80"
       "0013 8000",
       "全角"},  // ideographic space
      {std::string("1380013\0"
                   "8000",
                   12),
       "控制字符"},
      {"138\t0013\t8000", "控制字符"},
      {"\xE6\x89\x8B\xE6\x9C\xBA", "汉字"},  // "手机"
      {"1380013800\x80", "汉字"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_FALSE(phone::valid_mobile(c.text));
    Error e = expect_bad_input([&] { phone::normalize_mobile(c.text, "contact_phone"); });
    EXPECT_EQ(e.code(), "invalid_mobile");
    EXPECT_EQ(e.field(), "contact_phone");
    EXPECT_TRUE(contains(e.message(Lang::zh), c.zh)) << e.message(Lang::zh);
  }
  Error e = expect_bad_input([] { phone::normalize_mobile("110"); });
  EXPECT_EQ(e.field(), "phone");
}

TEST(Phone, Mask) {
  EXPECT_EQ(phone::mask("13812345678"), "138****5678");
  EXPECT_EQ(phone::mask("+86 138-1234-5678"), "138****5678");
  EXPECT_EQ(phone::mask("08702123456"), "087****3456");
  EXPECT_EQ(phone::mask("12345"), "*****");
  EXPECT_EQ(phone::mask(full_width("13812345678")), std::string(33, '*'));
}

// ---- unified social credit codes (GB 32100) ----

constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// The check character from the standard's definition: weight W(i) = 3^(i-1) mod 31, check value
// C18 = 31 - (sum mod 31), with 31 written as 0.
char reference_uscc_check(std::string_view first17) {
  int sum = 0, weight = 1;
  for (char c : first17) {
    sum += static_cast<int>(kCharset.find(c)) * weight;
    weight = weight * 3 % 31;
  }
  int c = 31 - sum % 31;
  return kCharset[c == 31 ? 0 : c];
}

std::string make_uscc(std::string_view first17) {
  return std::string(first17) + reference_uscc_check(first17);
}

// Real-looking codes: 91 = enterprise registered with market regulation, 12 = public
// institution, 52 = social organisation (civil affairs), 93 = farmers' cooperative; then the
// registering division (昭阳区 530602, 鲁甸县 530621, 昭通市 530600) and a subject identifier.
const std::vector<std::string> kPrefixes = {"91530602MA6K3B2L4", "12530600015123456",
                                            "52530621MJ0123456", "93530621MA6P7RQ1T"};

TEST(Uscc, ValidCodesBuiltByTheAlgorithm) {
  for (const std::string& p : kPrefixes) {
    std::string code = make_uscc(p);
    EXPECT_EQ(uscc::check_char(p), code[17]) << p;
    EXPECT_TRUE(uscc::valid(code)) << code;
    EXPECT_NO_THROW(uscc::require_valid(code));
  }
}

TEST(Uscc, CheckValueThirtyOneIsZero) {
  // Vary the last character until the sum is a multiple of 31.
  bool found = false;
  for (char c : kCharset) {
    std::string p = std::string("91530602MA6K3B2L") + c;
    if (reference_uscc_check(p) == '0') {
      found = true;
      EXPECT_EQ(uscc::check_char(p), '0');
      EXPECT_TRUE(uscc::valid(p + "0"));
    }
  }
  EXPECT_TRUE(found);
}

// Exactly one check character fits, and any single substituted character is caught.
TEST(Uscc, EverySingleCharacterErrorIsCaught) {
  for (const std::string& p : kPrefixes) {
    std::string good = make_uscc(p);
    int fits = 0;
    for (char c : kCharset) fits += uscc::valid(p + c);
    EXPECT_EQ(fits, 1);
    for (size_t pos = 0; pos < 17; ++pos) {
      for (char c : kCharset) {
        if (c == good[pos]) continue;
        std::string typo = good;
        typo[pos] = c;
        ASSERT_FALSE(uscc::valid(typo)) << typo;
      }
    }
  }
}

TEST(Uscc, RejectsBadCodes) {
  std::string good = make_uscc(kPrefixes[0]);
  char wrong = good[17] == '1' ? '2' : '1';
  struct Case {
    std::string text;
    std::string zh;
  };
  const std::vector<Case> cases = {
      {"", "请填写"},
      {good.substr(0, 17), "现在是17位"},
      {good + "0", "现在是19位"},
      {good.substr(0, 17) + wrong, std::string("校验位错误，应为") + good[17]},
      {"91530602ma6k3b2l4" + std::string(1, good[17]), "大写"},
      {make_uscc("91530602MA6I3B2L4"), "不含I、O、Z、S、V"},
      {make_uscc("91530602MA6O3B2L4"), "不含I、O、Z、S、V"},
      {make_uscc("9153060ZMA6K3B2L4"), "不含I、O、Z、S、V"},
      {make_uscc("915306A2MA6K3B2L4"), "第3至8位"},
      {"91530602-A6K3B2L4" + std::string(1, good[17]), "只能由数字和大写字母组成"},
      {full_width("91530602") + "MA6K3B2L4" + good[17], "全角"},
      {std::string("91530602\0"
                   "A6K3B2L4",
                   17) +
           good[17],
       "控制字符"},
      {"\xE7\xA4\xBE\xE4\xBC\x9A\xE4\xBF\xA1\xE7\x94\xA8", "汉字"},  // "社会信用"
      {good.substr(0, 16) + "\xC3\xA9", "汉字"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_FALSE(uscc::valid(c.text));
    Error e = expect_bad_input([&] { uscc::require_valid(c.text, "org_uscc"); });
    EXPECT_EQ(e.code(), "invalid_uscc");
    EXPECT_EQ(e.field(), "org_uscc");
    EXPECT_TRUE(contains(e.message(Lang::zh), c.zh)) << e.message(Lang::zh);
  }
  Error e = expect_bad_input([] { uscc::check_char("91530602MA6K3B2L"); });
  EXPECT_EQ(e.code(), "invalid_uscc");
  expect_bad_input([] { uscc::check_char("91530602MA6K3B2LI"); });
}

TEST(Uscc, NormalizeTrimsAndUpperCases) {
  std::string good = make_uscc(kPrefixes[0]);
  std::string lower = good;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(uscc::normalize("  " + lower + "\t"), good);
  Error e = expect_bad_input([] { uscc::normalize("91530602", "credit_code"); });
  EXPECT_EQ(e.field(), "credit_code");
}

}  // namespace
}  // namespace wangge
