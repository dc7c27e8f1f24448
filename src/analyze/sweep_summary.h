// What a responder reads first after a sweep: per indicator and per internal host, when the
// contact began and ended, how often, how many bytes, which users and sites — sorted by first
// contact, so the PCs to isolate first stand at the top.
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "analyze/ioc_scan.h"
#include "ioc/indicator_matcher.h"

namespace ashiato::analyze {

struct IndicatorSummary {
  std::uint32_t indicator = 0;  // index into IndicatorMatcher::indicators()
  Timestamp first, last;
  std::uint64_t hits = 0, bytes = 0;
  std::set<std::string> hosts, users;
};

struct HostSummary {
  std::string host;  // internal address (source IP), or the computer name for Windows events
  Timestamp first, last;
  std::uint64_t hits = 0, bytes = 0;
  std::set<std::string> users, sites;  // sites: the matching destinations
  std::set<std::uint32_t> indicators;
};

struct SweepSummary {
  std::vector<IndicatorSummary> by_indicator;  // sorted by first contact
  std::vector<HostSummary> by_host;            // sorted by first contact
};

SweepSummary summarise(const std::vector<IocHit>& hits);

// The internal side of a hit: its source address, else the logging computer.
const std::string& internal_host(const IocHit& hit);

}  // namespace ashiato::analyze
