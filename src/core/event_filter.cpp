#include "core/event_filter.h"

#include <strings.h>

#include <algorithm>

namespace ashiato {

bool EventFilter::accepts(const Event& event) const {
  if (from && event.time() < *from) return false;
  if (to && event.time() > *to) return false;
  if (!channels.empty()) {
    static const FieldId channel = intern_field("Channel");
    const auto value = event.get(channel);
    if (!value) return false;
    const bool match = std::any_of(channels.begin(), channels.end(), [&](const std::string& c) {
      return c.size() == value->size() && ::strncasecmp(c.data(), value->data(), c.size()) == 0;
    });
    if (!match) return false;
  }
  if (!event_ids.empty()) {
    static const FieldId event_id = intern_field("EventID");
    const auto value = event.get(event_id);
    if (!value || std::find(event_ids.begin(), event_ids.end(), *value) == event_ids.end()) return false;
  }
  return true;
}

}  // namespace ashiato
