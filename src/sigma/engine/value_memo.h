// What matching learned about single field values, kept across the events one matching state
// (match_state.h) sees.
// Windows logs repeat their values (images, parent images, users, logon types, service paths),
// so the answers that depend on one value alone — which prefilter literals it holds, whether a
// detection item accepts it — are remembered under (field, value) and looked up the next time
// instead of being worked out again. Values are compared in full (no hash-only identity), so a
// remembered answer is always the answer. Bounded: past its limits the memo starts afresh.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace ashiato::sigma {

class ValueMemo {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffU;
  // Longer values (whole scripts, long command lines) are rarely repeated: not kept.
  static constexpr std::size_t kLongestValue = 1024;
  // Golden-ratio multiplier: spreads field ids and fact keys over the tables.
  static constexpr std::uint64_t kMix = 0x9E3779B97F4A7C15ULL;

  ValueMemo();

  // The entry of the event's value at field position `i` (see EventFieldIndex), or kNone
  // (value too long, or a field whose values seldom repeat, such as a record's own ids).
  // `generation` is that of the event's EventFieldIndex, which callers have at hand. Inline for
  // the usual case, a position already looked up for this event: asked millions of times.
  std::uint32_t entry_of(const Event& event, std::uint32_t i, std::uint64_t generation) {
    if (i < event_stamp_.size() && event_stamp_[i] == generation) return event_entry_[i];
    return look_up(event, i, generation);
  }

  // Facts about an entry, under a tag of the caller's choosing (item or literal slot).
  const std::uint64_t* find(std::uint32_t entry, std::uint32_t tag) const;
  void put(std::uint32_t entry, std::uint32_t tag, std::uint64_t fact);
  // Lists of numbers as facts.
  std::uint64_t store_list(const std::vector<std::uint32_t>& list);
  const std::uint32_t* list_data(std::uint64_t fact) const { return lists_.data() + (fact >> 32); }
  static std::uint32_t list_size(std::uint64_t fact) { return static_cast<std::uint32_t>(fact); }

 private:
  struct ValueSlot {
    std::uint64_t hash = 0;
    std::uint32_t entry = kNone;  // kNone: free
    FieldId field = kNoField;
    std::uint32_t offset = 0, length = 0;  // in text_
    bool free() const { return entry == kNone; }
    std::uint64_t home() const { return hash; }
  };
  static constexpr std::uint64_t kFree = ~std::uint64_t{0};
  struct FactSlot {
    std::uint64_t key = kFree;
    std::uint64_t fact = 0;
    bool free() const { return key == kFree; }
    std::uint64_t home() const { return (key * kMix) >> 32; }
  };

  // entry_of for a position not yet looked up for this event.
  std::uint32_t look_up(const Event& event, std::uint32_t i, std::uint64_t generation);
  // The entry of (field, value); *created tells whether it is new.
  std::uint32_t entry(FieldId field, std::string_view value, bool* created);
  friend class ValueMemos;
  void clear();
  bool outgrown() const;

  std::uint64_t owner_ = 0;
  std::vector<ValueSlot> values_;  // open addressing, size a power of two
  std::uint32_t entries_ = 0;
  std::string text_;
  std::vector<FactSlot> facts_;  // open addressing, size a power of two
  std::size_t fact_count_ = 0;
  std::vector<std::uint32_t> lists_;
  // The entry of each field position of the current event, stamped with the index generation.
  // Per field: values looked up and found again. A field whose values mostly are new is left
  // out of the memo: remembering answers about values never seen again only costs.
  struct Repetition {
    std::uint32_t lookups = 0, repeats = 0;
    bool worth_it() const { return lookups < kJudgedAfter || repeats * 4 >= lookups; }
  };
  static constexpr std::uint32_t kJudgedAfter = 512;
  std::vector<Repetition> repetition_;  // by FieldId
  std::vector<std::uint32_t> event_entry_;
  std::vector<std::uint64_t> event_stamp_;
};

// A matching state's memos, one for each of the last few owners (rule sets, numbered by
// LiteralPrefilter::serial) it matched for: a run that reads EVTX and text logs switches between
// two rule sets, and each switch must not cost its memo.
class ValueMemos {
 public:
  static constexpr std::size_t kOwners = 4;
  ValueMemo& of(std::uint64_t owner) {
    ValueMemo* current = current_;
    return current != nullptr && current->owner_ == owner ? *current : switch_to(owner);
  }
  // Starts afresh the memos that outgrew their limits; only between events, as entries found
  // for an event stay in use until it is matched.
  void trim();

 private:
  ValueMemo& switch_to(std::uint64_t owner);
  std::vector<std::unique_ptr<ValueMemo>> memos_;
  std::vector<std::uint64_t> last_switch_;  // per memo, when the state last switched to it
  std::uint64_t switches_ = 0;
  ValueMemo* current_ = nullptr;  // the memo of() returned last
};

}  // namespace ashiato::sigma
