// One pass over evidence files — EVTX, Windows events exported as JSON, and text logs (proxy,
// firewall, DNS, Zeek, ...) — feeding every event to the detectors: Sigma rules and indicator
// lookups. Files are read several at a time and each on all cores; results are merged in the
// given file order, so the output is the same for any thread count. Readers, rules and
// indicators know nothing of each other; this is where they meet.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyze/attribution.h"
#include "analyze/finding_spool.h"
#include "analyze/ioc_scan.h"
#include "core/diagnostics.h"
#include "core/event_filter.h"
#include "core/finding.h"
#include "core/progress.h"
#include "logs/text_log_reader.h"
#include "sigma/rule_set.h"

namespace ashiato::analyze {

// What to look for, and how to read text logs.
struct Detectors {
  const sigma::RuleSet* rules = nullptr;              // null: no Sigma
  const IocScanner* indicators = nullptr;             // null: no indicator sweep
  const EventFilter* filter = nullptr;                // null: every event
  const AttributionCollector* attribution = nullptr;  // null: no host/user attribution
  sigma::MatchSemantics semantics = sigma::MatchSemantics::kSigma;
  logs::TextReadOptions text;  // forced format, --log-tz, --map
};

// What was read from one evidence file (for summaries and the report's sources section).
struct SourceInfo {
  std::string path;
  std::string format;  // evtx, json-events, squid, zeek, ...; empty if unreadable
  std::uint64_t bytes = 0;
  std::uint64_t events = 0;
  std::uint64_t bad_records = 0;     // lines or records that did not parse
  std::uint64_t unparsed_lines = 0;  // left unparsed by the text reader's line filter (no candidate)
  std::optional<Timestamp> first_time, last_time;
  std::size_t problems = 0;       // errors reported for this file
  AttributionTable attributions;  // with Detectors::attribution
};

struct HuntStats {
  std::uint64_t events = 0;  // events tested (after the filter)
  std::uint64_t records = 0;
};

// Findings of a scan, with what correlation rules need.
struct HuntResult {
  std::vector<Finding> findings;  // in input order; empty when they go to `spool`
  FindingSpool* spool = nullptr;  // set: findings go there, numbered as they would be here
  std::uint64_t next_sequence = 0;
  std::vector<sigma::CorrelationInput> correlation_inputs;  // evidence = index into correlation_evidence
  std::vector<Finding> correlation_evidence;                // the findings of rules that feed correlations
  std::vector<IocHit> ioc_hits;                             // in input order; source.file_id = index into sources
  std::vector<SourceInfo> sources;
  HuntStats stats;
};

// Scans one file of any kind: EVTX by its signature, Windows-event JSON by name and content,
// anything else as a text log (format detected). Problems go to `diagnostics`.
void scan_file(const std::string& path, const Detectors& detectors, HuntResult& result, Diagnostics& diagnostics,
               Progress* progress = nullptr);
// Scans many files in parallel and merges their results in the given order.
void scan_files(const std::vector<std::string>& paths, const Detectors& detectors, HuntResult& result,
                Diagnostics& diagnostics, Progress* progress = nullptr);

// Sigma-only shorthands used by `hunt` and the tests.
void hunt_evtx_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
                    sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics,
                    Progress* progress = nullptr);
void hunt_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
               sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics,
               Progress* progress = nullptr);

// After all inputs: runs the correlation rules, drops the matches of rules that only feed a
// correlation (generate: false), and hands the timeline to `visit` sorted by time (findings of
// the same time in input order).
void finish_hunt(const sigma::RuleSet& rules, HuntResult& result, const std::function<void(Finding&)>& visit);
// The same, returning the timeline.
std::vector<Finding> finish_hunt(const sigma::RuleSet& rules, HuntResult& result);

}  // namespace ashiato::analyze
