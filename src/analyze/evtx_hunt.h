// Sigma hunting over EVTX files: reads each file on all cores, runs the compiled rules on every
// event and returns the findings in file order. The reader and the rules know nothing of each
// other; this is where they meet.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/event_filter.h"
#include "core/finding.h"
#include "sigma/rule_set.h"

namespace ashiato::analyze {

struct HuntStats {
  std::uint64_t events = 0;  // events tested (after the filter)
  std::uint64_t records = 0;
};

// Appends the findings of one file to `out`. Throws std::runtime_error if the file cannot be
// opened; problems inside it go to `diagnostics`.
void hunt_evtx_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
                    sigma::MatchSemantics semantics, std::vector<Finding>& out, HuntStats& stats,
                    Diagnostics& diagnostics);

// The finding for `rule` matching `event`.
Finding sigma_finding(const sigma::Rule& rule, const Event& event);

}  // namespace ashiato::analyze
