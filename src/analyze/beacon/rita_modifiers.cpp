#include "analyze/beacon/rita_modifiers.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

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

std::size_t apply_rita_modifiers(std::vector<BeaconResult>& results, const SeriesSet& all, std::uint32_t evidence_from,
                                 std::uint32_t evidence_to) {
  // Counted by hash over every series (a proxy log may hold millions): internal hosts, hosts per
  // destination, destinations per (host, User-Agent), first contact per destination.
  const std::hash<std::string> hash;
  std::unordered_set<std::uint64_t> hosts, agent_pairs, connected;
  std::unordered_map<std::uint64_t, std::uint32_t> talkers, used, first_seen;
  const auto with_agent = [](std::uint64_t src, std::uint64_t agent) { return src * 0x9E3779B97F4A7C15ULL ^ agent; };
  for (const auto& [key, series] : all.series) {
    const std::uint64_t src = hash(key.src), dst = hash(key.dst);
    // A host and destination pair may be a name and an address series at once: counted once.
    const std::uint64_t pair = src * 0x9E3779B97F4A7C15ULL ^ dst;
    if (!series.agents_overflow) {
      for (const std::uint64_t agent : series.agents) {
        // Each destination once per (host, agent), from a name or an address series alike.
        if (agent_pairs.insert(with_agent(pair, agent)).second) ++used[with_agent(src, agent)];
      }
    }
    if (series.connections == 0) continue;
    hosts.insert(src);
    if (connected.insert(pair).second) ++talkers[dst];
    auto [it, fresh] = first_seen.emplace(dst, series.first);
    if (!fresh) it->second = std::min(it->second, series.first);
  }
  // First seen means something only over a long record, as RITA's rolling datasets are: from 30
  // days of evidence on.
  const bool long_record = evidence_to >= evidence_from + 30 * kDay;
  for (BeaconResult& r : results) {
    r.modifiers.clear();
    const std::uint64_t src = hash(r.key.src), dst = hash(r.key.dst);
    r.destination_hosts = talkers[dst];
    const double prevalence =
        static_cast<double>(r.destination_hosts) / static_cast<double>(std::max<std::size_t>(hosts.size(), 1));
    if (prevalence <= kRarePrevalence) r.modifiers.push_back({"prevalence", kPrevalenceIncrease});
    if (prevalence >= kCommonPrevalence) r.modifiers.push_back({"prevalence", kPrevalenceDecrease});
    // Every User-Agent of the pair, also those of requests that are no sample (no Host header).
    if (const auto it = all.series.find(r.key); it != all.series.end() && !it->second.agents_overflow) {
      for (const std::uint64_t agent : it->second.agents) {
        if (used[with_agent(src, agent)] == 1) {
          r.modifiers.push_back({"rare_signature", kRareSignatureIncrease});
          break;
        }
      }
    }
    if (r.missing_host > 0) r.modifiers.push_back({"missing_host_header", kMissingHostIncrease});
    if (long_record) {
      const std::uint32_t seen = first_seen[dst];
      if (seen + 7 * kDay >= evidence_to) r.modifiers.push_back({"first_seen", kFirstSeenIncrease});
      if (seen + 30 * kDay <= evidence_to) r.modifiers.push_back({"first_seen", kFirstSeenDecrease});
    }
    r.long_connection_score = bucketed_score(r.duration, kLongConnectionThresholds);
    r.final_score = final_score(r.best ? r.best->threat_score : 0, r.long_connection_score, r.strobe, r.modifiers);
  }
  return hosts.size();
}

}  // namespace ashiato::analyze::beacon
