// The detector contract: every analysis — Sigma rules, the indicator sweep, host attribution and
// whatever comes next — is a Detector. The scan (pipeline/evidence_scan.h) reads each evidence
// file as runs of consecutive events (an EVTX chunk, a block of a text log, a JSON export) on all
// cores; a detector sees each run through its EventRun on the run's thread, then gets the runs
// back one at a time in file order, then the end of each file and the end of the scan. It emits
// findings into the file's FileScan (or, at the end of the scan, into the scan's findings) and
// keeps what else it learns ("facts": indicator hits, attributions) in its own DetectorFacts,
// which the commands read after the scan. See docs/architecture.md.
#pragma once
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "analyze/file_scan.h"
#include "core/event.h"
#include "core/finding.h"

namespace ashiato::analyze {

// A detector's work on one run of events, on whichever thread reads the run. Reused for later
// runs after Detector::end_run.
class EventRun {
 public:
  virtual ~EventRun() = default;
  // A run starts; `origin` names where its events come from: the file, or the member of an
  // archive of JSON exports (findings name it as their evidence file).
  virtual void begin(std::string_view /*origin*/) {}
  virtual void observe(const Event& event) = 0;
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string_view name() const = 0;

  // Whether it needs every event read in full; a detector that says no is asked per Channel and
  // EventID. An EVTX event that no detector of the scan wants is read only as far as its
  // Channel, EventID and time (a third of real logs' events, for Sigma rules alone).
  virtual bool wants_all() const { return true; }
  virtual bool wants(std::string_view /*channel*/, std::string_view /*event_id*/) const { return true; }

  // Work for the runs of `file`; called on any thread, once for each run in flight at a time.
  virtual std::unique_ptr<EventRun> start_run(const FileScan& file) const = 0;
  // In file order, one run of a file at a time (runs of different files in parallel): moves what
  // the run found into `file` (findings, facts) and leaves the run ready for the next.
  virtual void end_run(EventRun& run, FileScan& file) const = 0;
  // After the file's last run, one file at a time, in the order files finish.
  virtual void end_file(FileScan& /*file*/) {}
  // After every file: analyses over all evidence emit their findings here.
  virtual void end_scan(std::vector<Finding>& /*findings*/) {}

  // Where this detector's facts are kept in a FileScan (set when it joins a DetectorSet).
  std::size_t slot() const { return slot_; }

 protected:
  // The detector's facts in `file`, made on first use.
  template <class Facts>
  Facts& facts(FileScan& file) const {
    auto& p = file.facts[slot_];
    if (!p) p = std::make_unique<Facts>();
    return static_cast<Facts&>(*p);
  }
  template <class Facts>
  const Facts* facts(const FileScan& file) const {
    return slot_ < file.facts.size() ? static_cast<const Facts*>(file.facts[slot_].get()) : nullptr;
  }

 private:
  friend class DetectorSet;
  std::size_t slot_ = 0;
};

// The detectors of one scan, in the order they see events. Does not own them.
class DetectorSet {
 public:
  void add(Detector& detector);
  const std::vector<Detector*>& all() const { return detectors_; }
  bool empty() const { return detectors_.empty(); }
  // Whether any detector wants the event read in full (see Detector::wants).
  bool wants(std::string_view channel, std::string_view event_id) const;
  // Whether some detector wants every event (then no EVTX event is left half read).
  bool wants_all() const { return wants_all_; }

 private:
  std::vector<Detector*> detectors_;
  bool wants_all_ = false;
};

}  // namespace ashiato::analyze
