#include "analyze/beacon/beacon_detector.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "analyze/beacon/request_shape.h"
#include "ioc/ip_address.h"
#include "ioc/text_util.h"
#include "logs/canonical_fields.h"

namespace ashiato::analyze::beacon {
namespace {

constexpr std::uint32_t kDay = 86400;
constexpr std::uint32_t kHour = 3600;
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

// A series' samples of one run or file.
struct BeaconFacts : DetectorFacts {
  SeriesSet set;
};

// Records that are connections: of Zeek's logs only conn, http and ssl (weird, notice, files and
// the rest name addresses too); DNS queries are not.
bool is_connection(const Event& e) {
  const auto& f = logs::canonical();
  static const FieldId path = intern_field("_path");
  static const FieldId conn_state = intern_field("conn_state");
  if (e.get(f.query)) return false;
  const auto zeek_path = e.get(path);
  if (zeek_path) {
    return *zeek_path == "conn" || *zeek_path == "http" || *zeek_path == "ssl" || *zeek_path == "open_conn";
  }
  const auto channel = e.get(f.channel);
  if (channel && *channel == "zeek") return e.get(conn_state) || e.get(f.cs_host) || e.get(f.dst_host);
  return true;
}

// Seconds as Zeek writes them ("0.104355").
double seconds(std::string_view text) {
  double v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

// Whether a destination may be an address literal (worth parsing as one).
bool might_be_address(std::string_view dst) {
  return !dst.empty() && ((dst[0] >= '0' && dst[0] <= '9') || dst[0] == '[' || dst.find(':') != std::string_view::npos);
}

// A pool hash for `text`, the text kept in the pool the first time.
std::uint64_t pooled(std::string_view text, StringPool& pool) {
  const std::uint64_t h = pool_hash(text);
  if (pool.size() < kMaxPoolStrings) pool.try_emplace(h, text);
  return h;
}

class BeaconRun : public EventRun {
 public:
  BeaconRun(const BeaconOptions& options, std::uint32_t file) : options_(options), file_(file) {}

  void observe(const Event& e) override {
    const auto& f = logs::canonical();
    static const FieldId uid = intern_field("uid");
    static const FieldId orig_ip_bytes = intern_field("orig_ip_bytes");
    static const FieldId resp_ip_bytes = intern_field("resp_ip_bytes");
    const auto src = e.get(f.src_ip);
    const auto time = unix_seconds(e.time());
    if (!src || absent(*src) || !time || !is_connection(e)) return;
    Sample s;
    s.time = *time;
    // Client to server bytes where the log has them (RITA's input: Zeek's orig_ip_bytes); Squid's
    // native log has only what went to the client.
    const auto ip_bytes = e.get(orig_ip_bytes);
    const auto sent = ip_bytes ? ip_bytes : e.get(f.cs_bytes);
    const auto reply = ip_bytes ? e.get(resp_ip_bytes) : e.get(f.sc_bytes);
    const bool has_sent = sent && !absent(*sent);
    const std::uint64_t bytes = has_sent ? number(sent) : number(reply);
    s.bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes, UINT32_MAX));
    if (has_sent) s.reply = static_cast<std::uint32_t>(std::min<std::uint64_t>(number(reply), UINT32_MAX));
    if (const auto id = e.get(uid); id && !absent(*id)) s.session = std::hash<std::string_view>{}(*id) | 1;
    // The key as views into this event and a reused buffer: most events belong to a known series.
    SeriesKeyView key{*src, {}, SeriesKind::kFqdn};
    const auto host = e.get(f.cs_host);
    const auto sni = e.get(f.dst_host);
    const auto dst_ip = e.get(f.dst_ip);
    static const FieldId zeek_path = intern_field("_path");
    const auto path = e.get(zeek_path);
    const bool zeek_http = path && *path == "http";  // an unset Host leaves no cs-host field at all
    if (host && !absent(*host)) {
      key.dst = name_key(*host);
    } else if (sni && !absent(*sni)) {
      key.dst = name_key(*sni);
    } else if (host || zeek_http) {
      // HTTP without a Host header: RITA leaves the sample to the conn record of the session and
      // marks the address pair (a missing Host header raises its final score); its User-Agent
      // still counts for the rare-signature modifier.
      note_missing_host(e, *src, dst_ip);
      return;
    } else if (dst_ip && !absent(*dst_ip)) {
      const auto address = ioc::parse_ip(*dst_ip);
      if (!address) return;
      if (!options_.include_internal && ioc::is_special(*address)) return;
      dst_.clear();
      ioc::append_ip(dst_, *address);
      key.dst = dst_;
      key.kind = SeriesKind::kIp;
    } else {
      return;
    }
    if (path && *path == "open_conn") {
      // Still open when the log was written: a long connection's duration, never a beacon sample.
      if (const auto d = e.get(f.duration); d && !absent(*d) && s.session != 0) {
        series_for(key).add_open(s.session, seconds(*d));
      }
      return;
    }
    if (key.kind == SeriesKind::kFqdn && s.session != 0) facts.set.fqdn_sessions.push_back(s.session);
    // Squid's pseudo-requests for failed transactions ("NONE error:transaction-end-before-headers")
    // went nowhere: no sample.
    if (const auto m = e.get(f.cs_method); m && *m == "NONE") return;
    if (key.kind == SeriesKind::kFqdn && might_be_address(key.dst) && ioc::parse_ip(key.dst)) {
      s.flags |= kDirectAddress;
    }
    Series& series = series_for(key);
    add_request_traits(e, s, series);
    series.add(s);
    if (series.refs.size() < kMaxRefs || s.time < series.refs.back().time) {
      series.add_ref(SampleRef{s.time, file_, e.source().record_id, e.source().offset});
    }
    // Connection durations from Zeek's conn log only: proxies log a request's elapsed time (Squid
    // and W3C in milliseconds), not how long a connection stayed open.
    if (const auto d = e.get(f.duration); d && !absent(*d) && path && *path == "conn") series.duration += seconds(*d);
    if (key.kind == SeriesKind::kFqdn && dst_ip && !absent(*dst_ip) && series.server_ips.size() < kMaxServerIps &&
        std::find(series.server_ips.begin(), series.server_ips.end(), *dst_ip) == series.server_ips.end()) {
      series.server_ips.emplace_back(*dst_ip);
    }
  }

