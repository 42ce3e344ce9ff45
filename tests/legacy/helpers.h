// Small helpers shared by the legacy-form tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace wangge::legacy::testing_legacy {

// Writes text to p as it is (bytes, no newline added).
inline void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

}  // namespace wangge::legacy::testing_legacy
