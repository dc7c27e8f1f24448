#include "analyze/sigma_detector.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>

#include "analyze/event_details.h"

namespace ashiato::analyze {

// The matches of rules that feed correlation rules, with the fields they group by.
struct SigmaCorrelationFacts : DetectorFacts {
  std::vector<sigma::CorrelationInput> inputs;  // evidence: index into `evidence`
  std::vector<Finding> evidence;

  // Appends `other`'s inputs and evidence (which it leaves empty), shifting the references.
  void take(SigmaCorrelationFacts& other) {
    const std::uint64_t base = evidence.size();
    for (auto& in : other.inputs) {
      in.evidence += base;
      inputs.push_back(std::move(in));
    }
    std::move(other.evidence.begin(), other.evidence.end(), std::back_inserter(evidence));
    other.inputs.clear();
    other.evidence.clear();
  }
};

// Idle scratches, shared by the threads that start runs.
class MatchScratchPool {
 public:
  std::unique_ptr<sigma::MatchScratch> take() {
    const std::lock_guard lock(mutex_);
    if (idle_.empty()) return std::make_unique<sigma::MatchScratch>();
    auto scratch = std::move(idle_.back());
    idle_.pop_back();
    return scratch;
  }
  void give_back(std::unique_ptr<sigma::MatchScratch> scratch) {
    const std::lock_guard lock(mutex_);
    idle_.push_back(std::move(scratch));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<sigma::MatchScratch>> idle_;
};

namespace {

// The fields of a finding that come from the event: the same for every rule it matches.
FindingView event_view(const Event& e, std::string_view details, std::string_view file) {
  static const FieldId computer = intern_field("Computer");
  static const FieldId channel = intern_field("Channel");
  static const FieldId event_id = intern_field("EventID");
  static const FieldId record_id = intern_field("EventRecordID");
  static const FieldId src_ip = intern_field("src_ip");
  FindingView f;
  f.kind = FindingKind::kSigma;
  f.time = e.time();
  // Text logs have no Computer: the client address stands for the host.
  f.host = e.get(computer).value_or(e.get(src_ip).value_or(""));
  f.channel = e.get(channel).value_or("");
  f.event_id = e.get(event_id).value_or("");
  f.details = details;
  f.file = file;
  // EventRecordID as Event Viewer shows it; exported logs renumber the record headers.
  if (const auto rid = e.get(record_id); rid && !rid->empty()) {
    std::from_chars(rid->data(), rid->data() + rid->size(), f.record_id);
  } else {
    f.record_id = e.source().record_id;  // line number of a text log
  }
  f.offset = e.source().offset;
  return f;
}

class SigmaRun : public EventRun {
 public:
  SigmaRun(const sigma::RuleSet& rules, sigma::MatchSemantics semantics, std::string_view file,
           MatchScratchPool& scratches)
      : rules_(rules), semantics_(semantics), file_(file), scratches_(scratches), scratch_(scratches.take()) {}
  ~SigmaRun() override { scratches_.give_back(std::move(scratch_)); }
  SigmaRun(const SigmaRun&) = delete;
  SigmaRun& operator=(const SigmaRun&) = delete;

  void begin(std::string_view origin) override { file_ = origin; }
  void observe(const Event& e) override {
    std::optional<std::string> details;  // worked out on the event's first match
    FindingView of_event;
    for (const std::uint32_t r : rules_.match(e, *scratch_, semantics_)) {
      if (!details) {
        details = event_details(e);
        of_event = event_view(e, *details, file_);
      }
      const sigma::Rule& rule = rules_.rules()[r];
      FindingView f = of_event;
      f.level = parse_level(rule.level);
      f.title = rule.title;
      f.rule_id = rule.id;
      f.tags = &rule.attack_tags;
      findings.append(f);
      if (const int source = rules_.correlation_source(r); source >= 0) capture(e, source, f);
    }
  }

  FindingRecords findings;
  SigmaCorrelationFacts correlation;

 private:
  void capture(const Event& e, int source, const FindingView& f) {
    sigma::CorrelationInput in{static_cast<std::uint32_t>(source), e.time(), {}, correlation.evidence.size()};
    for (FieldId id : rules_.correlations().sources()[static_cast<std::size_t>(source)].fields) {
      in.values.emplace_back(e.get(id).value_or(""));
    }
    correlation.inputs.push_back(std::move(in));
    correlation.evidence.push_back(to_finding(f));
  }

  const sigma::RuleSet& rules_;
  sigma::MatchSemantics semantics_;
  std::string_view file_;
  MatchScratchPool& scratches_;
  std::unique_ptr<sigma::MatchScratch> scratch_;
};

Finding correlation_finding(const sigma::CorrelationSet::Compiled& c, const sigma::CorrelationMatch& m,
                            const std::vector<Finding>& evidence) {
  Finding f;
  f.kind = FindingKind::kSigmaCorrelation;
  f.level = parse_level(c.rule.level);
  f.title = c.rule.title;
  f.rule_id = c.rule.id;
  f.tags = c.rule.attack_tags;
  f.time = m.last;
  if (!m.evidence.empty()) {
    const Finding& last = evidence[m.evidence.back()];
    f.host = last.host;
    f.channel = last.channel;
    f.event_id = last.event_id;
    f.evidence.push_back(last.primary());
  }
  f.details =
      "count: " + std::to_string(m.count) + " ¦ from: " + to_iso8601(m.first, 0) + " ¦ to: " + to_iso8601(m.last, 0);
  for (const auto& [name, value] : m.group) {
    f.details += " ¦ ";
    f.details += name;
    f.details += ": ";
    f.details += value;
  }
  return f;
}

}  // namespace

SigmaDetector::SigmaDetector(const sigma::RuleSet& rules, sigma::MatchSemantics semantics)
    : rules_(rules), semantics_(semantics), scratches_(std::make_unique<MatchScratchPool>()) {}

SigmaDetector::~SigmaDetector() = default;

bool SigmaDetector::wants(std::string_view channel, std::string_view event_id) const {
  return rules_.may_match(channel, event_id);
}

std::unique_ptr<EventRun> SigmaDetector::start_run(const FileScan& file) const {
  return std::make_unique<SigmaRun>(rules_, semantics_, file.source.path, *scratches_);
}

void SigmaDetector::end_run(EventRun& run, FileScan& file) const {
  auto& r = static_cast<SigmaRun&>(run);
  file.findings.take(r.findings);
  if (!r.correlation.inputs.empty()) facts<SigmaCorrelationFacts>(file).take(r.correlation);
}

void SigmaDetector::end_file(FileScan& file) {
  auto& p = file.facts[slot()];
  if (p) by_file_[file.file_id].reset(static_cast<SigmaCorrelationFacts*>(p.release()));
}

void SigmaDetector::end_scan(std::vector<Finding>& findings) {
  const auto& correlations = rules_.correlations();
  if (correlations.empty()) return;
  SigmaCorrelationFacts all;
  for (auto& [file, facts] : by_file_) all.take(*facts);
  by_file_.clear();
  for (const auto& m : correlations.evaluate(std::move(all.inputs))) {
    findings.push_back(correlation_finding(correlations.rules()[m.correlation], m, all.evidence));
  }
}

bool SigmaDetector::shown(const Finding& finding) const {
  if (finding.kind != FindingKind::kSigma) return true;
  const std::vector<std::string>& hidden = rules_.correlations().suppressed();
  return std::find(hidden.begin(), hidden.end(), finding.rule_id) == hidden.end();
}

}  // namespace ashiato::analyze
