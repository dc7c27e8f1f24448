// A beacon series: the connections from one internal host to one destination (an FQDN or an
// address), as samples of time, sizes and request traits, kept compact because a proxy log may
// hold a million series.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyze/beacon/series_key.h"
#include "analyze/beacon/series_map.h"

namespace ashiato::analyze::beacon {

// HTTP methods as samples keep them.
enum class Method : std::uint8_t { kNone, kGet, kPost, kConnect, kHead, kPut, kOther };
inline constexpr std::size_t kMethodCount = 7;
Method parse_method(std::string_view method);
std::string_view method_name(Method method);

// A sample's index into its series' user agents or request shapes: none, or past the series' 15.
inline constexpr std::uint8_t kNoSlot = 255;
inline constexpr std::uint8_t kOtherSlot = 254;
inline constexpr std::size_t kMaxSlots = 15;

// One connection (one request of a proxy log, one Zeek conn record).
// 24 bytes: a series may hold hundreds of thousands.
struct Sample {
  std::uint32_t time = 0;   // start, whole seconds since 1970 (RITA truncates the same way)
  std::uint32_t bytes = 0;  // client to server where the log has it, else server to client (at most 4 GiB)
  std::uint32_t reply = 0;  // server to client where the log has it, else 0
  std::uint8_t agent = kNoSlot, shape = kNoSlot;  // into Series::agents / Series::shapes
  Method method = Method::kNone;
  std::uint8_t flags = 0;     // kDirectAddress
  std::uint64_t session = 0;  // hash of the Zeek uid, 0 when none: joins HTTP/TLS records to conn records
};
// The request named its server by address (a proxy request to "http://203.0.113.5/...").
inline constexpr std::uint8_t kDirectAddress = 1;

// Where a sample came from: the file (the scan's file id, or the case's source id) and record.
struct SampleRef {
  std::uint32_t time = 0;
  std::uint32_t file = 0;
  std::uint64_t record = 0, offset = 0;
};
inline constexpr std::size_t kMaxRefs = 3;  // the earliest samples of a series are its evidence

// User agents and request shapes by the hash that samples and series keep of them.
using StringPool = std::unordered_map<std::uint64_t, std::string>;
inline constexpr std::size_t kMaxPoolStrings = 1'000'000;
std::uint64_t pool_hash(std::string_view text);

// Samples kept per series; past it the series counts on without keeping more (RITA keeps 86,400
// per 24 hours; this is a week of that).
inline constexpr std::size_t kMaxServerIps = 10;     // addresses listed per FQDN series, as RITA
inline constexpr std::size_t kMaxOpenSessions = 64;  // open connections kept per series
inline constexpr std::size_t kMaxSamplesPerSeries = std::size_t{7} * 86400;

struct Series {
  std::vector<Sample> samples;
  std::uint64_t connections = 0;  // all, also those past the cap
  std::uint64_t bytes = 0;        // sum of the samples' bytes, all connections
  std::uint32_t first = 0, last = 0;
  std::vector<std::string> server_ips;        // up to 10 addresses an FQDN series went to
  std::vector<std::uint64_t> agents, shapes;  // pool hashes, up to kMaxSlots each
  // More user agents than slots: which were kept depends on the order they came in, so they do not
  // count for the rare-signature modifier (whether there were more is the same in any order).
  bool agents_overflow = false;
  std::vector<SampleRef> refs;     // the earliest samples' records, up to kMaxRefs
  double duration = 0;             // sum of the connections' durations (Zeek conn), seconds
  std::uint64_t missing_host = 0;  // HTTP requests to this address without a Host header
  // Connections still open when the logs were written (Zeek open_conn): (session, longest duration
  // reported). RITA counts them in long connections, never in beacons.
  std::vector<std::pair<std::uint64_t, double>> open;
  void add_open(std::uint64_t session, double seconds);
  double open_duration() const;
  void add(const Sample& s);
  void add_ref(const SampleRef& ref);
  // The slot of a user agent or shape hash in this series (added when new; kOtherSlot when full).
  std::uint8_t agent_slot(std::uint64_t hash) {
    const std::uint8_t slot_of = slot(agents, hash);
    if (slot_of == kOtherSlot) agents_overflow = true;
    return slot_of;
  }
  std::uint8_t shape_slot(std::uint64_t hash) { return slot(shapes, hash); }
  void merge(Series&& other);

 private:
  static std::uint8_t slot(std::vector<std::uint64_t>& list, std::uint64_t hash);
};

// Hashed, not ordered: a proxy log of a million lines may hold a million series, and an ordered
// map's string comparisons were most of the time. Results are sorted at the end.
using SeriesMap = SeriesMapBase<Series>;

// The series of some evidence: of one file, of a whole scan, or of a case's sources merged.
struct SeriesSet {
  SeriesMap series;
  std::vector<std::uint64_t> fqdn_sessions;  // Zeek sessions counted under an FQDN
  StringPool strings;                        // user agents and request shapes
  // Moves `other`'s series in: new ones spliced over, known ones merged.
  void merge(SeriesSet&& other);
};

}  // namespace ashiato::analyze::beacon
