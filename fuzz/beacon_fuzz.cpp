// Fuzzes beacon scoring (analyze/beacon/) with series whose times and sizes come from the input:
// any series an attacker's traffic can make gives scores in [0, 1], a threat score in [0, 0.8],
// a best window inside the evidence, and no crash.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "analyze/beacon/beacon_detector.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ashiato::analyze::beacon;
  Series series;
  for (std::size_t i = 0; i + 8 <= size; i += 8) {
    Sample s;
    std::memcpy(&s.time, data + i, 4);
    std::memcpy(&s.bytes, data + i + 4, 4);
    s.time %= 30U * 86400;  // a month of evidence from the epoch
    series.add(s);
  }
  if (series.connections == 0) return 0;
  const BeaconResult r =
      score_series(SeriesKey{"10.0.0.1", "c2.example", SeriesKind::kFqdn}, series, series.first, series.last);
  auto in_range = [](const BeaconScore& b) {
    for (double v : {b.score, b.timestamp.score, b.data_size.score, b.duration.score, b.histogram.score}) {
      if (!(v >= 0 && v <= 1)) return false;
    }
    return b.threat_score >= 0 && b.threat_score <= 0.8;
  };
  if (r.best && (!in_range(*r.best) || r.window_from < series.first || r.window_to > series.last)) std::abort();
  if (r.span && !in_range(*r.span)) std::abort();
  return 0;
}
