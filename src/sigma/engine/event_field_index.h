// Where each field of the event being matched sits: rules ask for a field by id many times per
// event, and a scan over all of its fields for every question cost more than building this
// once per event (arrays indexed by FieldId, stamped, so nothing is cleared between events).
// Part of the matching state (match_state.h), which builds it on the first question per event.
#pragma once
#include <cstdint>
#include <vector>

#include "core/event.h"

namespace ashiato::sigma {

class EventFieldIndex {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffU;
  // Indexes `event`'s fields (forgetting the last event's).
  void build(const Event& event);

  // Position of the first value of `id` in the event, or kNone.
  std::uint32_t first(FieldId id) const { return id < stamp_.size() && stamp_[id] == generation_ ? first_[id] : kNone; }
  // Position of the next value of the same field after position `i`, or kNone.
  std::uint32_t next(std::uint32_t i) const { return next_[i]; }
  // Changes with every event: lets callers stamp their own per-event caches.
  std::uint64_t generation() const { return generation_; }

 private:
  std::uint64_t generation_ = 1;      // 64 bits: never wraps, so stamps never go stale
  std::vector<std::uint64_t> stamp_;  // by FieldId
  std::vector<std::uint32_t> first_;
  std::vector<std::uint32_t> next_;  // by position in the event
};

}  // namespace ashiato::sigma