  BeaconFacts facts;

 private:
  // The request's method, user agent and URL shape, where the log has them.
  void add_request_traits(const Event& e, Sample& s, Series& series) {
    const auto& f = logs::canonical();
    if (const auto m = e.get(f.cs_method)) s.method = parse_method(*m);
    if (const auto agent = e.get(f.c_useragent); agent && !absent(*agent)) {
      s.agent = series.agent_slot(pooled(*agent, facts.set.strings));
    }
    const auto stem = e.get(f.c_uri_stem);
    const auto uri = stem ? stem : e.get(f.c_uri);
    if (uri && !absent(*uri) && s.method != Method::kConnect) {
      const auto query = e.get(f.c_uri_query);
      request_shape(*uri, query ? *query : std::string_view(), shape_, shape_scratch_);
      s.shape = series.shape_slot(pooled(shape_, facts.set.strings));
    }
  }

  void note_missing_host(const Event& e, std::string_view src, std::optional<std::string_view> dst_ip) {
    const auto address = dst_ip ? ioc::parse_ip(*dst_ip) : std::nullopt;
    if (!address || (!options_.include_internal && ioc::is_special(*address))) return;
    dst_.clear();
    ioc::append_ip(dst_, *address);
    Series& pair = series_for(SeriesKeyView{src, dst_, SeriesKind::kIp});
    pair.missing_host++;
    if (const auto agent = e.get(logs::canonical().c_useragent); agent && !absent(*agent)) {
      pair.agent_slot(pooled(*agent, facts.set.strings));
    }
  }

  Series& series_for(const SeriesKeyView& key) {
    auto it = facts.set.series.find(key);
    if (it == facts.set.series.end()) {
      it = facts.set.series.emplace(SeriesKey{std::string(key.src), std::string(key.dst), key.kind}, Series{}).first;
    }
    return it->second;
  }

