#include "analyze/beacon/beacon_scores.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace ashiato::analyze::beacon {
namespace {

constexpr int kBins = 24;
constexpr int kBimodalMinHoursSeen = 11;       // histogram_bimodal_min_hours_seen
constexpr double kModeSensitivity = 0.05;      // histogram_mode_sensitivity
constexpr int kBimodalOutlierRemoval = 1;      // histogram_bimodal_outlier_removal
constexpr int kDurationMinHoursSeen = 6;       // duration_min_hours_seen
constexpr double kConsistencyIdealHours = 12;  // duration_consistency_ideal_hours_seen

double median_of(const double* begin, std::size_t n) {
  if (n == 0) return 0;
  return n % 2 == 1 ? begin[n / 2] : (begin[n / 2 - 1] + begin[n / 2]) / 2;
}

// (skew + MAD) / 2, each made a score in [0, 1]; the MAD score is `mad_default` for a median
// below 1 (RITA: 1 for intervals, 0 for sizes).
SkewMadScore skew_mad(const std::vector<double>& sorted, double mad_default) {
  SkewMadScore s;
  s.skew = bowley_skewness(sorted);
  const Madm m = madm(sorted);
  s.mad = m.mad;
  const double skew_score = 1 - std::fabs(s.skew);
  double mad_score = m.median >= 1 ? (m.median - m.mad) / m.median : mad_default;
  if (std::isnan(mad_score) || mad_score < 0) mad_score = 0;
  s.score = round3((skew_score + mad_score) / 2);
  return s;
}

}  // namespace

double round3(double x) {
  return std::round(x * 1000) / 1000;
}

double ceil3(double x) {
  return std::ceil(x * 1000) / 1000;
}

double median(const std::vector<double>& sorted) {
  return median_of(sorted.data(), sorted.size());
}

Quartiles quartiles(const std::vector<double>& sorted) {
  const std::size_t n = sorted.size();
  const std::size_t lower = n % 2 == 0 ? n / 2 : (n - 1) / 2;
  const std::size_t upper_start = n % 2 == 0 ? n / 2 : lower + 1;
  return Quartiles{median_of(sorted.data(), lower), median(sorted),
                   median_of(sorted.data() + upper_start, n - upper_start)};
}

double bowley_skewness(const std::vector<double>& sorted) {
  if (sorted.size() < 3) return 0;
  const Quartiles q = quartiles(sorted);
  const double numerator = q.q1 + q.q3 - 2 * q.q2;
  const double denominator = q.q3 - q.q1;
  // RITA counts no skew for a spread under 10 or a median on a quartile (PR #792).
  if (denominator < 10 || q.q2 == q.q1 || q.q2 == q.q3) return 0;
  return numerator / denominator;
}

Madm madm(const std::vector<double>& sorted) {
  Madm m;
  m.median = median(sorted);
  std::vector<double> deviations;
  deviations.reserve(sorted.size());
  for (double x : sorted) deviations.push_back(std::fabs(x - m.median));
  std::sort(deviations.begin(), deviations.end());
  m.mad = median(deviations);
  return m;
}

std::optional<SkewMadScore> timestamp_score(std::vector<std::uint32_t> timestamps) {
  if (timestamps.size() < 4) return std::nullopt;
  std::sort(timestamps.begin(), timestamps.end());
  std::vector<double> intervals;
  intervals.reserve(timestamps.size() - 1);
  for (std::size_t i = 1; i < timestamps.size(); ++i) {
    const std::uint32_t d = timestamps[i] - timestamps[i - 1];
    if (d > 0) intervals.push_back(d);  // zero intervals (several connections in one second) do not count
  }
  if (intervals.size() < 3) return std::nullopt;
  std::sort(intervals.begin(), intervals.end());
  return skew_mad(intervals, 1);
}

std::optional<SkewMadScore> data_size_score(std::vector<std::uint64_t> bytes) {
  if (bytes.size() < 3) return std::nullopt;
  std::vector<double> sizes(bytes.begin(), bytes.end());
  std::sort(sizes.begin(), sizes.end());
  return skew_mad(sizes, 0);
}

std::vector<std::uint32_t> histogram(const std::vector<std::uint32_t>& timestamps, std::uint32_t window_from,
                                     std::uint32_t window_to) {
  std::vector<std::uint32_t> bins(kBins, 0);
  const double from = window_from;
  const double step = (static_cast<double>(window_to) - from) / kBins;
  auto edge = [&](int i) { return i == kBins ? static_cast<double>(window_to) : from + i * step; };
  // As RITA's createHistogram: a timestamp before the first edge counts in the first bin (RITA reads
  // whole hours from the one holding the window's start), one after the last in the last bin.
  for (std::uint32_t t : timestamps) {
    int b = step > 0 ? static_cast<int>((t - from) / step) : kBins - 1;
    b = std::clamp(b, 0, kBins - 1);
    // Half-open [edge_b, edge_b+1) with the edges RITA computes; the last edge goes to the last bin.
    while (b > 0 && t < edge(b)) --b;
    while (b < kBins - 1 && t >= edge(b + 1)) ++b;
    ++bins[static_cast<std::size_t>(b)];
  }
  return bins;
}

