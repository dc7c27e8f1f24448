// A short, human-readable summary of an event's key fields for timelines ("details" column).
#pragma once
#include <string>

#include "core/event.h"

namespace ashiato::analyze {

// Up to a few "Name: value" pairs, chosen by a priority list of fields that matter to
// responders (command lines, images, users, logon types, addresses, services, tasks).
std::string event_details(const Event& event);

}  // namespace ashiato::analyze
