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

#include "analyze/beacon/connection_fields.h"
#include "analyze/beacon/request_shape.h"
#include "ioc/ip_address.h"
#include "ioc/text_util.h"

namespace ashiato::analyze::beacon {
namespace {

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

// A series' samples of one file.
struct BeaconFacts : DetectorFacts {
  SeriesSet set;
};

// Records that are connections: of Zeek's logs only conn, http and ssl (weird, notice, files and
// the rest name addresses too); DNS queries are not.
bool is_connection(const ConnectionFields& in) {
  using F = ConnectionFields;
  if (in[F::kQuery]) return false;
  if (const auto zeek_path = in[F::kZeekPath]) {
    return *zeek_path == "conn" || *zeek_path == "http" || *zeek_path == "ssl" || *zeek_path == "open_conn";
  }
  const auto channel = in[F::kChannel];
  if (channel && *channel == "zeek") return in[F::kConnState] || in[F::kCsHost] || in[F::kDstHost];
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

// One connection as a run sees it, before it joins its series. A run is a block of a few
// thousand lines in which most series of a large log appear once or not at all: a series map per
// run cost a map entry, its strings and vectors for nearly every line, built and merged again.
// Runs keep flat records instead, and each joins the file's series when the run is delivered.
struct PendingConnection {
  enum class What : std::uint8_t { kSample, kOpen, kMissingHost };
  What what = What::kSample;
  SeriesKind kind = SeriesKind::kFqdn;
  std::uint32_t src = 0, dst = 0, server_ip = 0;              // offsets into the run's text
  std::uint32_t src_len = 0, dst_len = 0, server_ip_len = 0;  // server_ip_len 0: none
  Sample sample;                                              // its slots set when it joins
  std::uint64_t agent = 0, shape = 0;                         // pool hashes; 0: none
  std::uint64_t record = 0, offset = 0;
  double duration = 0;       // of a Zeek conn record, or how long an open connection had been open
  std::size_t key_hash = 0;  // SeriesMap::hash_of the series key, computed on the reading thread
};

void add_server_ip(Series& series, std::string_view ip) {
  if (series.server_ips.size() < kMaxServerIps &&
      std::find(series.server_ips.begin(), series.server_ips.end(), ip) == series.server_ips.end()) {
    series.server_ips.emplace_back(ip);
  }
}

void add_connection(const PendingConnection& c, std::string_view text, std::uint32_t file, SeriesSet& set) {
  Series& series =
      set.series.try_emplace({text.substr(c.src, c.src_len), text.substr(c.dst, c.dst_len), c.kind}, c.key_hash)
          .first->second;
  if (c.what == PendingConnection::What::kOpen) {
    series.add_open(c.sample.session, c.duration);
    return;
  }
  if (c.what == PendingConnection::What::kMissingHost) {
    series.missing_host++;
    if (c.agent != 0) series.agent_slot(c.agent);
    return;
  }
  Sample s = c.sample;
  if (c.agent != 0) s.agent = series.agent_slot(c.agent);
  if (c.shape != 0) s.shape = series.shape_slot(c.shape);
  series.add(s);
  if (series.refs.size() < kMaxRefs || s.time < series.refs.back().time) {
    series.add_ref(SampleRef{s.time, file, c.record, c.offset});
  }
  series.duration += c.duration;
  if (c.server_ip_len != 0) add_server_ip(series, text.substr(c.server_ip, c.server_ip_len));
}

class BeaconRun : public EventRun {
 public:
  BeaconRun(const BeaconOptions& options, std::uint32_t file) : options_(options), file_(file) {}

  void observe(const Event& e) override {
    using F = ConnectionFields;
    const auto time = unix_seconds(e.time());
    if (!time) return;
    const ConnectionFields in(e);
    const auto src = in[F::kSrcIp];
    if (!src || absent(*src) || !is_connection(in)) return;
    PendingConnection c;
    c.sample.time = *time;
    add_sizes(in, c.sample);
    if (const auto id = in[F::kUid]; id && !absent(*id)) c.sample.session = std::hash<std::string_view>{}(*id) | 1;
    c.src = keep(*src, c.src_len);
    const auto path = in[F::kZeekPath];
    const auto dst_ip = in[F::kDstIp];
    if (!set_destination(in, c)) return;
    if (path && *path == "open_conn") {
      // Still open when the log was written: a long connection's duration, never a beacon sample.
      if (const auto d = in[F::kDuration]; d && !absent(*d) && c.sample.session != 0) {
        c.what = PendingConnection::What::kOpen;
        c.duration = seconds(*d);
        push(c);
      }
      return;
    }
    if (c.kind == SeriesKind::kFqdn && c.sample.session != 0) fqdn_sessions_.push_back(c.sample.session);
    // Squid's pseudo-requests for failed transactions ("NONE error:transaction-end-before-headers")
    // went nowhere: no sample.
    if (const auto m = in[F::kMethod]; m && *m == "NONE") return;
    const std::string_view dst(text_.data() + c.dst, c.dst_len);
    if (c.kind == SeriesKind::kFqdn && might_be_address(dst) && ioc::parse_ip(dst)) c.sample.flags |= kDirectAddress;
    add_request_traits(in, c);
    c.record = e.source().record_id;
    c.offset = e.source().offset;
    // Connection durations from Zeek's conn log only: proxies log a request's elapsed time (Squid
    // and W3C in milliseconds), not how long a connection stayed open.
    if (const auto d = in[F::kDuration]; d && !absent(*d) && path && *path == "conn") c.duration = seconds(*d);
    if (c.kind == SeriesKind::kFqdn && dst_ip && !absent(*dst_ip)) c.server_ip = keep(*dst_ip, c.server_ip_len);
    push(c);
  }

  // The run's connections into the file's series; the run is then empty, ready for the next.
  void deliver(SeriesSet& set) {
    constexpr std::size_t kAhead = 8;
    const std::size_t n = pending_.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i + 2 * kAhead < n) set.series.prefetch_slot(pending_[i + 2 * kAhead].key_hash);
      if (i + kAhead < n) set.series.prefetch_entry(pending_[i + kAhead].key_hash);
      add_connection(pending_[i], text_, file_, set);
    }
    set.fqdn_sessions.insert(set.fqdn_sessions.end(), fqdn_sessions_.begin(), fqdn_sessions_.end());
    if (set.strings.size() < kMaxPoolStrings) set.strings.merge(strings_);
    clear();
  }

