#include "ioc/line_masks.h"

#include <bit>
#include <cstring>

#include "ioc/line_classes.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ashiato::ioc {
namespace {

#if defined(__SSE2__)
// Bytes of `v` in [lo, hi]: unsigned v - lo <= hi - lo.
inline __m128i in_range(__m128i v, char lo, char hi) {
  const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8(lo));
  return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(static_cast<char>(hi - lo))), d);
}

inline std::uint64_t bits_of(__m128i v) {
  return static_cast<std::uint32_t>(_mm_movemask_epi8(v));
}

// 16 bytes: the name, dot, line end and rare ('\\', '#', '\r') bits, at `shift` in the words.
inline void classify16(const char* p, unsigned shift, ClassWords& out, std::size_t w) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i digit = in_range(v, '0', '9');
  const __m128i letter = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
  const __m128i dash_or_dot = in_range(v, '-', '.');
  const __m128i underscore = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
  const __m128i name = _mm_or_si128(_mm_or_si128(digit, letter), _mm_or_si128(dash_or_dot, underscore));
  const __m128i rare =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('#')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
  out.name[w] |= bits_of(name) << shift;
  out.dot[w] |= bits_of(_mm_cmpeq_epi8(v, _mm_set1_epi8('.'))) << shift;
  out.newline[w] |= bits_of(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))) << shift;
  out.rare[w] |= bits_of(rare) << shift;
}
#else
constexpr bool is_name_character(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '_';
}

inline void classify16(const char* p, unsigned shift, ClassWords& out, std::size_t w) {
  for (unsigned i = 0; i < 16; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    const std::uint64_t bit = 1ULL << (shift + i);
    if (is_name_character(c)) out.name[w] |= bit;
    if (c == '.') out.dot[w] |= bit;
    if (c == '\n') out.newline[w] |= bit;
    if (c == '\\' || c == '#' || c == '\r') out.rare[w] |= bit;
  }
}
#endif

void classify_words_portable(const char* p, std::size_t size, ClassWords& out) {
  const std::size_t words = (size + 63) / 64;
  for (std::size_t w = 0; w < words; ++w) {
    out.name[w] = out.dot[w] = out.newline[w] = out.rare[w] = 0;
    if (out.end != nullptr) out.end[w] = ~0ULL;  // no end test here: every name end stays a mark
    for (std::size_t k = 0; k < 4; ++k) {
      const std::size_t at = w * 64 + k * 16;
      if (at >= size) break;
      if (at + 16 <= size) {
        classify16(p + at, static_cast<unsigned>(k * 16), out, w);
      } else {
        char tail[16] = {};  // zero bytes are in none of the classes
        std::memcpy(tail, p + at, size - at);
        classify16(tail, static_cast<unsigned>(k * 16), out, w);
      }
    }
  }
}

using ClassifyWords = void (*)(const char*, std::size_t, ClassWords&);

ClassifyWords pick_classifier() {
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx2")) return classify_words_avx2;
#endif
  return classify_words_portable;
}

const ClassifyWords classify_words = pick_classifier();

}  // namespace

