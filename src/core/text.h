// Small text helpers shared by the validators.
#pragma once

#include <cstddef>
#include <string_view>

namespace wangge {

// Characters (code points) in a UTF-8 string: "张三" is 2. REQUIRES: valid UTF-8.
inline size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace wangge
