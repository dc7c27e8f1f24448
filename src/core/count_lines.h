// Counting line ends of a block of text. The reader counts every block in its serial stage (the
// next block's first line number depends on it), so this must run far faster than parsing:
// std::count widens each match to 64 bits; this sums bytes and widens once per 255 vectors.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ashiato {

inline std::uint64_t count_newlines(std::string_view text) {
  std::uint64_t total = 0;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  while (i + 16 <= text.size()) {
    // Each byte lane counts down by one per match (cmpeq gives -1); at most 255 rounds per sum.
    __m128i lanes = _mm_setzero_si128();
    for (int round = 0; round < 255 && i + 16 <= text.size(); ++round, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, newline));
    }
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    total += static_cast<std::uint64_t>(_mm_cvtsi128_si64(sums)) +
             static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; i < text.size(); ++i) total += text[i] == '\n';
  return total;
}

}  // namespace ashiato
