// RITA v5's final score of a pair: the greatest of its beacon threat score, long-connection score
// and strobe score, plus the modifiers that need the whole dataset — prevalence (how many internal
// hosts talk to the destination), rare signature (a User-Agent this host uses with one
// destination only), missing Host header, first seen — and its severity (viewer/results.go,
// default_config.hjson; see docs/beacons.md for what differs and why).
#pragma once
#include <string>
#include <vector>

#include "analyze/beacon/beacon_scores.h"

namespace ashiato::analyze::beacon {

struct BeaconResult;
struct SeriesSet;

struct Modifier {
  std::string name;  // prevalence, rare_signature, missing_host_header, first_seen
  double value = 0;  // added to the final score
};

// RITA's long_connection_score_thresholds: total duration of a pair's connections, seconds.
inline constexpr Thresholds kLongConnectionThresholds{3600, 14400, 28800, 43200};
inline constexpr double kStrobeScore = 0.8;  // RITA's "high" impact category

// Greatest of the three scores (0 when none applies) plus the modifiers.
double final_score(double beacon_threat, double long_connection, bool strobe, const std::vector<Modifier>& modifiers);
// Critical above 0.8 (only modifiers reach it), high from 0.6, medium from 0.4, low from 0.2, else none.
std::string severity(double final_score);

// Fills every result's long-connection score, modifiers, final score, severity and hosts talking to
// its destination. Prevalence and rarity are counted over every series of `all`, also those too
// short to score. Returns the number of internal hosts.
std::size_t apply_rita_modifiers(std::vector<BeaconResult>& results, const SeriesSet& all, std::uint32_t evidence_from,
                                 std::uint32_t evidence_to);

}  // namespace ashiato::analyze::beacon
