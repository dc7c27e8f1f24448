// Sigma rules as a detector: every event is matched against the rules whose logsource can apply
// to it; a match is a finding. Matches of rules that feed correlation rules are kept with the
// fields the correlations group by, and the correlation rules run at the end of the scan over
// every file's matches.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "analyze/detector.h"
#include "sigma/rule_set.h"

namespace ashiato::analyze {

struct SigmaCorrelationFacts;
class MatchScratchPool;

class SigmaDetector : public Detector {
 public:
  SigmaDetector(const sigma::RuleSet& rules, sigma::MatchSemantics semantics = sigma::MatchSemantics::kSigma);
  ~SigmaDetector() override;

  std::string_view name() const override { return "sigma"; }
  bool wants_all() const override { return false; }
  bool wants(std::string_view channel, std::string_view event_id) const override;
  std::unique_ptr<EventRun> start_run(const FileScan& file) const override;
  void end_run(EventRun& run, FileScan& file) const override;
  void end_file(FileScan& file) override;
  // The correlation rules' findings, over the matches of every file in input order.
  void end_scan(std::vector<Finding>& findings) override;

  // Whether a finding is shown in a timeline: not when it is a match of a rule that only feeds a
  // correlation (generate: false).
  bool shown(const Finding& finding) const;
  const sigma::RuleSet& rules() const { return rules_; }

 private:
  const sigma::RuleSet& rules_;
  sigma::MatchSemantics semantics_;
  // Runs borrow a scratch and give it back: a scratch keeps what matching learnt about repeated
  // values from one file to the next, and files far outnumber threads.
  std::unique_ptr<MatchScratchPool> scratches_;
  std::map<std::uint32_t, std::unique_ptr<SigmaCorrelationFacts>> by_file_;  // by file id
};

}  // namespace ashiato::analyze
