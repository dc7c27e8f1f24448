// Sigma correlation rules (v2): event_count, value_count, temporal, temporal_ordered over the
// matches of other rules, grouped by field values, in sliding time windows, chainable.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/timestamp.h"
#include "sigma/rule.h"

namespace ashiato::sigma {

// A match of a base rule (or of a correlation, when chained) as a correlation sees it.
struct CorrelationInput {
  std::uint32_t source;  // index into CorrelationSet::sources()
  Timestamp time;
  std::vector<std::string> values;  // the source's captured fields, in sources()[source].fields order
  std::uint64_t evidence;           // caller's reference (e.g. finding index)
};

// A correlation that fired.
struct CorrelationMatch {
  std::uint32_t correlation;                               // index into CorrelationSet::rules()
  Timestamp first, last;                                   // the window's events
  std::vector<std::pair<std::string, std::string>> group;  // group-by field -> value
  std::uint64_t count = 0;                                 // events, distinct values or distinct rules, by type
  std::vector<std::uint64_t> evidence;                     // the inputs' evidence references
};

struct CorrelationError {
  std::string file;
  int line;
  std::string reason;
};

class CorrelationSet {
 public:
  struct Source {
    std::string rule_id;  // id of a detection rule (or of a correlation when chained)
    std::string name;
    bool is_correlation = false;
    std::vector<FieldId> fields;  // to capture at match time
  };
  struct Compiled {
    Rule rule;
    enum class Type { kEventCount, kValueCount, kTemporal, kTemporalOrdered } type;
    std::vector<std::uint32_t> sources;  // into sources_
    std::vector<std::string> group_by;
    std::int64_t timespan_ticks;
    std::map<std::string, std::int64_t> condition;  // gt/gte/lt/lte/eq/neq -> number
    std::string value_field;                        // value_count
    // For each source: the field (index into Source::fields) giving each group-by name.
    std::vector<std::vector<int>> group_field_index;
    std::vector<int> value_field_index;
  };

  // Compiles the correlation rules among `rules`, resolving references by id or name. Rules
  // that cannot be compiled are reported in `errors`.
  static CorrelationSet compile(const std::vector<Rule>& rules, std::vector<CorrelationError>& errors);

  const std::vector<Source>& sources() const { return sources_; }
  const std::vector<Compiled>& rules() const { return compiled_; }
  // Detection rule ids whose matches are only inputs (their correlation has generate: false).
  const std::vector<std::string>& suppressed() const { return suppressed_; }
  bool empty() const { return compiled_.empty(); }
  // Source index for a detection rule id, or -1.
  int source_of(const std::string& rule_id) const;

  // Runs every correlation, chained ones after those they use. `inputs` need not be sorted.
  std::vector<CorrelationMatch> evaluate(std::vector<CorrelationInput> inputs) const;

 private:
  std::vector<CorrelationMatch> run(std::uint32_t index, const std::vector<CorrelationInput>& inputs) const;

  std::vector<Source> sources_;
  std::vector<Compiled> compiled_;
  std::vector<std::uint32_t> order_;  // compiled_ indexes, dependencies first
  std::vector<std::string> suppressed_;
};

// "5m" -> ticks; s, m, h, d (and w, M, y as pySigma accepts). Throws std::invalid_argument.
std::int64_t parse_timespan(const std::string& text);

}  // namespace ashiato::sigma
