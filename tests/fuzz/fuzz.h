// Shared by the fuzz targets: an invariant check that stops the run with a message (libFuzzer
// then saves the input; the replay driver names the file).
//
// A target lets only wangge::Error through its own catch: any other exception escapes
// LLVMFuzzerTestOneInput, std::terminate aborts, and that is the finding.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                       \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      std::fprintf(stderr, "fuzz invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)

namespace wangge::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace wangge::fuzz
