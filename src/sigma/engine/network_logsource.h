// Where a Sigma logsource's events are in text logs: the readers of src/logs set Channel to the
// Sigma category of their format (proxy, firewall, dns, webserver) or "zeek", and write the
// taxonomy's field names, so a network rule is gated on Channel just as a Windows rule is.
#pragma once
#include <vector>

#include "sigma/engine/windows_logsource.h"
#include "sigma/rule.h"

namespace ashiato::sigma {

// The gates of a logsource in text logs; empty when it has none.
std::vector<EventGate> network_gates(const LogSource& logsource);

}  // namespace ashiato::sigma