HistogramScore histogram_score(const std::vector<std::uint32_t>& bins) {
  HistogramScore h;
  double total = 0;
  std::uint32_t largest = 0;
  for (std::uint32_t f : bins) {
    total += f;
    largest = std::max(largest, f);
    h.total_bars += f > 0 ? 1 : 0;
  }
  if (total == 0) return h;
  // Longest run of hours with connections, wrapping from the last bin to the first.
  int run = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (std::uint32_t f : bins) {
      run = f > 0 ? run + 1 : 0;
      h.longest_run = std::max(h.longest_run, run);
    }
  }
  h.longest_run = std::min(h.longest_run, static_cast<int>(bins.size()));

  const double mean = total / static_cast<double>(bins.size());
  double variance = 0;
  for (std::uint32_t f : bins) variance += (f - mean) * (f - mean);
  const double cv = std::sqrt(variance / static_cast<double>(bins.size())) / std::fabs(mean);
  h.cv_score = cv > 1 ? 0 : round3(1 - cv);

  // Two modes: the bars bucketed by height (buckets of 5 % of the highest), the two fullest
  // buckets against all bars but one outlier. Tolerates jitter that moves a beat to the next hour.
  if (h.total_bars >= kBimodalMinHoursSeen) {
    const auto bucket = static_cast<std::uint32_t>(std::ceil(largest * kModeSensitivity));
    std::map<std::uint32_t, int> bars_per_bucket;
    for (std::uint32_t f : bins) {
      if (f > 0) ++bars_per_bucket[f / bucket * bucket];
    }
    int first = 0, second = 0;
    for (const auto& [height, bars] : bars_per_bucket) {
      if (bars > first) {
        second = first;
        first = bars;
      } else if (bars > second) {
        second = bars;
      }
    }
    const double fit = static_cast<double>(first + second) / std::max(h.total_bars - kBimodalOutlierRemoval, 1);
    h.bimodal_score = std::min(round3(fit), 1.0);
  }
  h.score = std::max(h.cv_score, h.bimodal_score);
  return h;
}

DurationScore duration_score(std::uint32_t first, std::uint32_t last, std::uint32_t window_from,
                             std::uint32_t window_to, const HistogramScore& histogram) {
  DurationScore d;
  if (histogram.total_bars < kDurationMinHoursSeen || window_to <= window_from) return d;
  d.coverage = std::min(ceil3(static_cast<double>(last - first) / (window_to - window_from)), 1.0);
  d.consistency = std::min(ceil3(histogram.longest_run / kConsistencyIdealHours), 1.0);
  d.score = std::max(d.coverage, d.consistency);
  return d;
}

double overall_score(double timestamp, double data_size, double duration, double histogram, const Weights& weights) {
  return round3(timestamp * weights.timestamp + data_size * weights.data_size + duration * weights.duration +
                histogram * weights.histogram);
}

double bucketed_score(double value, const Thresholds& t) {
  if (value < t.base) return 0;
  if (value < t.low) return 0.2 + (value - t.base) / (t.low - t.base) * 0.2;
  if (value < t.medium) return 0.4 + (value - t.low) / (t.medium - t.low) * 0.2;
  return 0.6 + (std::min(value, t.high) - t.medium) / (t.high - t.medium) * 0.2;
}

std::optional<BeaconScore> score_beacon(const std::vector<std::uint32_t>& timestamps,
                                        const std::vector<std::uint64_t>& bytes, std::uint32_t window_from,
                                        std::uint32_t window_to, const Weights& weights, const Thresholds& thresholds) {
  if (std::set<std::uint32_t>(timestamps.begin(), timestamps.end()).size() < 4 || window_to <= window_from) {
    return std::nullopt;
  }
  const auto ts = timestamp_score(timestamps);
  const auto ds = data_size_score(bytes);
  if (!ts || !ds) return std::nullopt;
  BeaconScore b;
  b.timestamp = *ts;
  b.data_size = *ds;
  b.histogram = histogram_score(histogram(timestamps, window_from, window_to));
  const auto [first, last] = std::minmax_element(timestamps.begin(), timestamps.end());
  b.duration = duration_score(*first, *last, window_from, window_to, b.histogram);
  b.score = overall_score(b.timestamp.score, b.data_size.score, b.duration.score, b.histogram.score, weights);
  b.threat_score = bucketed_score(b.score * 100, thresholds);
  return b;
}

}  // namespace ashiato::analyze::beacon