  // A destination name as a series key: lower case, no trailing dot (in a reused buffer).
  std::string_view name_key(std::string_view name) {
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    dst_.assign(name);
    for (char& c : dst_) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return dst_;
  }

  const BeaconOptions& options_;
  std::uint32_t file_;
  std::string shape_, dst_;
  ShapeScratch shape_scratch_;
};

}  // namespace

BeaconResult score_series(const SeriesKey& key, const Series& series, std::uint32_t evidence_from,
                          std::uint32_t evidence_to, const BeaconOptions& options, const StringPool& strings) {
  BeaconResult r;
  r.duration = series.duration + series.open_duration();
  r.missing_host = series.missing_host;
  r.key = key;
  r.connections = series.connections;
  r.bytes = series.bytes;
  r.first = series.first;
  r.last = series.last;
  r.server_ips = series.server_ips;
  std::sort(r.server_ips.begin(), r.server_ips.end());  // the order files were read in must not show
  std::vector<Sample> sorted = series.samples;
  std::sort(sorted.begin(), sorted.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; });
  r.traits = series_traits(series, sorted, strings);
  // `day`: a 24-hour window, where 86,400 connections make a strobe (one a second); the whole
  // span is scored whatever its count.
  auto score_window = [&](std::uint32_t from, std::uint32_t to, std::uint64_t* count,
                          bool day) -> std::optional<BeaconScore> {
    // RITA reads whole hours from the one holding the window's start (they count in the
    // histogram's first bin).
    const std::uint32_t hour = from - from % kHour;
    std::vector<std::uint32_t> ts;
    std::vector<std::uint64_t> bytes;
    for (const Sample& s : sorted) {
      if (s.time < hour || s.time > to) continue;
      ts.push_back(s.time);
      bytes.push_back(s.bytes);
    }
    *count = ts.size();
    if (day && ts.size() >= kStrobeConnections) {
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
      const auto score = score_window(from, to, &count, true);
      if (end == evidence_to) {
        r.latest = score;
        r.latest_connections = count;
      }
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
    r.span = score_window(evidence_from, evidence_to, &count, false);
  } else {
    r.span = r.best;
  }
  return r;
}

namespace {

// Zeek describes one session in several logs. As RITA: an HTTP/TLS session is one sample of its
// FQDN series, with the start and client bytes of its conn record (several requests on one
// connection are one sample), and is not counted again under its addresses.
void join_sessions(SeriesSet& set) {
  if (set.fqdn_sessions.empty()) return;
  const std::unordered_set<std::uint64_t> fqdn_sessions(set.fqdn_sessions.begin(), set.fqdn_sessions.end());
  std::unordered_map<std::uint64_t, Sample> conns;
  for (const auto& [key, series] : set.series) {
    if (key.kind != SeriesKind::kIp) continue;
    for (const Sample& s : series.samples) {
      if (s.session != 0) conns.emplace(s.session, s);
    }
  }
  for (auto& [key, series] : set.series) {
    const bool fqdn = key.kind == SeriesKind::kFqdn;
    std::unordered_set<std::uint64_t> seen;
    bool changed = false;
    std::vector<Sample> kept;
    std::uint64_t sample_bytes = 0, kept_bytes = 0;
    for (const Sample& s : series.samples) {
      sample_bytes += s.bytes;
      const Sample* keep = &s;
      Sample joined;
      if (s.session != 0 && fqdn) {
        if (!seen.insert(s.session).second) {
          changed = true;
          continue;
        }
        if (const auto conn = conns.find(s.session); conn != conns.end()) {
          // The conn record's start and sizes, the request's traits.
          joined = s;
          joined.time = conn->second.time;
          joined.bytes = conn->second.bytes;
          joined.reply = conn->second.reply;
          keep = &joined;
          changed = true;
        }
      } else if (s.session != 0 && fqdn_sessions.count(s.session) > 0) {
        changed = true;
        continue;
      }
      kept.push_back(*keep);
      kept_bytes += keep->bytes;
    }
    if (!changed) continue;
    // Past the sample cap the uncounted rest cannot be told apart: it stays counted.
    const std::uint64_t uncounted = series.connections - series.samples.size();
    series.connections = kept.size() + uncounted;
    series.bytes = kept_bytes + (series.bytes - std::min(series.bytes, sample_bytes));
    if (!kept.empty()) {
      const auto [lo, hi] = std::minmax_element(kept.begin(), kept.end(),
                                                [](const Sample& a, const Sample& b) { return a.time < b.time; });
      series.first = lo->time;
      series.last = hi->time;
    }
    series.samples = std::move(kept);
  }
}

}  // namespace

