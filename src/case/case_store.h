// The case: what an investigation found, in one SQLite file (DIR/case.sqlite, WAL) that can be
// reopened, extended with more evidence and reported without re-reading the logs. Each evidence
// file's results are written in one transaction, so an interrupted run leaves a consistent case
// and the next run goes on with the files not yet done. Schema: docs/case-schema.md.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/timestamp.h"

namespace ashiato::cases {

class SqliteDb;

inline constexpr int kSchemaVersion = 1;

struct SourceRecord {
  std::int64_t id = 0;
  std::string path, sha256, format;  // format empty: not readable (see errors)
  std::int64_t size = 0, events = 0, bad_records = 0, problems = 0;
  std::optional<Timestamp> first_time, last_time;
  std::string errors;  // the first problems, one per line
};

struct IndicatorRecord {
  std::int64_t id = 0;
  std::string type, value, source, label;
};

// A finding as the case keeps it: the evidence file of its first reference is the source
// (source_id); further references are kept with their files.
struct FindingRecord : Finding {
  std::int64_t id = 0;
  std::int64_t source_id = 0;

  FindingRecord() = default;
  explicit FindingRecord(Finding f) : Finding(std::move(f)) {}
  std::uint64_t record() const { return primary().record; }
  std::uint64_t offset() const { return primary().offset; }
};

// "IP a.b.c.d was host H (user U) between first and last", from DHCP leases, logons, proxy users.
struct AttributionRecord {
  std::string ip, host, user, mac;
  std::string kind;  // dhcp, logon, proxy, asset
  Timestamp first, last;
  std::int64_t count = 0;
  std::int64_t source_id = 0;
};

struct HostRecord {
  std::string name;
  std::string status;  // infected, suspect, involved
  std::vector<std::string> addresses, users;
  std::optional<Timestamp> first_c2, last_c2;
  std::int64_t c2_hits = 0, detections = 0;
};

struct AccountRecord {
  std::string name;
  bool admin = false;
  std::vector<std::string> hosts;
  std::optional<Timestamp> first_seen, last_seen;
};

// An analysis' data about one evidence file, stored with the file (e.g. its beacon series), so that
// later runs analyse the whole case without reading the file again.
struct SourceData {
  std::string analysis;
  std::string bytes;
};

// A destination like the confirmed C2 that nobody reported (analyze/beacon/similar_communications.h),
// with the responder's decision on it.
struct CandidateRecord {
  std::string destination, kind;               // kind: fqdn or ip
  std::vector<std::string> hosts;              // host names, each address resolved at its own first contact
  std::vector<std::int64_t> host_connections;  // per host, in the order of `hosts`
  std::vector<std::string> sources, relays, addresses, agents;
  Timestamp first, last;
  std::int64_t connections = 0;
  std::string score, similarity, beacon_score;  // decimals as text ("0.853")
  std::string like;                             // the confirmed C2 it is most alike
  std::string reason;
  std::string features;               // the features that matched: "feature\tsimilarity\tdetail" lines
  std::string interval_bins;          // counts per interval bin, comma-separated
  std::string interval;               // median seconds between contacts
  std::vector<std::string> evidence;  // "file:record" of the earliest contacts
  // The responder's decision: "", accepted (a C2 of the case: an indicator) or rejected (a false
  // positive), by whom, when (UTC) and why. Kept across runs.
  std::string decision, decided_by, decided_at, decision_reason;
};

class CaseStore {
 public:
  // Opens DIR/case.sqlite, creating DIR and the schema when new. Throws std::runtime_error (also
  // for a case written by a newer schema).
  explicit CaseStore(const std::string& dir);
  ~CaseStore();
  CaseStore(const CaseStore&) = delete;
  CaseStore& operator=(const CaseStore&) = delete;

  const std::string& dir() const { return dir_; }
  std::string database_path() const;

  std::int64_t begin_run(const std::string& command);
  void finish_run(std::int64_t run, const std::string& status);

  // The source already read completely with this content, if any, under any path (resuming and
  // re-running skip it).
  std::optional<SourceRecord> completed_source(const std::string& sha256);
  // Stores one evidence file and everything found in it, atomically; duplicates of findings
  // already in the case are left out. Returns the source id.
  std::int64_t add_source_results(const SourceRecord& source, const std::vector<FindingRecord>& findings,
                                  const std::vector<AttributionRecord>& attributions,
                                  const std::vector<SourceData>& data = {});
  // Every source's data of one analysis: (source id, bytes), by source id.
  std::vector<std::pair<std::int64_t, std::string>> source_data(const std::string& analysis);
  // Replaces the C2 candidates (recomputed after every run); decisions stay.
  void replace_candidates(const std::vector<CandidateRecord>& candidates);
  // The candidates with their decisions, best score first.
  std::vector<CandidateRecord> candidates();
  // Records a decision on a candidate (accepted, rejected, or "" to withdraw one); false when
  // the case has no such candidate.
  bool decide_candidate(const std::string& destination, const std::string& decision, const std::string& by,
                        const std::string& why);
  // Findings not tied to one file (correlations across files); duplicates left out.
  void add_findings(const std::vector<FindingRecord>& findings);
  void add_indicators(const std::vector<IndicatorRecord>& indicators);
  // Removes the indicators of this value whose source starts with `source_prefix` (an accepted
  // candidate withdrawn or rejected).
  void remove_indicators(const std::string& value, const std::string& source_prefix);
  // Replaces the derived host and account tables (recomputed after every run).
  void replace_hosts(const std::vector<HostRecord>& hosts, const std::vector<AccountRecord>& accounts);
  void set_meta(const std::string& key, const std::string& value);
  std::string meta(const std::string& key);

  std::vector<SourceRecord> sources();
  std::vector<IndicatorRecord> indicators();
  std::vector<FindingRecord> findings();  // by time
  std::vector<AttributionRecord> attributions();
  std::vector<HostRecord> hosts();
  std::vector<AccountRecord> accounts();
  std::int64_t run_count();

 private:
  void create_schema();

  std::string dir_;
  std::unique_ptr<SqliteDb> db_;
};

// The dedupe key of a finding: kind, rule or indicator, evidence file content and position.
std::string finding_key(const FindingRecord& f, const std::string& source_sha256);

}  // namespace ashiato::cases
