#include "sigma/engine/event_field_index.h"

#include <algorithm>

namespace ashiato::sigma {
void EventFieldIndex::build(const Event& event) {
  ++generation_;
  const std::uint32_t n = event.field_count();
  const FieldValue* fields = event.fields();
  FieldId largest = 0;
  for (std::uint32_t i = 0; i < n; ++i) largest = std::max(largest, fields[i].id);
  if (next_.size() < n) next_.resize(n);
  if (largest >= stamp_.size()) {
    stamp_.resize(largest + 1, 0);
    first_.resize(largest + 1, kNone);
  }
  // Through plain pointers: the compiler cannot tell that stores to these arrays leave the
  // event's fields alone, and reloaded them for every field.
  std::uint64_t* stamp = stamp_.data();
  std::uint32_t* first = first_.data();
  std::uint32_t* next = next_.data();
  const std::uint64_t generation = generation_;
  // Backwards, so that each field's chain comes out in document order.
  for (std::uint32_t i = n; i-- > 0;) {
    const FieldId id = fields[i].id;
    next[i] = stamp[id] == generation ? first[id] : kNone;
    stamp[id] = generation;
    first[id] = i;
  }
}

}  // namespace ashiato::sigma
