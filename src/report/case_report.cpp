#include "report/case_report.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "report/candidates_json.h"
#include "report/json_writer.h"

namespace ashiato::report {
namespace {

constexpr std::size_t kTimelineLimit = 2000;

std::string evidence_of(const cases::FindingRecord& f,
                        const std::map<std::int64_t, const cases::SourceRecord*>& by_id) {
  const auto it = by_id.find(f.source_id);
  const std::string path = it == by_id.end() ? std::string("?") : it->second->path;
  return path + ":" + std::to_string(f.record());
}

// Repeated findings (a beacon every few minutes, a rule firing on each of its requests) are folded
// to the first and last per host, kind and rule or indicator, with their count.
struct TimelineEntry {
  const cases::FindingRecord* finding;
  std::int64_t count;  // findings in its group
};

std::vector<TimelineEntry> timeline_entries(const std::vector<cases::FindingRecord>& findings,
                                            const analyze::AddressBook& book) {
  struct Group {
    const cases::FindingRecord* first = nullptr;
    const cases::FindingRecord* last = nullptr;
    std::int64_t count = 0;
  };
  std::map<std::tuple<std::string, std::string_view, std::string>, Group> groups;
  for (const auto& f : findings) {
    Group& g = groups[{analyze::finding_host(f, book), kind_name(f.kind), f.rule_id}];
    if (g.first == nullptr || f.time < g.first->time) g.first = &f;
    if (g.last == nullptr || f.time > g.last->time) g.last = &f;
    ++g.count;
  }
  std::vector<TimelineEntry> out;
  for (const auto& [key, g] : groups) {
    out.push_back({g.first, g.count});
    if (g.last != g.first) out.push_back({g.last, g.count});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.finding->time < b.finding->time; });
  if (out.size() > kTimelineLimit) out.resize(kTimelineLimit);
  return out;
}

}  // namespace

