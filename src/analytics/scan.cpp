// Each kernel fills a byte per record (0xFF or 0) in a loop the vectoriser turns into wide
// compares, then packs 64 bytes into a word with movemask. Built with -O3 and, on x86-64, in
// AVX-512, AVX2 and baseline versions chosen at load time (target_clones), so one binary runs on
// any x86-64 and uses the wide registers where they exist.
#include "analytics/scan.h"

#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace wangge::analytics::scan {
namespace {

// Packs mask bytes [0, n) into words; bytes past n count as zero.
inline void pack(const uint8_t* m, size_t n, uint64_t* out) {
  const size_t words = (n + 63) / 64;
  for (size_t w = 0; w < words; ++w) {
    const uint8_t* b = m + w * 64;
#if defined(__SSE2__)
    uint64_t v = 0;
    for (int q = 0; q < 4; ++q) {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 16 * q));
      v |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(x))) << (16 * q);
    }
#else
    uint64_t v = 0;
    for (int j = 0; j < 64; ++j) v |= static_cast<uint64_t>(b[j] & 1) << j;
#endif
    if (w + 1 == words && n % 64) v &= bit_span(0, n % 64);
    out[w] = v;
  }
}

}  // namespace

WANGGE_SCAN_CLONES void flags_any(const uint64_t* __restrict v, size_t n, uint64_t bits,
                                  uint64_t* out) {
  alignas(64) uint8_t m[kScanBatch];
  for (size_t i = 0; i < n; ++i) m[i] = (v[i] & bits) != 0 ? 0xFF : 0;
  pack(m, n, out);
}

WANGGE_SCAN_CLONES void u8_in(const uint8_t* __restrict v, size_t n, const uint8_t* values,
                              size_t count, uint64_t* out) {
  alignas(64) uint8_t m[kScanBatch];
  std::memset(m, 0, n);
  for (size_t k = 0; k < count; ++k) {
    const uint8_t x = values[k];
    for (size_t i = 0; i < n; ++i) m[i] |= v[i] == x ? 0xFF : 0;
  }
  pack(m, n, out);
}

WANGGE_SCAN_CLONES void i32_range(const int32_t* __restrict v, size_t n, int32_t lo, int32_t hi,
                                  uint64_t* out) {
  alignas(64) uint8_t m[kScanBatch];
  for (size_t i = 0; i < n; ++i) m[i] = ((v[i] >= lo) & (v[i] <= hi)) ? 0xFF : 0;
  pack(m, n, out);
}

WANGGE_SCAN_CLONES void f32_range(const float* __restrict v, size_t n, double lo, double hi,
                                  uint64_t* out) {
  alignas(64) uint8_t m[kScanBatch];
  for (size_t i = 0; i < n; ++i) {
    const double x = v[i];
    m[i] = ((x >= lo) & (x <= hi)) ? 0xFF : 0;
  }
  pack(m, n, out);
}

}  // namespace wangge::analytics::scan
