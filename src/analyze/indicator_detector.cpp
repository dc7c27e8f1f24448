#include "analyze/indicator_detector.h"

#include <iterator>

#include "analyze/sweep_summary.h"

namespace ashiato::analyze {
namespace {

struct IndicatorHits : DetectorFacts {
  std::vector<IocHit> hits;
};

class IndicatorRun : public EventRun {
 public:
  explicit IndicatorRun(const IocScanner& scanner) : scanner_(scanner) {}
  void observe(const Event& e) override { scanner_.scan(e, hits); }
  std::vector<IocHit> hits;

 private:
  const IocScanner& scanner_;
};

}  // namespace

std::unique_ptr<EventRun> IndicatorDetector::start_run(const FileScan& /*file*/) const {
  return std::make_unique<IndicatorRun>(scanner_);
}

void IndicatorDetector::end_run(EventRun& run, FileScan& file) const {
  auto& r = static_cast<IndicatorRun&>(run);
  if (r.hits.empty()) return;
  auto& all = facts<IndicatorHits>(file).hits;
  for (IocHit& h : r.hits) {
    h.source.file_id = file.file_id;
    all.push_back(std::move(h));
  }
  r.hits.clear();
}

std::vector<IocHit> IndicatorDetector::take_hits(FileScan& file) const {
  auto* facts = file.facts[slot()].get();
  return facts == nullptr ? std::vector<IocHit>{} : std::move(static_cast<IndicatorHits*>(facts)->hits);
}

Finding indicator_finding(const IocHit& h, const ioc::Indicator& indicator, const std::string& file) {
  Finding f;
  f.kind = FindingKind::kIndicator;
  // Contact with a named C2 is what the notice is about, whatever the indicator's source says.
  f.level = Level::kHigh;
  f.title = "C2 communication: " + indicator.value;
  f.rule_id = indicator.value;
  f.time = h.time;
  f.host = internal_host(h);
  f.src_ip = h.src_ip;
  f.user = h.user;
  f.dst = h.dst;
  f.channel = h.category;
  // The log format where an EVTX finding has its EventID: the case's findings table has one
  // column for "which kind of record" (report and timelines show it as such).
  f.event_id = h.log_format;
  std::string& details = f.details;
  details = h.method;
  for (const std::string* part : {&h.url, &h.status}) {
    if (part->empty()) continue;
    if (!details.empty()) details.push_back(' ');
    details.append(*part);
  }
  if (h.bytes > 0) details.append(" ").append(std::to_string(h.bytes)).append(" bytes");
  if (details.empty()) {
    details.append("matched in ").append(h.field);
  } else {
    details.append(" (matched in ").append(h.field).append(")");
  }
  f.evidence.push_back(EvidenceRef{file, h.source.record_id, h.source.offset});
  return f;
}

}  // namespace ashiato::analyze
