// The investigate pipeline: indicators and rules in, every evidence file scanned once by every
// detector (indicator sweep, Sigma, host attribution, and any detector the caller adds), results
// into the case store file by file, then the case analysed and report.json / report.html
// written. The command (cli/command_investigate.cpp) only parses options and prints.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyze/case_analysis.h"
#include "analyze/detector.h"
#include "core/diagnostics.h"
#include "core/progress.h"
#include "ioc/indicator.h"
#include "logs/text_log_reader.h"
#include "sigma/rule_set.h"

namespace ashiato::pipeline {

struct InvestigationInput {
  std::string case_dir;
  std::vector<ioc::Indicator> indicators;
  const sigma::RuleSet* rules = nullptr;
  logs::TextReadOptions text;
  std::vector<std::string> evidence;  // files (folders already expanded)
  std::string assets_csv;             // optional: ip,hostname[,user] per line
  std::string command_line;
  bool japanese = true;
  int display_offset_minutes = 9 * 60;
  std::string display_zone = "+09:00";
  Progress* progress = nullptr;
  // Beacon series stored and C2 candidates named (similar communications); off: neither.
  bool similar_communications = true;
  // Well-known services never named C2 candidates: the shipped list unless turned off, and more.
  bool default_allowlist = true;
  std::vector<std::string> allowlists;
  // More detectors to run beside the built-in ones; their findings go into the case.
  std::vector<analyze::Detector*> extra_detectors;
};

struct InvestigationResult {
  std::size_t files_read = 0, files_skipped = 0;  // skipped: already in the case
  std::uint64_t events = 0, new_findings = 0;
  analyze::CaseFacts facts;
  std::string report_json_path, report_html_path;
  // Time spent per stage, summed over threads (seconds): hashing the evidence, reading and
  // detecting, writing the case, analysing it and writing the report.
  double hash_seconds = 0, scan_seconds = 0, store_seconds = 0, report_seconds = 0;
};

// Throws std::runtime_error when the case cannot be opened or written; evidence problems go to
// `diagnostics` and the run goes on.
InvestigationResult investigate(const InvestigationInput& input, Diagnostics& diagnostics);

}  // namespace ashiato::pipeline
