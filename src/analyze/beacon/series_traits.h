// What a series' requests look like beyond their times and sizes — user agents, methods, URL
// shapes, sizes both ways, rhythm, hours of the day, requests by address — for telling an
// implant's traffic from other periodic traffic and for finding more of the same implant.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analyze/beacon/series.h"

namespace ashiato::analyze::beacon {

// Interval histogram bins, by their upper bound in seconds (inclusive): up to 10 s, 30 s, 1 min, 2,
// 5, 10, 30 min, 1 h, 2 h, 6 h, 24 h, and longer.
inline constexpr std::array<std::uint32_t, 11> kIntervalBinEdges{10,   30,   60,   120,   300,  600,
                                                                 1800, 3600, 7200, 21600, 86400};

struct SeriesTraits {
  std::vector<std::pair<std::string, std::uint64_t>> agents, shapes;  // most used first, with counts
  std::array<std::uint64_t, kMethodCount> methods{};                  // samples by Method
  double request_bytes = 0, reply_bytes = 0;                          // medians; reply 0 when the log has none
  double interval = 0;                    // median seconds between distinct connection starts
  std::array<std::uint64_t, 24> hours{};  // connections by hour of the day (UTC)
  std::array<std::uint64_t, kIntervalBinEdges.size() + 1> interval_bins{};
  std::uint64_t direct_address = 0;  // requests naming the server by address
  std::vector<SampleRef> refs;       // the earliest samples' records
  std::uint64_t samples = 0;
};

// `samples` sorted by time.
SeriesTraits series_traits(const Series& series, const std::vector<Sample>& samples, const StringPool& strings);

}  // namespace ashiato::analyze::beacon
