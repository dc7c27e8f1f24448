// RITA v5's beacon scores (analyze/beacon/beacon_scores.h) against the test vectors of RITA's own
// tests (activecm/rita analysis/beacons_test.go) and its integration results, and hand-worked
// cases of the histogram and duration scores.
#include "analyze/beacon/beacon_scores.h"

#include <gtest/gtest.h>

#include <numeric>

namespace ashiato::analyze::beacon {
namespace {

// Connection starts 1517338924 + the running sum of `intervals`.
std::vector<std::uint32_t> starts(const std::vector<std::uint32_t>& intervals) {
  std::vector<std::uint32_t> ts{1517338924};
  for (std::uint32_t d : intervals) ts.push_back(ts.back() + d);
  return ts;
}

TEST(BeaconScores, TimestampScoreOfRitasTestVectors) {
  // One second apart: perfectly regular.
  std::vector<std::uint32_t> one_to_ten(10);
  std::iota(one_to_ten.begin(), one_to_ten.end(), 1U);
  EXPECT_DOUBLE_EQ(timestamp_score(one_to_ten)->score, 1.0);
  // Jitter of a second or two around 100 s: skew 0 (spread under 10), MAD 1.
  const auto jitter = timestamp_score(starts({98, 99, 99, 100, 100, 100, 101, 101, 102}));
  ASSERT_TRUE(jitter);
  EXPECT_DOUBLE_EQ(jitter->skew, 0);
  EXPECT_DOUBLE_EQ(jitter->mad, 1);
  EXPECT_DOUBLE_EQ(jitter->score, 0.995);
  // Two rhythms: MAD 101.
  const auto bimodal = timestamp_score(starts({98, 98, 98, 98, 98, 300, 300, 300, 300, 300}));
  ASSERT_TRUE(bimodal);
  EXPECT_DOUBLE_EQ(bimodal->mad, 101);
  EXPECT_DOUBLE_EQ(bimodal->score, 0.746);
  // RITA's "random" list.
  const auto random = timestamp_score({1517338924, 1517338925, 1517339224, 1517339249, 1517344224, 1517344314,
                                       1517344316, 1517344358, 1517344858, 1517346358});
  ASSERT_TRUE(random);
  EXPECT_DOUBLE_EQ(round3(random->skew), 0.845);
  EXPECT_DOUBLE_EQ(random->mad, 89);
  EXPECT_DOUBLE_EQ(random->score, 0.083);
}

TEST(BeaconScores, TooFewConnectionsOrIntervalsAreNotScored) {
  EXPECT_FALSE(timestamp_score({1, 2, 3}));
  EXPECT_FALSE(timestamp_score({1, 1, 2, 2, 3}));  // two intervals above zero
  EXPECT_FALSE(data_size_score({100, 100}));
  EXPECT_FALSE(score_beacon({10, 10, 20, 30}, {1, 1, 1, 1}, 0, 86400));  // three distinct seconds
}

TEST(BeaconScores, DataSizeScoreOfEqualAndSpreadSizes) {
  EXPECT_DOUBLE_EQ(data_size_score({512, 512, 512, 512})->score, 1.0);
  // Below a median of 1 byte the MAD score is 0 (RITA's default for sizes), skew 0: 0.5.
  EXPECT_DOUBLE_EQ(data_size_score({0, 0, 0})->score, 0.5);
  // 100, 200, ..., 900: hinges 250 / 500 / 750, symmetric (skew 0); MAD 200 → (500 − 200) / 500.
  const auto spread = data_size_score({900, 100, 800, 200, 700, 300, 600, 400, 500});
  ASSERT_TRUE(spread);
  EXPECT_DOUBLE_EQ(spread->skew, 0);
  EXPECT_DOUBLE_EQ(spread->mad, 200);
  EXPECT_DOUBLE_EQ(spread->score, 0.8);
  // Sizes bunched low with a long tail: hinges 105 / 120 / 950, skew (105 + 950 − 240) / 845.
  const auto skewed = data_size_score({100, 100, 110, 110, 120, 130, 900, 1000, 1100});
  ASSERT_TRUE(skewed);
  EXPECT_NEAR(skewed->skew, 815.0 / 845, 1e-12);
}

TEST(BeaconScores, QuartilesAreTukeysHinges) {
  const Quartiles odd = quartiles({1, 2, 3, 4, 5, 6, 7});
  EXPECT_DOUBLE_EQ(odd.q1, 2);
  EXPECT_DOUBLE_EQ(odd.q2, 4);
  EXPECT_DOUBLE_EQ(odd.q3, 6);
  const Quartiles even = quartiles({1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_DOUBLE_EQ(even.q1, 2.5);
  EXPECT_DOUBLE_EQ(even.q2, 4.5);
  EXPECT_DOUBLE_EQ(even.q3, 6.5);
}

TEST(BeaconScores, HourlyBeaconFillsTheHistogramAndTheWindow) {
  // Every hour on the half hour over one day.
  std::vector<std::uint32_t> ts;
  for (std::uint32_t h = 0; h < 24; ++h) ts.push_back(h * 3600 + 1800);
  const auto bins = histogram(ts, 0, 86400);
  for (std::uint32_t b : bins) EXPECT_EQ(b, 1U);
  const HistogramScore h = histogram_score(bins);
  EXPECT_EQ(h.total_bars, 24);
  EXPECT_EQ(h.longest_run, 24);
  EXPECT_DOUBLE_EQ(h.cv_score, 1);
  EXPECT_DOUBLE_EQ(h.bimodal_score, 1);  // 24 bars in one bucket over 23: capped at 1
  const DurationScore d = duration_score(ts.front(), ts.back(), 0, 86400, h);
  EXPECT_DOUBLE_EQ(d.coverage, ceil3(23.0 / 24));
  EXPECT_DOUBLE_EQ(d.consistency, 1);
  const auto b = score_beacon(ts, std::vector<std::uint64_t>(24, 300), 0, 86400);
  ASSERT_TRUE(b);
  EXPECT_DOUBLE_EQ(b->score, 1);
  EXPECT_DOUBLE_EQ(b->threat_score, 0.8);
}

TEST(BeaconScores, HistogramEdgesAndWrapAround) {
  // The window's last second goes to the last bin; a run may wrap from the last bin to the first.
  std::vector<std::uint32_t> ts{86400, 0, 3600, 82800};
  const auto bins = histogram(ts, 0, 86400);
  EXPECT_EQ(bins[0], 1U);
  EXPECT_EQ(bins[1], 1U);
  EXPECT_EQ(bins[23], 2U);
  EXPECT_EQ(histogram_score(bins).longest_run, 3);
  // Five hours seen: no duration score, no bimodal fit (fewer than 11 bars).
  std::vector<std::uint32_t> five{0, 3600, 7200, 10800, 14400};
  const HistogramScore h = histogram_score(histogram(five, 0, 86400));
  EXPECT_EQ(h.total_bars, 5);
  EXPECT_DOUBLE_EQ(h.bimodal_score, 0);
  EXPECT_DOUBLE_EQ(duration_score(0, 14400, 0, 86400, h).score, 0);
  // cv of 5 ones and 19 zeros: mean 5/24, sd sqrt(5/24 − (5/24)²) → cv > 1 → 0.
  EXPECT_DOUBLE_EQ(h.cv_score, 0);
}

TEST(BeaconScores, OverallScoreAndBucketsAsRitaComputesThem) {
  // RITA's integration result for 10.55.100.103 -> www.bankofamerica.com: sub-scores 0.407,
  // 0.632, 0.823 and 0 make 0.465 (0.4655 in decimals; RITA's float sum rounds down).
  EXPECT_DOUBLE_EQ(overall_score(0.407, 0.632, 0.823, 0), 0.465);
  EXPECT_DOUBLE_EQ(overall_score(1, 1, 1, 1), 1);
  const Thresholds t;  // 50 / 70 / 90 / 100
  EXPECT_DOUBLE_EQ(bucketed_score(49.9, t), 0);
  EXPECT_DOUBLE_EQ(bucketed_score(50, t), 0.2);
  EXPECT_DOUBLE_EQ(bucketed_score(60, t), 0.3);
  EXPECT_DOUBLE_EQ(bucketed_score(80, t), 0.5);
  EXPECT_DOUBLE_EQ(bucketed_score(95, t), 0.7);
  EXPECT_DOUBLE_EQ(bucketed_score(120, t), 0.8);
}

}  // namespace
}  // namespace ashiato::analyze::beacon
