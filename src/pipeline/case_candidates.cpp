#include "pipeline/case_candidates.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analyze/beacon/series_codec.h"
#include "analyze/beacon/similar_communications.h"
#include "analyze/case_analysis.h"
#include "ioc/indicator.h"
#include "ioc/ip_address.h"
#include "ioc/text_util.h"

namespace ashiato::pipeline {
namespace {

namespace beacon = analyze::beacon;

// The C2s the case knows: domains (and their subdomains) and addresses named by its indicators,
// except the candidates accepted from this very analysis (they stay candidates, accepted).
class KnownC2 {
 public:
  explicit KnownC2(const std::vector<cases::IndicatorRecord>& indicators) {
    for (const auto& i : indicators) {
      if (i.source.rfind(kAcceptedCandidateSource, 0) == 0) continue;
      std::string host;
      if (i.type == "domain" || i.type == "ipv4" || i.type == "ipv6") host = i.value;
      if (i.type == "url") host = std::string(ioc::url_host(i.value));
      if (i.type == "host:port") host = i.value.substr(0, i.value.rfind(':'));
      if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
      if (!host.empty()) names_.insert(ioc::lowercase(host));
    }
  }
  bool named(std::string_view destination) const {
    for (std::string_view rest = destination;;) {
      if (names_.count(std::string(rest)) > 0) return true;
      if (ioc::parse_ip(destination)) return false;
      const std::size_t dot = rest.find('.');
      if (dot == std::string_view::npos) return false;
      rest.remove_prefix(dot + 1);
    }
  }
  bool confirmed(const beacon::BeaconResult& r) const {
    if (named(r.key.dst)) return true;
    for (const auto& ip : r.server_ips) {
      if (named(ip)) return true;
    }
    return false;
  }

 private:
  std::set<std::string> names_;
};

std::string decimal(double v, int places = 3) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", places, v);
  return buffer;
}

Timestamp from_unix(std::uint32_t seconds) {
  return Timestamp::from_unix_seconds(static_cast<std::int64_t>(seconds));
}

cases::CandidateRecord candidate_record(const beacon::Candidate& c, const analyze::AddressBook& book,
                                        const std::map<std::int64_t, std::string>& paths) {
  cases::CandidateRecord r;
  r.destination = c.destination;
  r.kind = c.kind == beacon::SeriesKind::kIp ? "ip" : "fqdn";
  std::map<std::string, std::int64_t> hosts;  // an address may have been several hosts, a host several addresses
  for (const auto& contact : c.contacts) {
    hosts[analyze::host_name(book.host_at(contact.source, from_unix(contact.first)))] +=
        static_cast<std::int64_t>(contact.connections);
  }
  for (const auto& [host, connections] : hosts) {
    r.hosts.push_back(host);
    r.host_connections.push_back(connections);
  }
  r.sources = c.sources;
  r.relays = c.relays;
  r.addresses = c.addresses;
  r.agents = c.agents;
  r.first = from_unix(c.first);
  r.last = from_unix(c.last);
  r.connections = static_cast<std::int64_t>(c.connections);
  r.score = decimal(c.score);
  r.similarity = decimal(c.similarity);
  r.beacon_score = decimal(c.beacon_score);
  r.like = c.like;
  r.reason = c.reason;
  for (const auto& m : c.matched) r.features += m.feature + '\t' + decimal(m.similarity, 2) + '\t' + m.detail + '\n';
  for (std::size_t i = 0; i < c.interval_bins.size(); ++i) {
    if (i > 0) r.interval_bins += ',';
    r.interval_bins += std::to_string(c.interval_bins[i]);
  }
  r.interval = decimal(c.interval, 0);
  for (const auto& ref : c.refs) {
    const auto it = paths.find(ref.file);
    r.evidence.push_back((it == paths.end() ? std::string("?") : it->second) + ':' + std::to_string(ref.record));
  }
  return r;
}

// Every source's series, those not at hand decoded on every thread, merged in source order.
beacon::SeriesSet case_series(const std::vector<std::pair<std::int64_t, std::string>>& stored,
                              std::map<std::int64_t, beacon::SeriesSet>& in_memory,
                              const std::map<std::int64_t, std::string>& paths, Diagnostics& diagnostics) {
  std::vector<beacon::SeriesSet> sets(stored.size());
  std::vector<std::string> errors(stored.size());
  tbb::parallel_for(std::size_t{0}, stored.size(), [&](std::size_t i) {
    if (const auto it = in_memory.find(stored[i].first); it != in_memory.end()) {
      sets[i] = std::move(it->second);
      return;
    }
    try {
      sets[i] = beacon::decode_series(stored[i].second, static_cast<std::uint32_t>(stored[i].first));
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  });
  beacon::SeriesSet all;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    if (!errors[i].empty()) {
      const auto path = paths.find(stored[i].first);
      diagnostics.report(Problem{path == paths.end() ? std::string() : path->second, 0, "", errors[i]});
    }
    all.merge(std::move(sets[i]));
  }
  return all;
}

}  // namespace

