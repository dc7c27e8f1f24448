// RITA v5's beacon scores, exactly (activecm/rita analysis/beacons.go and analysis.go; the
// formulas, defaults and test vectors are in docs/beacons.md): how regular a series of
// connections from one host to one destination is, by its intervals (timestamp score), its sizes
// (data size score), how evenly it fills the hours of the window (histogram score) and how much of
// the window it covers (duration score), and their weighted sum bucketed into a threat score.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace ashiato::analyze::beacon {

// RITA's rounding: round(x * 1000) / 1000, and ceil(x * 1000) / 1000.
double round3(double x);
double ceil3(double x);

// Tukey's hinges (montanaflynn/stats Quartile): the median of the lower and upper halves, the
// middle element of an odd count left out of both. `sorted` holds at least 3 values.
struct Quartiles {
  double q1 = 0, q2 = 0, q3 = 0;
};
Quartiles quartiles(const std::vector<double>& sorted);
double median(const std::vector<double>& sorted);

// Bowley skewness (Q1 + Q3 − 2·Q2) / (Q3 − Q1), taken as 0 unless Q3 − Q1 ≥ 10 and Q2 differs
// from both Q1 and Q3.
double bowley_skewness(const std::vector<double>& sorted);
// Median absolute deviation about the median (population), and the median itself.
struct Madm {
  double median = 0, mad = 0;
};
Madm madm(const std::vector<double>& sorted);

// A sub-score with the parts it was made of.
struct SkewMadScore {
  double skew = 0, mad = 0, score = 0;
};

// Intervals between connection starts (seconds): needs at least 4 timestamps and 3 intervals
// above zero, else nullopt. `timestamps` in any order.
std::optional<SkewMadScore> timestamp_score(std::vector<std::uint32_t> timestamps);
// Client-to-server bytes per connection: needs at least 3 values.
std::optional<SkewMadScore> data_size_score(std::vector<std::uint64_t> bytes);

// Connections per bin of 24 equal bins over [window_from, window_to] (the last edge belongs to
// the last bin); as RITA, a timestamp before the window counts in the first bin, one after it in
// the last.
std::vector<std::uint32_t> histogram(const std::vector<std::uint32_t>& timestamps, std::uint32_t window_from,
                                     std::uint32_t window_to);

struct HistogramScore {
  double cv_score = 0, bimodal_score = 0, score = 0;
  int total_bars = 0;   // bins with connections
  int longest_run = 0;  // of consecutive bins with connections, wrapping around
};
HistogramScore histogram_score(const std::vector<std::uint32_t>& bins);

// Coverage of the window (first to last connection) and consistency (longest run of hours with
// connections against 12), 0 below 6 hours with connections.
struct DurationScore {
  double coverage = 0, consistency = 0, score = 0;
};
DurationScore duration_score(std::uint32_t first, std::uint32_t last, std::uint32_t window_from,
                             std::uint32_t window_to, const HistogramScore& histogram);

// RITA's default_config.hjson: thresholds of the bucketed score (in percent) and the weights.
struct Thresholds {
  double base = 50, low = 70, medium = 90, high = 100;
};
// Piecewise linear: below base 0; base..low 0.2..0.4; low..medium 0.4..0.6; medium..high 0.6..0.8.
double bucketed_score(double value, const Thresholds& thresholds);

struct Weights {
  double timestamp = 0.25, data_size = 0.25, duration = 0.25, histogram = 0.25;
};

// round3(Σ sub-score × weight), added in RITA's order (its float results, to the last decimal).
double overall_score(double timestamp, double data_size, double duration, double histogram,
                     const Weights& weights = {});

struct BeaconScore {
  SkewMadScore timestamp, data_size;
  HistogramScore histogram;
  DurationScore duration;
  double score = 0;         // weighted sum of the four, rounded to 3 decimals
  double threat_score = 0;  // bucketed_score(score × 100)
};

// One series over a window. nullopt when RITA would not score it (fewer than 4 distinct seconds,
// fewer than 3 intervals above zero or 3 sizes).
std::optional<BeaconScore> score_beacon(const std::vector<std::uint32_t>& timestamps,
                                        const std::vector<std::uint64_t>& bytes, std::uint32_t window_from,
                                        std::uint32_t window_to, const Weights& weights = {},
                                        const Thresholds& thresholds = {});

}  // namespace ashiato::analyze::beacon
