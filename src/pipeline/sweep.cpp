#include "pipeline/sweep.h"

#include <optional>

#include "analyze/finding_spool.h"
#include "analyze/indicator_detector.h"
#include "analyze/sigma_detector.h"
#include "ioc/line_prefilter.h"

namespace ashiato::pipeline {

SweepResult sweep(const std::vector<std::string>& paths, const ioc::IndicatorMatcher& matcher,
                  const SweepOptions& options, Diagnostics& diagnostics) {
  analyze::IndicatorDetector indicators(matcher);
  std::optional<analyze::SigmaDetector> sigma;
  analyze::DetectorSet detectors;
  if (options.rules != nullptr) detectors.add(sigma.emplace(*options.rules));
  detectors.add(indicators);
  analyze::FindingSpool detections(analyze::FindingSpool::kUnbounded);
  ScanOptions scan_options;
  scan_options.filter = options.filter;
  scan_options.text = options.text;
  scan_options.progress = options.progress;
  scan_options.spool = &detections;
  // Rules look at every field of every line; indicators alone only at lines with a candidate.
  const ioc::LinePrefilter prefilter(matcher);
  if (options.rules == nullptr && prefilter.usable() && options.lines == LineSelection::kByIndicators) {
    scan_options.text.line_selector = [&prefilter](std::string_view block, std::vector<std::size_t>& starts) {
      prefilter.select_lines(block, starts);
    };
  }
  EvidenceScan scan(detectors, scan_options);
  std::vector<std::vector<analyze::IocHit>> hits_by_file(paths.size());
  scan.scan(paths, diagnostics, [&](analyze::FileScan& file, std::vector<Finding>&) {
    hits_by_file[file.file_id] = indicators.take_hits(file);
  });
  scan.finish();
  SweepResult result;
  for (auto& file_hits : hits_by_file) {
    for (analyze::IocHit& h : file_hits) {
      h.sequence = result.hits.size();
      result.hits.push_back(std::move(h));
    }
  }
  detections.drain([&](Finding& f) {
    if (sigma && sigma->shown(f)) result.detections.push_back(std::move(f));
  });
  result.sources = scan.sources();
  result.stats = scan.stats();
  return result;
}

}  // namespace ashiato::pipeline
