#include "sigma/event_field_index.h"

namespace ashiato::sigma {
thread_local EventFieldIndex EventFieldIndex::of_this_thread_;

void EventFieldIndex::begin_event() {
  of_this_thread_.built_ = false;
}

void EventFieldIndex::build(const Event& event) {
  ++generation_;
  built_ = true;
  batch_ = event.batch();
  event_index_ = event.index();
  const std::uint32_t n = event.field_count();
  if (next_.size() < n) next_.resize(n);
  // Backwards, so that each field's chain comes out in document order.
  for (std::uint32_t i = n; i-- > 0;) {
    const FieldId id = event.field_id(i);
    if (id >= stamp_.size()) {
      stamp_.resize(id + 1, 0);
      first_.resize(id + 1, kNone);
    }
    next_[i] = stamp_[id] == generation_ ? first_[id] : kNone;
    stamp_[id] = generation_;
    first_[id] = i;
  }
}

}  // namespace ashiato::sigma
