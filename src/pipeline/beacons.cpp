#include "pipeline/beacons.h"

namespace ashiato::pipeline {

BeaconsResult beacons(const std::vector<std::string>& paths, const BeaconsOptions& options, Diagnostics& diagnostics) {
  auto detector = std::make_unique<analyze::beacon::BeaconDetector>(options.beacon);
  analyze::DetectorSet detectors;
  detectors.add(*detector);
  ScanOptions scan_options;
  scan_options.filter = options.filter;
  scan_options.text = options.text;
  scan_options.progress = options.progress;
  EvidenceScan scan(detectors, scan_options);
  scan.scan(paths, diagnostics);
  scan.finish();
  BeaconsResult result;
  result.series = detector->take_results();
  result.evidence_from = detector->evidence_from();
  result.evidence_to = detector->evidence_to();
  result.sources = scan.sources();
  result.stats = scan.stats();
  result.detector = std::move(detector);
  return result;
}

}  // namespace ashiato::pipeline