ScoredSeries score_all(SeriesSet& set, const BeaconOptions& options) {
  join_sessions(set);
  ScoredSeries out;
  bool any = false;
  for (const auto& [key, series] : set.series) {
    if (series.connections == 0) continue;
    out.evidence_from = any ? std::min(out.evidence_from, series.first) : series.first;
    out.evidence_to = any ? std::max(out.evidence_to, series.last) : series.last;
    any = true;
  }
  for (const auto& [key, series] : set.series) {
    if (series.samples.empty() || (series.samples.size() < 4 && !options.keep_unscored)) continue;
    if (options.select) {
      std::vector<Sample> sorted = series.samples;
      std::sort(sorted.begin(), sorted.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; });
      const BeaconOptions::Pick pick = options.select(key, series, series_traits(series, sorted, set.strings));
      if (pick == BeaconOptions::Pick::kSkip) continue;
      if (pick == BeaconOptions::Pick::kDescribe) {
        BeaconResult r;
        r.key = key;
        r.connections = series.connections;
        r.bytes = series.bytes;
        r.first = series.first;
        r.last = series.last;
        r.server_ips = series.server_ips;
        std::sort(r.server_ips.begin(), r.server_ips.end());
        r.duration = series.duration + series.open_duration();
        r.missing_host = series.missing_host;
        r.traits = series_traits(series, sorted, set.strings);
        out.results.push_back(std::move(r));
        continue;
      }
    }
    out.results.push_back(score_series(key, series, out.evidence_from, out.evidence_to, options, set.strings));
  }
  out.hosts = apply_rita_modifiers(out.results, set, out.evidence_from, out.evidence_to);
  // Best score first, then by series: the same order whatever order the files were read in.
  std::sort(out.results.begin(), out.results.end(), [](const BeaconResult& a, const BeaconResult& b) {
    const double sa = a.best ? a.best->score : -1, sb = b.best ? b.best->score : -1;
    return sa != sb ? sa > sb : a.key < b.key;
  });
  return out;
}

BeaconDetector::BeaconDetector(BeaconOptions options) : options_(std::move(options)) {}
BeaconDetector::~BeaconDetector() = default;

bool BeaconDetector::wants(std::string_view channel, std::string_view /*event_id*/) const {
  return channel == "proxy" || channel == "firewall" || channel == "webserver" || channel == "zeek" ||
         channel == "generic";
}

std::unique_ptr<EventRun> BeaconDetector::start_run(const FileScan& file) const {
  return std::make_unique<BeaconRun>(options_, file.file_id);
}

void BeaconDetector::end_run(EventRun& run, FileScan& file) const {
  auto& r = static_cast<BeaconRun&>(run);
  if (r.facts.set.series.empty()) return;
  facts<BeaconFacts>(file).set.merge(std::move(r.facts.set));
}

void BeaconDetector::end_file(FileScan& file) {
  if (options_.series_per_file) return;  // the caller takes them
  auto& p = file.facts[slot()];
  if (!p) return;
  all_.merge(std::move(static_cast<BeaconFacts&>(*p).set));
  p.reset();
}

SeriesSet BeaconDetector::take_series(FileScan& file) const {
  auto& p = file.facts[slot()];
  if (!p) return {};
  SeriesSet out = std::move(static_cast<BeaconFacts&>(*p).set);
  p.reset();
  return out;
}

void BeaconDetector::end_scan(std::vector<Finding>& /*findings*/) {
  ScoredSeries scored = score_all(all_, options_);
  results_ = std::move(scored.results);
  evidence_from_ = scored.evidence_from;
  evidence_to_ = scored.evidence_to;
}

}  // namespace ashiato::analyze::beacon
