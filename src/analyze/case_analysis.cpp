#include "analyze/case_analysis.h"

#include <algorithm>
#include <tuple>

namespace ashiato::analyze {
namespace {

constexpr std::int64_t kHour = 3600LL * 10'000'000;

bool looks_like_address(const std::string& s) {
  return !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s.find(':') != std::string::npos) &&
         s.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos;
}

int level_rank(const std::string& level) {
  if (level == "critical") return 4;
  if (level == "high") return 3;
  if (level == "medium") return 2;
  if (level == "low") return 1;
  return 0;
}

template <typename T>
void widen(T& s, Timestamp t) {
  if (s.count == 0 || t < s.first) s.first = t;
  if (s.count == 0 || t > s.last) s.last = t;
}

}  // namespace

AddressBook::AddressBook(const std::vector<cases::AttributionRecord>& attributions) {
  for (const auto& a : attributions) {
    if (a.ip.empty()) continue;
    if (a.kind == "dhcp" || a.kind == "asset") hosts_[a.ip].push_back(Span{a.first, a.last, a.host, 0});
    if (a.kind == "logon") hosts_[a.ip].push_back(Span{a.first, a.last, a.host, 1});
    if (a.kind == "proxy" && !a.user.empty()) users_[a.ip].push_back(Span{a.first, a.last, a.user, 0});
  }
  for (auto* table : {&hosts_, &users_}) {
    for (auto& [ip, spans] : *table) {
      std::sort(spans.begin(), spans.end(), [](const Span& x, const Span& y) { return x.first < y.first; });
    }
  }
}

std::string AddressBook::host_at(const std::string& address, Timestamp time) const {
  const auto it = hosts_.find(address);
  if (it == hosts_.end()) return address;
  // The lease (or logon) given most recently before the time; a lease is logged when granted,
  // so traffic in the first minutes before it (clock skew between devices) still counts.
  const Span* best = nullptr;
  for (int rank = 0; rank <= 1 && best == nullptr; ++rank) {
    for (const Span& s : it->second) {
      if (s.rank != rank || s.first.ticks > time.ticks + kHour / 12) continue;
      if (best == nullptr || s.first > best->first) best = &s;
    }
  }
  if (best == nullptr) {  // traffic before any lease in the logs: the earliest holder
    for (const Span& s : it->second) {
      if (best == nullptr || s.first < best->first) best = &s;
    }
  }
  return best ? best->name : address;
}

std::vector<std::string> AddressBook::users_at(const std::string& address, Timestamp time) const {
  std::vector<std::string> out;
  const auto it = users_.find(address);
  if (it == users_.end()) return out;
  for (const Span& s : it->second) {
    // Only users seen on the address around that time: addresses move between PCs.
    if (s.first.ticks <= time.ticks + kHour && s.last.ticks + kHour >= time.ticks &&
        std::find(out.begin(), out.end(), s.name) == out.end()) {
      out.push_back(s.name);
    }
  }
  return out;
}

