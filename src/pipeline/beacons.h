// Beacon analysis as a library (`ashiato beacons` and the tests): proxy, firewall, web and Zeek
// logs read once, every connection put in its (host, destination) series, every series scored
// with RITA v5's beacon scores (analyze/beacon/).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analyze/beacon/beacon_detector.h"
#include "analyze/file_scan.h"
#include "core/diagnostics.h"
#include "core/event_filter.h"
#include "core/progress.h"
#include "logs/text_log_reader.h"
#include "pipeline/evidence_scan.h"

namespace ashiato::pipeline {

struct BeaconsOptions {
  const EventFilter* filter = nullptr;
  logs::TextReadOptions text;
  Progress* progress = nullptr;
  analyze::beacon::BeaconOptions beacon;
};

struct BeaconsResult {
  std::vector<analyze::beacon::BeaconResult> series;  // best score first
  std::uint32_t evidence_from = 0, evidence_to = 0;   // first and last connection (Unix seconds)
  std::vector<analyze::SourceInfo> sources;
  ScanStats stats;
  // The series behind the results. A caller about to exit may leave them unfreed: freeing a
  // random-pairs log's millions of series one by one took a quarter of the whole run.
  std::unique_ptr<analyze::beacon::BeaconDetector> detector;
};

BeaconsResult beacons(const std::vector<std::string>& paths, const BeaconsOptions& options, Diagnostics& diagnostics);

}  // namespace ashiato::pipeline
