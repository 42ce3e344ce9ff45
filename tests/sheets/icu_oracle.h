// GB18030 bytes made by ICU directly, independent of the code under test (sheets tests only).
#pragma once

#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/utypes.h>

#include <string>

namespace wangge::sheets {

inline std::string icu_gb18030(const std::string& utf8) {
  std::string out(utf8.size() * 4 + 16, '\0');
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace wangge::sheets
