#include "sigma/match_scratch.h"

#include "sigma/engine/match_state.h"

namespace ashiato::sigma {

MatchScratch::MatchScratch() : state_(std::make_unique<MatchState>()) {}
MatchScratch::~MatchScratch() = default;
MatchScratch::MatchScratch(MatchScratch&&) noexcept = default;
MatchScratch& MatchScratch::operator=(MatchScratch&&) noexcept = default;

}  // namespace ashiato::sigma
