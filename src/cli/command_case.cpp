// ashiato case show|hosts|timeline|findings|sources|candidates: query a case without reading the
// evidence again; case accept|reject: the responder's decision on a C2 candidate.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "case/case_store.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output_file.h"
#include "core/visible_text.h"
#include "ioc/ip_address.h"
#include "pipeline/case_candidates.h"
#include "report/record_table.h"

namespace ashiato::cli {
namespace {

struct CaseOptions {
  std::string case_dir = "ashiato-case";
  std::string format = "table";
  std::string output;
  bool csv_raw = false;
};

std::string time_text(const std::optional<Timestamp>& t) {
  return t ? to_iso8601(*t, 0) : std::string();
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

report::RecordTable hosts_table(cases::CaseStore& store) {
  report::RecordTable t;
  for (const char* c : {"host", "status", "addresses", "users", "first_c2", "last_c2"}) t.add_column(c);
  t.add_column("c2_hits", true);
  t.add_column("detections", true);
  for (const auto& h : store.hosts()) {
    t.rows.push_back({h.name, h.status, joined(h.addresses), joined(h.users), time_text(h.first_c2),
                      time_text(h.last_c2), std::to_string(h.c2_hits), std::to_string(h.detections)});
  }
  return t;
}

report::RecordTable candidates_table(cases::CaseStore& store) {
  report::RecordTable t;
  t.add_column("destination");
  t.add_column("score", true);
  for (const char* c : {"hosts", "first", "last"}) t.add_column(c);
  t.add_column("connections", true);
  for (const char* c : {"like", "reason", "decision", "decided_by", "decided_at", "decision_reason", "evidence"}) {
    t.add_column(c);
  }
  for (const auto& c : store.candidates()) {
    t.rows.push_back({c.destination, c.score, joined(c.hosts), to_iso8601(c.first, 0), to_iso8601(c.last, 0),
                      std::to_string(c.connections), c.like, c.reason, c.decision, c.decided_by, c.decided_at,
                      c.decision_reason, joined(c.evidence)});
  }
  return t;
}

report::RecordTable findings_table(cases::CaseStore& store, bool timeline) {
  std::map<std::int64_t, std::string> paths;
  for (const auto& s : store.sources()) paths[s.id] = s.path;
  report::RecordTable t;
  for (const char* c : {"time", "kind", "level", "title", "host", "src_ip", "user", "dst", "details", "evidence"}) {
    t.add_column(c);
  }
  if (!timeline) t.add_column("rule_id");
  for (const auto& f : store.findings()) {
    std::vector<std::string> row{to_iso8601(f.time, 3),
                                 std::string(kind_name(f.kind)),
                                 std::string(level_name(f.level)),
                                 f.title,
                                 f.host,
                                 f.src_ip,
                                 f.user,
                                 f.dst,
                                 f.details,
                                 paths[f.source_id] + ":" + std::to_string(f.record())};
    if (!timeline) row.push_back(f.rule_id);
    t.rows.push_back(std::move(row));
  }
  return t;
}

report::RecordTable sources_table(cases::CaseStore& store) {
  report::RecordTable t;
  for (const char* c : {"path", "format", "sha256"}) t.add_column(c);
  for (const char* c : {"size", "events", "bad_records", "problems"}) t.add_column(c, true);
  for (const char* c : {"first", "last", "errors"}) t.add_column(c);
  for (const auto& s : store.sources()) {
    t.rows.push_back({s.path, s.format.empty() ? "(unread)" : s.format, s.sha256, std::to_string(s.size),
                      std::to_string(s.events), std::to_string(s.bad_records), std::to_string(s.problems),
                      time_text(s.first_time), time_text(s.last_time), s.errors});
  }
  return t;
}

report::RecordTable show_table(cases::CaseStore& store) {
  report::RecordTable t;
  t.add_column("item");
  t.add_column("value");
  const auto hosts = store.hosts();
  auto count = [&](const std::string& status) {
    std::size_t n = 0;
    for (const auto& h : hosts) n += h.status == status;
    return std::to_string(n);
  };
  std::size_t ioc = 0, sigma = 0;
  for (const auto& f : store.findings()) (f.kind == FindingKind::kIndicator ? ioc : sigma)++;
  std::size_t admins = 0;
  for (const auto& a : store.accounts()) admins += a.admin;
  const auto sources = store.sources();
  std::size_t unread = 0;
  for (const auto& s : sources) unread += s.format.empty();
  t.rows = {{"case", store.dir()},
            {"created", store.meta("created")},
            {"schema_version", store.meta("schema_version")},
            {"runs", std::to_string(store.run_count())},
            {"sources", std::to_string(sources.size())},
            {"unreadable_sources", std::to_string(unread)},
            {"indicators", std::to_string(store.indicators().size())},
            {"c2_findings", std::to_string(ioc)},
            {"sigma_findings", std::to_string(sigma)},
            {"infected_hosts", count("infected")},
            {"suspect_hosts", count("suspect")},
            {"involved_hosts", count("involved")},
            {"admin_accounts", std::to_string(admins)}};
  return t;
}

void add_view(CLI::App& parent, const std::string& name, const std::string& help, int& exit_code,
              report::RecordTable (*build)(cases::CaseStore&)) {
  auto o = std::make_shared<CaseOptions>();
  CLI::App* cmd = parent.add_subcommand(name, help);
  cmd->add_option("--case", o->case_dir, "Case folder")->capture_default_str();
  cmd->add_option("-f,--format", o->format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "jsonl", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write to this file instead of standard output");
  add_csv_raw_flag(*cmd, o->csv_raw);
  cmd->footer("Examples:\n  ashiato case " + name + " --case case1\n  ashiato case " + name +
              " --case case1 -f csv -o " + name + ".csv");
  cmd->callback([o, &exit_code, build] {
    try {
      if (!std::filesystem::exists(std::filesystem::path(o->case_dir) / "case.sqlite")) {
        std::fprintf(stderr, "ashiato: %s: no case here (run ashiato investigate --case %s first)\n",
                     o->case_dir.c_str(), o->case_dir.c_str());
        exit_code = kRuntimeError;
        return;
      }
      cases::CaseStore store(o->case_dir);
      OutputFile out(o->output);
      out.write(report::format_table(build(store), report::table_format(o->format), 80, csv_cells(o->csv_raw)));
      out.close();
      exit_code = kSuccess;
    } catch (const std::runtime_error& e) {
      std::fprintf(stderr, "ashiato: %s\n", e.what());
      exit_code = kRuntimeError;
    }
  });
}

struct DecisionOptions {
  std::string case_dir = "ashiato-case";
  std::string destination, by, why;
};

std::string default_decider() {
  const char* user = std::getenv("SUDO_USER");
  if (user == nullptr || *user == '\0') user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "unknown";
}

// accept: the candidate becomes an indicator of the case (swept for by the next investigate run,
// listed by blocklist); reject: a false positive, its hosts no longer suspected.
int decide(const DecisionOptions& o, const std::string& decision) {
  if (!std::filesystem::exists(std::filesystem::path(o.case_dir) / "case.sqlite")) {
    std::fprintf(stderr, "ashiato: %s: no case here\n", o.case_dir.c_str());
    return kRuntimeError;
  }
  cases::CaseStore store(o.case_dir);
  const std::string by = o.by.empty() ? default_decider() : o.by;
  if (!store.decide_candidate(o.destination, decision, by, o.why)) {
    std::fprintf(stderr, "ashiato: %s is not a C2 candidate of this case (see ashiato case candidates)\n",
                 visible(o.destination).c_str());
    return kUsageError;
  }
  // A candidate is an indicator only while it stays accepted.
  store.remove_indicators(o.destination, pipeline::kAcceptedCandidateSource);
  if (decision == "accepted") {
    const bool address = ioc::parse_ip(o.destination).has_value();
    const std::string type = !address ? "domain" : o.destination.find(':') == std::string::npos ? "ipv4" : "ipv6";
    store.add_indicators({cases::IndicatorRecord{
        0, type, o.destination, std::string(pipeline::kAcceptedCandidateSource) + " (" + by + ")", o.why}});
  }
  std::printf("%s: %s by %s. Run ashiato investigate --case %s again to update the hosts and the report.\n",
              visible(o.destination).c_str(), decision.c_str(), visible(by).c_str(), o.case_dir.c_str());
  return kSuccess;
}

void add_decision(CLI::App& parent, const std::string& name, const std::string& decision, const std::string& help,
                  int& exit_code) {
  auto o = std::make_shared<DecisionOptions>();
  CLI::App* cmd = parent.add_subcommand(name, help);
  cmd->add_option("CANDIDATE", o->destination, "The candidate's destination, as case candidates lists it")->required();
  cmd->add_option("--case", o->case_dir, "Case folder")->capture_default_str();
  cmd->add_option("--by", o->by, "Who decides (default: the login name)");
  cmd->add_option("--why", o->why, "Why: kept with the decision");
  cmd->footer("Examples:\n  ashiato case " + name + " www.example.jp --case case1 --why \"" +
              (decision == "accepted" ? "same implant traffic, confirmed with the PC's memory image"
                                      : "the vendor's update service") +
              "\"\n  ashiato case candidates --case case1");
  cmd->callback([o, &exit_code, decision] {
    try {
      exit_code = decide(*o, decision);
    } catch (const std::runtime_error& e) {
      std::fprintf(stderr, "ashiato: %s\n", e.what());
      exit_code = kRuntimeError;
    }
  });
}

}  // namespace

void register_case(CLI::App& root, int& exit_code) {
  CLI::App* cmd = root.add_subcommand(
      "case", "Query a case: summary, hosts, timeline, findings, sources, C2 candidates; accept or reject candidates");
  cmd->require_subcommand(1);
  cmd->footer(
      "Examples:\n  ashiato case show --case case1\n  ashiato case hosts --case case1\n"
      "  ashiato case timeline --case case1 -f csv -o timeline.csv");
  add_view(*cmd, "show", "What the case holds, in numbers", exit_code, show_table);
  add_view(*cmd, "hosts", "Infected, suspect and involved hosts", exit_code, hosts_table);
  add_view(*cmd, "timeline", "Every finding in time order", exit_code,
           [](cases::CaseStore& s) { return findings_table(s, true); });
  add_view(*cmd, "findings", "Every finding with its rule id or indicator", exit_code,
           [](cases::CaseStore& s) { return findings_table(s, false); });
  add_view(*cmd, "sources", "Evidence read: format, SHA-256, events, problems", exit_code, sources_table);
  add_view(*cmd, "candidates", "C2 candidates: destinations like the confirmed C2 (similar communications)", exit_code,
           candidates_table);
  add_decision(*cmd, "accept", "accepted", "Accept a C2 candidate: an indicator of the case from now on", exit_code);
  add_decision(*cmd, "reject", "rejected", "Reject a C2 candidate as a false positive", exit_code);
}

}  // namespace ashiato::cli
