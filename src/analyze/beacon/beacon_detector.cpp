#include "analyze/beacon/beacon_detector.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "ioc/ip_address.h"
#include "ioc/text_util.h"
#include "logs/canonical_fields.h"

namespace ashiato::analyze::beacon {
namespace {

constexpr std::uint32_t kDay = 86400;
constexpr std::uint32_t kHour = 3600;
constexpr std::size_t kMaxServerIps = 10;  // as RITA keeps per FQDN beacon
constexpr std::uint64_t kStrobeConnections = 86400;

// Whole seconds since 1970, as RITA keeps connection starts; nullopt outside 1970..2106.
std::optional<std::uint32_t> unix_seconds(Timestamp t) {
  static const std::int64_t epoch = Timestamp::from_unix_seconds(0).ticks;
  if (t.ticks < epoch) return std::nullopt;
  const std::int64_t seconds = (t.ticks - epoch) / 10'000'000;
  if (seconds > std::int64_t{UINT32_MAX}) return std::nullopt;
  return static_cast<std::uint32_t>(seconds);
}

bool absent(std::string_view v) {
  return v.empty() || v == "-";
}

std::uint64_t number(std::optional<std::string_view> text) {
  std::uint64_t n = 0;
  if (!text) return 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return n;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

// A series' samples of one run, and the Zeek sessions already counted in FQDN series.
struct BeaconFacts : DetectorFacts {
  SeriesMap series;
  std::vector<std::uint64_t> fqdn_sessions;
};

// Records that are connections: of Zeek's logs only conn, http and ssl (weird, notice, files and
// the rest name addresses too); DNS queries are not.
bool is_connection(const Event& e) {
  const auto& f = logs::canonical();
  static const FieldId path = intern_field("_path");
  static const FieldId conn_state = intern_field("conn_state");
  if (e.get(f.query)) return false;
  const auto zeek_path = e.get(path);
  if (zeek_path) return *zeek_path == "conn" || *zeek_path == "http" || *zeek_path == "ssl";
  const auto channel = e.get(f.channel);
  if (channel && *channel == "zeek") return e.get(conn_state) || e.get(f.cs_host) || e.get(f.dst_host);
  return true;
}

// A destination name as a series key: lower case, no trailing dot.
std::string name_key(std::string_view name) {
  std::string key = ioc::lowercase(name);
  while (!key.empty() && key.back() == '.') key.pop_back();
  return key;
}

class BeaconRun : public EventRun {
 public:
  explicit BeaconRun(const BeaconOptions& options) : options_(options) {}

  void observe(const Event& e) override {
    const auto& f = logs::canonical();
    static const FieldId uid = intern_field("uid");
    static const FieldId orig_ip_bytes = intern_field("orig_ip_bytes");
    const auto src = e.get(f.src_ip);
    const auto time = unix_seconds(e.time());
    if (!src || absent(*src) || !time || !is_connection(e)) return;
    Sample s;
    s.time = *time;
    // Client to server bytes where the log has them (RITA's input: Zeek's orig_ip_bytes); Squid's
    // native log has only what went to the client.
    const auto ip_bytes = e.get(orig_ip_bytes);
    const auto sent = ip_bytes ? ip_bytes : e.get(f.cs_bytes);
    const std::uint64_t bytes = sent && !absent(*sent) ? number(sent) : number(e.get(f.sc_bytes));
    s.bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes, UINT32_MAX));
    if (const auto id = e.get(uid); id && !absent(*id)) s.session = std::hash<std::string_view>{}(*id) | 1;
    SeriesKey key;
    key.src = std::string(*src);
    const auto host = e.get(f.cs_host);
    const auto sni = e.get(f.dst_host);
    const auto dst_ip = e.get(f.dst_ip);
    if (host && !absent(*host)) {
      key.dst = name_key(*host);
    } else if (sni && !absent(*sni)) {
      key.dst = name_key(*sni);
    } else if (host) {
      return;  // HTTP without a Host header: RITA leaves it to the conn record of the session
    } else if (dst_ip && !absent(*dst_ip)) {
      const auto address = ioc::parse_ip(*dst_ip);
      if (!address) return;
      if (!options_.include_internal && ioc::is_special(*address)) return;
      key.dst = ioc::format_ip(*address);
      key.kind = SeriesKind::kIp;
    } else {
      return;
    }
    if (key.kind == SeriesKind::kFqdn && s.session != 0) facts.fqdn_sessions.push_back(s.session);
    Series& series = facts.series[key];
    series.add(s);
    if (key.kind == SeriesKind::kFqdn && dst_ip && !absent(*dst_ip) && series.server_ips.size() < kMaxServerIps &&
        std::find(series.server_ips.begin(), series.server_ips.end(), *dst_ip) == series.server_ips.end()) {
      series.server_ips.emplace_back(*dst_ip);
    }
  }

