// The working memory of Sigma matching, owned by the caller (as a Hyperscan scratch is): what
// matching learns about the event in hand, and what it keeps from one event to the next (answers
// about repeated values, Hyperscan scratch, buffers). One scratch per thread that matches; the
// compiled RuleSet stays read-only and is shared by all of them.
#pragma once
#include <memory>

namespace ashiato::sigma {

class MatchState;

// kSigma: the specification's semantics. kSqlNull: how SQL backends of pySigma evaluate (used
// to compare with them): a test on an absent or empty field is "unknown", and unknown
// propagates through not/and/or (three-valued logic) and counts as no match at the end.
enum class MatchSemantics { kSigma, kSqlNull };

class MatchScratch {
 public:
  MatchScratch();
  ~MatchScratch();
  MatchScratch(MatchScratch&&) noexcept;
  MatchScratch& operator=(MatchScratch&&) noexcept;
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;

  // For the engine (sigma/engine/match_state.h).
  MatchState& state() { return *state_; }

 private:
  std::unique_ptr<MatchState> state_;
};

}  // namespace ashiato::sigma
