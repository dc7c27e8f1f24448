// The --from/--to, --channel and --event-id selection shared by commands that read events.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"

namespace ashiato {

struct EventFilter {
  std::optional<Timestamp> from;       // inclusive
  std::optional<Timestamp> to;         // inclusive
  std::vector<std::string> channels;   // case-insensitive; empty: any
  std::vector<std::string> event_ids;  // empty: any

  bool active() const { return from || to || !channels.empty() || !event_ids.empty(); }
  bool accepts(const Event& event) const;
};

}  // namespace ashiato
