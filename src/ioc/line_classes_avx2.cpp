// Compiled with -mavx2 (see CMakeLists.txt); called only after the processor was checked. It gives
// the same classes as the SSE2 classifier in line_masks.cpp, 32 bytes at a time and by nibble
// lookups (SSE2 has no byte shuffle); the two cannot share code, because code built for AVX2 must
// never be inlined where any x86-64 runs it.
#include "ioc/line_classes.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include <cstring>
#include <initializer_list>

namespace ashiato::ioc {
namespace {

inline std::uint32_t bits_of(__m256i v) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(v));
}

constexpr ByteSet name_bytes() {
  ByteSet set;
  for (int c = '0'; c <= '9'; ++c) set.add(static_cast<unsigned char>(c));
  for (int c = 'a'; c <= 'z'; ++c) set.add(static_cast<unsigned char>(c));
  for (int c = 'A'; c <= 'Z'; ++c) set.add(static_cast<unsigned char>(c));
  for (unsigned char c : {'.', '-', '_'}) set.add(c);
  return set;
}

constexpr ByteSet rare_bytes() {
  ByteSet set;
  for (unsigned char c : {'\\', '#', '\r'}) set.add(c);
  return set;
}

constexpr ByteSet kNameBytes = name_bytes();
constexpr ByteSet kRareBytes = rare_bytes();

inline __m256i rows_of(const ByteSet& set) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(set.rows)));
}

// Set membership by two nibble lookups: the row of a byte's low nibble holds its high nibble's
// bit when the byte is in the set (bytes from 0x80 on have no bit, so are in no set). Every class
// costs four instructions this way and few constants stay live (the compiler had run out of
// registers for the range tests and reloaded their constants on every iteration).
struct Lookup {
  __m256i low;  // low nibbles, the row index
  __m256i bit;  // the high nibble's bit
  explicit Lookup(__m256i v) {
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i high_bits = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0,  //
                                               1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0);
    low = _mm256_and_si256(v, nibble);
    bit = _mm256_shuffle_epi8(high_bits, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
  }
  std::uint32_t members(__m256i rows) const {
    const __m256i row = _mm256_shuffle_epi8(rows, low);
    return ~bits_of(_mm256_cmpeq_epi8(_mm256_and_si256(row, bit), _mm256_setzero_si256()));
  }
};

struct Classes32 {
  std::uint32_t name, dot, newline, rare, end;
};

struct Tables {
  __m256i name, rare, end;
};

template <bool kEnds>
inline Classes32 classify32(const char* p, const Tables& t) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const Lookup lookup(v);
  return Classes32{lookup.members(t.name), bits_of(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('.'))),
                   bits_of(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))), lookup.members(t.rare),
                   kEnds ? lookup.members(t.end) : 0U};
}

// Both halves of a word in registers, stored once (stores through the four pointers of
// ClassWords may alias, so or-ing into them went through memory each time).
template <bool kEnds>
inline void store(ClassWords& out, std::size_t w, const Classes32& low, const Classes32& high) {
  out.name[w] = low.name | (std::uint64_t{high.name} << 32);
  out.dot[w] = low.dot | (std::uint64_t{high.dot} << 32);
  out.newline[w] = low.newline | (std::uint64_t{high.newline} << 32);
  out.rare[w] = low.rare | (std::uint64_t{high.rare} << 32);
  if constexpr (kEnds) out.end[w] = low.end | (std::uint64_t{high.end} << 32);
}

template <bool kEnds>
void classify_all(const char* p, std::size_t size, ClassWords& out) {
  const Tables t{rows_of(kNameBytes), rows_of(kRareBytes), kEnds ? rows_of(*out.end_set) : _mm256_setzero_si256()};
  const std::size_t full = size / 64;
  for (std::size_t w = 0; w < full; ++w) {
    store<kEnds>(out, w, classify32<kEnds>(p + w * 64, t), classify32<kEnds>(p + w * 64 + 32, t));
  }
  if (size % 64 != 0) {
    char tail[64] = {};  // zero bytes are in no class
    std::memcpy(tail, p + full * 64, size % 64);
    store<kEnds>(out, full, classify32<kEnds>(tail, t), classify32<kEnds>(tail + 32, t));
  }
}

}  // namespace

void classify_words_avx2(const char* p, std::size_t size, ClassWords& out) {
  if (out.end != nullptr) {
    classify_all<true>(p, size, out);
  } else {
    classify_all<false>(p, size, out);
  }
}

}  // namespace ashiato::ioc

#endif
