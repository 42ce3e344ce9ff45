#include "core/pinyin.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

namespace wangge::pinyin {
namespace {

// Syllables are memoised per code point: a prefecture's names use a few thousand characters,
// and the transliterator is far slower than a hash lookup.
class SyllableCache {
 public:
  SyllableCache() {
    UErrorCode status = U_ZERO_ERROR;
    translit_.reset(icu::Transliterator::createInstance("Han-Latin; Latin-ASCII; Lower",
                                                        UTRANS_FORWARD, status));
    if (U_FAILURE(status)) throw std::runtime_error("ICU Han-Latin transliterator unavailable");
  }

  std::string syllable(UChar32 c) {
    {
      std::shared_lock lock(mu_);
      if (auto it = cache_.find(c); it != cache_.end()) return it->second;
    }
    std::unique_lock lock(mu_);
    icu::UnicodeString s(c);
    translit_->transliterate(s);
    std::string out;
    s.toUTF8String(out);
    std::string clean;
    for (char ch : out) {
      if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) clean += ch;
    }
    cache_.emplace(c, clean);
    return clean;
  }

 private:
  std::unique_ptr<icu::Transliterator> translit_;
  std::shared_mutex mu_;
  std::unordered_map<UChar32, std::string> cache_;
};

SyllableCache& cache() {
  static SyllableCache c;
  return c;
}

}  // namespace

Spelling spell(std::string_view utf8) {
  Spelling out;
  int32_t i = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) continue;
    if (c < 128) {
      if (std::isalnum(c)) {
        char lower = static_cast<char>(std::tolower(c));
        out.full += lower;
        out.initials += lower;
      }
      continue;
    }
    if (u_getIntPropertyValue(c, UCHAR_SCRIPT) != USCRIPT_HAN) continue;
    std::string syl = cache().syllable(c);
    if (syl.empty()) continue;
    out.full += syl;
    out.initials += syl[0];
  }
  return out;
}

std::string full(std::string_view utf8) { return spell(utf8).full; }
std::string initials(std::string_view utf8) { return spell(utf8).initials; }

}  // namespace wangge::pinyin
