#include "ioc/domain_table.h"

#include <algorithm>
#include <bit>
#include <cstring>

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

constexpr std::uint64_t kDots = 0x2E2E2E2E2E2E2E2EULL;
// Byte b of a word loaded from p is p[b] below.
static_assert(std::endian::native == std::endian::little);

// Per byte of `w`: the high bit set where the byte is '.', exactly (no borrow between bytes).
inline std::uint64_t dot_bytes(std::uint64_t w) {
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const std::uint64_t x = w ^ kDots;
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

// ASCII upper case to lower case in all eight bytes of `w` at once.
inline std::uint64_t lower8(std::uint64_t w) {
  const std::uint64_t heptets = w & 0x7F7F7F7F7F7F7F7FULL;
  const std::uint64_t at_least_a = heptets + 0x3F3F3F3F3F3F3F3FULL;  // high bit: byte >= 'A'
  const std::uint64_t beyond_z = heptets + 0x2525252525252525ULL;    // high bit: byte > 'Z'
  const std::uint64_t upper = (at_least_a ^ beyond_z) & ~w & 0x8080808080808080ULL;
  return w | (upper >> 2);
}

// Calls fn(start, hash) for every suffix of `host` that starts at a label boundary, shortest
// first, until fn returns false. The hash takes in whole labels from the right, eight bytes at a
// time (lowercased, and where the label starts found, in one step each), then the label's length:
// a few multiplications per host rather than work per character.
template <typename Fn>
void for_each_suffix_hash(std::string_view host, Fn&& fn) {
  std::uint64_t h = kSeed;
  const char* base = host.data();
  std::size_t end = host.size();
  for (;;) {
    // The label that ends at `end`, from its end; bytes before the host read as dots.
    std::uint64_t length = 0;
    for (;;) {
      std::uint64_t w = kDots;
      if (end >= 8) {
        std::memcpy(&w, base + end - 8, 8);
      } else {
        std::memcpy(reinterpret_cast<char*>(&w) + (8 - end), base, end);
      }
      const std::uint64_t dots = dot_bytes(w);
      if (dots == 0) {
        h = absorb(h, lower8(w));
        length += 8;
        end -= 8;
        continue;
      }
      const int last_dot = (63 - std::countl_zero(dots)) / 8;  // byte index; byte b is base[end - 8 + b]
      const int in_label = 7 - last_dot;
      if (in_label > 0) h = absorb(h, lower8(w) >> (8 * (last_dot + 1)));
      length += static_cast<std::uint64_t>(in_label);
      end -= static_cast<std::size_t>(in_label);
      break;
    }
    h = absorb(h, length << 56);
    if (!fn(end, finish(h)) || end == 0) return;
    --end;  // the dot
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
