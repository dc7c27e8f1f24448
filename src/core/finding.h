// What a detector reports: one finding, traceable to the evidence record it came from.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/timestamp.h"

namespace ashiato {

struct Finding {
  std::string kind;   // "sigma", "ioc", ...
  std::string level;  // informational, low, medium, high, critical
  std::string title;
  std::string rule_id;
  std::vector<std::string> tags;
  Timestamp time;
  std::string host;  // Computer, or the source address's host
  std::string channel;
  std::string event_id;
  std::string details;  // short "Key: value" summary of the event's key fields
  std::string file;     // evidence file
  std::uint64_t record_id = 0;
  std::uint64_t offset = 0;
  std::uint64_t sequence = 0;  // input order, for stable sorting

  friend bool operator==(const Finding&, const Finding&) = default;
};

}  // namespace ashiato
