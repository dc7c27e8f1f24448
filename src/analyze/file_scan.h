// What the scan of one evidence file holds while detectors work on it: where it came from, what
// was read, the findings not yet handed on, and each detector's facts.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyze/finding_records.h"
#include "core/diagnostics.h"
#include "core/timestamp.h"

namespace ashiato::analyze {

// What was read from one evidence file (for summaries and the report's sources section).
struct SourceInfo {
  std::string path;
  std::string format;  // evtx, json-events, squid, zeek, ...; empty if unreadable
  std::uint64_t bytes = 0;
  std::uint64_t events = 0;
  std::uint64_t bad_records = 0;     // lines or records that did not parse
  std::uint64_t unparsed_lines = 0;  // left unparsed by the text reader's line filter (no candidate)
  std::optional<Timestamp> first_time, last_time;
  std::size_t problems = 0;  // errors reported for this file
};

// A detector's own record of what it learnt from one file (see Detector::facts).
class DetectorFacts {
 public:
  virtual ~DetectorFacts() = default;
};

struct FileScan {
  std::uint32_t file_id = 0;  // index of the file in the scan's inputs
  SourceInfo source;
  // Findings in file order since they were last handed on (to the timeline spool or the
  // caller); packed, as a hunt may make hundreds of thousands.
  FindingRecords findings;
  std::vector<std::unique_ptr<DetectorFacts>> facts;  // by Detector::slot()
  Diagnostics* problems = nullptr;                    // where the file's problems go
};

}  // namespace ashiato::analyze
