// Similar communications: the traffic to the C2s a notice names (the confirmed series) is the
// implant's fingerprint — user agents, methods, URL shapes, sizes both ways, rhythm, hours of the
// day, calls by address. Every other destination's series are compared with it; destinations
// that are alike, beacon, are rare among the internal hosts and are not well-known services are
// named C2 candidates, with the features that matched. Benign periodic traffic (update checks,
// telemetry, pollers) is kept out by its prevalence, the allowlist and its unlike fingerprint.
// See docs/beacons.md.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analyze/beacon/allowlist.h"
#include "analyze/beacon/beacon_detector.h"

namespace ashiato::analyze::beacon {

// One feature compared: its name (user_agent, method, url_shape, request_size, reply_size,
// interval, time_of_day, direct_address), 0..1, and what was compared ("/w/w.php?id=B").
struct FeatureMatch {
  std::string feature;
  double similarity = 0;
  std::string detail;
};

struct Similarity {
  double score = 0;                    // weighted over the features both sides have, 0..1
  std::vector<FeatureMatch> features;  // every feature compared
  std::string like;                    // the confirmed destination it is most alike
};

// How alike `series` is to one confirmed series (`c2`).
Similarity compare_traits(const SeriesTraits& series, bool series_by_address, const SeriesTraits& c2,
                          bool c2_by_address);

// One internal host's traffic to a candidate.
struct Contact {
  std::string source;  // the host's address
  std::uint32_t first = 0, last = 0;
  std::uint64_t connections = 0;
};

struct Candidate {
  std::string destination;
  SeriesKind kind = SeriesKind::kFqdn;
  std::vector<std::string> addresses;  // the destination's server addresses seen
  std::vector<std::string> sources;    // internal hosts (addresses) talking to it
  std::vector<Contact> contacts;       // per source, in the order of `sources`
  std::vector<std::string> relays;     // proxies or NATs seen carrying it in firewall logs
  std::uint32_t first = 0, last = 0;
  std::uint64_t connections = 0;
  double score = 0;                   // 0..1: similarity, beaconing and rarity together
  double similarity = 0;              // to the most alike confirmed series
  double beacon_score = 0;            // the best 24-hour window's RITA score
  std::string like;                   // that confirmed destination
  std::size_t hosts_total = 0;        // internal hosts in the evidence (prevalence = sources / this)
  std::vector<FeatureMatch> matched;  // features of similarity 0.5 or more
  std::vector<std::string> agents;    // the destination's user agents, most used first
  std::array<std::uint64_t, kIntervalBinEdges.size() + 1> interval_bins{};
  double interval = 0;           // median seconds
  bool direct_attempts = false;  // its hosts also called its addresses directly
  std::vector<SampleRef> refs;   // the earliest evidence records
  std::string reason;            // in plain English
};

struct CandidateOptions {
  // A candidate: similarity to the confirmed traffic of at least `min_similarity` and a beacon
  // score of at least `min_beacon_score`, or similarity of at least `strong_similarity` alone (the
  // same implant, called irregularly).
  double min_similarity = 0.6, strong_similarity = 0.8, min_beacon_score = 0.5;
  // Common destinations are not candidates: talked to by `common_hosts` internal hosts or more
  // that are also `common_share` of all hosts or more.
  std::size_t common_hosts = 3;
  double common_share = 0.1;
};

// `confirmed` tells the series of the C2s already known (named by indicators). Without any, no
// candidates: there is no fingerprint to compare with (`ashiato beacons` still scores everything).
// The confirmed series others are compared with: per C2 destination the one with the most samples,
// at most 32 (a case whose indicators match thousands of hosts would otherwise compare every series
// with thousands of copies of the same implant's traffic).
std::vector<const BeaconResult*> fingerprint_series(std::vector<const BeaconResult*> confirmed);

// `hosts_total`: the internal hosts of the evidence (ScoredSeries::hosts), 0 to count them from
// `results`; a destination's hosts are its results' BeaconResult::destination_hosts when set.
std::vector<Candidate> find_candidates(const std::vector<BeaconResult>& results,
                                       const std::function<bool(const BeaconResult&)>& confirmed,
                                       const Allowlist& allowlist, const CandidateOptions& options = {},
                                       std::size_t hosts_total = 0);

}  // namespace ashiato::analyze::beacon
