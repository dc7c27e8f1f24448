// Beaconing over proxy, firewall, web and Zeek logs, as a detector: every connection from an
// internal host joins a series — per (host, FQDN) for proxy and HTTP/TLS records (the request
// host, SNI or CONNECT target: every address of the name in one series), per (host, address) for
// firewall and Zeek conn records — and at the end of the scan each series is scored with RITA v5's
// beacon scores (beacon_scores.h) over every 24-hour window of the evidence, ending at its last
// record, and over the whole span. See docs/beacons.md for the sample definitions.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "analyze/beacon/series.h"
#include "analyze/beacon/series_scoring.h"
#include "analyze/detector.h"

namespace ashiato::analyze::beacon {

class BeaconDetector : public Detector {
 public:
  explicit BeaconDetector(BeaconOptions options = {});
  ~BeaconDetector() override;
  std::string_view name() const override { return "beacons"; }
  bool wants_all() const override { return false; }
  // Network logs only (their Channel is their category); Windows events are not connections.
  bool wants(std::string_view channel, std::string_view event_id) const override;
  std::unique_ptr<EventRun> start_run(const FileScan& file) const override;
  void end_run(EventRun& run, FileScan& file) const override;
  void end_file(FileScan& file) override;
  void end_scan(std::vector<Finding>& findings) override;

  // The file's series (series_per_file); empty when it had none.
  SeriesSet take_series(FileScan& file) const;

  // After end_scan: every series, best score first.
  const std::vector<BeaconResult>& results() const { return results_; }
  std::vector<BeaconResult> take_results() { return std::move(results_); }
  // The evidence's first and last connection.
  std::uint32_t evidence_from() const { return evidence_from_; }
  std::uint32_t evidence_to() const { return evidence_to_; }

 private:
  BeaconOptions options_;
  SeriesSet all_;
  std::vector<BeaconResult> results_;
  std::uint32_t evidence_from_ = 0, evidence_to_ = 0;
};

}  // namespace ashiato::analyze::beacon
