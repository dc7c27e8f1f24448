#include "pipeline/hunt.h"

#include "analyze/sigma_detector.h"

namespace ashiato::pipeline {

HuntTotals hunt(const std::vector<std::string>& paths, const sigma::RuleSet& rules, const HuntOptions& options,
                Diagnostics& diagnostics, const std::function<void(Finding&)>& visit) {
  analyze::SigmaDetector sigma(rules, options.semantics);
  analyze::DetectorSet detectors;
  detectors.add(sigma);
  analyze::FindingSpool spool(options.timeline_memory);
  ScanOptions scan_options;
  scan_options.filter = options.filter;
  scan_options.text = options.text;
  scan_options.progress = options.progress;
  scan_options.spool = &spool;
  EvidenceScan scan(detectors, scan_options);
  scan.scan(paths, diagnostics);
  scan.finish();
  if (options.progress != nullptr) options.progress->finish();  // the progress line ends before the timeline
  spool.drain([&](Finding& f) {
    if (options.every_match || sigma.shown(f)) visit(f);
  });
  return HuntTotals{scan.stats(), scan.sources()};
}

std::vector<Finding> hunt(const std::vector<std::string>& paths, const sigma::RuleSet& rules, Diagnostics& diagnostics,
                          const HuntOptions& options) {
  std::vector<Finding> out;
  hunt(paths, rules, options, diagnostics, [&out](Finding& f) { out.push_back(std::move(f)); });
  return out;
}

}  // namespace ashiato::pipeline
