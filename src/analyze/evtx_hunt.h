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
#include "core/progress.h"
#include "sigma/rule_set.h"

namespace ashiato::analyze {

struct HuntStats {
  std::uint64_t events = 0;  // events tested (after the filter)
  std::uint64_t records = 0;
};

// Findings of a hunt, with what correlation rules need.
struct HuntResult {
  std::vector<Finding> findings;
  std::vector<sigma::CorrelationInput> correlation_inputs;  // evidence = index into findings
  HuntStats stats;
};

// Appends the findings of one file. Throws std::runtime_error if the file cannot be opened;
// problems inside it go to `diagnostics`.
void hunt_evtx_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
                    sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics,
                    Progress* progress = nullptr);

// Same for Windows events exported as JSON (evtx_dump, Winlogbeat/ECS, NXLog) or zips of them.
void hunt_json_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
                    sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics,
                    Progress* progress = nullptr);

// Hunts one input of either kind: EVTX by its signature, JSON by its name. Throws
// std::runtime_error for an unreadable file or an unknown format (naming the formats tried).
void hunt_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
               sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics,
               Progress* progress = nullptr);

// Hunts many files, several at a time (small files are common: one per host and channel), and
// merges their results in the given order, so the output is the same for any thread count.
// Problems go to `diagnostics` in file order; unreadable files are reported there too.
void hunt_files(const std::vector<std::string>& paths, const sigma::RuleSet& rules, const EventFilter& filter,
                sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics,
                Progress* progress = nullptr);

// After all inputs: runs the correlation rules, drops the matches of rules that only feed a
// correlation (generate: false), and sorts the findings by time. Returns the final timeline.
std::vector<Finding> finish_hunt(const sigma::RuleSet& rules, HuntResult& result);

// The finding for `rule` matching `event`.
Finding sigma_finding(const sigma::Rule& rule, const Event& event);

}  // namespace ashiato::analyze