std::vector<cases::CandidateRecord> update_case_candidates(cases::CaseStore& store, const beacon::Allowlist& allowlist,
                                                           Diagnostics& diagnostics,
                                                           std::map<std::int64_t, beacon::SeriesSet> in_memory) {
  std::map<std::int64_t, std::string> paths;
  for (const auto& s : store.sources()) paths[s.id] = s.path;
  beacon::SeriesSet all = case_series(store.source_data(kBeaconSeriesData), in_memory, paths, diagnostics);
  const KnownC2 known(store.indicators());
  // Without traffic to a known C2 there is nothing to compare with: no candidates, and no need to
  // score the case's (maybe millions of) series.
  const auto is_confirmed = [&](const beacon::SeriesKey& key, const beacon::Series& series) {
    return known.named(key.dst) || std::any_of(series.server_ips.begin(), series.server_ips.end(),
                                               [&](const std::string& ip) { return known.named(ip); });
  };
  const bool any_confirmed = std::any_of(all.series.begin(), all.series.end(),
                                         [&](const auto& entry) { return is_confirmed(entry.first, entry.second); });
  if (!any_confirmed) {
    store.replace_candidates({});
    return store.candidates();
  }
  // First the confirmed series' traits, then RITA's scores only for the series like one of them
  // (and the address series, which may be a candidate's direct attempts or relays, described):
  // scoring every series of a large case would take most of the run. Series too short to score
  // are no candidates; they count in prevalence all the same.
  using Pick = beacon::BeaconOptions::Pick;
  beacon::BeaconOptions confirmed_only;
  confirmed_only.consider = is_confirmed;
  confirmed_only.final_scores = false;
  confirmed_only.select = [](const beacon::SeriesKey&, const beacon::Series&, const beacon::SeriesTraits&) {
    return Pick::kDescribe;
  };
  const std::vector<beacon::BeaconResult> confirmed = beacon::score_all(all, confirmed_only).results;
  std::vector<const beacon::BeaconResult*> c2;
  c2.reserve(confirmed.size());
  for (const auto& r : confirmed) c2.push_back(&r);
  c2 = beacon::fingerprint_series(std::move(c2));
  const double min_similarity = beacon::CandidateOptions{}.min_similarity;
  beacon::BeaconOptions alike;
  alike.select = [&](const beacon::SeriesKey& key, const beacon::Series& series, const beacon::SeriesTraits& traits) {
    if (is_confirmed(key, series)) return Pick::kScore;
    for (const beacon::BeaconResult* known_c2 : c2) {
      if (beacon::compare_traits(traits, false, known_c2->traits, false).score >= min_similarity) return Pick::kScore;
    }
    return key.kind == beacon::SeriesKind::kIp ? Pick::kDescribe : Pick::kSkip;
  };
  const beacon::ScoredSeries scored = beacon::score_all(all, alike);
  const auto found = beacon::find_candidates(
      scored.results, [&](const beacon::BeaconResult& r) { return known.confirmed(r); }, allowlist, {}, scored.hosts);
  const analyze::AddressBook book(store.attributions());
  std::vector<cases::CandidateRecord> records;
  records.reserve(found.size());
  for (const auto& c : found) records.push_back(candidate_record(c, book, paths));
  store.replace_candidates(records);
  return store.candidates();
}

}  // namespace ashiato::pipeline
