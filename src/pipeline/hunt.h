// Sigma hunting as a library (`ashiato hunt`, `sweep -r` and the tests): the rules as a detector
// over evidence files, then the timeline in time order with the correlation rules' findings and
// without the matches of rules that only feed a correlation (generate: false).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "analyze/finding_spool.h"
#include "core/diagnostics.h"
#include "core/event_filter.h"
#include "core/finding.h"
#include "core/progress.h"
#include "logs/text_log_reader.h"
#include "pipeline/evidence_scan.h"
#include "sigma/rule_set.h"

namespace ashiato::pipeline {

struct HuntOptions {
  const EventFilter* filter = nullptr;
  sigma::MatchSemantics semantics = sigma::MatchSemantics::kSigma;
  logs::TextReadOptions text;
  Progress* progress = nullptr;
  std::size_t timeline_memory = analyze::FindingSpool::kDefaultBudget;  // beyond it, sorted runs on disk
  // Also the matches of rules that only feed a correlation (generate: false), as rule-by-rule
  // comparisons with other engines count them.
  bool every_match = false;
};

struct HuntTotals {
  ScanStats stats;
  std::vector<analyze::SourceInfo> sources;
};

// Scans `paths` and hands the timeline to `visit`, sorted by time (ties in input order).
HuntTotals hunt(const std::vector<std::string>& paths, const sigma::RuleSet& rules, const HuntOptions& options,
                Diagnostics& diagnostics, const std::function<void(Finding&)>& visit);
// The same, returning the timeline.
std::vector<Finding> hunt(const std::vector<std::string>& paths, const sigma::RuleSet& rules, Diagnostics& diagnostics,
                          const HuntOptions& options = {});

}  // namespace ashiato::pipeline
