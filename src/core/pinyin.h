// Pinyin of Chinese names for search ("zs" finds 张三) and for pinyin-sorted lists, through
// ICU's Han-Latin transliterator, one syllable per Han character.
#pragma once

#include <string>
#include <string_view>

namespace wangge::pinyin {

// Full pinyin without tones or spaces, lower case: "张三" → "zhangsan". Non-Han letters and
// digits are kept (lower-cased); other characters are dropped.
std::string full(std::string_view utf8);
// First letter of each syllable: "张三" → "zs".
std::string initials(std::string_view utf8);
// Both at once, cheaper than calling the two.
struct Spelling {
  std::string full;
  std::string initials;
};
Spelling spell(std::string_view utf8);

}  // namespace wangge::pinyin
