#include "sheets/text_encoding.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <string>

#include "core/error.h"
#include "sheets/icu_oracle.h"

namespace wangge::sheets {
namespace {

const std::string kText = "鲁甸县 龙头山镇 网格 𠀀 €\r\n第二行";

TEST(TextEncoding, ValidatesUtf8Strictly) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8(kText));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE4\xB8"));          // truncated
  EXPECT_FALSE(is_valid_utf8(icu_gb18030("网格")));
}

TEST(TextEncoding, DetectsAndConverts) {
  TextEncoding detected{};
  EXPECT_EQ(to_utf8(kText, std::nullopt, &detected), kText);
  EXPECT_EQ(detected, TextEncoding::utf8);
  EXPECT_EQ(to_utf8("\xEF\xBB\xBF" + kText, std::nullopt, &detected), kText);
  EXPECT_EQ(detected, TextEncoding::utf8);
  EXPECT_EQ(to_utf8(icu_gb18030(kText), std::nullopt, &detected), kText);
  EXPECT_EQ(detected, TextEncoding::gb18030);
  EXPECT_EQ(to_utf8(""), "");
  EXPECT_EQ(to_utf8("ab"), "ab");
}

TEST(TextEncoding, Gb18030RoundTrip) {
  std::string gb = utf8_to_gb18030(kText);
  EXPECT_EQ(gb, icu_gb18030(kText));
  EXPECT_EQ(to_utf8(gb, TextEncoding::gb18030), kText);
  EXPECT_THROW(utf8_to_gb18030("\xFF"), Error);
}

TEST(TextDecoder, ByteAtATimeGivesTheSameText) {
  for (const std::string& input : {kText, icu_gb18030(kText), "\xEF\xBB\xBF" + kText}) {
    TextDecoder decoder;
    std::string out;
    for (char c : input) decoder.decode(std::string_view(&c, 1), out);
    decoder.finish(out);
    EXPECT_EQ(out, kText);
    EXPECT_TRUE(decoder.encoding().has_value());
  }
}

TEST(TextDecoder, AsciiStaysUndecided) {
  TextDecoder decoder;
  std::string out;
  decoder.decode("plain,ascii\n", out);
  decoder.finish(out);
  EXPECT_EQ(out, "plain,ascii\n");
  EXPECT_FALSE(decoder.encoding().has_value());
}

TEST(TextDecoder, NamesTheLineOfABadByte) {
  // Line breaks counted as LF, CRLF and lone CR alike.
  std::string input = icu_gb18030("一\r\n二\r三\n四") + "\xFF";
  try {
    to_utf8(input);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_EQ(e.code(), "invalid_encoding");
    EXPECT_NE(e.message(Lang::zh).find("第4行"), std::string::npos) << e.message(Lang::zh);
    EXPECT_NE(e.message(Lang::en).find("line 4"), std::string::npos) << e.message(Lang::en);
  }
}

TEST(TextDecoder, InputEndingInsideACharacterIsRefused) {
  std::string cut = kText.substr(0, 2);  // half of 鲁
  EXPECT_THROW(to_utf8(cut, TextEncoding::utf8), Error);
  EXPECT_THROW(to_utf8(icu_gb18030("网").substr(0, 1), TextEncoding::gb18030), Error);
}

}  // namespace
}  // namespace wangge::sheets
