// The indicator sweep as a detector: every event is looked up against the indicators (see
// IocScanner for where each type is looked for). Its facts are the hits, with the request's key
// facts, for the sweep's tables and the case's C2 findings; indicator_finding() makes the finding
// of a hit.
#pragma once
#include <memory>
#include <vector>

#include "analyze/detector.h"
#include "analyze/ioc_scan.h"

namespace ashiato::analyze {

class IndicatorDetector : public Detector {
 public:
  explicit IndicatorDetector(const ioc::IndicatorMatcher& matcher) : scanner_(matcher) {}

  std::string_view name() const override { return "indicators"; }
  std::unique_ptr<EventRun> start_run(const FileScan& file) const override;
  void end_run(EventRun& run, FileScan& file) const override;

  // The file's hits in file order (their source.file_id is the file's), taken out of it.
  std::vector<IocHit> take_hits(FileScan& file) const;
  const ioc::IndicatorMatcher& matcher() const { return scanner_.matcher(); }

 private:
  IocScanner scanner_;
};

// The finding an indicator hit makes: contact with a C2 named by an indicator. `file` is the
// evidence file the hit is in.
Finding indicator_finding(const IocHit& hit, const ioc::Indicator& indicator, const std::string& file);

}  // namespace ashiato::analyze
