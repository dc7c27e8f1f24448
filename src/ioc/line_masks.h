// Text as bit masks, one bit per byte: which bytes belong to runs of host-name characters
// (letters, digits, '.', '-', '_', ':'), which are dots, colons, backslashes and line ends. Host
// names, IP literals and their pieces are then found with a few bit operations per run instead of
// a branch per byte; the masks are built 16 bytes at a time (SSE2, which every x86-64 has; a byte
// loop elsewhere). One mask covers up to kMaxText bytes: a line, or a window of whole lines.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ashiato::ioc {

class LineMasks {
 public:
  static constexpr std::size_t kMaxText = 4096;

  // `text` of at most kMaxText bytes.
  void build(std::string_view text);

  std::size_t size() const { return size_; }
  // First dot, colon, backslash or '\n' in [from, limit) (limit <= size()); `limit` if none.
  std::size_t next_dot(std::size_t from, std::size_t limit) const { return next_set(dot_, from, limit); }
  std::size_t next_colon(std::size_t from, std::size_t limit) const { return next_set(colon_, from, limit); }
  std::size_t next_backslash(std::size_t from, std::size_t limit) const { return next_set(backslash_, from, limit); }
  std::size_t next_newline(std::size_t from) const { return next_set(newline_, from, size_); }
  // The run of host-name characters holding byte `i` (which must be one) as [start, end).
  std::size_t run_start(std::size_t i) const {
    std::size_t w = i >> 6;
    const unsigned shift = static_cast<unsigned>(i & 63);
    // Bytes below i that are no run characters (none to look at when i starts its word).
    std::uint64_t outside = shift == 0 ? 0 : ~run_[w] & ((1ULL << shift) - 1);
    while (outside == 0) {
      if (w == 0) return 0;
      outside = ~run_[--w];
    }
    return (w << 6) + 64 - static_cast<std::size_t>(std::countl_zero(outside));
  }
  std::size_t run_end(std::size_t i) const {
    std::size_t w = i >> 6;
    std::uint64_t outside = ~run_[w] & (~0ULL << (i & 63));
    while (outside == 0) {
      if (++w == words_) return size_;
      outside = ~run_[w];
    }
    const std::size_t end = (w << 6) + static_cast<std::size_t>(std::countr_zero(outside));
    return end < size_ ? end : size_;
  }

 private:
  static constexpr std::size_t kWords = kMaxText / 64;
  static std::size_t next_set(const std::uint64_t* mask, std::size_t from, std::size_t limit) {
    if (from >= limit) return limit;
    std::size_t w = from >> 6;
    const std::size_t last = (limit - 1) >> 6;
    std::uint64_t bits = mask[w] & (~0ULL << (from & 63));
    while (bits == 0) {
      if (w == last) return limit;
      bits = mask[++w];
    }
    const std::size_t found = (w << 6) + static_cast<std::size_t>(std::countr_zero(bits));
    return found < limit ? found : limit;
  }

  std::size_t size_ = 0;
  std::size_t words_ = 0;
  // Bits past the end of the text are zero.
  std::uint64_t run_[kWords];
  std::uint64_t dot_[kWords];
  std::uint64_t colon_[kWords];
  std::uint64_t backslash_[kWords];
  std::uint64_t newline_[kWords];
};

}  // namespace ashiato::ioc
