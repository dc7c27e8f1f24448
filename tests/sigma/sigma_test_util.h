// Helpers for the Sigma engine tests: events from (field, value) pairs, YAML snippets, and
// compiled items / detections matched against an event.
#pragma once
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/field_id.h"
#include "sigma/engine/detection.h"
#include "sigma/engine/field_item.h"
#include "sigma/engine/match_state.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "sigma/yaml_value.h"

namespace ashiato::sigma::test_util {

// (field, value) pairs in document order; a field may repeat (unnamed EventData <Data>).
using Fields = std::vector<std::pair<std::string, std::string>>;

// One event in its own batch. Not copyable: the Event refers to the batch.
class TestEvent {
 public:
  explicit TestEvent(const Fields& fields) {
    batch_.begin_event(Timestamp{}, SourceRef{});
    for (const auto& [name, value] : fields) batch_.add_field(intern_field(name), value);
  }
  TestEvent(const TestEvent&) = delete;
  TestEvent& operator=(const TestEvent&) = delete;
  Event event() const { return batch_[0]; }

 private:
  EventBatch batch_;
};

// The first document of a YAML text.
inline YamlValue yaml(const std::string& text) {
  std::vector<YamlValue> docs = parse_yaml_documents(text);
  if (docs.empty()) throw std::runtime_error("no YAML document");
  return docs[0];
}

// A YAML value written as it would follow "key: " on one line (e.g. "'\Temp\'" or "[a, b]").
inline YamlValue yaml_value(const std::string& value_text) {
  const YamlValue doc = yaml("v: " + value_text);
  const YamlValue* v = doc.find("v");
  if (v == nullptr) throw std::runtime_error("no value");
  return *v;
}

inline FieldItem compile_item(const std::string& key, const std::string& value_text, const CompileContext& ctx = {}) {
  return FieldItem::compile(key, yaml_value(value_text), ctx);
}

inline bool item_matches(const FieldItem& item, const Fields& fields) {
  const TestEvent e(fields);
  MatchState state;
  state.begin(e.event());
  return item.matches(state);
}

// Compiles `key: value_text` and matches it against one event.
inline bool item_matches(const std::string& key, const std::string& value_text, const Fields& fields,
                         const CompileContext& ctx = {}) {
  return item_matches(compile_item(key, value_text, ctx), fields);
}

// Compiles the `detection:` mapping of a YAML text.
inline Detection compile_detection(const std::string& text, const CompileContext& ctx = {}) {
  const YamlValue doc = yaml(text);
  const YamlValue* d = doc.find("detection");
  if (d == nullptr) throw std::runtime_error("no detection");
  return Detection::compile(*d, ctx);
}

inline bool detection_matches(const Detection& d, const Fields& fields) {
  const TestEvent e(fields);
  MatchState state;
  state.begin(e.event());
  return d.matches(state);
}

// The rules of a YAML text compiled; a rejected rule is an error of the test.
inline RuleSet compiled_rules(const std::string& text) {
  LoadResult loaded;
  load_rule_text(text, "inline.yml", loaded);
  if (!loaded.rejected.empty()) throw std::runtime_error(loaded.rejected.front().reason);
  return RuleSet::compile(loaded, RuleSelection{}, {});
}

// Ids of the rules of `set` that match one event of `channel` and `event_id` with `fields`,
// matched with `scratch` (which keeps what it learnt for the next calls).
inline std::vector<std::string> matching_rule_ids(const RuleSet& set, const std::string& channel,
                                                  const std::string& event_id, const Fields& fields,
                                                  MatchScratch& scratch) {
  EventBatch batch;
  batch.begin_event(Timestamp{}, SourceRef{});
  batch.add_field(intern_field("Channel"), channel);
  batch.add_field(intern_field("EventID"), event_id);
  for (const auto& [name, value] : fields) batch.add_field(intern_field(name), value);
  std::vector<std::string> ids;
  for (const std::uint32_t r : set.match(batch[0], scratch)) ids.push_back(set.rules()[r].id);
  return ids;
}

// The same with a new scratch.
inline std::vector<std::string> matching_rule_ids(const RuleSet& set, const std::string& channel,
                                                  const std::string& event_id, const Fields& fields) {
  MatchScratch scratch;
  return matching_rule_ids(set, channel, event_id, fields, scratch);
}

}  // namespace ashiato::sigma::test_util
