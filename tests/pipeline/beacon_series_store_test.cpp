// Beacon series stored with their files and scored later (an investigation's case): over RITA's
// "missing_host" Zeek dataset (three days of a sensor's conn, http and ssl logs, one file an hour
// each), every file's series encoded and decoded (analyze/beacon/series_codec.h), merged and
// scored must give exactly what scoring the same series directly gives — every score, count,
// window, trait and evidence record — and what `ashiato beacons` gives.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "analyze/beacon/beacon_detector.h"
#include "analyze/beacon/series_codec.h"
#include "pipeline/beacons.h"
#include "pipeline/evidence_scan.h"
#include "test_support.h"

namespace ashiato::pipeline {
namespace {

using analyze::beacon::BeaconOptions;
using analyze::beacon::BeaconResult;
using analyze::beacon::BeaconScore;
using analyze::beacon::ScoredSeries;
using analyze::beacon::SeriesSet;

// Each file's series, by file id, as an investigation takes them.
std::map<std::uint32_t, SeriesSet> series_by_file(const std::vector<std::string>& files) {
  BeaconOptions options;
  options.series_per_file = true;
  analyze::beacon::BeaconDetector detector(options);
  analyze::DetectorSet detectors;
  detectors.add(detector);
  EvidenceScan scan(detectors, ScanOptions{});
  Diagnostics diagnostics;
  std::map<std::uint32_t, SeriesSet> out;
  scan.scan(files, diagnostics, [&](analyze::FileScan& file, std::vector<Finding>&) {
    SeriesSet set = detector.take_series(file);
    if (!set.series.empty()) out.emplace(file.file_id, std::move(set));
  });
  scan.finish();
  EXPECT_EQ(diagnostics.errors(), 0U);
  return out;
}

void expect_same_score(const std::optional<BeaconScore>& got, const std::optional<BeaconScore>& want,
                       const std::string& what) {
  ASSERT_EQ(got.has_value(), want.has_value()) << what;
  if (!got) return;
  // Exactly: the same samples in, the same arithmetic.
  EXPECT_EQ(got->score, want->score) << what;
  EXPECT_EQ(got->threat_score, want->threat_score) << what;
  EXPECT_EQ(got->timestamp.skew, want->timestamp.skew) << what;
  EXPECT_EQ(got->timestamp.mad, want->timestamp.mad) << what;
  EXPECT_EQ(got->timestamp.score, want->timestamp.score) << what;
  EXPECT_EQ(got->data_size.skew, want->data_size.skew) << what;
  EXPECT_EQ(got->data_size.mad, want->data_size.mad) << what;
  EXPECT_EQ(got->data_size.score, want->data_size.score) << what;
  EXPECT_EQ(got->histogram.cv_score, want->histogram.cv_score) << what;
  EXPECT_EQ(got->histogram.bimodal_score, want->histogram.bimodal_score) << what;
  EXPECT_EQ(got->histogram.score, want->histogram.score) << what;
  EXPECT_EQ(got->histogram.total_bars, want->histogram.total_bars) << what;
  EXPECT_EQ(got->histogram.longest_run, want->histogram.longest_run) << what;
  EXPECT_EQ(got->duration.coverage, want->duration.coverage) << what;
  EXPECT_EQ(got->duration.consistency, want->duration.consistency) << what;
  EXPECT_EQ(got->duration.score, want->duration.score) << what;
}

// A list as it is, or sorted where its order may differ.
template <typename T>
std::vector<T> in_order(std::vector<T> list, bool exact) {
  if (!exact) std::sort(list.begin(), list.end());
  return list;
}

// `exact`: every bit. Otherwise (against series merged in another order) the sum of connection
// durations may differ in its last bits, of records in the same second other ones may be kept as
// evidence, and server addresses, user agents and shapes (of equal counts) may be listed in
// another order.
void expect_same_result(const BeaconResult& got, const BeaconResult& want, bool exact) {
  const std::string what = got.key.src + " -> " + got.key.dst;
  EXPECT_EQ(got.connections, want.connections) << what;
  EXPECT_EQ(got.bytes, want.bytes) << what;
  EXPECT_EQ(got.first, want.first) << what;
  EXPECT_EQ(got.last, want.last) << what;
  EXPECT_EQ(in_order(got.server_ips, exact), in_order(want.server_ips, exact)) << what;
  EXPECT_EQ(got.strobe, want.strobe) << what;
  EXPECT_EQ(got.window_from, want.window_from) << what;
  EXPECT_EQ(got.window_to, want.window_to) << what;
  EXPECT_EQ(got.window_connections, want.window_connections) << what;
  if (exact) {
    EXPECT_EQ(got.duration, want.duration) << what;
  } else {
    EXPECT_NEAR(got.duration, want.duration, 1e-12 * std::max(1.0, want.duration)) << what;
  }
  EXPECT_EQ(got.missing_host, want.missing_host) << what;
  EXPECT_EQ(got.long_connection_score, want.long_connection_score) << what;
  EXPECT_EQ(got.final_score, want.final_score) << what;
  ASSERT_EQ(got.modifiers.size(), want.modifiers.size()) << what;
  for (std::size_t i = 0; i < got.modifiers.size(); ++i) {
    EXPECT_EQ(got.modifiers[i].name, want.modifiers[i].name) << what;
    EXPECT_EQ(got.modifiers[i].value, want.modifiers[i].value) << what;
  }
  expect_same_score(got.best, want.best, what + " (best window)");
  expect_same_score(got.span, want.span, what + " (whole span)");
  const auto &t = got.traits, &u = want.traits;
  EXPECT_EQ(t.samples, u.samples) << what;
  EXPECT_EQ(in_order(t.agents, exact), in_order(u.agents, exact)) << what;
  EXPECT_EQ(in_order(t.shapes, exact), in_order(u.shapes, exact)) << what;
  EXPECT_EQ(t.methods, u.methods) << what;
  EXPECT_EQ(t.request_bytes, u.request_bytes) << what;
  EXPECT_EQ(t.reply_bytes, u.reply_bytes) << what;
  EXPECT_EQ(t.interval, u.interval) << what;
  EXPECT_EQ(t.hours, u.hours) << what;
  EXPECT_EQ(t.interval_bins, u.interval_bins) << what;
  EXPECT_EQ(t.direct_address, u.direct_address) << what;
  ASSERT_EQ(t.refs.size(), u.refs.size()) << what;
  for (std::size_t i = 0; i < t.refs.size(); ++i) {
    EXPECT_EQ(t.refs[i].time, u.refs[i].time) << what;
    if (!exact) continue;
    EXPECT_EQ(t.refs[i].file, u.refs[i].file) << what;
    EXPECT_EQ(t.refs[i].record, u.refs[i].record) << what;
    EXPECT_EQ(t.refs[i].offset, u.refs[i].offset) << what;
  }
}

void expect_same_scoring(const ScoredSeries& got, const ScoredSeries& want) {
  EXPECT_EQ(got.evidence_from, want.evidence_from);
  EXPECT_EQ(got.evidence_to, want.evidence_to);
  ASSERT_EQ(got.results.size(), want.results.size());
  for (std::size_t i = 0; i < got.results.size(); ++i) {
    // The same order: best score first, then by series.
    ASSERT_EQ(got.results[i].key, want.results[i].key) << "result " << i;
    expect_same_result(got.results[i], want.results[i], true);
  }
}

TEST(BeaconSeriesStore, RitasMissingHostScoresTheSameAfterEncodeAndDecode) {
  const std::vector<std::string> files = test::rita_missing_host_connection_logs();
  ASSERT_GE(files.size(), 200U);  // 72 hours of conn, http and ssl logs
  std::map<std::uint32_t, SeriesSet> by_file = series_by_file(files);
  ASSERT_GE(by_file.size(), 72U);
  SeriesSet direct, decoded;
  for (auto& [file, set] : by_file) {
    SeriesSet copy = set;  // before encoding sorts the samples
    const std::string bytes = analyze::beacon::encode_series(set);
    decoded.merge(analyze::beacon::decode_series(bytes, file));
    direct.merge(std::move(copy));
  }
  EXPECT_EQ(decoded.series.size(), direct.series.size());
  EXPECT_EQ(decoded.fqdn_sessions.size(), direct.fqdn_sessions.size());
  EXPECT_EQ(decoded.strings, direct.strings);
  for (const bool keep_unscored : {false, true}) {
    SCOPED_TRACE(keep_unscored ? "every series" : "scorable series");
    BeaconOptions options;
    options.keep_unscored = keep_unscored;
    SeriesSet direct_copy = direct, decoded_copy = decoded;
    const ScoredSeries want = analyze::beacon::score_all(direct_copy, options);
    const ScoredSeries got = analyze::beacon::score_all(decoded_copy, options);
    ASSERT_FALSE(want.results.empty());
    expect_same_scoring(got, want);
    // The dataset's beacon is among them, scored.
    const auto beacon = std::find_if(got.results.begin(), got.results.end(), [](const BeaconResult& r) {
      return r.key.src == "73.54.23.243" && r.key.dst == "64.225.56.201";
    });
    ASSERT_NE(beacon, got.results.end());
    ASSERT_TRUE(beacon->best);
    EXPECT_GE(beacon->best->score, 0.8);
  }
  // And `ashiato beacons`, which merges the files' series as they are done (in no fixed order),
  // agrees on every series' counts and scores.
  SCOPED_TRACE("against ashiato beacons");
  Diagnostics diagnostics;
  const BeaconsResult cli = beacons(files, BeaconsOptions{}, diagnostics);
  const ScoredSeries got = analyze::beacon::score_all(decoded, BeaconOptions{});
  EXPECT_EQ(got.evidence_from, cli.evidence_from);
  EXPECT_EQ(got.evidence_to, cli.evidence_to);
  ASSERT_EQ(got.results.size(), cli.series.size());
  for (std::size_t i = 0; i < got.results.size(); ++i) {
    ASSERT_EQ(got.results[i].key, cli.series[i].key) << "result " << i;
    expect_same_result(got.results[i], cli.series[i], false);
  }
}

TEST(BeaconSeriesStore, EveryFilesEncodingOfTheDatasetIsRefusedWhenCutShort) {
  // The real files' encodings, cut at a few hundred places each: refused, never misread.
  std::map<std::uint32_t, SeriesSet> by_file = series_by_file(test::rita_missing_host_connection_logs());
  ASSERT_FALSE(by_file.empty());
  std::size_t tried = 0;
  for (auto& [file, set] : by_file) {
    const std::string bytes = analyze::beacon::encode_series(set);
    const std::size_t step = std::max<std::size_t>(1, bytes.size() / 50);
    for (std::size_t n = 0; n < bytes.size(); n += step) {
      ++tried;
      EXPECT_THROW(analyze::beacon::decode_series(std::string_view(bytes).substr(0, n), file), std::runtime_error)
          << "file " << file << " cut to " << n << " of " << bytes.size();
    }
  }
  EXPECT_GT(tried, 1000U);
}

}  // namespace
}  // namespace ashiato::pipeline