  BeaconFacts facts;

 private:
  const BeaconOptions& options_;
};

// Moves `from`'s series into `into`: the nodes of new series are spliced over (no key or sample
// is copied: a proxy log of a million lines may hold a million series), those of known ones merged.
void merge_series(SeriesMap& into, SeriesMap& from) {
  into.merge(from);  // what is left in `from` is already in `into`
  for (auto& [key, series] : from) into[key].merge(std::move(series));
  from.clear();
}

void merge_facts(BeaconFacts& into, BeaconFacts&& from) {
  merge_series(into.series, from.series);
  into.fqdn_sessions.insert(into.fqdn_sessions.end(), from.fqdn_sessions.begin(), from.fqdn_sessions.end());
}

}  // namespace

void Series::add(const Sample& s) {
  if (connections == 0 || s.time < first) first = s.time;
  if (connections == 0 || s.time > last) last = s.time;
  ++connections;
  bytes += s.bytes;
  if (samples.size() < kMaxSamplesPerSeries) samples.push_back(s);
}

void Series::merge(Series&& other) {
  if (other.connections == 0) return;
  if (connections == 0 || other.first < first) first = other.first;
  if (connections == 0 || other.last > last) last = other.last;
  connections += other.connections;
  bytes += other.bytes;
  const std::size_t room = kMaxSamplesPerSeries - std::min(kMaxSamplesPerSeries, samples.size());
  samples.insert(samples.end(), other.samples.begin(),
                 other.samples.begin() + static_cast<std::ptrdiff_t>(std::min(room, other.samples.size())));
  for (std::string& ip : other.server_ips) {
    if (server_ips.size() < kMaxServerIps && std::find(server_ips.begin(), server_ips.end(), ip) == server_ips.end()) {
      server_ips.push_back(std::move(ip));
    }
  }
}

BeaconResult score_series(const SeriesKey& key, const Series& series, std::uint32_t evidence_from,
                          std::uint32_t evidence_to, const BeaconOptions& options) {
  BeaconResult r;
  r.key = key;
  r.connections = series.connections;
  r.bytes = series.bytes;
  r.first = series.first;
  r.last = series.last;
  r.server_ips = series.server_ips;
  std::vector<Sample> sorted = series.samples;
  std::sort(sorted.begin(), sorted.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; });
  auto score_window = [&](std::uint32_t from, std::uint32_t to, std::uint64_t* count) -> std::optional<BeaconScore> {
    // RITA reads whole hours from the one holding the window's start; the histogram counts from
    // the start itself.
    const std::uint32_t hour = from - from % kHour;
    std::vector<std::uint32_t> ts;
    std::vector<std::uint64_t> bytes;
    for (const Sample& s : sorted) {
      if (s.time < hour || s.time > to) continue;
      ts.push_back(s.time);
      bytes.push_back(s.bytes);
    }
    *count = ts.size();
    if (ts.size() >= kStrobeConnections) {
      r.strobe = true;
      return std::nullopt;
    }
    return score_beacon(ts, bytes, from, to, options.weights, options.thresholds);
  };
  // Every 24 hours back from the end of the evidence: RITA's own window (the last day) first.
  for (std::uint64_t end = evidence_to;; end -= kDay) {
    const auto to = static_cast<std::uint32_t>(end);
    const std::uint32_t from = end >= evidence_from + std::uint64_t{kDay} ? to - kDay : evidence_from;
    if (series.last >= from && series.first <= to) {
      std::uint64_t count = 0;
      const auto score = score_window(from, to, &count);
      if (score && (!r.best || score->score > r.best->score)) {
        r.best = score;
        r.window_from = from;
        r.window_to = to;
        r.window_connections = count;
      }
    }
    if (from <= evidence_from || end < kDay) break;
  }
  if (evidence_to > evidence_from + kDay) {
    std::uint64_t count = 0;
    r.span = score_window(evidence_from, evidence_to, &count);
  } else {
    r.span = r.best;
  }
  return r;
}

