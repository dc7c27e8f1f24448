// Compiled Sigma rules indexed by Channel and EventID, so an event is only tested against the
// rules whose logsource can apply to it.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/string_map.h"
#include "sigma/correlation.h"
#include "sigma/detection.h"
#include "sigma/rule_loader.h"
#include "sigma/windows_logsource.h"

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

class RuleSet {
 public:
  // Compiles what `loaded` holds; rules that fail are appended to loaded.rejected with reasons.
  static RuleSet compile(LoadResult& loaded, const RuleSelection& selection, const Placeholders& placeholders);

  // Calls on_match(rule index) for every rule that matches the event.
  template <typename Fn>
  void match(const Event& event, MatchSemantics semantics, Fn&& on_match) const;
  template <typename Fn>
  void match(const Event& event, Fn&& on_match) const {
    match(event, MatchSemantics::kSigma, on_match);
  }

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
  struct Variant {
    std::uint32_t rule;
    Detection detection;
    std::vector<std::vector<std::uint32_t>> required_needles;  // see Detection::required_needles
    bool activated_by_literals = false;                        // required_needles[0] is indexed in needle_variants_
  };
  bool literals_possible(const Variant& v, const Event& event) const {
    for (std::size_t i = v.activated_by_literals ? 1 : 0; i < v.required_needles.size(); ++i) {
      if (!prefilter_->any_occurs(v.required_needles[i], event)) return false;
    }
    return true;
  }
  // Variants an event may meet. Those that literals activate are not listed one by one for the
  // event: the literals present name them, and a bit per variant tells whether they belong here
  // (going through a list of 1,500 process_creation rules per event cost more than testing the
  // few activated ones).
  struct Candidates {
    std::vector<std::uint32_t> always;
    std::vector<std::uint64_t> activated_member;  // bit v: variant v is here and activated by literals
    std::vector<std::uint32_t> activation_slots;  // prefilter slots of their activating literals
    bool holds_activated(std::uint32_t v) const {
      return v / 64 < activated_member.size() && ((activated_member[v / 64] >> (v % 64)) & 1U) != 0;
    }
    bool empty() const { return always.empty() && activation_slots.empty(); }
  };
  struct ChannelIndex {
    std::unordered_map<std::uint32_t, Candidates> by_event_id;
    Candidates any_event_id;
  };
  const ChannelIndex* channel(std::string_view name) const;
  // The candidates for an EventID, or null.
  const Candidates* by_event_id(const ChannelIndex& index, std::string_view event_id) const;

  std::vector<Rule> rules_;
  std::vector<Variant> variants_;
  std::unique_ptr<LiteralPrefilter> prefilter_;
  // Needle -> variants whose first required set holds it: the literals present in an event
  // activate their rules, and rules with required literals that are not activated are skipped
  // without looking at them further.
  std::vector<std::vector<std::uint32_t>> needle_variants_;
  static std::vector<std::uint32_t>& activation_stamps();
  static std::uint32_t& activation_generation();
  static std::vector<std::uint32_t>& activated_scratch(int list);
  StringMap<ChannelIndex> index_;  // by Channel
  std::vector<std::uint32_t> not_applicable_;
  CorrelationSet correlations_;
  std::vector<int> correlation_source_;
  std::vector<std::uint8_t> suppressed_;
  RuleSetSummary summary_;
  FieldId channel_field_ = kNoField;
  FieldId event_id_field_ = kNoField;
};

template <typename Fn>
void RuleSet::match(const Event& event, MatchSemantics semantics, Fn&& on_match) const {
  const auto ch = event.get(channel_field_);
  if (!ch) return;
  begin_event_matching();
  prefilter_begin_event();
  std::vector<std::uint32_t>& stamps = activation_stamps();
  if (stamps.size() < variants_.size()) stamps.resize(variants_.size(), 0);
  const std::uint32_t generation = ++activation_generation();
  const ChannelIndex* idx = channel(*ch);
  if (idx == nullptr) return;
  const auto id_text = event.get(event_id_field_);
  const Candidates* by_id = id_text ? by_event_id(*idx, *id_text) : nullptr;
  // Only the fields whose literals can activate a candidate are scanned now; others are scanned
  // if a rule asks about them.
  prefilter_->scan_slots(idx->any_event_id.activation_slots, event);
  const std::vector<std::uint32_t>& present =
      prefilter_->scan_slots(by_id != nullptr ? by_id->activation_slots : idx->any_event_id.activation_slots, event);
  std::vector<std::uint32_t>& activated_any = activated_scratch(0);
  std::vector<std::uint32_t>& activated_by_id = activated_scratch(1);
  activated_any.clear();
  activated_by_id.clear();
  for (std::uint32_t n : present) {
    for (std::uint32_t v : needle_variants_[n]) {
      if (stamps[v] == generation) continue;
      stamps[v] = generation;
      if (idx->any_event_id.holds_activated(v)) activated_any.push_back(v);
      if (by_id != nullptr && by_id->holds_activated(v)) activated_by_id.push_back(v);
    }
  }
  auto test = [&](std::uint32_t v) {
    const Variant& variant = variants_[v];
    if (literals_possible(variant, event) && variant.detection.matches(event, semantics)) on_match(variant.rule);
  };
  // Merged in variant order, so rules are tested (and matches reported) in rule order.
  auto run = [&](const std::vector<std::uint32_t>& always, std::vector<std::uint32_t>& activated) {
    std::sort(activated.begin(), activated.end());
    auto a = activated.begin();
    for (std::uint32_t v : always) {
      for (; a != activated.end() && *a < v; ++a) test(*a);
      test(v);
    }
    for (; a != activated.end(); ++a) test(*a);
  };
  run(idx->any_event_id.always, activated_any);
  if (by_id != nullptr) run(by_id->always, activated_by_id);
}

}  // namespace ashiato::sigma
