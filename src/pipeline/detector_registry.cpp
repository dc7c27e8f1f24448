#include "pipeline/detector_registry.h"

namespace ashiato::pipeline {

const std::vector<DetectorMaker>& analysis_detectors() {
  // One line per analysis: {make_<name>_detector},
  static const std::vector<DetectorMaker> makers = {};
  return makers;
}

}  // namespace ashiato::pipeline