  void clear() {
    pending_.clear();
    fqdn_sessions_.clear();
    strings_.clear();
    text_.clear();
  }

  bool empty() const { return pending_.empty() && fqdn_sessions_.empty(); }

 private:
  // Client to server bytes where the log has them (RITA's input: Zeek's orig_ip_bytes); Squid's
  // native log has only what went to the client.
  static void add_sizes(const ConnectionFields& in, Sample& s) {
    using F = ConnectionFields;
    const auto ip_bytes = in[F::kOrigIpBytes];
    const auto sent = ip_bytes ? ip_bytes : in[F::kCsBytes];
    const auto reply = ip_bytes ? in[F::kRespIpBytes] : in[F::kScBytes];
    const bool has_sent = sent && !absent(*sent);
    const std::uint64_t bytes = has_sent ? number(sent) : number(reply);
    s.bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes, UINT32_MAX));
    if (has_sent) s.reply = static_cast<std::uint32_t>(std::min<std::uint64_t>(number(reply), UINT32_MAX));
  }

  // The series the connection joins: the request host, SNI or CONNECT target, else the address.
  // False when it joins none (recorded as a Host-less request where that is what it is).
  bool set_destination(const ConnectionFields& in, PendingConnection& c) {
    using F = ConnectionFields;
    const auto host = in[F::kCsHost];
    const auto sni = in[F::kDstHost];
    const auto path = in[F::kZeekPath];
    const auto dst_ip = in[F::kDstIp];
    if (host && !absent(*host)) {
      c.dst = keep_name(*host, c.dst_len);
    } else if (sni && !absent(*sni)) {
      c.dst = keep_name(*sni, c.dst_len);
    } else if (host || (path && *path == "http")) {  // an unset Host leaves no cs-host field at all
      // HTTP without a Host header: RITA leaves the sample to the conn record of the session and
      // marks the address pair (a missing Host header raises its final score); its User-Agent
      // still counts for the rare-signature modifier.
      if (!keep_address(dst_ip, c)) return false;
      c.what = PendingConnection::What::kMissingHost;
      if (const auto agent = in[F::kUserAgent]; agent && !absent(*agent)) c.agent = pooled(*agent, strings_);
      push(c);
      return false;
    } else if (!keep_address(dst_ip, c)) {
      return false;
    }
    return true;
  }

  // An address series' destination (outside addresses only unless include_internal).
  bool keep_address(std::optional<std::string_view> dst_ip, PendingConnection& c) {
    const auto address = dst_ip && !absent(*dst_ip) ? ioc::parse_ip(*dst_ip) : std::nullopt;
    if (!address || (!options_.include_internal && ioc::is_special(*address))) return false;
    c.dst = static_cast<std::uint32_t>(text_.size());
    ioc::append_ip(text_, *address);
    c.dst_len = static_cast<std::uint32_t>(text_.size() - c.dst);
    c.kind = SeriesKind::kIp;
    return true;
  }

  // The request's method, user agent and URL shape, where the log has them.
  void add_request_traits(const ConnectionFields& in, PendingConnection& c) {
    using F = ConnectionFields;
    if (const auto m = in[F::kMethod]) c.sample.method = parse_method(*m);
    if (const auto agent = in[F::kUserAgent]; agent && !absent(*agent)) c.agent = pooled(*agent, strings_);
    const auto stem = in[F::kUriStem];
    const auto uri = stem ? stem : in[F::kUri];
    if (uri && !absent(*uri) && c.sample.method != Method::kConnect) {
      const auto query = in[F::kUriQuery];
      request_shape(*uri, query ? *query : std::string_view(), shape_, shape_scratch_);
      c.shape = pooled(shape_, strings_);
    }
  }

  // The connection kept, with its series key's hash.
  void push(PendingConnection& c) {
    c.key_hash = SeriesMap::hash_of(
        {std::string_view(text_).substr(c.src, c.src_len), std::string_view(text_).substr(c.dst, c.dst_len), c.kind});
    pending_.push_back(c);
  }

  std::uint32_t keep(std::string_view value, std::uint32_t& length) {
    const auto at = static_cast<std::uint32_t>(text_.size());
    text_.append(value);
    length = static_cast<std::uint32_t>(value.size());
    return at;
  }

  // A destination name as a series key: lower case, no trailing dot.
  std::uint32_t keep_name(std::string_view name, std::uint32_t& length) {
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    const std::uint32_t at = keep(name, length);
    for (std::size_t i = at; i < text_.size(); ++i) {
      if (text_[i] >= 'A' && text_[i] <= 'Z') text_[i] = static_cast<char>(text_[i] - 'A' + 'a');
    }
    return at;
  }

  const BeaconOptions& options_;
  std::uint32_t file_;
  std::vector<PendingConnection> pending_;
  std::vector<std::uint64_t> fqdn_sessions_;  // Zeek sessions counted under an FQDN
  StringPool strings_;                        // the run's user agents and request shapes
  std::string text_;                          // the pending connections' hosts and destinations
  std::string shape_;
  ShapeScratch shape_scratch_;
};

}  // namespace

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
  if (r.empty()) {
    r.clear();  // what a run kept of connections that joined no series
    return;
  }
  r.deliver(facts<BeaconFacts>(file).set);
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
