// A rule's detection section compiled: search identifiers (maps AND-ed, lists OR-ed, keywords)
// and the condition expression over them.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sigma/engine/field_item.h"
#include "sigma/yaml_value.h"

namespace ashiato::sigma {

// One search identifier: OR over alternatives, each an AND over items.
struct SearchIdentifier {
  std::string name;
  std::vector<std::vector<FieldItem>> alternatives;
  bool matches(MatchState& state) const;
  Truth evaluate_sql(MatchState& state) const;
};

// Condition syntax tree.
struct ConditionNode {
  enum class Kind { kAnd, kOr, kNot, kIdentifier, kOneOf, kAllOf } kind;
  std::vector<ConditionNode> children;     // kAnd, kOr, kNot
  std::vector<std::uint32_t> identifiers;  // kIdentifier (one), kOneOf / kAllOf (several)
};

class Detection {
 public:
  // Compiles the detection map (with its 'condition'). Throws CompileError.
  static Detection compile(const YamlValue& detection, const CompileContext& ctx);
  void register_literals(LiteralPrefilter& prefilter) {
    for (auto& id : identifiers_) {
      for (auto& alternative : id.alternatives) {
        for (auto& item : alternative) item.register_literals(prefilter);
      }
    }
  }
  // Needle sets of which one each must occur for the condition to be true (a necessary
  // condition only); empty when nothing is necessary.
  std::vector<std::vector<std::uint32_t>> required_needles() const;
  // Adds a filter's search identifiers (names prefixed to stay apart) and ANDs its condition.
  void add_filter(const YamlValue& filter_detection, const std::string& prefix, const CompileContext& ctx);

  // Whether the state's event meets the condition.
  bool matches(MatchState& state) const;
  bool matches(MatchState& state, MatchSemantics semantics) const {
    return semantics == MatchSemantics::kSigma ? matches(state) : matches_sql(state);
  }
  const std::vector<SearchIdentifier>& identifiers() const { return identifiers_; }
  // The EventIDs an event must have for the condition to be true, when the condition implies
  // them (e.g. `selection and not filter` where selection has `EventID: 4624`); nullopt if any.
  std::optional<std::vector<std::uint32_t>> required_event_ids(FieldId event_id) const;

 private:
  bool eval(const ConditionNode& node, MatchState& state, std::int8_t* memo) const;
  bool matches_sql(MatchState& state) const;
  Truth eval_sql(const ConditionNode& node, MatchState& state) const;
  std::optional<std::vector<std::uint32_t>> implied_ids(const ConditionNode& node, FieldId event_id) const;
  std::vector<std::vector<std::uint32_t>> needles_of(const ConditionNode& node) const;
  std::vector<std::vector<std::uint32_t>> needles_of_identifier(std::uint32_t i) const;

  std::vector<SearchIdentifier> identifiers_;
  std::vector<ConditionNode> conditions_;  // OR-ed (a list of conditions)
  std::vector<ConditionNode> required_;    // AND-ed (filters)
};

// Parses a condition string against the identifier names. Throws CompileError.
ConditionNode parse_condition(const std::string& text, const std::vector<std::string>& names);

}  // namespace ashiato::sigma
