#include "analyze/detector.h"

namespace ashiato::analyze {

void DetectorSet::add(Detector& detector) {
  detector.slot_ = detectors_.size();
  detectors_.push_back(&detector);
  if (detector.wants_all()) wants_all_ = true;
}

bool DetectorSet::wants(std::string_view channel, std::string_view event_id) const {
  for (const Detector* d : detectors_) {
    if (d->wants_all() || d->wants(channel, event_id)) return true;
  }
  return false;
}

}  // namespace ashiato::analyze