BeaconDetector::BeaconDetector(BeaconOptions options) : options_(options) {}
BeaconDetector::~BeaconDetector() = default;

bool BeaconDetector::wants(std::string_view channel, std::string_view /*event_id*/) const {
  return channel == "proxy" || channel == "firewall" || channel == "webserver" || channel == "zeek" ||
         channel == "generic";
}

std::unique_ptr<EventRun> BeaconDetector::start_run(const FileScan& /*file*/) const {
  return std::make_unique<BeaconRun>(options_);
}

void BeaconDetector::end_run(EventRun& run, FileScan& file) const {
  auto& r = static_cast<BeaconRun&>(run);
  if (r.facts.series.empty()) return;
  merge_facts(facts<BeaconFacts>(file), std::move(r.facts));
  r.facts.series.clear();
  r.facts.fqdn_sessions.clear();
}

void BeaconDetector::end_file(FileScan& file) {
  auto& p = file.facts[slot()];
  if (!p) return;
  auto& f = static_cast<BeaconFacts&>(*p);
  merge_series(series_, f.series);
  fqdn_sessions_.insert(f.fqdn_sessions.begin(), f.fqdn_sessions.end());
  p.reset();
}

// Zeek describes one session in several logs. As RITA: an HTTP/TLS session is one sample of its
// FQDN series, with the start and client bytes of its conn record (several requests on one
// connection are one sample), and is not counted again under its addresses.
void BeaconDetector::join_sessions() {
  if (fqdn_sessions_.empty()) return;
  std::unordered_map<std::uint64_t, Sample> conns;
  for (const auto& [key, series] : series_) {
    if (key.kind != SeriesKind::kIp) continue;
    for (const Sample& s : series.samples) {
      if (s.session != 0) conns.emplace(s.session, s);
    }
  }
  for (auto& [key, series] : series_) {
    const bool fqdn = key.kind == SeriesKind::kFqdn;
    std::unordered_set<std::uint64_t> seen;
    bool changed = false;
    Series kept;
    std::uint64_t sample_bytes = 0;
    for (const Sample& s : series.samples) {
      sample_bytes += s.bytes;
      if (s.session == 0) {
        kept.add(s);
      } else if (fqdn) {
        if (!seen.insert(s.session).second) {
          changed = true;
          continue;
        }
        const auto conn = conns.find(s.session);
        changed = changed || conn != conns.end();
        kept.add(conn != conns.end() ? conn->second : s);
      } else if (fqdn_sessions_.count(s.session) == 0) {
        kept.add(s);
      } else {
        changed = true;
      }
    }
    if (!changed) continue;
    // Past the sample cap the uncounted rest cannot be told apart: it stays counted.
    kept.connections += series.connections - series.samples.size();
    kept.bytes += series.bytes - std::min(series.bytes, sample_bytes);
    kept.server_ips = std::move(series.server_ips);
    series = std::move(kept);
  }
}

void BeaconDetector::end_scan(std::vector<Finding>& /*findings*/) {
  join_sessions();
  bool any = false;
  for (const auto& [key, series] : series_) {
    if (series.connections == 0) continue;
    evidence_from_ = any ? std::min(evidence_from_, series.first) : series.first;
    evidence_to_ = any ? std::max(evidence_to_, series.last) : series.last;
    any = true;
  }
  results_.clear();
  for (const auto& [key, series] : series_) {
    if (series.samples.empty() || (series.samples.size() < 4 && !options_.keep_unscored)) continue;
    results_.push_back(score_series(key, series, evidence_from_, evidence_to_, options_));
  }
  // Best score first, then by series: the same order whatever order the files were read in.
  std::sort(results_.begin(), results_.end(), [](const BeaconResult& a, const BeaconResult& b) {
    const double sa = a.best ? a.best->score : -1, sb = b.best ? b.best->score : -1;
    return sa != sb ? sa > sb : a.key < b.key;
  });
}

}  // namespace ashiato::analyze::beacon
