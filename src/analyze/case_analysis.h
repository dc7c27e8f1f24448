// From what a case holds (findings, attributions, sources) to the picture a responder needs:
// which hosts are infected (repeated C2 contact) or suspect (a single contact), which accounts
// were used where and whether admin accounts touched infected hosts, which C2 destinations were
// contacted by whom, and the detections by rule. Addresses are resolved to host names with the
// DHCP lease in force at the time, else a Windows logon from that address, else left as they are.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "case/case_store.h"

namespace ashiato::analyze {

class AddressBook {
 public:
  explicit AddressBook(const std::vector<cases::AttributionRecord>& attributions);
  // The host behind `address` at `time`, or `address` itself when nothing says.
  std::string host_at(const std::string& address, Timestamp time) const;
  // Proxy user names seen for the address around that time.
  std::vector<std::string> users_at(const std::string& address, Timestamp time) const;

 private:
  struct Span {
    Timestamp first, last;
    std::string name;
    int rank;  // dhcp before logon: the lease is the address's owner, a logon only a hint
  };
  std::map<std::string, std::vector<Span>> hosts_, users_;
};

struct C2Summary {
  std::string indicator, type, source;
  Timestamp first, last;
  std::int64_t hits = 0, bytes = 0;  // hits: distinct log records
  std::set<std::string> hosts;
  std::set<std::pair<std::int64_t, std::uint64_t>> records;
};

struct DetectionSummary {
  std::string rule_id, title, level;
  std::int64_t count = 0;
  std::set<std::string> hosts;
  Timestamp first, last;
};

struct LogonEdge {
  std::string user, from_host, to_host;
  std::int64_t count = 0;
};

struct CaseFacts {
  // infected, suspect, similar (talks to a C2 candidate), involved, relay (a proxy or NAT)
  std::vector<cases::HostRecord> hosts;
  std::vector<cases::AccountRecord> accounts;
  std::vector<C2Summary> c2;
  std::vector<DetectionSummary> detections;
  std::vector<LogonEdge> logons;                   // accounts' logons from and to hosts of the case
  std::vector<cases::CandidateRecord> candidates;  // C2 candidates not rejected, accepted ones included
  std::map<std::string, std::int64_t> detections_by_level;
  std::optional<Timestamp> first_c2, last_c2, evidence_from, evidence_to;
  bool ongoing = false;
  std::int64_t events = 0, unreadable_sources = 0, admin_accounts_on_infected = 0;
  std::vector<std::string> admin_accounts_on_infected_names;
};

// The verdict rules of the case analysis, each on its own (unit-tested in tests/analyze).

// infected: repeated C2 contact (two distinct log records or more); suspect: a single contact;
// involved: no contact, but detections of medium level or above, or logged on to from an
// infected host.
std::string host_status(std::int64_t c2_records);
// An address that reaches the C2 only in firewall logs and is nobody's PC (no lease, no logon),
// while the proxies log C2 traffic of PCs, is the proxy itself (or a NAT) relaying it.
bool is_relay(const std::string& name, bool seen_beyond_firewall, bool c2_seen_in_proxy_logs, bool address_has_owner);
// Still going on: a C2 contact within a day of the end of the evidence.
bool still_ongoing(std::optional<Timestamp> last_c2, std::optional<Timestamp> evidence_to);
// A host that talks to a C2 candidate nobody rejected, and has no C2 contact of its own: "similar"
// (suspected: similar communication). An accepted candidate is a C2: its hosts are infected or
// suspect as for the indicators' C2s.
std::string candidate_host_status(const std::string& current, const cases::CandidateRecord& candidate);
// Detections of this level or above make a host part of the case.
bool makes_host_involved(Level level);
// An admin account whose logons touch an infected host: its password is presumed stolen.
bool admin_exposed(const cases::AccountRecord& account, const std::set<std::string>& infected_hosts);

CaseFacts analyse_case(const std::vector<cases::SourceRecord>& sources,
                       const std::vector<cases::IndicatorRecord>& indicators,
                       const std::vector<cases::FindingRecord>& findings,
                       const std::vector<cases::AttributionRecord>& attributions,
                       const std::vector<cases::CandidateRecord>& candidates = {});

// A host's name as the case uses it: upper case, no domain, no trailing '$'; addresses as they are.
std::string host_name(std::string_view name);
// The finding's internal host with addresses resolved.
std::string finding_host(const cases::FindingRecord& f, const AddressBook& book);

}  // namespace ashiato::analyze
