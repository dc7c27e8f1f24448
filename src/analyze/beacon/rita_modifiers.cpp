#include "analyze/beacon/rita_modifiers.h"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "analyze/beacon/beacon_detector.h"

namespace ashiato::analyze::beacon {
namespace {

// default_config.hjson's modifier values and limits.
constexpr double kPrevalenceIncrease = 0.15, kPrevalenceDecrease = -0.15;
constexpr double kRarePrevalence = 0.02, kCommonPrevalence = 0.5;
constexpr double kRareSignatureIncrease = 0.15;
constexpr double kMissingHostIncrease = 0.10;
constexpr double kFirstSeenIncrease = 0.15, kFirstSeenDecrease = -0.15;
constexpr std::uint32_t kDay = 86400;

}  // namespace

double final_score(double beacon_threat, double long_connection, bool strobe, const std::vector<Modifier>& modifiers) {
  double score = std::max({beacon_threat, long_connection, strobe ? kStrobeScore : 0.0});
  for (const Modifier& m : modifiers) score += m.value;
  return round3(score);
}

std::string severity(double score) {
  if (score > 0.8) return "critical";
  if (score >= 0.6) return "high";
  if (score >= 0.4) return "medium";
  if (score >= 0.2) return "low";
  return "none";
}

namespace {

// Sorted (key, value) pairs looked up by key: counting over millions of series with sorted vectors
// took a fraction of the time node-based hash sets and maps did.
template <typename V>
V lookup(const std::vector<std::pair<std::uint64_t, V>>& sorted, std::uint64_t key) {
  const auto it = std::lower_bound(sorted.begin(), sorted.end(), key,
                                   [](const auto& entry, std::uint64_t k) { return entry.first < k; });
  return it != sorted.end() && it->first == key ? it->second : V{};
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  return a * 0x9E3779B97F4A7C15ULL ^ b;
}

struct DatasetCounts {
  std::size_t hosts = 0;                                            // internal hosts
  std::vector<std::pair<std::uint64_t, std::uint32_t>> talkers;     // destination -> hosts talking to it
  std::vector<std::pair<std::uint64_t, std::uint32_t>> first_seen;  // destination -> first contact
  std::vector<std::pair<std::uint64_t, std::uint32_t>> agent_use;   // (host, agent) -> destinations
};

// Counted by hash over every series (a proxy log may hold millions): internal hosts, hosts per
// destination, destinations per (host, User-Agent), first contact per destination.
DatasetCounts count_dataset(const SeriesSet& all) {
  const std::hash<std::string> hash;
  struct Contact {
    std::uint64_t dst, src;
    std::uint32_t first;
  };
  std::vector<Contact> contacts;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> agent_pairs;  // ((host, agent), destination)
  for (const auto& [key, series] : all.series) {
    const std::uint64_t src = hash(key.src), dst = hash(key.dst);
    // Each destination once per (host, agent), from a name or an address series alike.
    if (!series.agents_overflow) {
      for (const std::uint64_t agent : series.agents) agent_pairs.emplace_back(mix(src, agent), dst);
    }
    if (series.connections > 0) contacts.push_back(Contact{dst, src, series.first});
  }
  DatasetCounts counts;
  // A host and destination pair may be a name and an address series at once: counted once.
  std::sort(contacts.begin(), contacts.end(),
            [](const Contact& a, const Contact& b) { return a.dst != b.dst ? a.dst < b.dst : a.src < b.src; });
  std::vector<std::uint64_t> hosts;
  for (std::size_t i = 0; i < contacts.size();) {
    std::size_t j = i;
    std::uint32_t talkers = 0, first = contacts[i].first;
    for (; j < contacts.size() && contacts[j].dst == contacts[i].dst; ++j) {
      if (j == i || contacts[j].src != contacts[j - 1].src) ++talkers;
      first = std::min(first, contacts[j].first);
      hosts.push_back(contacts[j].src);
    }
    counts.talkers.emplace_back(contacts[i].dst, talkers);
    counts.first_seen.emplace_back(contacts[i].dst, first);
    i = j;
  }
  std::sort(hosts.begin(), hosts.end());
  counts.hosts = static_cast<std::size_t>(std::unique(hosts.begin(), hosts.end()) - hosts.begin());
  std::sort(agent_pairs.begin(), agent_pairs.end());
  agent_pairs.erase(std::unique(agent_pairs.begin(), agent_pairs.end()), agent_pairs.end());
  for (std::size_t i = 0; i < agent_pairs.size();) {
    std::size_t j = i;
    while (j < agent_pairs.size() && agent_pairs[j].first == agent_pairs[i].first) ++j;
    counts.agent_use.emplace_back(agent_pairs[i].first, static_cast<std::uint32_t>(j - i));
    i = j;
  }
  return counts;
}

}  // namespace

std::size_t apply_rita_modifiers(std::vector<BeaconResult>& results, const SeriesSet& all, std::uint32_t evidence_from,
                                 std::uint32_t evidence_to) {
  const DatasetCounts counts = count_dataset(all);
  const std::hash<std::string> hash;
  // First seen means something only over a long record, as RITA's rolling datasets are: from 30
  // days of evidence on.
  const bool long_record = evidence_to >= evidence_from + 30 * kDay;
  for (BeaconResult& r : results) {
    r.modifiers.clear();
    const std::uint64_t src = hash(r.key.src), dst = hash(r.key.dst);
    r.destination_hosts = lookup(counts.talkers, dst);
    const double prevalence =
        static_cast<double>(r.destination_hosts) / static_cast<double>(std::max<std::size_t>(counts.hosts, 1));
    if (prevalence <= kRarePrevalence) r.modifiers.push_back({"prevalence", kPrevalenceIncrease});
    if (prevalence >= kCommonPrevalence) r.modifiers.push_back({"prevalence", kPrevalenceDecrease});
    // Every User-Agent of the pair, also those of requests that are no sample (no Host header).
    if (const auto it = all.series.find(r.key); it != all.series.end() && !it->second.agents_overflow) {
      for (const std::uint64_t agent : it->second.agents) {
        if (lookup(counts.agent_use, mix(src, agent)) == 1) {
          r.modifiers.push_back({"rare_signature", kRareSignatureIncrease});
          break;
        }
      }
    }
    if (r.missing_host > 0) r.modifiers.push_back({"missing_host_header", kMissingHostIncrease});
    if (long_record) {
      const std::uint32_t seen = lookup(counts.first_seen, dst);
      if (seen + 7 * kDay >= evidence_to) r.modifiers.push_back({"first_seen", kFirstSeenIncrease});
      if (seen + 30 * kDay <= evidence_to) r.modifiers.push_back({"first_seen", kFirstSeenDecrease});
    }
    r.long_connection_score = bucketed_score(r.duration, kLongConnectionThresholds);
    r.final_score = final_score(r.best ? r.best->threat_score : 0, r.long_connection_score, r.strobe, r.modifiers);
  }
  return counts.hosts;
}

}  // namespace ashiato::analyze::beacon
