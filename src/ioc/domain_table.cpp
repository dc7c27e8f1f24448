#include "ioc/domain_table.h"

#include <algorithm>
#include <bit>

namespace ashiato::ioc {
namespace {

constexpr std::uint64_t kSeed = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;

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

inline std::uint64_t absorb(std::uint64_t h, std::uint64_t word) {
  h = (h ^ word) * kMultiplier;
  return h ^ (h >> 29);
}

// Calls fn(start, hash) for every suffix of `host` that starts at a label boundary, shortest
// first, until fn returns false. The hash takes in whole labels (lowercased, eight bytes to a
// multiplication, with their lengths) from the right: one multiplication per label of a host
// instead of one per character.
template <typename Fn>
void for_each_suffix_hash(std::string_view host, Fn&& fn) {
  std::uint64_t h = kSeed;
  std::size_t end = host.size();
  for (;;) {
    // The label before `end`, eight bytes at a time from its end.
    std::size_t i = end;
    std::uint64_t word = 0;
    unsigned filled = 0;
    while (i > 0 && host[i - 1] != '.') {
      --i;
      word = (word << 8) | static_cast<unsigned char>(lower(host[i]));
      if (++filled == 8) {
        h = absorb(h, word);
        word = 0;
        filled = 0;
      }
    }
    h = absorb(h, word ^ (static_cast<std::uint64_t>(end - i) << 56));
    if (!fn(i, finish(h)) || i == 0) return;
    end = i - 1;
  }
}

}  // namespace

void DomainTable::add(std::string_view domain, int index) {
  const auto labels = static_cast<std::size_t>(std::count(domain.begin(), domain.end(), '.')) + 1;
  if (spans_.empty() || labels < fewest_labels_) fewest_labels_ = labels;
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
    std::uint64_t h = 0;
    for_each_suffix_hash(name(e), [&h](std::size_t, std::uint64_t suffix) {
      h = suffix;
      return true;
    });
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
  if (host.empty() || host.size() > 253) return -1;  // longer than any DNS name: not a host
  int found = -1;
  std::size_t labels = 0;
  for_each_suffix_hash(host, [&](std::size_t start, std::uint64_t m) {
    // Suffixes with fewer labels than any name ("com" when all are "x.com" or longer) are skipped.
    if (++labels < fewest_labels_) return true;
    if ((filter_[(m & filter_mask_) >> 6] & (1ULL << (m & 63))) == 0) return true;
    for (std::size_t s = (m >> 20) & slot_mask_; slots_[s].entry >= 0; s = (s + 1) & slot_mask_) {
      if (slots_[s].hash == m && same(host.substr(start), static_cast<std::size_t>(slots_[s].entry))) {
        found = indices_[static_cast<std::size_t>(slots_[s].entry)];  // longer suffixes come later
        break;
      }
    }
    return true;
  });
  return found;
}

}  // namespace ashiato::ioc
