#include "ioc/top_labels.h"

#include <bit>

#include "ioc/text_util.h"

namespace ashiato::ioc {
namespace {

constexpr std::size_t kPacked = 8;

// Up to eight lowercase bytes, first byte lowest; labels have no zero bytes, so lengths differ.
std::uint64_t pack(std::string_view label) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < label.size(); ++i) {
    key |= static_cast<std::uint64_t>(static_cast<unsigned char>(to_lower(label[i]))) << (8 * i);
  }
  return key;
}

std::size_t slot_of(std::uint64_t key, std::size_t slots) {
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 40) & (slots - 1);
}

}  // namespace

void TopLabels::add_name_of(std::string_view name) {
  const std::string_view label = name.substr(name.rfind('.') + 1);
  if (label.empty()) return;
  const auto last = static_cast<unsigned char>(label.back() | 0x20);
  last_characters_[last >> 6] |= 1ULL << (last & 63);
  if (label.size() > kPacked) {
    long_labels_.emplace(lowercase(label));
    return;
  }
  insert(pack(label));
}

void TopLabels::insert(std::uint64_t key) {
  if ((count_ + 1) * 4 > slots_.size()) {
    // Grow to keep the table at most a quarter full: probes stay short.
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(64, old.size() * 2), 0);
    count_ = 0;
    for (std::uint64_t k : old) {
      if (k != 0) insert(k);
    }
  }
  for (std::size_t s = slot_of(key, slots_.size());; s = (s + 1) & (slots_.size() - 1)) {
    if (slots_[s] == key) return;
    if (slots_[s] == 0) {
      slots_[s] = key;
      ++count_;
      return;
    }
  }
}

bool TopLabels::contains(std::string_view label) const {
  if (label.empty()) return false;
  if (label.size() > kPacked) return !long_labels_.empty() && long_labels_.count(lowercase(label)) != 0;
  if (slots_.empty()) return false;
  const std::uint64_t key = pack(label);
  for (std::size_t s = slot_of(key, slots_.size()); slots_[s] != 0; s = (s + 1) & (slots_.size() - 1)) {
    if (slots_[s] == key) return true;
  }
  return false;
}

}  // namespace ashiato::ioc
