// Beaconing over proxy, firewall, web and Zeek logs, as a detector: every connection from an
// internal host joins a series — per (host, FQDN) for proxy and HTTP/TLS records (the request
// host, SNI or CONNECT target: every address of the name in one series), per (host, address) for
// firewall and Zeek conn records — and at the end of the scan each series is scored with RITA v5's
// beacon scores (beacon_scores.h) over every 24-hour window of the evidence, ending at its last
// record, and over the whole span. See docs/beaconing.md for the sample definitions.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyze/beacon/beacon_scores.h"
#include "analyze/detector.h"

namespace ashiato::analyze::beacon {

enum class SeriesKind : std::uint8_t { kFqdn, kIp };

struct SeriesKey {
  std::string src;  // internal host (client address)
  std::string dst;  // FQDN or address
  SeriesKind kind = SeriesKind::kFqdn;
  bool operator<(const SeriesKey& o) const {
    return kind != o.kind ? kind < o.kind : src != o.src ? src < o.src : dst < o.dst;
  }
  bool operator==(const SeriesKey& o) const = default;
};

struct SeriesKeyHash {
  std::size_t operator()(const SeriesKey& k) const {
    const std::size_t h = std::hash<std::string>{}(k.src) * 0x9E3779B97F4A7C15ULL;
    return h ^ std::hash<std::string>{}(k.dst) ^ static_cast<std::size_t>(k.kind);
  }
};

// One connection (one request of a proxy log, one Zeek conn record).
// 16 bytes: a series may hold hundreds of thousands.
struct Sample {
  std::uint32_t time = 0;     // start, whole seconds since 1970 (RITA truncates the same way)
  std::uint32_t bytes = 0;    // client to server where the log has it, else server to client (at most 4 GiB)
  std::uint64_t session = 0;  // hash of the Zeek uid, 0 when none: joins HTTP/TLS records to conn records
};

// Samples kept per series; past it the series counts on without keeping more (RITA keeps 86,400
// per 24 hours; this is a week of that).
inline constexpr std::size_t kMaxSamplesPerSeries = std::size_t{7} * 86400;

struct Series {
  std::vector<Sample> samples;
  std::uint64_t connections = 0;  // all, also those past the cap
  std::uint64_t bytes = 0;        // sum of the samples' bytes, all connections
  std::uint32_t first = 0, last = 0;
  std::vector<std::string> server_ips;  // up to 10 addresses an FQDN series went to
  void add(const Sample& s);
  void merge(Series&& other);
};

// Hashed, not ordered: a proxy log of a million lines may hold a million series, and an ordered
// map's string comparisons were most of the time. Results are sorted at the end.
using SeriesMap = std::unordered_map<SeriesKey, Series, SeriesKeyHash>;

// A series' result: its best 24-hour window and the whole span.
struct BeaconResult {
  SeriesKey key;
  std::uint64_t connections = 0, bytes = 0;
  std::uint32_t first = 0, last = 0;
  std::vector<std::string> server_ips;
  bool strobe = false;  // 86,400 connections or more in a 24-hour window: one a second, not a beacon
  std::uint32_t window_from = 0, window_to = 0;  // the best window
  std::uint64_t window_connections = 0;
  std::optional<BeaconScore> best;  // nullopt: no window had enough connections to score
  std::optional<BeaconScore> span;  // over the whole evidence
};

struct BeaconOptions {
  // Firewall and conn records to private, loopback and link-local addresses are left out (C2 is
  // outside; internal periodic traffic — domain controllers, monitoring — would fill the list).
  bool include_internal = false;
  // Also return the series with fewer than 4 connections, which cannot be scored (`--all`).
  bool keep_unscored = false;
  Weights weights;
  Thresholds thresholds;
};

class BeaconDetector : public Detector {
 public:
  explicit BeaconDetector(BeaconOptions options = {});
  ~BeaconDetector() override;
  std::string_view name() const override { return "beacons"; }
  bool wants_all() const override { return false; }
  // Network logs only (their Channel is their category); Windows events are not connections.
  bool wants(std::string_view channel, std::string_view event_id) const override;
  std::unique_ptr<EventRun> start_run(const FileScan& file) const override;
  void end_run(EventRun& run, FileScan& file) const override;
  void end_file(FileScan& file) override;
  void end_scan(std::vector<Finding>& findings) override;

  // After end_scan: every series, best score first.
  const std::vector<BeaconResult>& results() const { return results_; }
  // The evidence's first and last connection.
  std::uint32_t evidence_from() const { return evidence_from_; }
  std::uint32_t evidence_to() const { return evidence_to_; }

 private:
  void join_sessions();

  BeaconOptions options_;
  SeriesMap series_;
  std::unordered_set<std::uint64_t> fqdn_sessions_;  // Zeek sessions counted under an FQDN
  std::vector<BeaconResult> results_;
  std::uint32_t evidence_from_ = 0, evidence_to_ = 0;
};

// Scores one series over the evidence [evidence_from, evidence_to] (see BeaconDetector).
BeaconResult score_series(const SeriesKey& key, const Series& series, std::uint32_t evidence_from,
                          std::uint32_t evidence_to, const BeaconOptions& options = {});

}  // namespace ashiato::analyze::beacon
