#include "analyze/beacon/similar_communications.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "analyze/beacon/request_shape.h"
#include "ioc/ip_address.h"

namespace ashiato::analyze::beacon {
namespace {

// Feature weights: the implant's own choices (agent, URL shape, rhythm) weigh most.
constexpr double kAgentWeight = 0.2, kMethodWeight = 0.1, kShapeWeight = 0.25, kRequestWeight = 0.1, kReplyWeight = 0.1,
                 kIntervalWeight = 0.15, kHoursWeight = 0.05;
// Below this much weight of comparable features (e.g. a firewall series: sizes, rhythm and hours
// only), the similarity is scaled down: fewer features agreeing prove less.
constexpr double kFullEvidenceWeight = 0.6;

bool placeholder(const std::string& s) {
  return s == "(other)" || s == "(unknown)";
}

std::uint64_t total(const std::vector<std::pair<std::string, std::uint64_t>>& tally) {
  std::uint64_t n = 0;
  for (const auto& [text, count] : tally) n += count;
  return n;
}

// 1 for equal sizes or intervals, 0.5 for a factor of 2, 0 from a factor of 4.
double closeness(double a, double b) {
  return std::max(0.0, 1.0 - std::abs(std::log2(a) - std::log2(b)) / 2.0);
}

std::string round_text(double v) {
  std::ostringstream out;
  out << std::llround(v);
  return out.str();
}

std::string duration_text(double seconds) {
  if (seconds < 120) return round_text(seconds) + " s";
  if (seconds < 7200) return round_text(seconds / 60) + " min";
  return round_text(seconds / 3600) + " h";
}

double agent_similarity(const SeriesTraits& a, const SeriesTraits& b) {
  const std::uint64_t n = total(a.agents);
  std::uint64_t same = 0;
  for (const auto& tally : a.agents) {
    const std::string& agent = tally.first;
    if (placeholder(agent)) continue;
    if (std::any_of(b.agents.begin(), b.agents.end(), [&](const auto& x) { return x.first == agent; })) {
      same += tally.second;
    }
  }
  return n == 0 ? 0 : static_cast<double>(same) / static_cast<double>(n);
}

bool has_methods(const SeriesTraits& t) {
  for (std::size_t m = 1; m < kMethodCount; ++m) {
    if (t.methods[m] > 0) return true;
  }
  return false;
}

double method_similarity(const SeriesTraits& a, const SeriesTraits& b) {
  double na = 0, nb = 0, distance = 0;
  for (std::size_t m = 1; m < kMethodCount; ++m) {
    na += static_cast<double>(a.methods[m]);
    nb += static_cast<double>(b.methods[m]);
  }
  for (std::size_t m = 1; m < kMethodCount; ++m) {
    distance += std::abs(static_cast<double>(a.methods[m]) / na - static_cast<double>(b.methods[m]) / nb);
  }
  return 1.0 - distance / 2.0;
}

double shape_similarity_of(const SeriesTraits& a, const SeriesTraits& b) {
  const std::uint64_t n = total(a.shapes);
  double sum = 0;
  for (const auto& [shape, count] : a.shapes) {
    if (placeholder(shape)) continue;
    double best = 0;
    for (const auto& [other, unused] : b.shapes) {
      if (!placeholder(other)) best = std::max(best, shape_similarity(shape, other));
    }
    sum += best * static_cast<double>(count);
  }
  return n == 0 ? 0 : sum / static_cast<double>(n);
}

double hours_similarity(const SeriesTraits& a, const SeriesTraits& b) {
  double dot = 0, na = 0, nb = 0;
  for (std::size_t h = 0; h < 24; ++h) {
    const auto x = static_cast<double>(a.hours[h]), y = static_cast<double>(b.hours[h]);
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na == 0 || nb == 0 ? 0 : dot / std::sqrt(na * nb);
}

bool is_address(const std::string& destination) {
  return ioc::parse_ip(destination).has_value();
}

}  // namespace

Similarity compare_traits(const SeriesTraits& a, bool /*series_by_address*/, const SeriesTraits& b,
                          bool /*c2_by_address*/) {
  Similarity s;
  double weighted = 0, weights = 0;
  auto add = [&](const char* name, double weight, double value, std::string detail) {
    s.features.push_back(FeatureMatch{name, value, std::move(detail)});
    weighted += weight * value;
    weights += weight;
  };
  if (!a.agents.empty() && !b.agents.empty())
    add("user_agent", kAgentWeight, agent_similarity(a, b), a.agents[0].first);
  if (has_methods(a) && has_methods(b)) {
    std::string methods;
    for (std::size_t m = 1; m < kMethodCount; ++m) {
      if (a.methods[m] == 0) continue;
      if (!methods.empty()) methods += ' ';
      methods += method_name(static_cast<Method>(m));
    }
    add("method", kMethodWeight, method_similarity(a, b), methods);
  }
  if (!a.shapes.empty() && !b.shapes.empty())
    add("url_shape", kShapeWeight, shape_similarity_of(a, b), a.shapes[0].first);
  if (a.request_bytes > 0 && b.request_bytes > 0) {
    add("request_size", kRequestWeight, closeness(a.request_bytes, b.request_bytes),
        round_text(a.request_bytes) + " bytes");
  }
  if (a.reply_bytes > 0 && b.reply_bytes > 0) {
    add("reply_size", kReplyWeight, closeness(a.reply_bytes, b.reply_bytes), round_text(a.reply_bytes) + " bytes");
  }
  if (a.interval > 0 && b.interval > 0) {
    add("interval", kIntervalWeight, closeness(a.interval, b.interval), duration_text(a.interval));
  }
  if (a.samples > 0 && b.samples > 0) add("time_of_day", kHoursWeight, hours_similarity(a, b), "");
  if (weights > 0) s.score = weighted / weights * std::min(1.0, weights / kFullEvidenceWeight);
  return s;
}

namespace {

struct Destination {
  std::vector<const BeaconResult*> series;
  std::set<std::string> sources;
  std::size_t talkers = 0;  // hosts talking to it, also in series not among the results
  bool confirmed = false;
};

std::string reason_text(const Candidate& c) {
  std::string r = "beacons";
  if (c.interval > 0) r += " every ~" + duration_text(c.interval);
  std::ostringstream score;
  score.precision(3);
  score << c.beacon_score;
  r += " (RITA score " + score.str() + ") from " + std::to_string(c.sources.size()) + " of " +
       std::to_string(c.hosts_total) + " internal hosts; like the C2 " + c.like + ":";
  bool first = true;
  for (const FeatureMatch& m : c.matched) {
    r += first ? " " : ", ";
    first = false;
    if (m.feature == "user_agent") r += "same User-Agent";
    if (m.feature == "method") r += "same methods (" + m.detail + ")";
    if (m.feature == "url_shape") r += "URL shape " + m.detail;
    if (m.feature == "request_size") r += "request size ~" + m.detail;
    if (m.feature == "reply_size") r += "reply size ~" + m.detail;
    if (m.feature == "interval") r += "rhythm ~" + m.detail;
    if (m.feature == "time_of_day") r += "same hours of the day";
    if (m.feature == "direct_address") r += "direct calls to its address";
  }
  return r;
}

// Address series to a candidate's server addresses are its traffic too: from its own hosts they
// are direct attempts, from other internal addresses a proxy or NAT carrying it.
void fold_addresses(std::vector<Candidate>& candidates, const std::map<std::string, Destination>& destinations) {
  for (Candidate& c : candidates) {
    std::set<std::string> addresses(c.addresses.begin(), c.addresses.end());
    for (const std::string& address : c.addresses) {
      const auto it = destinations.find(address);
      if (it == destinations.end()) continue;
      for (const BeaconResult* r : it->second.series) {
        if (std::find(c.sources.begin(), c.sources.end(), r->key.src) != c.sources.end()) {
          c.direct_attempts = true;
        } else if (std::find(c.relays.begin(), c.relays.end(), r->key.src) == c.relays.end()) {
          c.relays.push_back(r->key.src);
        }
      }
    }
    std::sort(c.relays.begin(), c.relays.end());
    if (c.direct_attempts) c.matched.push_back(FeatureMatch{"direct_address", 1.0, ""});
  }
}

// The destination's series most alike a confirmed one; fills the candidate's kind, beacon score,
// addresses and rhythm on the way.
Similarity best_likeness(const Destination& d, const std::vector<const BeaconResult*>& c2, Candidate& c) {
  Similarity best;
  std::set<std::string> addresses;
  for (const BeaconResult* r : d.series) {
    c.kind = r->key.kind;
    if (r->best) c.beacon_score = std::max(c.beacon_score, r->best->score);
    addresses.insert(r->server_ips.begin(), r->server_ips.end());
    if (r->traits.samples == 0) continue;
    for (const BeaconResult* known : c2) {
      Similarity s = compare_traits(r->traits, is_address(r->key.dst), known->traits, is_address(known->key.dst));
      if (s.score > best.score) {
        best = std::move(s);
        best.like = known->key.dst;
        c.interval = r->traits.interval;
        c.interval_bins = r->traits.interval_bins;
      }
    }
  }
  c.addresses.assign(addresses.begin(), addresses.end());
  return best;
}

// Who talks to the destination, how much and when, with which user agents, and the earliest records.
void add_contacts(const Destination& d, Candidate& c) {
  std::map<std::string, Contact> contacts;
  std::set<std::string> agents;
  for (const BeaconResult* r : d.series) {
    Contact& contact = contacts[r->key.src];
    contact.source = r->key.src;
    contact.first = contact.connections == 0 ? r->first : std::min(contact.first, r->first);
    contact.last = std::max(contact.last, r->last);
    contact.connections += r->connections;
    c.connections += r->connections;
    c.first = c.first == 0 ? r->first : std::min(c.first, r->first);
    c.last = std::max(c.last, r->last);
    for (const auto& tally : r->traits.agents) {
      if (!placeholder(tally.first) && agents.insert(tally.first).second) c.agents.push_back(tally.first);
    }
    c.refs.insert(c.refs.end(), r->traits.refs.begin(), r->traits.refs.end());
  }
  for (auto& [source, contact] : contacts) {
    c.sources.push_back(source);
    c.contacts.push_back(std::move(contact));
  }
  std::sort(c.refs.begin(), c.refs.end(), [](const SampleRef& a, const SampleRef& b) {
    return std::tie(a.time, a.file, a.record) < std::tie(b.time, b.file, b.record);
  });
  if (c.refs.size() > kMaxRefs * 3) c.refs.resize(kMaxRefs * 3);
}

}  // namespace

std::vector<const BeaconResult*> fingerprint_series(std::vector<const BeaconResult*> confirmed) {
  constexpr std::size_t kMaxFingerprints = 32;
  std::sort(confirmed.begin(), confirmed.end(), [](const BeaconResult* a, const BeaconResult* b) {
    return a->traits.samples != b->traits.samples ? a->traits.samples > b->traits.samples : a->key < b->key;
  });
  std::vector<const BeaconResult*> out;
  std::set<std::string> destinations;
  for (const BeaconResult* r : confirmed) {
    if (out.size() >= kMaxFingerprints) break;
    if (destinations.insert(r->key.dst).second) out.push_back(r);
  }
  return out;
}

std::vector<Candidate> find_candidates(const std::vector<BeaconResult>& results,
                                       const std::function<bool(const BeaconResult&)>& confirmed,
                                       const Allowlist& allowlist, const CandidateOptions& options,
                                       std::size_t hosts_total) {
  std::vector<const BeaconResult*> c2;
  std::set<std::string> hosts, c2_addresses;
  std::map<std::string, Destination> destinations;
  for (const BeaconResult& r : results) {
    hosts.insert(r.key.src);
    Destination& d = destinations[r.key.dst];
    d.series.push_back(&r);
    d.sources.insert(r.key.src);
    d.talkers = std::max<std::size_t>({d.talkers, d.sources.size(), r.destination_hosts});
    if (confirmed(r)) {
      d.confirmed = true;
      if (r.traits.samples > 0) c2.push_back(&r);
      c2_addresses.insert(r.server_ips.begin(), r.server_ips.end());
    }
  }
  std::vector<Candidate> out;
  if (c2.empty()) return out;
  c2 = fingerprint_series(std::move(c2));
  const std::size_t all_hosts = std::max(hosts_total, hosts.size());
  // Addresses already counted under a candidate name are not candidates of their own.
  std::set<std::string> named_addresses;
  for (const auto& [name, d] : destinations) {
    if (d.confirmed || c2_addresses.count(name) > 0 || allowlist.allowed(name)) continue;
    const double share = static_cast<double>(d.talkers) / static_cast<double>(all_hosts);
    if (d.talkers >= options.common_hosts && share >= options.common_share) continue;
    Candidate c;
    c.destination = name;
    c.hosts_total = all_hosts;
    const Similarity best = best_likeness(d, c2, c);
    const bool similar = best.score >= options.min_similarity && c.beacon_score >= options.min_beacon_score;
    if (!similar && best.score < options.strong_similarity) continue;
    c.similarity = best.score;
    c.like = best.like;
    for (const FeatureMatch& m : best.features) {
      if (m.similarity >= 0.5) c.matched.push_back(m);
    }
    add_contacts(d, c);
    named_addresses.insert(c.addresses.begin(), c.addresses.end());
    const double rarity = 1.0 - static_cast<double>(d.talkers) / static_cast<double>(all_hosts);
    c.score = round3(0.55 * c.similarity + 0.3 * c.beacon_score + 0.15 * rarity);
    out.push_back(std::move(c));
  }
  // An address candidate that is a name candidate's server is that candidate.
  std::erase_if(
      out, [&](const Candidate& c) { return c.kind == SeriesKind::kIp && named_addresses.count(c.destination) > 0; });
  fold_addresses(out, destinations);
  for (Candidate& c : out) c.reason = reason_text(c);
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.destination < b.destination;
  });
  return out;
}

}  // namespace ashiato::analyze::beacon
