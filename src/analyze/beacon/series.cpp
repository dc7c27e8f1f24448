#include "analyze/beacon/series.h"

#include <algorithm>
#include <functional>
#include <tuple>

namespace ashiato::analyze::beacon {
Method parse_method(std::string_view m) {
  if (m.empty() || m == "-") return Method::kNone;
  if (m == "GET") return Method::kGet;
  if (m == "POST") return Method::kPost;
  if (m == "CONNECT") return Method::kConnect;
  if (m == "HEAD") return Method::kHead;
  if (m == "PUT") return Method::kPut;
  return Method::kOther;
}

std::string_view method_name(Method m) {
  switch (m) {
    case Method::kGet: return "GET";
    case Method::kPost: return "POST";
    case Method::kConnect: return "CONNECT";
    case Method::kHead: return "HEAD";
    case Method::kPut: return "PUT";
    case Method::kOther: return "other";
    case Method::kNone: break;
  }
  return "";
}

std::uint64_t pool_hash(std::string_view text) {
  // Never 0, so that a zero hash can mean "none" in stored series.
  return std::hash<std::string_view>{}(text) | 1;
}

void Series::add(const Sample& s) {
  if (connections == 0 || s.time < first) first = s.time;
  if (connections == 0 || s.time > last) last = s.time;
  ++connections;
  bytes += s.bytes;
  if (samples.size() < kMaxSamplesPerSeries) samples.push_back(s);
}

void Series::add_ref(const SampleRef& ref) {
  // The earliest by (time, file, record): the same kept whatever order samples arrive in.
  const auto earlier = [](const SampleRef& a, const SampleRef& b) {
    return std::tie(a.time, a.file, a.record, a.offset) < std::tie(b.time, b.file, b.record, b.offset);
  };
  if (refs.size() >= kMaxRefs && !earlier(ref, refs.back())) return;
  refs.insert(std::upper_bound(refs.begin(), refs.end(), ref, earlier), ref);
  if (refs.size() > kMaxRefs) refs.pop_back();
}

void Series::add_open(std::uint64_t session, double seconds) {
  for (auto& [id, longest] : open) {
    if (id == session) {
      longest = std::max(longest, seconds);
      return;
    }
  }
  if (open.size() < kMaxOpenSessions) open.emplace_back(session, seconds);
}

double Series::open_duration() const {
  double sum = 0;
  for (const auto& [id, longest] : open) sum += longest;
  return sum;
}

std::uint8_t Series::slot(std::vector<std::uint64_t>& list, std::uint64_t hash) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i] == hash) return static_cast<std::uint8_t>(i);
  }
  if (list.size() >= kMaxSlots) return kOtherSlot;
  list.push_back(hash);
  return static_cast<std::uint8_t>(list.size() - 1);
}

void Series::merge(Series&& other) {
  missing_host += other.missing_host;
  for (const auto& [id, longest] : other.open) add_open(id, longest);
  for (const std::uint64_t agent : other.agents) agent_slot(agent);  // also those of no sample
  agents_overflow = agents_overflow || other.agents_overflow;
  if (other.connections == 0) return;
  if (connections == 0 || other.first < first) first = other.first;
  if (connections == 0 || other.last > last) last = other.last;
  connections += other.connections;
  bytes += other.bytes;
  duration += other.duration;
  // The other series' slots, renumbered into this one's.
  std::uint8_t agent_map[kMaxSlots], shape_map[kMaxSlots];
  for (std::size_t i = 0; i < other.agents.size(); ++i) agent_map[i] = agent_slot(other.agents[i]);
  for (std::size_t i = 0; i < other.shapes.size(); ++i) shape_map[i] = shape_slot(other.shapes[i]);
  const std::size_t room = kMaxSamplesPerSeries - std::min(kMaxSamplesPerSeries, samples.size());
  const std::size_t take = std::min(room, other.samples.size());
  for (std::size_t i = 0; i < take; ++i) {
    Sample s = other.samples[i];
    if (s.agent < kMaxSlots) s.agent = agent_map[s.agent];
    if (s.shape < kMaxSlots) s.shape = shape_map[s.shape];
    samples.push_back(s);
  }
  for (std::string& ip : other.server_ips) {
    if (server_ips.size() < kMaxServerIps && std::find(server_ips.begin(), server_ips.end(), ip) == server_ips.end()) {
      server_ips.push_back(std::move(ip));
    }
  }
  for (const SampleRef& r : other.refs) add_ref(r);
}

void SeriesSet::merge(SeriesSet&& other) {
  if (series.empty() && fqdn_sessions.empty() && strings.empty()) {
    *this = std::move(other);  // the first file's: nothing to merge into
    other = SeriesSet{};
    return;
  }
  series.reserve(series.size() + other.series.size());
  other.series.drain([&](std::pair<SeriesKey, Series>& entry) {
    if (auto [it, fresh] = series.try_emplace(std::move(entry.first)); fresh) {
      it->second = std::move(entry.second);
    } else {
      it->second.merge(std::move(entry.second));
    }
  });
  fqdn_sessions.insert(fqdn_sessions.end(), other.fqdn_sessions.begin(), other.fqdn_sessions.end());
  other.fqdn_sessions.clear();
  if (strings.size() < kMaxPoolStrings) strings.merge(other.strings);
  other.strings.clear();
}

}  // namespace ashiato::analyze::beacon
