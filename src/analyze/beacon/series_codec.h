// A file's beacon series as bytes, for the case store: an investigation stores each evidence
// file's series with the file, so that a later run (more evidence, or a resumed one) scores the
// whole case without reading the logs again. Samples are written in time order with varints
// (a few bytes each, 8 more for a Zeek session id, instead of 24 in memory).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "analyze/beacon/series.h"

namespace ashiato::analyze::beacon {

// The samples of each series are sorted by time on the way.
std::string encode_series(SeriesSet& set);
// Every SampleRef's file becomes `file`. Throws std::runtime_error on bytes it did not write.
SeriesSet decode_series(std::string_view bytes, std::uint32_t file);

}  // namespace ashiato::analyze::beacon