std::string case_report_json(const CaseReportInput& in, const analyze::CaseFacts& facts, const ReportLanguage& lang,
                             Timestamp generated) {
  const analyze::AddressBook book(in.attributions);
  std::map<std::int64_t, const cases::SourceRecord*> source_by_id;
  for (const auto& s : in.sources) source_by_id[s.id] = &s;
  std::int64_t infected = 0, suspect = 0, similar = 0;
  for (const auto& h : facts.hosts) {
    infected += h.status == "infected";
    suspect += h.status == "suspect";
    similar += h.status == "similar";
  }
  JsonWriter w;
  w.begin_object();
  w.value("schema", "ashiato-report/1");
  w.value("lang", lang.japanese ? "ja" : "en");
  w.time("generated", generated);
  w.value("display_zone", lang.zone_label);
  w.begin_object("case").value("dir", in.case_dir).value("database", in.database).value("runs", in.runs).end_object();

  w.begin_object("summary");
  w.value("headline", headline(facts, lang));
  w.value("infected_hosts", infected).value("suspect_hosts", suspect).value("similar_hosts", similar);
  w.value("candidates", static_cast<std::int64_t>(facts.candidates.size()));
  w.value("c2_destinations", static_cast<std::int64_t>(facts.c2.size()));
  w.time("first_c2_contact", facts.first_c2).time("last_c2_contact", facts.last_c2);
  w.value("ongoing", facts.ongoing);
  w.value("admin_accounts_on_infected", facts.admin_accounts_on_infected);
  w.begin_object("detections");
  for (const char* level : {"critical", "high", "medium", "low", "informational"}) {
    const auto it = facts.detections_by_level.find(level);
    w.value(level, it == facts.detections_by_level.end() ? std::int64_t{0} : it->second);
  }
  w.end_object();
  w.value("sources", static_cast<std::int64_t>(in.sources.size()));
  w.value("unreadable_sources", facts.unreadable_sources);
  w.value("events", facts.events);
  w.time("evidence_from", facts.evidence_from).time("evidence_to", facts.evidence_to);
  w.end_object();

  w.begin_array("hosts");
  for (const auto& h : facts.hosts) {
    w.begin_object().value("name", h.name).value("status", h.status);
    if (h.status == "similar") w.value("reason", similar_host_reason(h.name, facts.candidates));
    w.strings("addresses", h.addresses).strings("users", h.users);
    w.time("first_c2", h.first_c2).time("last_c2", h.last_c2);
    w.value("c2_hits", h.c2_hits).value("detections", h.detections).end_object();
  }
  w.end_array();
  w.begin_array("accounts");
  for (const auto& a : facts.accounts) {
    w.begin_object().value("name", a.name).value("admin", a.admin).strings("hosts", a.hosts);
    w.time("first_seen", a.first_seen).time("last_seen", a.last_seen).end_object();
  }
  w.end_array();
  w.begin_array("c2");
  for (const auto& c : facts.c2) {
    w.begin_object().value("indicator", c.indicator).value("type", c.type).value("source", c.source);
    w.time("first", c.first).time("last", c.last).value("hits", c.hits).strings("hosts", c.hosts);
    w.value("bytes", c.bytes).end_object();
  }
  w.end_array();
  write_candidates(w, facts.candidates);
  w.begin_array("detections");
  for (const auto& d : facts.detections) {
    w.begin_object().value("rule_id", d.rule_id).value("title", d.title).value("level", d.level);
    w.value("count", d.count).strings("hosts", d.hosts).time("first", d.first).time("last", d.last).end_object();
  }
  w.end_array();

  const auto entries = timeline_entries(in.findings, book);
  w.begin_array("timeline");
  for (const auto& [f, count] : entries) {
    w.begin_object()
        .time("time", f->time)
        .value("count", count)
        .value("kind", kind_name(f->kind))
        .value("level", level_name(f->level))
        .value("title", f->title);
    w.value("host", analyze::finding_host(*f, book)).value("user", f->user).value("details", f->details);
    w.value("evidence", evidence_of(*f, source_by_id)).end_object();
  }
  w.end_array();

  // The graph: hosts of the case, the C2 they talked to, and the accounts that logged on to them.
  w.begin_object("graph");
  w.begin_array("nodes");
  std::set<std::string> nodes;
  for (const auto& h : facts.hosts) {
    if (h.status == "relay") continue;  // a proxy relaying others' traffic: no node of its own
    nodes.insert("host:" + h.name);
    w.begin_object().value("id", "host:" + h.name).value("label", h.name).value("kind", "host");
    w.value("status", h.status).end_object();
  }
  for (const auto& c : facts.c2) {
    w.begin_object().value("id", "c2:" + c.indicator).value("label", c.indicator).value("kind", "c2").end_object();
  }
  std::set<std::string> users;
  for (const auto& e : facts.logons) users.insert(e.user);
  for (const auto& a : facts.accounts) {
    if (!users.count(a.name)) continue;
    w.begin_object().value("id", "user:" + a.name).value("label", a.name).value("kind", "user");
    w.value("admin", a.admin).end_object();
  }
  w.end_array();
  w.begin_array("edges");
  for (const auto& c : facts.c2) {
    for (const auto& h : c.hosts) {
      if (!nodes.count("host:" + h)) continue;
      std::int64_t count = 0;
      for (const auto& host : facts.hosts) {
        if (host.name == h) count = host.c2_hits;
      }
      w.begin_object().value("source", "host:" + h).value("target", "c2:" + c.indicator).value("kind", "c2");
      w.value("count", count).end_object();
    }
  }
  for (const auto& e : facts.logons) {
    w.begin_object().value("source", "user:" + e.user).value("target", "host:" + e.to_host).value("kind", "logon");
    w.value("count", e.count).end_object();
    w.begin_object().value("source", "host:" + e.from_host).value("target", "user:" + e.user).value("kind", "logon");
    w.value("count", e.count).end_object();
  }
  w.end_array();
  w.end_object();

  w.begin_array("checklist");
  for (const auto& item : first_response_checklist(facts, lang)) {
    w.begin_object().value("id", item.id).value("priority", static_cast<std::int64_t>(item.priority));
    w.value("title", item.title).value("text", item.text).strings("items", item.items).end_object();
  }
  w.end_array();

  // A few log excerpts for the JPCERT/CC draft: the first contact of each infected host.
  std::vector<cases::FindingRecord> excerpts;
  std::vector<std::string> evidence;
  std::set<std::string> seen_hosts;
  for (const auto& [f, count] : entries) {
    if (f->kind != FindingKind::kIndicator || excerpts.size() >= 10) continue;
    if (!seen_hosts.insert(analyze::finding_host(*f, book)).second) continue;
    excerpts.push_back(*f);
    evidence.push_back(evidence_of(*f, source_by_id));
  }
  const auto drafts = escalation_drafts(facts, excerpts, evidence, lang);
  w.begin_object("escalation").value("jpcert", drafts.jpcert).value("management", drafts.management).end_object();

  w.begin_array("sources");
  for (const auto& s : in.sources) {
    w.begin_object().value("path", s.path).value("format", s.format).value("size", s.size).value("sha256", s.sha256);
    w.value("events", s.events).value("bad_records", s.bad_records).value("problems", s.problems);
    w.time("first", s.first_time).time("last", s.last_time).value("errors", s.errors).end_object();
  }
  w.end_array();
  w.end_object();
  return w.text() + "\n";
}

}  // namespace ashiato::report
