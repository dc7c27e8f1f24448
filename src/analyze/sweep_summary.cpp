#include "analyze/sweep_summary.h"

#include <algorithm>
#include <map>

namespace ashiato::analyze {
namespace {

template <typename Summary>
void widen(Summary& s, const IocHit& h) {
  if (s.hits == 0 || h.time < s.first) s.first = h.time;
  if (s.hits == 0 || h.time > s.last) s.last = h.time;
  ++s.hits;
  s.bytes += h.bytes;
  if (!h.user.empty()) s.users.insert(h.user);
}

template <typename Summary, typename Key>
std::vector<Summary> by_first_contact(std::map<Key, Summary>& m) {
  std::vector<Summary> v;
  v.reserve(m.size());
  for (auto& [key, s] : m) v.push_back(std::move(s));
  std::stable_sort(v.begin(), v.end(), [](const Summary& a, const Summary& b) { return a.first < b.first; });
  return v;
}

}  // namespace

const std::string& internal_host(const IocHit& hit) {
  return hit.src_ip.empty() ? hit.host : hit.src_ip;
}

SweepSummary summarise(const std::vector<IocHit>& hits) {
  std::map<std::uint32_t, IndicatorSummary> indicators;
  std::map<std::string, HostSummary> hosts;
  for (const IocHit& h : hits) {
    IndicatorSummary& i = indicators[h.indicator];
    i.indicator = h.indicator;
    widen(i, h);
    const std::string& host = internal_host(h);
    if (!host.empty()) i.hosts.insert(host);
    HostSummary& s = hosts[host];
    s.host = host;
    widen(s, h);
    if (!h.dst.empty()) s.sites.insert(h.dst);
    s.indicators.insert(h.indicator);
  }
  return SweepSummary{by_first_contact(indicators), by_first_contact(hosts)};
}

}  // namespace ashiato::analyze