void LineMasks::build(std::string_view text, const ByteSet* name_end_bytes) {
  size_ = text.size() < kMaxText ? text.size() : kMaxText;
  words_ = (size_ + 63) / 64;
  // Pass 1: byte classes. The rare bytes are told apart one by one: most lines have none.
  std::uint64_t ends[kWords];
  ClassWords classes{name_, dot_, newline_, forcing_};
  if (name_end_bytes != nullptr) {
    classes.end = ends;
    classes.end_set = name_end_bytes;
  }
  classify_words(text.data(), size_, classes);
  std::uint64_t backslash[kWords], hash[kWords], carriage_return[kWords];
  for (std::size_t w = 0; w < words_; ++w) {
    backslash[w] = hash[w] = carriage_return[w] = 0;
    for (std::uint64_t rare = forcing_[w]; rare != 0; rare &= rare - 1) {
      const auto i = static_cast<unsigned>(std::countr_zero(rare));
      const char c = text[w * 64 + i];
      (c == '\\' ? backslash[w] : c == '#' ? hash[w] : carriage_return[w]) |= 1ULL << i;
    }
  }
  // Pass 2: the last label of every name run that holds a dot. Labels are runs of name bytes
  // other than dots; adding a label's first bit (where a dot precedes it) to the label mask
  // carries through the label and leaves one bit just after its end. The carry crosses words.
  std::uint64_t after_dotted_label[kWords];
  unsigned char carry = 0;
  for (std::size_t w = 0; w < words_; ++w) {
    const std::uint64_t labels = name_[w] & ~dot_[w];
    const std::uint64_t previous_label = w == 0 ? 0 : (name_[w - 1] & ~dot_[w - 1]) >> 63;
    const std::uint64_t previous_dot = w == 0 ? 0 : dot_[w - 1] >> 63;
    const std::uint64_t label_starts = labels & ~((labels << 1) | previous_label);
    const std::uint64_t after_dot = (dot_[w] << 1) | previous_dot;
    std::uint64_t sum = 0;
    const bool first_carry = __builtin_add_overflow(labels, label_starts & after_dot, &sum);
    const bool second_carry = __builtin_add_overflow(sum, static_cast<std::uint64_t>(carry), &sum);
    carry = static_cast<unsigned char>(first_carry || second_carry);
    after_dotted_label[w] = sum & ~labels;
  }
  // Pass 3: marks, with the bits that cross word boundaries carried over.
  for (std::size_t w = 0; w < words_; ++w) {
    const bool last = w + 1 == words_;
    const std::uint64_t next_name = last ? 0 : name_[w + 1] & 1U;
    const std::uint64_t next_newline = last ? 0 : newline_[w + 1] & 1U;
    // Past the last word only a carry out of it: a label that ends on the text's last byte, when
    // the text fills its words exactly.
    const std::uint64_t next_after = last ? carry : after_dotted_label[w + 1] & 1U;
    const std::uint64_t previous_newline = w == 0 ? 1U : newline_[w - 1] >> 63;  // the text starts a line
    const std::uint64_t name_ends = name_[w] & ~((name_[w] >> 1) | (next_name << 63));
    const std::uint64_t dotted_label_ends = (after_dotted_label[w] >> 1) | (next_after << 63);
    // A name ends with its last label, or with a dot right after it ("evil.com.").
    std::uint64_t dotted_name_ends = name_ends & (dotted_label_ends | (dot_[w] & after_dotted_label[w]));
    if (name_end_bytes != nullptr) dotted_name_ends &= ends[w];
    const std::uint64_t line_starts = (newline_[w] << 1) | previous_newline;
    // The end of the text ends its last line too ("\r" there is an empty line of a CRLF file).
    const std::uint64_t text_end = last ? 1ULL << ((size_ - 1) & 63) : 0;
    const std::uint64_t newline_after = (newline_[w] >> 1) | (next_newline << 63) | text_end;
    const std::uint64_t empty_line = line_starts & (newline_[w] | (carriage_return[w] & newline_after));
    const std::uint64_t forcing = backslash[w] | (line_starts & hash[w]) | empty_line;
    forcing_[w] = forcing;
    marks_[w] = dotted_name_ends | forcing;
  }
  // Bits past the end: a last word's shifted-in line start may not point past the text.
  if (size_ % 64 != 0) {
    const std::uint64_t keep = (1ULL << (size_ % 64)) - 1;
    forcing_[words_ - 1] &= keep;
    marks_[words_ - 1] &= keep;
  }
}

std::size_t LineMasks::line_start(std::size_t i) const {
  std::size_t w = i >> 6;
  const unsigned shift = static_cast<unsigned>(i & 63);
  std::uint64_t before = shift == 0 ? 0 : newline_[w] & ((1ULL << shift) - 1);
  while (before == 0) {
    if (w == 0) return 0;
    before = newline_[--w];
  }
  return (w << 6) + 64 - static_cast<std::size_t>(std::countl_zero(before));
}

}  // namespace ashiato::ioc
