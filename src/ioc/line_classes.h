// The first step of LineMasks: every byte of a text classified into 64-bit words of name bytes,
// dots, line ends and rare bytes ('\\', '#', '\r'). Kept apart because the AVX2 version lives in
// its own file, compiled for AVX2 and used only where the processor has it.
#pragma once
#include <cstddef>
#include <cstdint>

namespace ashiato::ioc {

// A set of ASCII bytes in the layout a nibble lookup tests: bit h of rows[l] is byte 16 * h + l.
struct ByteSet {
  std::uint8_t rows[16] = {};
  constexpr void add(unsigned char c) { rows[c & 15] = static_cast<std::uint8_t>(rows[c & 15] | (1U << (c >> 4))); }
};

struct ClassWords {
  std::uint64_t* name;
  std::uint64_t* dot;
  std::uint64_t* newline;
  std::uint64_t* rare;
  // Optional: bytes of `end_set` into `end` (the portable classifier sets every bit instead).
  std::uint64_t* end = nullptr;
  const ByteSet* end_set = nullptr;
};

#if defined(__x86_64__) && defined(__GNUC__)
// `size` bytes at `p` into (size + 63) / 64 words of each class; bits past the end are zero.
void classify_words_avx2(const char* p, std::size_t size, ClassWords& out);
#endif

}  // namespace ashiato::ioc
