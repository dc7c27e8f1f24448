#include "analyze/case_analysis.h"

#include <algorithm>

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

CaseFacts analyse_case(const std::vector<cases::SourceRecord>& sources,
                       const std::vector<cases::IndicatorRecord>& indicators,
                       const std::vector<cases::FindingRecord>& findings,
                       const std::vector<cases::AttributionRecord>& attributions) {
  CaseFacts facts;
  const AddressBook book(attributions);
  for (const auto& s : sources) {
    facts.events += s.events;
    if (s.format.empty()) ++facts.unreadable_sources;
    if (s.first_time && (!facts.evidence_from || *s.first_time < *facts.evidence_from))
      facts.evidence_from = s.first_time;
    if (s.last_time && (!facts.evidence_to || *s.last_time > *facts.evidence_to)) facts.evidence_to = s.last_time;
  }
  std::map<std::string, const cases::IndicatorRecord*> indicator_by_value;
  for (const auto& i : indicators) indicator_by_value.emplace(i.value, &i);

  struct HostState {
    cases::HostRecord record;
    std::set<std::string> addresses, users;
    std::set<std::pair<std::int64_t, std::uint64_t>> records;  // (source, record) of C2 contacts
    bool beyond_firewall = false;                              // seen in other than firewall logs
  };
  bool proxied_c2 = false;
  std::map<std::string, HostState> hosts;
  std::map<std::string, C2Summary> c2;
  std::map<std::string, DetectionSummary> detections;
  for (const auto& f : findings) {
    const std::string host = finding_host(f, book);
    if (f.kind == "ioc") {
      HostState& h = hosts[host];
      h.record.name = host;
      if (looks_like_address(f.host)) h.addresses.insert(f.host);
      if (!f.user.empty()) h.users.insert(f.user);
      if (looks_like_address(f.host)) {
        for (const auto& u : book.users_at(f.host, f.time)) h.users.insert(u);
      }
      if (!h.record.first_c2 || f.time < *h.record.first_c2) h.record.first_c2 = f.time;
      if (!h.record.last_c2 || f.time > *h.record.last_c2) h.record.last_c2 = f.time;
      // One request that matches the C2's domain, URL and address is one contact, not three.
      if (h.records.insert({f.source_id, f.record}).second) ++h.record.c2_hits;
      if (f.channel != "firewall") h.beyond_firewall = true;
      if (f.channel == "proxy") proxied_c2 = true;
      C2Summary& c = c2[f.rule_id];
      if (c.hits == 0) {
        c.indicator = f.rule_id;
        c.first = c.last = f.time;
        if (auto it = indicator_by_value.find(f.rule_id); it != indicator_by_value.end()) {
          c.type = it->second->type;
          c.source = it->second->source;
        }
      }
      c.first = std::min(c.first, f.time);
      c.last = std::max(c.last, f.time);
      if (c.records.insert({f.source_id, f.record}).second) ++c.hits;
      c.hosts.insert(host);
      if (!facts.first_c2 || f.time < *facts.first_c2) facts.first_c2 = f.time;
      if (!facts.last_c2 || f.time > *facts.last_c2) facts.last_c2 = f.time;
      continue;
    }
    facts.detections_by_level[f.level]++;
    DetectionSummary& d = detections[f.rule_id + "|" + f.title];
    widen(d, f.time);
    d.rule_id = f.rule_id;
    d.title = f.title;
    d.level = f.level;
    ++d.count;
    d.hosts.insert(host);
    if (level_rank(f.level) >= 2) {
      HostState& h = hosts[host];
      h.record.name = host;
      ++h.record.detections;
      if (!f.user.empty()) h.users.insert(f.user);
    }
  }
  // Accounts: where they logged on, from where, with admin rights or not.
  std::map<std::string, cases::AccountRecord> accounts;
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> logons;
  for (const auto& a : attributions) {
    if (a.kind != "account" && a.kind != "privileged") continue;
    cases::AccountRecord& r = accounts[a.user];
    r.name = a.user;
    if (a.kind == "privileged") r.admin = true;
    const std::string target = host_name(a.host);
    if (std::find(r.hosts.begin(), r.hosts.end(), target) == r.hosts.end()) r.hosts.push_back(target);
    if (!r.first_seen || a.first < *r.first_seen) r.first_seen = a.first;
    if (!r.last_seen || a.last > *r.last_seen) r.last_seen = a.last;
    if (a.kind == "account" && a.ip.empty()) {
      // A local logon (console, remote desktop) names a user of that host.
      if (auto it = hosts.find(target); it != hosts.end()) it->second.users.insert(a.user);
    }
    if (a.kind == "account" && !a.ip.empty()) {
      const std::string from = book.host_at(a.ip, a.first);
      logons[{a.user, from, target}] += a.count;
      if (std::find(r.hosts.begin(), r.hosts.end(), from) == r.hosts.end()) r.hosts.push_back(from);
    }
  }
  for (auto& [name, h] : hosts) {
    h.record.status = h.record.c2_hits >= 2 ? "infected" : h.record.c2_hits == 1 ? "suspect" : "involved";
    // An address that reaches the C2 only in firewall logs, is nobody's PC (no lease, no logon)
    // while the proxies log the C2 traffic of PCs, is the proxy itself (or a NAT) relaying it.
    if (h.record.c2_hits > 0 && !h.beyond_firewall && proxied_c2 && looks_like_address(name) &&
        book.host_at(name, *h.record.first_c2) == name) {
      h.record.status = "relay";
    }
    h.record.addresses.assign(h.addresses.begin(), h.addresses.end());
    h.record.users.assign(h.users.begin(), h.users.end());
  }
  // Hosts an infected host's address logged on to with an account are part of the case too.
  for (const auto& [key, count] : logons) {
    const auto& [user, from, to] = key;
    const auto it = hosts.find(from);
    if (it == hosts.end() || it->second.record.status != "infected") continue;
    facts.logons.push_back(LogonEdge{user, from, to, count});
    HostState& target = hosts[to];
    if (target.record.name.empty()) {
      target.record.name = to;
      target.record.status = "involved";
    }
  }
  std::set<std::string> infected;
  for (auto& [key, c] : c2) {
    for (const auto& [name, h] : hosts) {
      if (h.record.status == "relay") c.hosts.erase(name);
    }
  }
  for (const auto& [name, h] : hosts) {
    if (h.record.status == "infected") infected.insert(name);
    facts.hosts.push_back(h.record);
  }
  std::stable_sort(facts.hosts.begin(), facts.hosts.end(), [](const auto& a, const auto& b) {
    auto rank = [](const std::string& s) { return s == "infected" ? 0 : s == "suspect" ? 1 : s == "involved" ? 2 : 3; };
    if (rank(a.status) != rank(b.status)) return rank(a.status) < rank(b.status);
    return a.first_c2 < b.first_c2;
  });
  for (auto& [name, a] : accounts) {
    std::sort(a.hosts.begin(), a.hosts.end());
    const bool touches_infected =
        std::any_of(a.hosts.begin(), a.hosts.end(), [&](const std::string& h) { return infected.count(h) > 0; });
    if (a.admin && touches_infected) {
      ++facts.admin_accounts_on_infected;
      facts.admin_accounts_on_infected_names.push_back(name);
    }
    facts.accounts.push_back(a);
  }
  std::stable_sort(facts.accounts.begin(), facts.accounts.end(),
                   [](const auto& a, const auto& b) { return a.admin > b.admin; });
  for (auto& [k, c] : c2) facts.c2.push_back(c);
  std::sort(facts.c2.begin(), facts.c2.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [k, d] : detections) facts.detections.push_back(d);
  std::sort(facts.detections.begin(), facts.detections.end(), [](const auto& a, const auto& b) {
    return level_rank(a.level) != level_rank(b.level) ? level_rank(a.level) > level_rank(b.level) : a.first < b.first;
  });
  // Still going on: C2 contact within a day of the end of the evidence.
  if (facts.last_c2 && facts.evidence_to) facts.ongoing = facts.evidence_to->ticks - facts.last_c2->ticks < 24 * kHour;
  return facts;
}

}  // namespace ashiato::analyze