std::string host_name(std::string_view name) {
  // Windows names the same machine PC-023, pc-023, PC-023$ and pc-023.corp.example.co.jp.
  std::string h(name);
  if (!h.empty() && h.back() == '$') h.pop_back();
  if (looks_like_address(h)) return h;
  for (char& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::size_t dot = h.find('.');
  if (dot != std::string::npos && dot > 0) h.resize(dot);
  return h;
}

std::string finding_host(const cases::FindingRecord& f, const AddressBook& book) {
  return looks_like_address(f.host) ? book.host_at(f.host, f.time) : host_name(f.host);
}

std::string host_status(std::int64_t c2_records) {
  return c2_records >= 2 ? "infected" : c2_records == 1 ? "suspect" : "involved";
}

bool is_relay(const std::string& name, bool seen_beyond_firewall, bool c2_seen_in_proxy_logs, bool address_has_owner) {
  return !seen_beyond_firewall && c2_seen_in_proxy_logs && looks_like_address(name) && !address_has_owner;
}

bool still_ongoing(std::optional<Timestamp> last_c2, std::optional<Timestamp> evidence_to) {
  return last_c2 && evidence_to && evidence_to->ticks - last_c2->ticks < 24 * kHour;
}

std::string candidate_host_status(const std::string& current, const cases::CandidateRecord& candidate) {
  if (candidate.decision == "rejected") return current;
  if (candidate.decision == "accepted") {
    if (current == "infected" || current == "relay") return current;
    return host_status(candidate.connections);
  }
  return current.empty() || current == "involved" ? "similar" : current;
}

bool makes_host_involved(Level level) {
  return level >= Level::kMedium;
}

bool admin_exposed(const cases::AccountRecord& account, const std::set<std::string>& infected_hosts) {
  return account.admin && std::any_of(account.hosts.begin(), account.hosts.end(),
                                      [&](const std::string& h) { return infected_hosts.count(h) > 0; });
}

namespace {

struct HostState {
  cases::HostRecord record;
  std::set<std::string> addresses, users;
  std::set<std::pair<std::int64_t, std::uint64_t>> records;  // (source, record) of C2 contacts
  bool beyond_firewall = false;                              // seen in other than firewall logs
};

// The case's state while its findings and attributions are read.
struct Analysis {
  explicit Analysis(const std::vector<cases::AttributionRecord>& attributions) : book(attributions) {}
  const AddressBook book;
  std::map<std::string, const cases::IndicatorRecord*> indicator_by_value;
  bool proxied_c2 = false;
  std::map<std::string, HostState> hosts;
  std::map<std::string, C2Summary> c2;
  std::map<std::string, DetectionSummary> detections;
  std::map<std::string, cases::AccountRecord> accounts;
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> logons;  // user, from, to
};

void add_sources(const std::vector<cases::SourceRecord>& sources, CaseFacts& facts) {
  for (const auto& s : sources) {
    facts.events += s.events;
    // Unreadable: no format recognised, or errors and not one event read (an EVTX file with a
    // broken header is known as EVTX but gives nothing).
    if (s.format.empty() || (s.events == 0 && s.problems > 0)) ++facts.unreadable_sources;
    if (s.first_time && (!facts.evidence_from || *s.first_time < *facts.evidence_from))
      facts.evidence_from = s.first_time;
    if (s.last_time && (!facts.evidence_to || *s.last_time > *facts.evidence_to)) facts.evidence_to = s.last_time;
  }
}

// A contact with a C2 named by an indicator: the host's and the C2's tallies.
void add_c2_contact(const cases::FindingRecord& f, const std::string& host, Analysis& a, CaseFacts& facts) {
  HostState& h = a.hosts[host];
  h.record.name = host;
  if (looks_like_address(f.host)) h.addresses.insert(f.host);
  if (!f.user.empty()) h.users.insert(f.user);
  if (looks_like_address(f.host)) {
    for (const auto& u : a.book.users_at(f.host, f.time)) h.users.insert(u);
  }
  if (!h.record.first_c2 || f.time < *h.record.first_c2) h.record.first_c2 = f.time;
  if (!h.record.last_c2 || f.time > *h.record.last_c2) h.record.last_c2 = f.time;
  // One request that matches the C2's domain, URL and address is one contact, not three.
  if (h.records.insert({f.source_id, f.record()}).second) ++h.record.c2_hits;
  if (f.channel != "firewall") h.beyond_firewall = true;
  if (f.channel == "proxy") a.proxied_c2 = true;
  C2Summary& c = a.c2[f.rule_id];
  if (c.hits == 0) {
    c.indicator = f.rule_id;
    c.first = c.last = f.time;
    if (auto it = a.indicator_by_value.find(f.rule_id); it != a.indicator_by_value.end()) {
      c.type = it->second->type;
      c.source = it->second->source;
    }
  }
  c.first = std::min(c.first, f.time);
  c.last = std::max(c.last, f.time);
  if (c.records.insert({f.source_id, f.record()}).second) ++c.hits;
  c.hosts.insert(host);
  if (!facts.first_c2 || f.time < *facts.first_c2) facts.first_c2 = f.time;
  if (!facts.last_c2 || f.time > *facts.last_c2) facts.last_c2 = f.time;
}

void add_detection(const cases::FindingRecord& f, const std::string& host, Analysis& a, CaseFacts& facts) {
  const std::string level(level_name(f.level));
  facts.detections_by_level[level]++;
  DetectionSummary& d = a.detections[f.rule_id + "|" + f.title];
  widen(d, f.time);
  d.rule_id = f.rule_id;
  d.title = f.title;
  d.level = level;
  ++d.count;
  d.hosts.insert(host);
  if (makes_host_involved(f.level)) {
    HostState& h = a.hosts[host];
    h.record.name = host;
    ++h.record.detections;
    if (!f.user.empty()) h.users.insert(f.user);
  }
}

// Accounts: where they logged on, from where, with admin rights or not.
void add_accounts(const std::vector<cases::AttributionRecord>& attributions, Analysis& a) {
  for (const auto& at : attributions) {
    if (at.kind != "account" && at.kind != "privileged") continue;
    cases::AccountRecord& r = a.accounts[at.user];
    r.name = at.user;
    if (at.kind == "privileged") r.admin = true;
    const std::string target = host_name(at.host);
    if (std::find(r.hosts.begin(), r.hosts.end(), target) == r.hosts.end()) r.hosts.push_back(target);
    if (!r.first_seen || at.first < *r.first_seen) r.first_seen = at.first;
    if (!r.last_seen || at.last > *r.last_seen) r.last_seen = at.last;
    if (at.kind == "account" && at.ip.empty()) {
      // A local logon (console, remote desktop) names a user of that host.
      if (auto it = a.hosts.find(target); it != a.hosts.end()) it->second.users.insert(at.user);
    }
    if (at.kind == "account" && !at.ip.empty()) {
      const std::string from = a.book.host_at(at.ip, at.first);
      a.logons[{at.user, from, target}] += at.count;
      if (std::find(r.hosts.begin(), r.hosts.end(), from) == r.hosts.end()) r.hosts.push_back(from);
    }
  }
}

void decide_statuses(Analysis& a) {
  for (auto& [name, h] : a.hosts) {
    h.record.status = host_status(h.record.c2_hits);
    if (h.record.c2_hits > 0 &&
        is_relay(name, h.beyond_firewall, a.proxied_c2, a.book.host_at(name, *h.record.first_c2) != name)) {
      h.record.status = "relay";
    }
    h.record.addresses.assign(h.addresses.begin(), h.addresses.end());
    h.record.users.assign(h.users.begin(), h.users.end());
  }
}

// C2 candidates: their hosts are suspected of similar communication; accepted ones are C2s.
void add_candidates(const std::vector<cases::CandidateRecord>& candidates, Analysis& a, CaseFacts& facts) {
  for (const auto& c : candidates) {
    if (c.decision == "rejected") continue;
    facts.candidates.push_back(c);
    for (std::size_t k = 0; k < c.hosts.size(); ++k) {
      const std::string& name = c.hosts[k];
      HostState& h = a.hosts[name];
      h.record.name = name;
      cases::CandidateRecord own = c;  // the host's own contacts decide its status
      if (k < c.host_connections.size()) own.connections = c.host_connections[k];
      h.record.status = candidate_host_status(h.record.status, own);
      for (const auto& src : c.sources) {
        if (host_name(a.book.host_at(src, c.first)) != name && host_name(a.book.host_at(src, c.last)) != name) continue;
        if (looks_like_address(src)) h.addresses.insert(src);
        for (const auto& u : a.book.users_at(src, c.first)) h.users.insert(u);
      }
      h.record.addresses.assign(h.addresses.begin(), h.addresses.end());
      h.record.users.assign(h.users.begin(), h.users.end());
      if (c.decision != "accepted") continue;
      // Its contacts are C2 contacts (those the indicator sweep found since are counted already).
      h.record.c2_hits = std::max(h.record.c2_hits, own.connections);
      if (!h.record.first_c2 || c.first < *h.record.first_c2) h.record.first_c2 = c.first;
      if (!h.record.last_c2 || c.last > *h.record.last_c2) h.record.last_c2 = c.last;
    }
    if (c.decision != "accepted" || a.c2.count(c.destination) > 0) continue;
    C2Summary& summary = a.c2[c.destination];
    summary.indicator = c.destination;
    summary.type = c.kind == "ip" ? "ip" : "domain";
    summary.source = "accepted candidate";
    summary.first = c.first;
    summary.last = c.last;
    summary.hits = c.connections;
    summary.hosts.insert(c.hosts.begin(), c.hosts.end());
    if (!facts.first_c2 || c.first < *facts.first_c2) facts.first_c2 = c.first;
    if (!facts.last_c2 || c.last > *facts.last_c2) facts.last_c2 = c.last;
  }
}

// Hosts an infected host's address logged on to with an account are part of the case too.
void add_logons_from_infected(Analysis& a, CaseFacts& facts) {
  for (const auto& [key, count] : a.logons) {
    const auto& [user, from, to] = key;
    const auto it = a.hosts.find(from);
    if (it == a.hosts.end() || it->second.record.status != "infected") continue;
    facts.logons.push_back(LogonEdge{user, from, to, count});
    HostState& target = a.hosts[to];
    if (target.record.name.empty()) {
      target.record.name = to;
      target.record.status = "involved";
    }
  }
}

int status_rank(const std::string& s) {
  return s == "infected" ? 0 : s == "suspect" ? 1 : s == "similar" ? 2 : s == "involved" ? 3 : 4;
}

void list_hosts_and_accounts(Analysis& a, CaseFacts& facts) {
  for (auto& [key, c] : a.c2) {
    for (const auto& [name, h] : a.hosts) {
      if (h.record.status == "relay") c.hosts.erase(name);
    }
  }
  std::set<std::string> infected;
  for (const auto& [name, h] : a.hosts) {
    if (h.record.status == "infected") infected.insert(name);
    facts.hosts.push_back(h.record);
  }
  std::stable_sort(facts.hosts.begin(), facts.hosts.end(), [](const auto& x, const auto& y) {
    if (status_rank(x.status) != status_rank(y.status)) return status_rank(x.status) < status_rank(y.status);
    return x.first_c2 < y.first_c2;
  });
  for (auto& [name, account] : a.accounts) {
    std::sort(account.hosts.begin(), account.hosts.end());
    if (admin_exposed(account, infected)) {
      ++facts.admin_accounts_on_infected;
      facts.admin_accounts_on_infected_names.push_back(name);
    }
    facts.accounts.push_back(account);
  }
  std::stable_sort(facts.accounts.begin(), facts.accounts.end(),
                   [](const auto& x, const auto& y) { return x.admin > y.admin; });
}

void list_c2_and_detections(Analysis& a, CaseFacts& facts) {
  for (auto& [k, c] : a.c2) facts.c2.push_back(c);
  std::sort(facts.c2.begin(), facts.c2.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [k, d] : a.detections) facts.detections.push_back(d);
  std::sort(facts.detections.begin(), facts.detections.end(), [](const auto& x, const auto& y) {
    return level_rank(x.level) != level_rank(y.level) ? level_rank(x.level) > level_rank(y.level) : x.first < y.first;
  });
}

}  // namespace

CaseFacts analyse_case(const std::vector<cases::SourceRecord>& sources,
                       const std::vector<cases::IndicatorRecord>& indicators,
                       const std::vector<cases::FindingRecord>& findings,
                       const std::vector<cases::AttributionRecord>& attributions,
                       const std::vector<cases::CandidateRecord>& candidates) {
  CaseFacts facts;
  Analysis a(attributions);
  add_sources(sources, facts);
  for (const auto& i : indicators) a.indicator_by_value.emplace(i.value, &i);
  for (const auto& f : findings) {
    const std::string host = finding_host(f, a.book);
    if (f.kind == FindingKind::kIndicator) {
      add_c2_contact(f, host, a, facts);
    } else {
      add_detection(f, host, a, facts);
    }
  }
  add_accounts(attributions, a);
  decide_statuses(a);
  add_candidates(candidates, a, facts);
  add_logons_from_infected(a, facts);
  list_hosts_and_accounts(a, facts);
  list_c2_and_detections(a, facts);
  facts.ongoing = still_ongoing(facts.last_c2, facts.evidence_to);
  return facts;
}

}  // namespace ashiato::analyze
