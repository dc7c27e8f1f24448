// A compiled Sigma rule set: the rules, their correlations and filters, matched against events
// with a caller's MatchScratch. How matching works is the engine's business (sigma/engine/).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "sigma/correlation.h"
#include "sigma/match_scratch.h"
#include "sigma/rule.h"
#include "sigma/rule_loader.h"

namespace ashiato::sigma {

struct RuleSelection {
  std::string min_level;              // informational..critical; empty: any
  std::vector<std::string> statuses;  // empty: any
  std::vector<std::string> tags;      // any of them (e.g. attack.t1053); empty: any
  std::vector<std::string> rule_ids;  // only these ids; empty: all
  std::vector<std::string> excluded_ids;
  bool selects(const Rule& rule) const;
};

struct RuleSetSummary {
  std::size_t loaded = 0;          // detection rules loaded from files
  std::size_t deselected = 0;      // left out by the selection options
  std::size_t compiled = 0;        // usable on Windows event logs or text logs
  std::size_t not_applicable = 0;  // logsource has no mapping to either (e.g. linux auditd, macos)
  std::size_t filters = 0;
  std::size_t correlations = 0;
  std::size_t literal_databases = 0;         // Hyperscan databases of rule literals (one per field)
  std::size_t literal_databases_cached = 0;  // of them, read from the cache (see literal_cache.h)
};

class RuleIndex;

class RuleSet {
 public:
  RuleSet();  // no rules: matches nothing
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // Compiles what `loaded` holds; rules that fail are appended to loaded.rejected with reasons.
  static RuleSet compile(LoadResult& loaded, const RuleSelection& selection, const Placeholders& placeholders);

  // The indexes (into rules()) of the rules that match `event`, in rule order. The list lives in
  // `scratch` until its next use. Threads that match at the same time each need their own scratch.
  const std::vector<std::uint32_t>& match(const Event& event, MatchScratch& scratch,
                                          MatchSemantics semantics = MatchSemantics::kSigma) const;

  // Whether some rule may match an event of this Channel and EventID (text as the event holds
  // it): false when match() would return at once without testing a rule. Lets a reader skip the
  // rest of such an event (a third of the corpus' events: channels and event ids no rule is for).
  bool may_match(std::string_view channel, std::string_view event_id) const;

  const std::vector<Rule>& rules() const { return rules_; }
  const CorrelationSet& correlations() const { return correlations_; }
  // The correlation source fed by detection rule `rule`, or -1 (then nothing is captured).
  int correlation_source(std::uint32_t rule) const { return correlation_source_[rule]; }
  // Whether the rule's own matches are hidden (inputs of a correlation with generate: false).
  bool suppressed(std::uint32_t rule) const { return suppressed_[rule] != 0; }
  const RuleSetSummary& summary() const { return summary_; }
  // Rules by logsource mapping that cannot apply to EVTX (kept for other log types).
  const std::vector<std::uint32_t>& not_applicable() const { return not_applicable_; }

 private:
  std::vector<Rule> rules_;
  std::unique_ptr<RuleIndex> index_;  // the compiled matchers (sigma/engine/rule_index.h)
  std::vector<std::uint32_t> not_applicable_;
  CorrelationSet correlations_;
  std::vector<int> correlation_source_;
  std::vector<std::uint8_t> suppressed_;
  RuleSetSummary summary_;
};

}  // namespace ashiato::sigma
