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

 private:
  void insert(std::uint64_t key);

  std::vector<std::uint64_t> slots_;  // packed labels, 0 = empty
  std::size_t count_ = 0;
  std::unordered_set<std::string> long_labels_;  // longer than eight characters, lowercase
};

}  // namespace ashiato::ioc
