#include "pipeline/beacons.h"

namespace ashiato::pipeline {

BeaconsResult beacons(const std::vector<std::string>& paths, const BeaconsOptions& options, Diagnostics& diagnostics) {
  analyze::beacon::BeaconDetector detector(options.beacon);
  analyze::DetectorSet detectors;
  detectors.add(detector);
  ScanOptions scan_options;
  scan_options.filter = options.filter;
  scan_options.text = options.text;
  scan_options.progress = options.progress;
  EvidenceScan scan(detectors, scan_options);
  scan.scan(paths, diagnostics);
  scan.finish();
  BeaconsResult result;
  result.series = detector.results();
  result.evidence_from = detector.evidence_from();
  result.evidence_to = detector.evidence_to();
  result.sources = scan.sources();
  result.stats = scan.stats();
  return result;
}

}  // namespace ashiato::pipeline
