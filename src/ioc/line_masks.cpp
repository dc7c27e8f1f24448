#include "ioc/line_masks.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ashiato::ioc {
namespace {

struct ChunkBits {
  std::uint32_t run, dot, colon, backslash, newline;
};

#if defined(__SSE2__)
// Bytes of `v` in [lo, hi]: unsigned v - lo <= hi - lo.
inline __m128i in_range(__m128i v, char lo, char hi) {
  const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8(lo));
  return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(static_cast<char>(hi - lo))), d);
}

// 16 bytes at `p`.
inline ChunkBits classify16(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i digit_or_colon = in_range(v, '0', ':');
  const __m128i letter = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
  const __m128i dash_or_dot = in_range(v, '-', '.');
  const __m128i underscore = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
  const __m128i run = _mm_or_si128(_mm_or_si128(digit_or_colon, letter), _mm_or_si128(dash_or_dot, underscore));
  return ChunkBits{static_cast<std::uint32_t>(_mm_movemask_epi8(run)),
                   static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')))),
                   static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')))),
                   static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')))),
                   static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))))};
}
#else
constexpr bool is_run_character(unsigned char c) {
  return (c >= '0' && c <= ':') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '_';
}

inline ChunkBits classify16(const char* p) {
  ChunkBits b{0, 0, 0, 0, 0};
  for (unsigned i = 0; i < 16; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    b.run |= static_cast<std::uint32_t>(is_run_character(c)) << i;
    b.dot |= static_cast<std::uint32_t>(c == '.') << i;
    b.colon |= static_cast<std::uint32_t>(c == ':') << i;
    b.backslash |= static_cast<std::uint32_t>(c == '\\') << i;
    b.newline |= static_cast<std::uint32_t>(c == '\n') << i;
  }
  return b;
}
#endif

}  // namespace

void LineMasks::build(std::string_view text) {
  size_ = text.size() < kMaxText ? text.size() : kMaxText;
  words_ = (size_ + 63) / 64;
  const char* p = text.data();
  for (std::size_t w = 0; w < words_; ++w) {
    std::uint64_t run = 0, dot = 0, colon = 0, backslash = 0, newline = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const std::size_t at = w * 64 + k * 16;
      if (at >= size_) break;
      ChunkBits b{};
      if (at + 16 <= size_) {
        b = classify16(p + at);
      } else {
        char tail[16] = {};  // zero bytes are none of the classes
        std::memcpy(tail, p + at, size_ - at);
        b = classify16(tail);
      }
      const unsigned shift = static_cast<unsigned>(k * 16);
      run |= static_cast<std::uint64_t>(b.run) << shift;
      dot |= static_cast<std::uint64_t>(b.dot) << shift;
      colon |= static_cast<std::uint64_t>(b.colon) << shift;
      backslash |= static_cast<std::uint64_t>(b.backslash) << shift;
      newline |= static_cast<std::uint64_t>(b.newline) << shift;
    }
    run_[w] = run;
    dot_[w] = dot;
    colon_[w] = colon;
    backslash_[w] = backslash;
    newline_[w] = newline;
  }
}

}  // namespace ashiato::ioc
