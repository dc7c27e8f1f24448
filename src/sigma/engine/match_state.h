// Everything matching learns about the event in hand, and the working memory it reuses from
// one event to the next: what MatchScratch (match_scratch.h) owns for its caller. One state
// serves one thread at a time; the compiled rules themselves stay read-only and shared.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "sigma/engine/event_field_index.h"
#include "sigma/engine/value_memo.h"

struct pcre2_real_match_data_8;

namespace ashiato::sigma {

class LiteralPrefilter;
class ValueMatcher;
struct PrefilterScan;

class MatchState {
 public:
  MatchState();
  ~MatchState();
  MatchState(const MatchState&) = delete;
  MatchState& operator=(const MatchState&) = delete;

  // Starts on `event`: what was learnt about the last event is forgotten (not what was learnt
  // about values, see value_memo.h). Every question below is about this event.
  void begin(const Event& event);
  const Event& event() const { return event_; }
  // Changes with every begin(): stamps per-event answers.
  std::uint32_t event_generation() const { return event_generation_; }

  // Where the event's fields sit, indexed on the first question.
  const EventFieldIndex& fields() {
    if (!fields_indexed_) {
      fields_.build(event_);
      fields_indexed_ = true;
    }
    return fields_;
  }
  // The ASCII-folded form of the value at field position `i`, folded on the first question and
  // shared by every rule: most Sigma comparisons are case-insensitive.
  std::string_view folded(std::uint32_t i);
  ValueMemo& memo(std::uint64_t owner) { return memos_.of(owner); }
  // This state's scans with `prefilter` (Hyperscan scratch, needles seen in the event).
  PrefilterScan& prefilter_scan(const LiteralPrefilter& prefilter);
  // PCRE2 match data for regular expressions, made on first use.
  pcre2_real_match_data_8* regex_match_data();
  // The values an item still has to test after the prefilter answered (see FieldItem).
  std::vector<const ValueMatcher*>& values_to_test() { return values_to_test_; }

  // The rule set's bookkeeping per event: variants activated by the literals present.
  struct Activation {
    std::vector<std::uint32_t> stamps;  // per variant: the generation that activated it
    std::uint32_t generation = 0;
    std::vector<std::uint32_t> of_any_event_id, of_event_id;
    std::vector<std::uint32_t> matched;  // rule indexes that matched, in rule order
  };
  Activation& activation() { return activation_; }

 private:
  Event event_{nullptr, 0};
  std::uint32_t event_generation_ = 0;
  EventFieldIndex fields_;
  bool fields_indexed_ = false;
  std::vector<std::string> folded_;
  std::vector<std::uint8_t> folded_ready_;
  ValueMemos memos_;
  std::unordered_map<std::uint64_t, std::unique_ptr<PrefilterScan>> scans_;  // by prefilter serial
  PrefilterScan* last_scan_ = nullptr;                                       // the one asked for last
  std::uint64_t last_serial_ = 0;
  pcre2_real_match_data_8* regex_match_data_ = nullptr;
  std::vector<const ValueMatcher*> values_to_test_;
  Activation activation_;
};

}  // namespace ashiato::sigma
