#include "sigma/engine/value_memo.h"

#include <algorithm>
#include <functional>
#include <memory>

namespace ashiato::sigma {
namespace {

// Limits of one memo (tables of about 4 MB, small enough to stay in the caches that a memo lookup
// must beat, plus up to 5 MB of values and needle lists); a hunt over logs with more distinct
// values than this keeps the most recent ones' answers after each fresh start.
constexpr std::uint32_t kMaxEntries = 1U << 15;
constexpr std::size_t kMaxText = std::size_t{4} << 20;
constexpr std::size_t kMaxFacts = std::size_t{1} << 16;
constexpr std::size_t kMaxListItems = std::size_t{1} << 18;

std::uint64_t value_hash(FieldId field, std::string_view value) {
  return std::hash<std::string_view>{}(value) ^ ((field + 1ULL) * ValueMemo::kMix);
}

std::uint64_t fact_key(std::uint32_t entry, std::uint32_t tag) {
  return (std::uint64_t{entry} << 32) | tag;
}

// Doubles an open-addressing table (its size a power of two) and puts its slots back.
template <class Slot>
void double_table(std::vector<Slot>& table) {
  std::vector<Slot> old(table.size() * 2);  // default slots are free
  old.swap(table);
  const std::size_t mask = table.size() - 1;
  for (const Slot& slot : old) {
    if (slot.free()) continue;
    std::size_t at = slot.home() & mask;
    while (!table[at].free()) at = (at + 1) & mask;
    table[at] = slot;
  }
}

}  // namespace

ValueMemo::ValueMemo() {
  clear();
}

ValueMemo& ValueMemos::switch_to(std::uint64_t owner) {
  std::size_t at = 0;
  while (at < memos_.size() && memos_[at]->owner_ != owner) ++at;
  if (at == memos_.size()) {
    if (memos_.size() < kOwners) {
      memos_.push_back(std::make_unique<ValueMemo>());
      last_switch_.push_back(0);
    } else {  // the memo switched to least recently starts afresh for the new owner
      at = static_cast<std::size_t>(std::min_element(last_switch_.begin(), last_switch_.end()) - last_switch_.begin());
    }
    memos_[at]->clear();
    memos_[at]->owner_ = owner;
  }
  last_switch_[at] = ++switches_;
  current_ = memos_[at].get();
  return *current_;
}

void ValueMemos::trim() {
  for (auto& memo : memos_) {
    if (memo->outgrown()) memo->clear();
  }
}

bool ValueMemo::outgrown() const {
  return entries_ >= kMaxEntries || text_.size() >= kMaxText || fact_count_ >= kMaxFacts ||
         lists_.size() >= kMaxListItems;
}

void ValueMemo::clear() {
  // Tables keep their size: a memo that outgrew its limits once will fill them again.
  values_.assign(std::max<std::size_t>(values_.size(), 1024), ValueSlot{});
  entries_ = 0;
  text_.clear();
  facts_.assign(std::max<std::size_t>(facts_.size(), 4096), FactSlot{});
  fact_count_ = 0;
  lists_.clear();
  event_stamp_.assign(event_stamp_.size(), 0);
  repetition_.clear();  // judged afresh: the logs read next may repeat differently
}

std::uint32_t ValueMemo::look_up(const Event& event, std::uint32_t i, std::uint64_t generation) {
  if (i >= event_stamp_.size()) {
    event_stamp_.resize(i + 1, 0);
    event_entry_.resize(i + 1, kNone);
  }
  event_stamp_[i] = generation;
  event_entry_[i] = kNone;
  const FieldId field = event.field_id(i);
  if (field >= repetition_.size()) repetition_.resize(field + 1);
  Repetition& r = repetition_[field];
  if (r.worth_it()) {
    bool created = false;
    const std::uint32_t found = entry(field, event.field_value(i), &created);
    if (found != kNone && r.lookups < kJudgedAfter) {
      ++r.lookups;
      r.repeats += created ? 0 : 1;
    }
    // A value seen for the first time gets no answers kept: most values seen once are never
    // seen again, and their answers would only crowd the facts of those that repeat.
    if (!created) event_entry_[i] = found;
  }
  return event_entry_[i];
}

std::uint32_t ValueMemo::entry(FieldId field, std::string_view value, bool* created) {
  if (value.size() > kLongestValue) return kNone;
  const std::uint64_t hash = value_hash(field, value);
  const std::size_t mask = values_.size() - 1;
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    ValueSlot& slot = values_[at];
    if (slot.free()) {
      slot = ValueSlot{hash, entries_, field, static_cast<std::uint32_t>(text_.size()),
                       static_cast<std::uint32_t>(value.size())};
      text_.append(value);
      *created = true;
      const std::uint32_t made = entries_++;
      if (std::size_t{entries_} * 2 > values_.size()) double_table(values_);
      return made;
    }
    if (slot.hash == hash && slot.field == field && std::string_view(text_).substr(slot.offset, slot.length) == value)
      return slot.entry;
  }
}

const std::uint64_t* ValueMemo::find(std::uint32_t entry, std::uint32_t tag) const {
  const FactSlot wanted{fact_key(entry, tag), 0};
  const std::size_t mask = facts_.size() - 1;
  for (std::size_t at = wanted.home() & mask;; at = (at + 1) & mask) {
    const FactSlot& slot = facts_[at];
    if (slot.key == wanted.key) return &slot.fact;
    if (slot.free()) return nullptr;
  }
}

void ValueMemo::put(std::uint32_t entry, std::uint32_t tag, std::uint64_t fact) {
  const FactSlot slot{fact_key(entry, tag), fact};
  const std::size_t mask = facts_.size() - 1;
  std::size_t at = slot.home() & mask;
  while (!facts_[at].free() && facts_[at].key != slot.key) at = (at + 1) & mask;
  if (facts_[at].free()) ++fact_count_;
  facts_[at] = slot;
  if (fact_count_ * 2 > facts_.size()) double_table(facts_);
}

std::uint64_t ValueMemo::store_list(const std::vector<std::uint32_t>& list) {
  const std::uint64_t fact = (std::uint64_t{lists_.size()} << 32) | list.size();
  lists_.insert(lists_.end(), list.begin(), list.end());
  return fact;
}

}  // namespace ashiato::sigma
