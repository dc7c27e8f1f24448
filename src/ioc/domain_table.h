// Domain indicators looked up by every suffix of a host name on label boundaries, in one pass
// from the right over the name: each suffix's hash is extended by one label at a time, tested
// against a bit filter that fits in cache (nearly every host in a log matches nothing), and only
// then looked up in an open-addressing table and compared. The cost per host does not depend on
// the number of indicators.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ashiato::ioc {

class DomainTable {
 public:
  // `domain` in normal form (lowercase, no trailing dot); the first index given for a name stays.
  void add(std::string_view domain, int index);
  // Builds the lookup structures; call once after the last add().
  void build();
  bool empty() const { return spans_.empty(); }
  // The index of the longest indicator that is `host` or a parent domain of it; -1 if none.
  // `host` may have upper case letters and a trailing dot.
  int match(std::string_view host) const;

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::int32_t entry = -1;  // into spans_/indices_
  };
  struct Span {
    std::uint32_t offset, size;
  };
  bool same(std::string_view host_suffix, std::size_t entry) const;
  std::string_view name(std::size_t entry) const { return {names_.data() + spans_[entry].offset, spans_[entry].size}; }

  std::string names_;  // all names back to back: one allocation for a list of 100,000
  std::vector<Span> spans_;
  std::vector<int> indices_;
  std::size_t fewest_labels_ = 1;
  std::vector<std::uint64_t> filter_;  // one bit per hash value (low bits)
  std::uint64_t filter_mask_ = 0;
  std::vector<Slot> slots_;
  std::uint64_t slot_mask_ = 0;
};

}  // namespace ashiato::ioc
