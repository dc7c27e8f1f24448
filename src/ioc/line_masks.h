// A log line as bit masks, one bit per byte: which bytes belong to runs of host-name characters
// (letters, digits, '.', '-', '_', ':'), which are dots and which are colons. Host names, IP
// literals and their pieces are then found with a few bit operations per run instead of a branch
// per byte; the masks are built 16 bytes at a time (SSE2, which every x86-64 has; a byte loop
// elsewhere).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ashiato::ioc {

class LineMasks {
 public:
  // Longer lines are not masked (build() returns false): they are rare, and callers scan them
  // byte by byte instead.
  static constexpr std::size_t kMaxLine = 4096;

  bool build(std::string_view line);

  bool has_backslash() const { return backslash_; }
  bool is_dot(std::size_t i) const { return bit(dot_, i); }
  // First dot at or after `from` (size() if none).
  std::size_t next_dot(std::size_t from) const { return next_set(dot_, from); }
  // First colon at or after `from` (size() if none).
  std::size_t next_colon(std::size_t from) const { return next_set(colon_, from); }
  // The run of host-name characters holding byte `i` (which must be one) as [start, end).
  std::size_t run_start(std::size_t i) const;
  std::size_t run_end(std::size_t i) const;
  std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t kWords = kMaxLine / 64;
  static bool bit(const std::uint64_t* mask, std::size_t i) { return (mask[i >> 6] >> (i & 63)) & 1U; }
  std::size_t next_set(const std::uint64_t* mask, std::size_t from) const;

  std::size_t size_ = 0;
  std::size_t words_ = 0;
  bool backslash_ = false;
  // Bits past the end of the line are zero.
  std::uint64_t run_[kWords];
  std::uint64_t dot_[kWords];
  std::uint64_t colon_[kWords];
};

}  // namespace ashiato::ioc
