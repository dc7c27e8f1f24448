// One pass over evidence files — EVTX, Windows events exported as JSON, and text logs (proxy,
// firewall, DNS, Zeek, ...) — feeding every event to every detector of a DetectorSet. Files are
// read several at a time and each on all cores (see event_source.h); each detector gets its runs
// back in file order, so results are the same for any thread count. The scan knows no detector
// and no reader format: adding an analysis means adding a detector, never editing this loop.
#pragma once
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "analyze/detector.h"
#include "analyze/file_scan.h"
#include "analyze/finding_spool.h"
#include "core/diagnostics.h"
#include "core/event_filter.h"
#include "core/finding.h"
#include "core/progress.h"
#include "logs/text_log_reader.h"

namespace ashiato::pipeline {

struct ScanOptions {
  const EventFilter* filter = nullptr;  // events it turns away reach no detector; null: every event
  logs::TextReadOptions text;           // forced format, --log-tz, --map, line selector
  Progress* progress = nullptr;
  // Set: findings go there while files are read (a timeline of any size). Unset: each file's
  // findings are handed to the FileDone callback.
  analyze::FindingSpool* spool = nullptr;
};

struct ScanStats {
  std::uint64_t events = 0;   // events the detectors saw (after the filter)
  std::uint64_t records = 0;  // events read
};

// Called as each file is done, one file at a time in the order they finish, after every
// detector's end_file: the file (its source info and detectors' facts) and its findings in file
// order (empty with a spool).
using FileDone = std::function<void(analyze::FileScan& file, std::vector<Finding>& findings)>;

class EvidenceScan {
 public:
  EvidenceScan(analyze::DetectorSet& detectors, ScanOptions options);

  // Scans the files; file ids are their positions in sources(). Problems go to `diagnostics`, in
  // input order.
  void scan(const std::vector<std::string>& paths, Diagnostics& diagnostics, const FileDone& done = {});
  // The end of the scan: every detector's end_scan. Their findings (numbered after every file's)
  // go to the spool if there is one, else they are returned.
  std::vector<Finding> finish();

  // What was read from each file, in input order.
  const std::vector<analyze::SourceInfo>& sources() const { return sources_; }
  const ScanStats& stats() const { return stats_; }

 private:
  void scan_file(const std::string& path, std::uint32_t file_id, std::uint64_t first_sequence, Diagnostics& problems,
                 const FileDone& done);

  analyze::DetectorSet& detectors_;
  ScanOptions options_;
  std::vector<analyze::SourceInfo> sources_;
  ScanStats stats_;
  std::uint64_t next_sequence_ = 0;
  std::mutex end_of_file_;
};

}  // namespace ashiato::pipeline
