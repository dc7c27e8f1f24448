// The set of last labels ("com", "jp", "xn--p1ai") of a list of domain names. A host whose last
// label is not in it cannot be any of the names or below them, and the test costs one probe of a
// small table: labels of up to eight characters are packed into a 64-bit key.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace ashiato::ioc {

class TopLabels {
 public:
  // `name` in normal form (lowercase, no trailing dot).
  void add_name_of(std::string_view name);
  // `label` in any case.
  bool contains(std::string_view label) const;
  // Whether some label ends in `c` (any case): a one-bit test that rules out most runs of a log
  // line (numbers, file names) before their last label is even found.
  bool may_end_with(char c) const {
    const auto byte = static_cast<unsigned char>(c | 0x20);
    return (last_characters_[byte >> 6] >> (byte & 63)) & 1U;
  }

 private:
  void insert(std::uint64_t key);

  std::uint64_t last_characters_[4] = {0, 0, 0, 0};  // lowercase, with bit 0x20 set as may_end_with tests
  std::vector<std::uint64_t> slots_;                 // packed labels, 0 = empty
  std::size_t count_ = 0;
  std::unordered_set<std::string> long_labels_;  // longer than eight characters, lowercase
};

}  // namespace ashiato::ioc
