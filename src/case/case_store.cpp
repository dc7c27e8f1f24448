#include "case/case_store.h"

#include <filesystem>
#include <map>
#include <stdexcept>

#include "case/sqlite_db.h"

namespace ashiato::cases {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY, command TEXT NOT NULL, started TEXT NOT NULL, finished TEXT, status TEXT);
CREATE TABLE IF NOT EXISTS sources(
  id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
  format TEXT NOT NULL, events INTEGER NOT NULL, bad_records INTEGER NOT NULL, problems INTEGER NOT NULL,
  first_time INTEGER, last_time INTEGER, errors TEXT NOT NULL, run_id INTEGER,
  UNIQUE(sha256, path));
CREATE TABLE IF NOT EXISTS indicators(
  id INTEGER PRIMARY KEY, type TEXT NOT NULL, value TEXT NOT NULL, source TEXT NOT NULL, label TEXT NOT NULL,
  UNIQUE(type, value));
CREATE TABLE IF NOT EXISTS findings(
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, level TEXT NOT NULL, title TEXT NOT NULL,
  rule_id TEXT NOT NULL, time INTEGER NOT NULL, time_utc TEXT NOT NULL, host TEXT NOT NULL, src_ip TEXT NOT NULL,
  user TEXT NOT NULL, dst TEXT NOT NULL, channel TEXT NOT NULL, event_id TEXT NOT NULL, details TEXT NOT NULL,
  tags TEXT NOT NULL, source_id INTEGER REFERENCES sources(id), record INTEGER NOT NULL, offset INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS findings_by_time ON findings(time);
CREATE TABLE IF NOT EXISTS finding_evidence(
  finding_id INTEGER NOT NULL REFERENCES findings(id), position INTEGER NOT NULL, file TEXT NOT NULL,
  record INTEGER NOT NULL, offset INTEGER NOT NULL, PRIMARY KEY(finding_id, position));
CREATE TABLE IF NOT EXISTS attributions(
  ip TEXT NOT NULL, host TEXT NOT NULL, user TEXT NOT NULL, mac TEXT NOT NULL, kind TEXT NOT NULL,
  first_time INTEGER NOT NULL, last_time INTEGER NOT NULL, count INTEGER NOT NULL,
  source_id INTEGER REFERENCES sources(id));
CREATE INDEX IF NOT EXISTS attributions_by_ip ON attributions(ip, first_time);
CREATE TABLE IF NOT EXISTS hosts(
  name TEXT PRIMARY KEY, status TEXT NOT NULL, addresses TEXT NOT NULL, users TEXT NOT NULL,
  first_c2 INTEGER, last_c2 INTEGER, c2_hits INTEGER NOT NULL, detections INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS source_data(
  source_id INTEGER NOT NULL REFERENCES sources(id), analysis TEXT NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY(source_id, analysis));
CREATE TABLE IF NOT EXISTS candidates(
  destination TEXT PRIMARY KEY, kind TEXT NOT NULL, hosts TEXT NOT NULL, host_connections TEXT NOT NULL,
  sources TEXT NOT NULL,
  relays TEXT NOT NULL, addresses TEXT NOT NULL, agents TEXT NOT NULL, first_time INTEGER NOT NULL,
  last_time INTEGER NOT NULL, connections INTEGER NOT NULL, score TEXT NOT NULL, similarity TEXT NOT NULL,
  beacon_score TEXT NOT NULL, like_c2 TEXT NOT NULL, reason TEXT NOT NULL, features TEXT NOT NULL,
  interval_bins TEXT NOT NULL, interval TEXT NOT NULL, evidence TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS candidate_decisions(
  destination TEXT PRIMARY KEY, decision TEXT NOT NULL, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts(
  name TEXT PRIMARY KEY, admin INTEGER NOT NULL, hosts TEXT NOT NULL, first_seen INTEGER, last_seen INTEGER);
)sql";

std::string joined(const std::vector<std::string>& values, char separator = '\n') {
  std::string s;
  for (const auto& v : values) {
    if (!s.empty()) s += separator;
    s += v;
  }
  return s;
}

std::vector<std::string> split_lines(const std::string& s, char separator = '\n') {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find(separator, start);
    out.push_back(s.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::optional<std::int64_t> ticks(const std::optional<Timestamp>& t) {
  return t ? std::optional<std::int64_t>(t->ticks) : std::nullopt;
}

std::optional<Timestamp> optional_time(const Statement& s, int column) {
  return s.is_null(column) ? std::nullopt : std::optional<Timestamp>(Timestamp{s.integer(column)});
}

std::string now_utc() {
  return to_iso8601(Timestamp::from_unix_seconds(std::time(nullptr)), 0);
}

void insert_findings(SqliteDb& db, const std::vector<FindingRecord>& findings, std::int64_t source_id,
                     const std::string& sha256) {
  Statement insert(db,
                   "INSERT OR IGNORE INTO findings(key, kind, level, title, rule_id, time, time_utc, host, src_ip, "
                   "user, dst, channel, event_id, details, tags, source_id, record, offset) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  Statement evidence(db,
                     "INSERT OR IGNORE INTO finding_evidence(finding_id, position, file, record, offset) "
                     "VALUES(?,?,?,?,?)");
  for (const FindingRecord& f : findings) {
    const std::int64_t source = source_id != 0 ? source_id : f.source_id;
    insert.bind(1, finding_key(f, sha256)).bind(2, std::string(kind_name(f.kind)));
    insert.bind(3, std::string(level_name(f.level))).bind(4, f.title).bind(5, f.rule_id);
    insert.bind(6, f.time.ticks).bind(7, to_iso8601(f.time, 6)).bind(8, f.host).bind(9, f.src_ip).bind(10, f.user);
    insert.bind(11, f.dst).bind(12, f.channel).bind(13, f.event_id).bind(14, f.details).bind(15, joined(f.tags, ' '));
    if (source != 0) {
      insert.bind(16, source);
    } else {
      insert.bind_null(16);
    }
    insert.bind(17, static_cast<std::int64_t>(f.record())).bind(18, static_cast<std::int64_t>(f.offset()));
    insert.run();
    if (f.evidence.size() < 2 || db.changes() == 0) continue;  // the first reference is the row's own
    const std::int64_t id = db.last_insert_id();
    for (std::size_t i = 1; i < f.evidence.size(); ++i) {
      const EvidenceRef& e = f.evidence[i];
      evidence.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, e.file);
      evidence.bind(4, static_cast<std::int64_t>(e.record)).bind(5, static_cast<std::int64_t>(e.offset));
      evidence.run();
    }
  }
}

}  // namespace

std::string finding_key(const FindingRecord& f, const std::string& source_sha256) {
  return std::string(kind_name(f.kind)) + '|' + f.rule_id + '|' + source_sha256 + '|' + std::to_string(f.record()) +
         '|' + std::to_string(f.offset()) + '|' + std::to_string(f.time.ticks);
}

CaseStore::CaseStore(const std::string& dir) : dir_(dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir + ": cannot create the case folder: " + ec.message());
  db_ = std::make_unique<SqliteDb>(database_path());
  create_schema();
}

CaseStore::~CaseStore() = default;

std::string CaseStore::database_path() const {
  return (std::filesystem::path(dir_) / "case.sqlite").string();
}

void CaseStore::create_schema() {
  Transaction t(*db_);
  db_->exec(kSchema);
  const std::string version = meta("schema_version");
  if (version.empty()) {
    set_meta("schema_version", std::to_string(kSchemaVersion));
    set_meta("created", now_utc());
  } else if (std::stoi(version) > kSchemaVersion) {
    throw std::runtime_error(database_path() + ": case written by a newer ashiato (schema " + version +
                             ", this one reads " + std::to_string(kSchemaVersion) + ")");
  }
  t.commit();
}

void CaseStore::set_meta(const std::string& key, const std::string& value) {
  Statement(*db_, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

std::string CaseStore::meta(const std::string& key) {
  Statement s(*db_, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, key);
  return s.step() ? s.text(0) : std::string();
}

std::int64_t CaseStore::begin_run(const std::string& command) {
  Statement(*db_, "INSERT INTO runs(command, started) VALUES(?, ?)").bind(1, command).bind(2, now_utc()).run();
  return db_->last_insert_id();
}

void CaseStore::finish_run(std::int64_t run, const std::string& status) {
  Statement(*db_, "UPDATE runs SET finished = ?, status = ? WHERE id = ?")
      .bind(1, now_utc())
      .bind(2, status)
      .bind(3, run)
      .run();
}

std::int64_t CaseStore::run_count() {
  Statement s(*db_, "SELECT count(*) FROM runs");
  return s.step() ? s.integer(0) : 0;
}

std::optional<SourceRecord> CaseStore::completed_source(const std::string& sha256) {
  // The same content under another path (a copy, another working folder) is the same evidence.
  Statement s(*db_, "SELECT id, path FROM sources WHERE sha256 = ? ORDER BY id LIMIT 1");
  s.bind(1, sha256);
  if (!s.step()) return std::nullopt;
  SourceRecord r;
  r.id = s.integer(0);
  r.sha256 = sha256;
  r.path = s.text(1);
  return r;
}

std::int64_t CaseStore::add_source_results(const SourceRecord& source, const std::vector<FindingRecord>& findings,
                                           const std::vector<AttributionRecord>& attributions,
                                           const std::vector<SourceData>& data) {
  Transaction t(*db_);
  Statement(*db_,
            "INSERT INTO sources(path, sha256, size, format, events, bad_records, problems, first_time, last_time, "
            "errors, run_id) VALUES(?,?,?,?,?,?,?,?,?,?,(SELECT max(id) FROM runs)) "
            "ON CONFLICT(sha256, path) DO NOTHING")
      .bind(1, source.path)
      .bind(2, source.sha256)
      .bind(3, source.size)
      .bind(4, source.format)
      .bind(5, source.events)
      .bind(6, source.bad_records)
      .bind(7, source.problems)
      .bind(8, ticks(source.first_time))
      .bind(9, ticks(source.last_time))
      .bind(10, source.errors)
      .run();
  Statement id(*db_, "SELECT id FROM sources WHERE sha256 = ? AND path = ?");
  id.bind(1, source.sha256).bind(2, source.path);
  if (!id.step()) db_->fail("source row missing after insert");
  const std::int64_t source_id = id.integer(0);
  insert_findings(*db_, findings, source_id, source.sha256);
  Statement insert(*db_,
                   "INSERT INTO attributions(ip, host, user, mac, kind, first_time, last_time, count, source_id) "
                   "VALUES(?,?,?,?,?,?,?,?,?)");
  for (const AttributionRecord& a : attributions) {
    insert.bind(1, a.ip).bind(2, a.host).bind(3, a.user).bind(4, a.mac).bind(5, a.kind);
    insert.bind(6, a.first.ticks).bind(7, a.last.ticks).bind(8, a.count).bind(9, source_id);
    insert.run();
  }
  Statement insert_data(*db_, "INSERT OR REPLACE INTO source_data(source_id, analysis, data) VALUES(?,?,?)");
  for (const SourceData& d : data) {
    insert_data.bind(1, source_id).bind(2, d.analysis).bind_blob(3, d.bytes);
    insert_data.run();
  }
  t.commit();
  return source_id;
}

void CaseStore::add_findings(const std::vector<FindingRecord>& findings) {
  Transaction t(*db_);
  insert_findings(*db_, findings, 0, "");
  t.commit();
}

void CaseStore::add_indicators(const std::vector<IndicatorRecord>& indicators) {
  Transaction t(*db_);
  Statement insert(*db_, "INSERT OR IGNORE INTO indicators(type, value, source, label) VALUES(?,?,?,?)");
  for (const auto& i : indicators) {
    insert.bind(1, i.type).bind(2, i.value).bind(3, i.source).bind(4, i.label);
    insert.run();
  }
  t.commit();
}

void CaseStore::remove_indicators(const std::string& value, const std::string& source_prefix) {
  Statement(*db_, "DELETE FROM indicators WHERE value = ? AND substr(source, 1, length(?)) = ?")
      .bind(1, value)
      .bind(2, source_prefix)
      .bind(3, source_prefix)
      .run();
}

void CaseStore::replace_hosts(const std::vector<HostRecord>& hosts, const std::vector<AccountRecord>& accounts) {
  Transaction t(*db_);
  db_->exec("DELETE FROM hosts; DELETE FROM accounts;");
  Statement host(*db_,
                 "INSERT INTO hosts(name, status, addresses, users, first_c2, last_c2, c2_hits, detections) "
                 "VALUES(?,?,?,?,?,?,?,?)");
  for (const auto& h : hosts) {
    host.bind(1, h.name).bind(2, h.status).bind(3, joined(h.addresses)).bind(4, joined(h.users));
    host.bind(5, ticks(h.first_c2)).bind(6, ticks(h.last_c2)).bind(7, h.c2_hits).bind(8, h.detections);
    host.run();
  }
  Statement account(*db_, "INSERT INTO accounts(name, admin, hosts, first_seen, last_seen) VALUES(?,?,?,?,?)");
  for (const auto& a : accounts) {
    account.bind(1, a.name).bind(2, std::int64_t{a.admin ? 1 : 0}).bind(3, joined(a.hosts));
    account.bind(4, ticks(a.first_seen)).bind(5, ticks(a.last_seen));
    account.run();
  }
  t.commit();
}

std::vector<SourceRecord> CaseStore::sources() {
  std::vector<SourceRecord> out;
  Statement s(*db_,
              "SELECT id, path, sha256, size, format, events, bad_records, problems, first_time, last_time, errors "
              "FROM sources ORDER BY id");
  while (s.step()) {
    SourceRecord r;
    r.id = s.integer(0);
    r.path = s.text(1);
    r.sha256 = s.text(2);
    r.size = s.integer(3);
    r.format = s.text(4);
    r.events = s.integer(5);
    r.bad_records = s.integer(6);
    r.problems = s.integer(7);
    r.first_time = optional_time(s, 8);
    r.last_time = optional_time(s, 9);
    r.errors = s.text(10);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<IndicatorRecord> CaseStore::indicators() {
  std::vector<IndicatorRecord> out;
  Statement s(*db_, "SELECT id, type, value, source, label FROM indicators ORDER BY id");
  while (s.step()) out.push_back(IndicatorRecord{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4)});
  return out;
}

std::vector<FindingRecord> CaseStore::findings() {
  std::vector<FindingRecord> out;
  Statement s(*db_,
              "SELECT id, kind, level, title, rule_id, time, host, src_ip, user, dst, channel, event_id, details, "
              "tags, coalesce(source_id, 0), record, offset, coalesce((SELECT path FROM sources WHERE sources.id = "
              "findings.source_id), '') FROM findings ORDER BY time, id");
  while (s.step()) {
    FindingRecord f;
    f.id = s.integer(0);
    f.kind = parse_kind(s.text(1)).value_or(FindingKind::kAnalysis);
    f.level = parse_level(s.text(2));
    f.title = s.text(3);
    f.rule_id = s.text(4);
    f.time = Timestamp{s.integer(5)};
    f.host = s.text(6);
    f.src_ip = s.text(7);
    f.user = s.text(8);
    f.dst = s.text(9);
    f.channel = s.text(10);
    f.event_id = s.text(11);
    f.details = s.text(12);
    f.tags = split_lines(s.text(13), ' ');
    f.source_id = s.integer(14);
    f.evidence.push_back(
        EvidenceRef{s.text(17), static_cast<std::uint64_t>(s.integer(15)), static_cast<std::uint64_t>(s.integer(16))});
    out.push_back(std::move(f));
  }
  // Further evidence of findings made from several records.
  Statement more(*db_, "SELECT finding_id, file, record, offset FROM finding_evidence ORDER BY finding_id, position");
  std::map<std::int64_t, FindingRecord*> by_id;
  while (more.step()) {
    if (by_id.empty()) {
      for (FindingRecord& f : out) by_id.emplace(f.id, &f);
    }
    const auto it = by_id.find(more.integer(0));
    if (it == by_id.end()) continue;
    it->second->evidence.push_back(EvidenceRef{more.text(1), static_cast<std::uint64_t>(more.integer(2)),
                                               static_cast<std::uint64_t>(more.integer(3))});
  }
  return out;
}

std::vector<AttributionRecord> CaseStore::attributions() {
  std::vector<AttributionRecord> out;
  Statement s(
      *db_,
      "SELECT ip, host, user, mac, kind, first_time, last_time, count, coalesce(source_id, 0) FROM attributions "
      "ORDER BY ip, first_time");
  while (s.step()) {
    out.push_back(AttributionRecord{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), Timestamp{s.integer(5)},
                                    Timestamp{s.integer(6)}, s.integer(7), s.integer(8)});
  }
  return out;
}

std::vector<HostRecord> CaseStore::hosts() {
  std::vector<HostRecord> out;
  Statement s(*db_,
              "SELECT name, status, addresses, users, first_c2, last_c2, c2_hits, detections FROM hosts "
              "ORDER BY CASE status WHEN 'infected' THEN 0 WHEN 'suspect' THEN 1 WHEN 'similar' THEN 2 ELSE 3 END, "
              "first_c2, name");
  while (s.step()) {
    HostRecord h;
    h.name = s.text(0);
    h.status = s.text(1);
    h.addresses = split_lines(s.text(2));
    h.users = split_lines(s.text(3));
    h.first_c2 = optional_time(s, 4);
    h.last_c2 = optional_time(s, 5);
    h.c2_hits = s.integer(6);
    h.detections = s.integer(7);
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<AccountRecord> CaseStore::accounts() {
  std::vector<AccountRecord> out;
  Statement s(*db_, "SELECT name, admin, hosts, first_seen, last_seen FROM accounts ORDER BY admin DESC, name");
  while (s.step()) {
    out.push_back(
        AccountRecord{s.text(0), s.integer(1) != 0, split_lines(s.text(2)), optional_time(s, 3), optional_time(s, 4)});
  }
  return out;
}

std::vector<std::pair<std::int64_t, std::string>> CaseStore::source_data(const std::string& analysis) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  Statement q(*db_, "SELECT source_id, data FROM source_data WHERE analysis = ? ORDER BY source_id");
  q.bind(1, analysis);
  while (q.step()) out.emplace_back(q.integer(0), q.blob(1));
  return out;
}

void CaseStore::replace_candidates(const std::vector<CandidateRecord>& candidates) {
  Transaction t(*db_);
  db_->exec("DELETE FROM candidates");
  Statement insert(
      *db_,
      "INSERT INTO candidates(destination, kind, hosts, sources, relays, addresses, agents, first_time, "
      "last_time, connections, score, similarity, beacon_score, like_c2, reason, features, "
      "interval_bins, interval, evidence, host_connections) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  for (const CandidateRecord& c : candidates) {
    insert.bind(1, c.destination).bind(2, c.kind).bind(3, joined(c.hosts)).bind(4, joined(c.sources));
    insert.bind(5, joined(c.relays)).bind(6, joined(c.addresses)).bind(7, joined(c.agents));
    insert.bind(8, c.first.ticks).bind(9, c.last.ticks).bind(10, c.connections).bind(11, c.score);
    insert.bind(12, c.similarity).bind(13, c.beacon_score).bind(14, c.like).bind(15, c.reason);
    insert.bind(16, c.features).bind(17, c.interval_bins).bind(18, c.interval).bind(19, joined(c.evidence));
    std::vector<std::string> counts;
    for (const std::int64_t n : c.host_connections) counts.push_back(std::to_string(n));
    insert.bind(20, joined(counts));
    insert.run();
  }
  t.commit();
}

std::vector<CandidateRecord> CaseStore::candidates() {
  std::vector<CandidateRecord> out;
  Statement q(
      *db_,
      "SELECT c.destination, kind, hosts, sources, relays, addresses, agents, first_time, last_time, "
      "connections, score, similarity, beacon_score, like_c2, c.reason, features, interval_bins, interval, "
      "evidence, coalesce(d.decision, ''), coalesce(d.decided_by, ''), coalesce(d.decided_at, ''), "
      "coalesce(d.reason, ''), host_connections FROM candidates c LEFT JOIN candidate_decisions d USING(destination) "
      "ORDER BY CAST(score AS REAL) DESC, c.destination");
  while (q.step()) {
    CandidateRecord c;
    c.destination = q.text(0);
    c.kind = q.text(1);
    c.hosts = split_lines(q.text(2));
    c.sources = split_lines(q.text(3));
    c.relays = split_lines(q.text(4));
    c.addresses = split_lines(q.text(5));
    c.agents = split_lines(q.text(6));
    c.first = Timestamp{q.integer(7)};
    c.last = Timestamp{q.integer(8)};
    c.connections = q.integer(9);
    c.score = q.text(10);
    c.similarity = q.text(11);
    c.beacon_score = q.text(12);
    c.like = q.text(13);
    c.reason = q.text(14);
    c.features = q.text(15);
    c.interval_bins = q.text(16);
    c.interval = q.text(17);
    c.evidence = split_lines(q.text(18));
    c.decision = q.text(19);
    c.decided_by = q.text(20);
    c.decided_at = q.text(21);
    c.decision_reason = q.text(22);
    for (const auto& n : split_lines(q.text(23))) c.host_connections.push_back(std::stoll(n));
    out.push_back(std::move(c));
  }
  return out;
}

bool CaseStore::decide_candidate(const std::string& destination, const std::string& decision, const std::string& by,
                                 const std::string& why) {
  Transaction t(*db_);
  Statement exists(*db_, "SELECT 1 FROM candidates WHERE destination = ?");
  exists.bind(1, destination);
  if (!exists.step()) return false;
  if (decision.empty()) {
    Statement(*db_, "DELETE FROM candidate_decisions WHERE destination = ?").bind(1, destination).run();
  } else {
    Statement(*db_,
              "INSERT INTO candidate_decisions(destination, decision, decided_by, decided_at, reason) "
              "VALUES(?,?,?,?,?) ON CONFLICT(destination) DO UPDATE SET decision = excluded.decision, "
              "decided_by = excluded.decided_by, decided_at = excluded.decided_at, reason = excluded.reason")
        .bind(1, destination)
        .bind(2, decision)
        .bind(3, by)
        .bind(4, now_utc())
        .bind(5, why)
        .run();
  }
  t.commit();
  return true;
}

}  // namespace ashiato::cases
