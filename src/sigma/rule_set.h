// Compiled Sigma rules indexed by Channel and EventID, so an event is only tested against the
// rules whose logsource can apply to it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"
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
      const auto& any = v.required_needles[i];
      bool found = false;
      for (auto n : any) {
        if (prefilter_->occurs(n, event)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  // Variants an event may meet: those that literals activate are apart, so that the ones not
  // activated are passed over on their activation stamp alone (touching each variant was a
  // cache miss per rule and event).
  struct Candidates {
    std::vector<std::uint32_t> always;
    std::vector<std::uint32_t> by_literal;
  };
  struct ChannelIndex {
    std::unordered_map<std::uint32_t, Candidates> by_event_id;
    Candidates any_event_id;
  };
  const ChannelIndex* channel(std::string_view name) const;

  std::vector<Rule> rules_;
  std::vector<Variant> variants_;
  std::unique_ptr<LiteralPrefilter> prefilter_;
  // Needle -> variants whose first required set holds it: the literals present in an event
  // activate their rules, and rules with required literals that are not activated are skipped
  // without looking at them further.
  std::vector<std::vector<std::uint32_t>> needle_variants_;
  static std::vector<std::uint32_t>& activation_stamps();
  static std::uint32_t& activation_generation();
  std::unordered_map<std::string, ChannelIndex> index_;
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
  for (std::uint32_t n : prefilter_->scan_all(event)) {
    for (std::uint32_t v : needle_variants_[n]) stamps[v] = generation;
  }
  const ChannelIndex* idx = channel(*ch);
  if (idx == nullptr) return;
  auto test = [&](std::uint32_t v) {
    const Variant& variant = variants_[v];
    if (literals_possible(variant, event) && variant.detection.matches(event, semantics)) on_match(variant.rule);
  };
  // Both lists ascend: merged, rules are tested (and matches reported) in rule order.
  auto run = [&](const Candidates& candidates) {
    auto lit = candidates.by_literal.begin();
    const auto lit_end = candidates.by_literal.end();
    auto test_activated_before = [&](std::uint32_t end) {
      for (; lit != lit_end && *lit < end; ++lit) {
        if (stamps[*lit] == generation) test(*lit);
      }
    };
    for (std::uint32_t v : candidates.always) {
      test_activated_before(v);
      test(v);
    }
    test_activated_before(UINT32_MAX);
  };
  run(idx->any_event_id);
  const auto id_text = event.get(event_id_field_);
  if (!id_text || id_text->empty() || id_text->size() > 9) return;
  std::uint32_t id = 0;
  for (char c : *id_text) {
    if (c < '0' || c > '9') return;
    id = id * 10 + static_cast<std::uint32_t>(c - '0');
  }
  auto it = idx->by_event_id.find(id);
  if (it != idx->by_event_id.end()) run(it->second);
}

}  // namespace ashiato::sigma
