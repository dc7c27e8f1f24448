// What a detector reports: one finding, in one shape from the detector to the case store, the
// report and every output, traceable to the evidence records it came from.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.h"

namespace ashiato {

// What made the finding. Outputs and the case store name them by kind_name().
enum class FindingKind : std::uint8_t {
  kSigma,             // a Sigma rule matched one event ("sigma")
  kSigmaCorrelation,  // a Sigma correlation rule over several events ("sigma-correlation")
  kIndicator,         // an event matched an indicator: C2 domain, address, URL, hash ... ("ioc")
  kAnalysis,          // an analysis over all evidence; its name is the finding's rule_id ("analysis")
};

// Sigma's severity levels, in order; kNone for a rule that states none.
enum class Level : std::uint8_t { kNone, kInformational, kLow, kMedium, kHigh, kCritical };

std::string_view kind_name(FindingKind kind);
std::optional<FindingKind> parse_kind(std::string_view name);
std::string_view level_name(Level level);  // "" for kNone
// Sigma's level names; anything else is kNone.
Level parse_level(std::string_view name);

// Where in the evidence: file as given, record (EventRecordID, or line of a text log) and byte
// offset (in the decompressed stream of a compressed file).
struct EvidenceRef {
  std::string file;
  std::uint64_t record = 0;
  std::uint64_t offset = 0;

  friend bool operator==(const EvidenceRef&, const EvidenceRef&) = default;
};

struct Finding {
  FindingKind kind = FindingKind::kSigma;
  Level level = Level::kNone;
  std::string title;
  std::string rule_id;             // what made it: the Sigma rule id, the indicator's value, the analysis' name
  std::vector<std::string> tags;   // the rule's tags: ATT&CK tactics and techniques (attack.t1053.002)
  Timestamp time;                  // when; the start of a time range
  std::optional<Timestamp> until;  // the end of a time range (analyses over many events)
  // Subjects.
  std::string host;  // the internal host: Computer, or the source address for network logs
  std::string user;
  std::string src_ip;
  std::string dst;  // destination host or address (network findings)
  // The event: its Channel (or log category: proxy, firewall, dns, ...) and EventID.
  std::string channel, event_id;
  std::string details;  // a short summary ("Key: value ¦ ..." of an event's key fields)
  // The first is the record that made the finding; analyses over several events add more.
  std::vector<EvidenceRef> evidence;
  std::uint64_t sequence = 0;  // input order, for stable sorting

  // The first evidence reference (an empty one when there is none).
  const EvidenceRef& primary() const;
  EvidenceRef& primary();  // adds an empty one when there is none

  friend bool operator==(const Finding&, const Finding&) = default;
};

}  // namespace ashiato
