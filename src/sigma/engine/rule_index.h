// The compiled variants of a rule set (one per logsource mapping a rule has), indexed by Channel
// and EventID, and the literals whose presence in an event activates them: an event is only
// tested against the variants that can apply to it, and of those, the ones that need literals
// the event lacks are never looked at.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/string_map.h"
#include "sigma/engine/detection.h"
#include "sigma/engine/literal_prefilter.h"
#include "sigma/engine/match_state.h"

namespace ashiato::sigma {

class RuleIndex {
 public:
  RuleIndex();
  // Adds a variant of rule `rule` for events of `channels` with one of `event_ids` (nullopt: any).
  void add(std::uint32_t rule, Detection detection, const std::vector<std::string>& channels,
           const std::optional<std::vector<std::uint32_t>>& event_ids);
  // After the last add(): registers the variants' literals, chooses the ones that activate each
  // variant, and builds the prefilter. Throws std::runtime_error on a Hyperscan error.
  void finish();

  // See RuleSet::may_match.
  bool may_match(std::string_view channel, std::string_view event_id) const;
  // Appends to `matched` the rules whose variants match the state's event, in variant order.
  void match(MatchState& state, MatchSemantics semantics, std::vector<std::uint32_t>& matched) const;

  FieldId event_id_field() const { return event_id_field_; }
  std::size_t literal_databases() const { return prefilter_->databases(); }
  std::size_t literal_databases_cached() const { return prefilter_->cached_databases(); }

 private:
  struct Variant {
    std::uint32_t rule;
    Detection detection;
    std::vector<std::vector<std::uint32_t>> required_needles;  // see Detection::required_needles
    bool activated_by_literals = false;                        // required_needles[0] is indexed in needle_variants_
  };
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
  bool literals_possible(const Variant& v, MatchState& state) const;
  // Picks, for each variant with required literals, the set that activates it.
  void choose_activating_needles();
  // Moves the variants that literals activate out of `c.always`.
  void split(Candidates& c) const;

  std::vector<Variant> variants_;
  std::unique_ptr<LiteralPrefilter> prefilter_;
  // Needle -> variants whose first required set holds it: the literals present in an event
  // activate their rules, and rules with required literals that are not activated are skipped
  // without looking at them further.
  std::vector<std::vector<std::uint32_t>> needle_variants_;
  StringMap<ChannelIndex> index_;  // by Channel
  FieldId channel_field_ = kNoField;
  FieldId event_id_field_ = kNoField;
};

}  // namespace ashiato::sigma
