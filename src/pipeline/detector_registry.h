// Which detectors an investigation runs. The indicator sweep, Sigma and attribution are built
// in (the case's C2 contacts, detections and address book come from their facts); every further
// analysis registers here with one line in analysis_detectors() (detector_registry.cpp) and its
// findings go into the case and the report with no other change.
#pragma once
#include <memory>
#include <vector>

#include "analyze/detector.h"
#include "ioc/indicator_matcher.h"
#include "sigma/rule_set.h"

namespace ashiato::pipeline {

// What a detector may be made from.
struct DetectorContext {
  const sigma::RuleSet* rules = nullptr;              // null: no Sigma rules
  const ioc::IndicatorMatcher* indicators = nullptr;  // null: no indicators
  sigma::MatchSemantics semantics = sigma::MatchSemantics::kSigma;
};

using DetectorMaker = std::unique_ptr<analyze::Detector> (*)(const DetectorContext& context);

// The registered analyses, in the order they see events. A maker may return null (e.g. an
// analysis that needs indicators when there are none).
const std::vector<DetectorMaker>& analysis_detectors();

}  // namespace ashiato::pipeline
