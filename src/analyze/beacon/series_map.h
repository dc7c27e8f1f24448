// Series by (host, destination): a hash index of 8-byte slots over entries kept in chunks, in the
// order they came. A proxy log may hold millions of series, most with a sample or two; with a
// node-based map each lookup cost four cache misses (bucket, previous node, node, key) and each
// growth walked every node, which was most of the time on such logs. Here a lookup reads a slot
// and its entry, growing rehashes from a flat array of hashes, and entries never move (references
// to them stay valid).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "analyze/beacon/series_key.h"

namespace ashiato::analyze::beacon {

template <typename Value>
class SeriesMapBase {
 public:
  using value_type = std::pair<SeriesKey, Value>;

  template <typename Entry, typename Owner>
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<SeriesKey, Value>;
    using difference_type = std::ptrdiff_t;
    using pointer = Entry*;
    using reference = Entry&;
    Iterator() = default;
    Iterator(Owner* map, std::size_t index) : map_(map), index_(index) {}
    reference operator*() const { return map_->entry(index_); }
    pointer operator->() const { return &map_->entry(index_); }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++index_;
      return old;
    }
    bool operator==(const Iterator& o) const { return index_ == o.index_; }
    std::size_t index() const { return index_; }

   private:
    Owner* map_ = nullptr;
    std::size_t index_ = 0;
  };
  using iterator = Iterator<value_type, SeriesMapBase>;
  using const_iterator = Iterator<const value_type, const SeriesMapBase>;

  SeriesMapBase() = default;
  // A map moved from is empty (not left with a size and no entries).
  SeriesMapBase(SeriesMapBase&& other) noexcept
      : chunks_(std::move(other.chunks_)),
        hashes_(std::move(other.hashes_)),
        slots_(std::move(other.slots_)),
        size_(std::exchange(other.size_, 0)) {
    other.clear();
  }
  SeriesMapBase& operator=(SeriesMapBase&& other) noexcept {
    if (this != &other) {
      chunks_ = std::move(other.chunks_);
      hashes_ = std::move(other.hashes_);
      slots_ = std::move(other.slots_);
      size_ = std::exchange(other.size_, 0);
      other.clear();
    }
    return *this;
  }
  SeriesMapBase(const SeriesMapBase& other) : hashes_(other.hashes_), slots_(other.slots_), size_(other.size_) {
    for (std::size_t c = 0; c < other.chunks_.size(); ++c) {
      chunks_.push_back(std::make_unique<value_type[]>(kChunk));
      const std::size_t n = std::min(kChunk, size_ - c * kChunk);
      std::copy(other.chunks_[c].get(), other.chunks_[c].get() + n, chunks_.back().get());
    }
  }
  SeriesMapBase& operator=(const SeriesMapBase& other) {
    if (this != &other) *this = SeriesMapBase(other);
    return *this;
  }
  ~SeriesMapBase() = default;

  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void clear() {
    chunks_.clear();
    hashes_.clear();
    slots_.clear();
    size_ = 0;
  }

  void reserve(std::size_t entries) {
    hashes_.reserve(entries);
    if (entries * 2 > slots_.size()) rehash(entries * 2);
  }

  iterator find(const SeriesKeyView& key) { return {this, locate(key, SeriesKeyHash{}(key))}; }
  const_iterator find(const SeriesKeyView& key) const { return {this, locate(key, SeriesKeyHash{}(key))}; }
  std::size_t count(const SeriesKeyView& key) const { return find(key) == end() ? 0 : 1; }
  // The series of `key`, made (empty) when new; `fresh` says which.
  std::pair<iterator, bool> try_emplace(const SeriesKeyView& key) { return try_emplace(key, hash_of(key)); }
  // The same with the key's hash_of computed before (on another thread, say).
  std::pair<iterator, bool> try_emplace(const SeriesKeyView& key, std::size_t hash) {
    if (const std::size_t at = locate(key, hash); at != size_) return {iterator(this, at), false};
    return {iterator(this, add(SeriesKey{std::string(key.src), std::string(key.dst), key.kind}, hash)), true};
  }
  std::pair<iterator, bool> try_emplace(SeriesKey&& key) {
    const std::size_t hash = SeriesKeyHash{}(key);
    if (const std::size_t at = locate(SeriesKeyEqual::view(key), hash); at != size_) {
      return {iterator(this, at), false};
    }
    return {iterator(this, add(std::move(key), hash)), true};
  }
  std::pair<iterator, bool> emplace(SeriesKey key, Value value) {
    auto result = try_emplace(std::move(key));
    if (result.second) result.first->second = std::move(value);
    return result;
  }
  // Lookups in a batch: with the hashes known ahead, the slot and then the entry of a later key are
  // fetched into the cache while earlier keys are handled (the serial merge of a large log's
  // connections waited on memory most of its time).
  static std::size_t hash_of(const SeriesKeyView& key) { return SeriesKeyHash{}(key); }
  void prefetch_slot(std::size_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  void prefetch_entry(std::size_t hash) const {
    if (slots_.empty()) return;
    const Slot slot = slots_[hash & (slots_.size() - 1)];
    if (slot.index_plus_one != 0) __builtin_prefetch(&entry(slot.index_plus_one - 1));
  }

  Value& operator[](const SeriesKeyView& key) { return try_emplace(key).first->second; }
  Value& at(const SeriesKeyView& key) {
    const std::size_t index = locate(key, SeriesKeyHash{}(key));
    if (index == size_) throw std::out_of_range("no such series");
    return entry(index).second;
  }
  const Value& at(const SeriesKeyView& key) const {
    const std::size_t index = locate(key, SeriesKeyHash{}(key));
    if (index == size_) throw std::out_of_range("no such series");
    return entry(index).second;
  }

  // Hands every entry to `take`, in order, and empties the map, freeing its storage as it goes:
  // merging a large map into another then needs little more memory than the two hold.
  template <typename Take>
  void drain(Take&& take) {
    hashes_ = {};
    slots_ = {};
    for (std::size_t i = 0; i < size_; ++i) {
      take(entry(i));
      if ((i & (kChunk - 1)) == kChunk - 1 || i + 1 == size_) chunks_[i >> kChunkBits].reset();
    }
    clear();
  }

  value_type& entry(std::size_t index) { return chunks_[index >> kChunkBits][index & (kChunk - 1)]; }
  const value_type& entry(std::size_t index) const { return chunks_[index >> kChunkBits][index & (kChunk - 1)]; }

 private:
  static constexpr std::size_t kChunkBits = 8;
  static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;
  // A slot: 0 empty, else the entry's index + 1, and 32 bits of its hash to skip most others.
  struct Slot {
    std::uint32_t index_plus_one = 0;
    std::uint32_t tag = 0;
  };
  static std::uint32_t tag_of(std::size_t hash) { return static_cast<std::uint32_t>(hash >> 32); }

  // The entry's index, or size_ when absent.
  std::size_t locate(const SeriesKeyView& key, std::size_t hash) const {
    if (slots_.empty()) return size_;
    const std::size_t mask = slots_.size() - 1;
    const std::uint32_t tag = tag_of(hash);
    for (std::size_t pos = hash & mask;; pos = (pos + 1) & mask) {
      const Slot slot = slots_[pos];
      if (slot.index_plus_one == 0) return size_;
      const std::size_t index = slot.index_plus_one - 1;
      if (slot.tag == tag && SeriesKeyEqual{}(entry(index).first, key)) return index;
    }
  }

  std::size_t add(SeriesKey&& key, std::size_t hash) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(std::max<std::size_t>(slots_.size() * 2, 64));
    if ((size_ & (kChunk - 1)) == 0) chunks_.push_back(std::make_unique<value_type[]>(kChunk));
    const std::size_t index = size_++;
    entry(index).first = std::move(key);
    hashes_.push_back(hash);
    place(index, hash);
    return index;
  }

  void place(std::size_t index, std::size_t hash) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t pos = hash & mask;
    while (slots_[pos].index_plus_one != 0) pos = (pos + 1) & mask;
    slots_[pos] = Slot{static_cast<std::uint32_t>(index + 1), tag_of(hash)};
  }

  void rehash(std::size_t wanted) {
    std::size_t capacity = 64;
    while (capacity < wanted) capacity *= 2;
    slots_.assign(capacity, Slot{});
    for (std::size_t i = 0; i < size_; ++i) place(i, hashes_[i]);
  }

  std::vector<std::unique_ptr<value_type[]>> chunks_;
  std::vector<std::size_t> hashes_;  // by entry: rehashing reads these, not the entries
  std::vector<Slot> slots_;          // a power of two, at most half full
  std::size_t size_ = 0;
};

}  // namespace ashiato::analyze::beacon
