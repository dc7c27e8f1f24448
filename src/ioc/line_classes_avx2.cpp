// Compiled with -mavx2 (see CMakeLists.txt); called only after the processor was checked. It
// mirrors the SSE2 classifier in line_masks.cpp with 32-byte vectors: the two cannot share one
// template, because code built for AVX2 must never be inlined where any x86-64 runs it.
#include "ioc/line_classes.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include <cstring>

namespace ashiato::ioc {
namespace {

// Bytes of `v` in [lo, hi]: unsigned v - lo <= hi - lo.
inline __m256i in_range(__m256i v, char lo, char hi) {
  const __m256i d = _mm256_sub_epi8(v, _mm256_set1_epi8(lo));
  return _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(static_cast<char>(hi - lo))), d);
}

inline std::uint32_t bits_of(__m256i v) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(v));
}

struct Classes32 {
  std::uint32_t name, dot, newline, rare;
};

inline Classes32 classify32(const char* p) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i digit = in_range(v, '0', '9');
  const __m256i letter = in_range(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), 'a', 'z');
  const __m256i dash_or_dot = in_range(v, '-', '.');
  const __m256i underscore = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('_'));
  const __m256i name = _mm256_or_si256(_mm256_or_si256(digit, letter), _mm256_or_si256(dash_or_dot, underscore));
  const __m256i rare = _mm256_or_si256(
      _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')),
      _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('#')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r'))));
  return Classes32{bits_of(name), bits_of(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('.'))),
                   bits_of(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))), bits_of(rare)};
}

// Both halves of a word in registers, stored once (stores through the four pointers of
// ClassWords may alias, so or-ing into them went through memory each time).
inline void store(ClassWords& out, std::size_t w, const Classes32& low, const Classes32& high) {
  out.name[w] = low.name | (std::uint64_t{high.name} << 32);
  out.dot[w] = low.dot | (std::uint64_t{high.dot} << 32);
  out.newline[w] = low.newline | (std::uint64_t{high.newline} << 32);
  out.rare[w] = low.rare | (std::uint64_t{high.rare} << 32);
}

}  // namespace

void classify_words_avx2(const char* p, std::size_t size, ClassWords& out) {
  const std::size_t full = size / 64;
  for (std::size_t w = 0; w < full; ++w) store(out, w, classify32(p + w * 64), classify32(p + w * 64 + 32));
  if (size % 64 != 0) {
    char tail[64] = {};  // zero bytes are in none of the classes
    std::memcpy(tail, p + full * 64, size % 64);
    store(out, full, classify32(tail), classify32(tail + 32));
  }
}

}  // namespace ashiato::ioc

#endif
