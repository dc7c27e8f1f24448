#include "ioc/domain_table.h"

#include <bit>

namespace ashiato::ioc {
namespace {

constexpr std::uint64_t kPrime = 0x100000001b3ULL;  // FNV-1a's prime, applied from the right
constexpr std::uint64_t kSeed = 0xcbf29ce484222325ULL;

inline char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// The final mix spreads the low bits, which index the filter and the table.
inline std::uint64_t finish(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

// Hash of `name` read from its end, as match() computes it for each suffix.
std::uint64_t hash_from_right(std::string_view name) {
  std::uint64_t h = kSeed;
  for (std::size_t i = name.size(); i-- > 0;) h = (h ^ static_cast<unsigned char>(lower(name[i]))) * kPrime;
  return h;
}

}  // namespace

void DomainTable::add(std::string_view domain, int index) {
  spans_.push_back(Span{static_cast<std::uint32_t>(names_.size()), static_cast<std::uint32_t>(domain.size())});
  names_.append(domain);
  indices_.push_back(index);
}

void DomainTable::build() {
  const std::size_t n = spans_.size();
  // About 16 filter bits per name keeps false positives near 6%.
  std::size_t bits = std::bit_ceil(std::max<std::size_t>(n * 16, 1 << 12));
  filter_.assign(bits / 64, 0);
  filter_mask_ = bits - 1;
  std::size_t slots = std::bit_ceil(std::max<std::size_t>(n * 2, 16));
  slots_.assign(slots, Slot{});
  slot_mask_ = slots - 1;
  for (std::size_t e = 0; e < n; ++e) {
    const std::uint64_t h = finish(hash_from_right(name(e)));
    filter_[(h & filter_mask_) >> 6] |= 1ULL << (h & 63);
    std::size_t s = (h >> 20) & slot_mask_;
    bool duplicate = false;
    while (slots_[s].entry >= 0) {
      if (slots_[s].hash == h && name(static_cast<std::size_t>(slots_[s].entry)) == name(e)) {
        duplicate = true;  // the first index given for a name stays
        break;
      }
      s = (s + 1) & slot_mask_;
    }
    if (!duplicate) slots_[s] = Slot{h, static_cast<std::int32_t>(e)};
  }
}

bool DomainTable::same(std::string_view host_suffix, std::size_t entry) const {
  const std::string_view stored = name(entry);
  if (stored.size() != host_suffix.size()) return false;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    if (lower(host_suffix[i]) != stored[i]) return false;
  }
  return true;
}

int DomainTable::match(std::string_view host) const {
  if (spans_.empty()) return -1;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.size() > 253) return -1;  // longer than any DNS name: not a host
  int found = -1;
  std::uint64_t h = kSeed;
  for (std::size_t i = host.size(); i-- > 0;) {
    h = (h ^ static_cast<unsigned char>(lower(host[i]))) * kPrime;
    if (i != 0 && host[i - 1] != '.') continue;  // a suffix starts at a label boundary only
    const std::uint64_t m = finish(h);
    if ((filter_[(m & filter_mask_) >> 6] & (1ULL << (m & 63))) == 0) continue;
    for (std::size_t s = (m >> 20) & slot_mask_; slots_[s].entry >= 0; s = (s + 1) & slot_mask_) {
      if (slots_[s].hash == m && same(host.substr(i), static_cast<std::size_t>(slots_[s].entry))) {
        found = indices_[static_cast<std::size_t>(slots_[s].entry)];  // longer suffixes come later
        break;
      }
    }
  }
  return found;
}

}  // namespace ashiato::ioc
