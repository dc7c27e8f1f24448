// Beacon analysis over real Zeek logs: RITA's own "missing_host" dataset (three days of a sensor's
// logs, in which 73.54.23.243 beacons to 64.225.56.201 over HTTP without a Host header every 200 to
// 350 seconds, next to an SSH session open the whole time and Internet background noise).
#include "pipeline/beacons.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"

namespace ashiato::pipeline {
namespace {

using analyze::beacon::BeaconResult;
using analyze::beacon::SeriesKind;

TEST(Beacons, RitasMissingHostDatasetNamesItsBeacon) {
  Diagnostics diagnostics;
  const BeaconsResult r = beacons(test::rita_missing_host_connection_logs(), BeaconsOptions{}, diagnostics);
  EXPECT_EQ(diagnostics.errors(), 0U);
  ASSERT_FALSE(r.series.empty());
  const auto beacon = std::find_if(r.series.begin(), r.series.end(), [](const BeaconResult& s) {
    return s.key.src == "73.54.23.243" && s.key.dst == "64.225.56.201";
  });
  ASSERT_NE(beacon, r.series.end());
  EXPECT_EQ(beacon->key.kind, SeriesKind::kIp);  // no Host header: the session's conn record counts
  // The requests without a Host header make no FQDN series of their own.
  EXPECT_EQ(std::count_if(r.series.begin(), r.series.end(),
                          [](const BeaconResult& s) { return s.key.src == "73.54.23.243"; }),
            1);
  // One sample per TCP session: the 951 conn records of the pair, not also the 950 HTTP requests
  // on them (RITA excludes requests without a Host header from the series and flags the pair).
  EXPECT_EQ(beacon->connections, 951U);
  EXPECT_EQ(beacon->missing_host, 950U);
  EXPECT_TRUE(std::any_of(beacon->modifiers.begin(), beacon->modifiers.end(),
                          [](const auto& m) { return m.name == "missing_host_header" && m.value == 0.10; }));
  ASSERT_TRUE(beacon->best);
  // Every 200–350 s around the clock: regular intervals, every hour of the window filled, the
  // whole day covered; a beacon by RITA's measure (above its 0.7 "low" threshold).
  EXPECT_GE(beacon->best->timestamp.score, 0.9);
  EXPECT_EQ(beacon->best->histogram.total_bars, 24);
  EXPECT_DOUBLE_EQ(beacon->best->duration.score, 1);
  EXPECT_GE(beacon->best->score, 0.8);
  ASSERT_TRUE(beacon->span);
  EXPECT_GE(beacon->span->score, 0.8);
  // Three days of evidence: the best window is one of its 24-hour windows, dated.
  EXPECT_EQ(beacon->window_to - beacon->window_from, 86400U);
  EXPECT_GE(r.evidence_to - r.evidence_from, 2U * 86400);
  // Sorted by best score.
  EXPECT_TRUE(std::is_sorted(r.series.begin(), r.series.end(), [](const BeaconResult& a, const BeaconResult& b) {
    return (a.best ? a.best->score : -1) > (b.best ? b.best->score : -1);
  }));
}

}  // namespace
}  // namespace ashiato::pipeline
