// RITA v5's beacon scores for series: each over every 24-hour window of the evidence, ending at
// its last record, and over the whole span, with the best window kept (beacon_scores.h has the
// formulas), then RITA's final score over the whole dataset (rita_modifiers.h).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyze/beacon/beacon_scores.h"
#include "analyze/beacon/rita_modifiers.h"
#include "analyze/beacon/series.h"
#include "analyze/beacon/series_traits.h"

namespace ashiato::analyze::beacon {

// A series' result: its best 24-hour window and the whole span.
struct BeaconResult {
  SeriesKey key;
  std::uint64_t connections = 0, bytes = 0;
  std::uint32_t first = 0, last = 0;
  std::vector<std::string> server_ips;
  bool strobe = false;  // 86,400 connections or more in a 24-hour window: one a second, not a beacon
  std::uint32_t window_from = 0, window_to = 0;  // the best window
  std::uint64_t window_connections = 0;
  std::optional<BeaconScore> best;  // nullopt: no window had enough connections to score
  std::optional<BeaconScore> span;  // over the whole evidence
  // RITA's own window, the last 24 hours of the evidence (what RITA itself would report).
  std::optional<BeaconScore> latest;
  std::uint64_t latest_connections = 0;
  double duration = 0;             // sum of connection durations (Zeek conn logs), seconds
  std::uint64_t missing_host = 0;  // HTTP requests without a Host header to this address
  SeriesTraits traits;
  // RITA's final score (rita_modifiers.h): filled by score_all over the whole dataset.
  double long_connection_score = 0, final_score = 0;
  std::vector<Modifier> modifiers;
  std::uint32_t destination_hosts = 0;  // internal hosts talking to the destination (prevalence)
};

struct BeaconOptions {
  // Firewall and conn records to private, loopback and link-local addresses are left out (C2 is
  // outside; internal periodic traffic — domain controllers, monitoring — would fill the list).
  bool include_internal = false;
  // Also return the series with fewer than 4 connections, which cannot be scored (`--all`).
  bool keep_unscored = false;
  // Each file's series stay with the file for the caller to take (take_series) instead of being
  // merged into the detector's: an investigation stores them with the file in the case.
  bool series_per_file = false;
  Weights weights;
  Thresholds thresholds;
  // Which series score_all scores, from the series and its traits (computed first): RITA's scores
  // are the costly part, and a caller looking for a few may not need them for millions. Unset:
  // every series. Called from several threads at once.
  enum class Pick : std::uint8_t { kSkip, kDescribe, kScore };  // describe: traits, no scores
  std::function<Pick(const SeriesKey&, const Series&, const SeriesTraits&)> select;
  // RITA's final scores (modifiers over the whole dataset, rita_modifiers.h); off when only the
  // series' traits are wanted.
  bool final_scores = true;
  // Which series are worth their traits at all, from the series alone (before select; unset: all).
  std::function<bool(const SeriesKey&, const Series&)> consider;
};

// Scores one series over the evidence [evidence_from, evidence_to] (see BeaconDetector).
BeaconResult score_series(const SeriesKey& key, const Series& series, std::uint32_t evidence_from,
                          std::uint32_t evidence_to, const BeaconOptions& options = {}, const StringPool& strings = {});

struct ScoredSeries {
  std::vector<BeaconResult> results;  // best score first, then by series
  std::uint32_t evidence_from = 0, evidence_to = 0;
  std::size_t hosts = 0;  // internal hosts (source addresses) of every series, also unscored ones
};
// Joins Zeek sessions (an HTTP/TLS session is one sample of its FQDN series and is not counted
// again under its addresses) and scores every series over the evidence they span.
ScoredSeries score_all(SeriesSet& set, const BeaconOptions& options);

}  // namespace ashiato::analyze::beacon
