// The tight loops under the indicator engine: a column slice tested against one comparison,
// written as a bitmask (bit j of word w is record 64w + j of the slice). Internal.
//
// Every function reads v[0, n) and writes ceil(n / 64) words; bits at n and beyond are zero.
// REQUIRES: out has room for ceil(n / 64) words; n <= kScanBatch.
#pragma once

#include <cstddef>
#include <cstdint>

// On x86-64, a function marked WANGGE_SCAN_CLONES is built for AVX-512, AVX2 (both with popcnt)
// and the baseline, and the best one the CPU runs is picked at load time.
#if defined(__x86_64__)
#define WANGGE_SCAN_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define WANGGE_SCAN_CLONES
#endif

namespace wangge::analytics::scan {

inline constexpr size_t kScanBatch = 1024;
inline constexpr size_t kScanWords = kScanBatch / 64;

// (v[i] & bits) != 0: tags and yes/no facts.
void flags_any(const uint64_t* v, size_t n, uint64_t bits, uint64_t* out);
// v[i] is one of values[0, count) (enum option codes).
void u8_in(const uint8_t* v, size_t n, const uint8_t* values, size_t count, uint64_t* out);
// lo <= v[i] <= hi (dates, ages as birth ranges, small integers).
void i32_range(const int32_t* v, size_t n, int32_t lo, int32_t hi, uint64_t* out);
// lo <= v[i] <= hi; NaN is never inside.
void f32_range(const float* v, size_t n, double lo, double hi, uint64_t* out);

// Bits [from, to) of a word set (the rest clear). REQUIRES: from <= to <= 64.
inline uint64_t bit_span(unsigned from, unsigned to) {
  uint64_t below_to = to >= 64 ? ~uint64_t{0} : (uint64_t{1} << to) - 1;
  uint64_t below_from = from >= 64 ? ~uint64_t{0} : (uint64_t{1} << from) - 1;
  return below_to & ~below_from;
}

}  // namespace wangge::analytics::scan
