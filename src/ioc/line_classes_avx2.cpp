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

inline std::uint64_t bits_of(__m256i v) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(v));
}

inline void classify32(const char* p, unsigned shift, ClassWords& out, std::size_t w) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i digit = in_range(v, '0', '9');
  const __m256i letter = in_range(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), 'a', 'z');
  const __m256i dash_or_dot = in_range(v, '-', '.');
  const __m256i underscore = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('_'));
  const __m256i name = _mm256_or_si256(_mm256_or_si256(digit, letter), _mm256_or_si256(dash_or_dot, underscore));
  const __m256i rare = _mm256_or_si256(
      _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')),
      _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('#')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r'))));
  out.name[w] |= bits_of(name) << shift;
  out.dot[w] |= bits_of(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('.'))) << shift;
  out.newline[w] |= bits_of(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))) << shift;
  out.rare[w] |= bits_of(rare) << shift;
}

}  // namespace

void classify_words_avx2(const char* p, std::size_t size, ClassWords& out) {
  const std::size_t words = (size + 63) / 64;
  for (std::size_t w = 0; w < words; ++w) {
    out.name[w] = out.dot[w] = out.newline[w] = out.rare[w] = 0;
    for (std::size_t k = 0; k < 2; ++k) {
      const std::size_t at = w * 64 + k * 32;
      if (at >= size) break;
      if (at + 32 <= size) {
        classify32(p + at, static_cast<unsigned>(k * 32), out, w);
      } else {
        char tail[32] = {};  // zero bytes are in none of the classes
        std::memcpy(tail, p + at, size - at);
        classify32(tail, static_cast<unsigned>(k * 32), out, w);
      }
    }
  }
}

}  // namespace ashiato::ioc

#endif
