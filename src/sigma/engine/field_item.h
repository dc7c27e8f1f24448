// One detection item — `Field|mod|mod: values` or a keyword list — compiled with every Sigma
// value modifier applied (see docs/sigma.md for the semantics table).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/event.h"
#include "sigma/engine/literal_prefilter.h"
#include "sigma/engine/match_state.h"
#include "sigma/engine/value_matchers.h"
#include "sigma/match_scratch.h"
#include "sigma/rule.h"
#include "sigma/yaml_value.h"

namespace ashiato::sigma {

struct CompileError : std::runtime_error {
  explicit CompileError(const std::string& why, int at_line = 0) : std::runtime_error(why), line(at_line) {}
  int line;  // YAML line of the offending value, 0 when unknown
};

// How a Sigma field name appears in the events one rule variant runs on (e.g. Image is
// NewProcessName in Security 4688), with an optional conversion of exact literal values.
struct FieldMapping {
  std::string native;
  std::function<std::string(const std::string&)> convert;  // may be empty
  bool question_is_wildcard = false;                       // a '?' the conversion writes matches any one character
};
using FieldMap = std::map<std::string, FieldMapping, std::less<>>;

struct CompileContext {
  const FieldMap* fields = nullptr;
  const Placeholders* placeholders = nullptr;
};

enum class Truth : std::int8_t { kFalse = 0, kTrue = 1, kUnknown = 2 };

class FieldItem {
 public:
  // About the state's event.
  bool matches(MatchState& state) const;
  Truth evaluate_sql(MatchState& state) const;

  // Compiles `key` (field name and modifiers, or only modifiers for keywords) with `value`.
  // Throws CompileError with the reason.
  static FieldItem compile(const std::string& key, const YamlValue& value, const CompileContext& ctx);
  // A plain keyword list (search identifier that is a scalar or list of scalars).
  static FieldItem keywords(const YamlValue& value, const CompileContext& ctx);

  FieldId field() const { return field_; }
  // Hands this item's case-insensitive contains-literals to the rule set's prefilter.
  void register_literals(LiteralPrefilter& prefilter);
  // After register_literals: sets of needles of which one must occur for the item to match
  // (all sets AND-ed); empty when the item has no such necessary literals.
  std::vector<std::vector<std::uint32_t>> required_needles() const;
  // For `EventID: <numbers>` items without modifiers: the numbers (else empty). Lets the rule
  // set index rules by EventID.
  const std::vector<std::uint32_t>& exact_numbers() const { return exact_numbers_; }

 private:
  enum class Test { kValues, kNull, kExists, kNotExists };
  using Group = std::vector<std::unique_ptr<ValueMatcher>>;  // OR-ed variants of one value
  // Whether a value of flat_[begin, end) matches a value of this item's field (of any field:
  // keywords). Values are tested from one flat array (no pointer chase per value to learn its
  // needle) and the event's values are read once for all of them.
  bool values_match(std::size_t begin, std::size_t end, MatchState& state) const;
  // matches() without the value memo.
  bool evaluate(MatchState& state) const;
  // (Re)builds flat_ and group_ends_ from groups_ and their needles.
  void index_values();
  struct FlatValue {
    std::int64_t needle;  // prefilter needle or -1
    bool decides;         // the needle's presence is the answer
    const ValueMatcher* matcher;
  };

  FieldId field_ = kNoField;  // kNoField: keywords, over every value of the event
  Test test_ = Test::kValues;
  bool all_ = false;      // groups AND-ed
  bool negate_ = false;   // neq
  bool or_null_ = false;  // a null among the values: an absent field matches
  std::vector<Group> groups_;
  std::vector<std::uint32_t> exact_numbers_;
  const LiteralPrefilter* prefilter_ = nullptr;
  std::vector<FlatValue> flat_;          // every value of every group, in order
  std::vector<std::size_t> group_ends_;  // end of each group in flat_
  // Items whose answer depends on their field's value alone keep it in the value memo of the
  // prefilter numbered memo_owner_, under memo_tag_ (see value_memo.h).
  static constexpr std::uint32_t kNoMemo = 0xffffffffU;
  std::uint32_t memo_tag_ = kNoMemo;
  std::uint64_t memo_owner_ = 0;
};

}  // namespace ashiato::sigma
