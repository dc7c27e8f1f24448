// Where a Sigma logsource's events are in Windows event logs: which Channel and EventIDs
// ("gates"), and for native Security events how Sigma's Sysmon-style field names map onto them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sigma/engine/field_item.h"
#include "sigma/rule.h"

namespace ashiato::sigma {

struct EventGate {
  std::vector<std::string> channels;     // exact Channel values
  std::vector<std::uint32_t> event_ids;  // empty: any EventID of the channels
  const FieldMap* fields = nullptr;      // renames for this gate, or null
  std::string label;                     // e.g. "sysmon 1", "security 4688" (for docs and lint)
};

// The gates of a logsource; empty when the logsource has no Windows event log mapping.
std::vector<EventGate> windows_gates(const LogSource& logsource);

}  // namespace ashiato::sigma
