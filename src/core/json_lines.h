// JSON lines and concatenated JSON objects, split so that each object is parsed on its own: one
// broken object (bad syntax, a raw control character, a line an attacker wrote) is reported with
// its line and the reading goes on at the next, where one parse over the whole text stopped at the
// first error and lost everything after it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ashiato {

// Offsets where objects start: every line whose first byte is '{'. Pretty-printed objects indent
// everything inside them, so this holds for JSON lines and for concatenated pretty objects alike.
std::vector<std::size_t> json_object_starts(std::string_view text);

// The 1-based line of offsets asked for in increasing order (counts newlines as it goes).
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  std::uint64_t line_at(std::size_t offset);

 private:
  std::string_view text_;
  std::size_t counted_to_ = 0;
  std::uint64_t line_ = 1;
};

}  // namespace ashiato
