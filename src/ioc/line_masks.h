// Lines of text as bit masks, one bit per byte, so that a log line is searched for host names and
// addresses with a few bit operations per word instead of a branch per byte. The masks mark the
// bytes of names (runs of letters, digits, '.', '-', '_'), dots and line ends, and from them the
// "marks" worth a look: the last byte of every name run that holds a dot (a name or an IPv4 address can only end
// there), and bytes that make a line worth parsing whatever else it holds (a backslash, which may
// escape a character of a name; a '#' starting a header or directive line; an empty line). They
// are built 16 bytes at a time (SSE2, which every x86-64 has; a byte loop elsewhere), over up to
// kMaxText bytes: one line, or a window of whole lines.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ioc/line_classes.h"

namespace ashiato::ioc {

class LineMasks {
 public:
  static constexpr std::size_t kMaxText = 4096;

  // `text`: at most kMaxText bytes (more are ignored), starting at a line start. With
  // `name_end_bytes`, only name ends on one of those bytes are marks (a cheap first test done for
  // 32 bytes at once).
  void build(std::string_view text, const ByteSet* name_end_bytes = nullptr);

  std::size_t size() const { return size_; }
  // The first mark at or after `from` (size() if none).
  std::size_t next_mark(std::size_t from) const { return next_set(marks_, from, size_); }
  // Whether mark `i` makes its line worth parsing by itself (it is no name end).
  bool is_forcing(std::size_t i) const { return bit(forcing_, i); }
  // The first forcing mark in [from, limit) (limit <= size()), or `limit`.
  std::size_t next_forcing(std::size_t from, std::size_t limit) const { return next_set(forcing_, from, limit); }
  // The first byte of the name run whose last byte is `end`.
  std::size_t name_start(std::size_t end) const {
    std::size_t w = end >> 6;
    const unsigned shift = static_cast<unsigned>(end & 63);
    // Bytes below `end` in its word that are no name bytes.
    std::uint64_t outside = shift == 0 ? 0 : ~name_[w] & ((1ULL << shift) - 1);
    while (outside == 0) {
      if (w == 0) return 0;
      outside = ~name_[--w];
    }
    return (w << 6) + 64 - static_cast<std::size_t>(std::countl_zero(outside));
  }
  // The line holding byte `i`: its first byte and its '\n' (size() for the last line).
  std::size_t line_start(std::size_t i) const;
  std::size_t line_end(std::size_t i) const { return next_set(newline_, i, size_); }

 private:
  static constexpr std::size_t kWords = kMaxText / 64;
  static bool bit(const std::uint64_t* mask, std::size_t i) { return (mask[i >> 6] >> (i & 63)) & 1U; }
  // The first set bit in [from, limit) (limit <= size()), or `limit`.
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
  std::uint64_t name_[kWords];
  std::uint64_t dot_[kWords];
  std::uint64_t newline_[kWords];
  std::uint64_t forcing_[kWords];
  std::uint64_t marks_[kWords];  // name ends and forcing bytes
};

}  // namespace ashiato::ioc
