// The indicator sweep as a library (`ashiato sweep` and the tests): indicators, and optionally
// Sigma rules, over proxy, firewall, DNS, Zeek and Windows logs in one pass.
#pragma once
#include <string>
#include <vector>

#include "analyze/file_scan.h"
#include "analyze/ioc_scan.h"
#include "core/diagnostics.h"
#include "core/event_filter.h"
#include "core/finding.h"
#include "core/progress.h"
#include "ioc/indicator_matcher.h"
#include "logs/text_log_reader.h"
#include "pipeline/evidence_scan.h"
#include "sigma/rule_set.h"

namespace ashiato::pipeline {

// How lines of text logs are chosen for parsing.
enum class LineSelection {
  kByIndicators,  // without rules, only lines holding a candidate for some indicator (ioc/line_prefilter.h)
  kEveryLine,     // every line (also checks that lines without candidates are well-formed)
};

struct SweepOptions {
  const EventFilter* filter = nullptr;
  logs::TextReadOptions text;
  Progress* progress = nullptr;
  const sigma::RuleSet* rules = nullptr;  // run in the same pass; null: indicators only
  LineSelection lines = LineSelection::kByIndicators;
};

struct SweepResult {
  std::vector<analyze::IocHit> hits;  // in input order, numbered so (sequence); source.file_id into sources
  std::vector<Finding> detections;    // the rules' timeline (sorted by time)
  std::vector<analyze::SourceInfo> sources;
  ScanStats stats;
};

SweepResult sweep(const std::vector<std::string>& paths, const ioc::IndicatorMatcher& matcher,
                  const SweepOptions& options, Diagnostics& diagnostics);

}  // namespace ashiato::pipeline
