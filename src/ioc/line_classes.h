// The first step of LineMasks: every byte of a text classified into 64-bit words of name bytes,
// dots, line ends and rare bytes ('\\', '#', '\r'). Kept apart because the AVX2 version lives in
// its own file, compiled for AVX2 and used only where the processor has it.
#pragma once
#include <cstddef>
#include <cstdint>

namespace ashiato::ioc {

struct ClassWords {
  std::uint64_t* name;
  std::uint64_t* dot;
  std::uint64_t* newline;
  std::uint64_t* rare;
};

#if defined(__x86_64__) && defined(__GNUC__)
// `size` bytes at `p` into (size + 63) / 64 words of each class; bits past the end are zero.
void classify_words_avx2(const char* p, std::size_t size, ClassWords& out);
#endif

}  // namespace ashiato::ioc
