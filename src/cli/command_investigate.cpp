// ashiato investigate: from the notification to the report in one command.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/log_options.h"
#include "cli/rule_options.h"
#include "core/visible_text.h"
#include "pipeline/indicators.h"
#include "pipeline/investigation.h"
#include "report/first_response.h"

namespace ashiato::cli {
namespace {

struct InvestigateOptions {
  CommonOptions common;
  RuleOptions rules;
  LogOptions logs;
  std::vector<std::string> ioc_files, notices, evidence;
  std::string case_dir = "ashiato-case";
  std::string assets;
  std::vector<std::string> allowlists;
  bool no_default_allowlist = false;
  bool no_similar = false;
  std::string lang;
  std::string display_zone = "+09:00";
};

// "+09:00" → 540 minutes; "UTC" → 0.
int offset_minutes(const std::string& zone) {
  if (zone == "UTC" || zone == "Z") return 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const int minutes = std::stoi(zone.substr(1, 2)) * 60 + std::stoi(zone.substr(4, 2));
    return zone[0] == '-' ? -minutes : minutes;
  }
  throw CLI::ValidationError("--tz", "expected +HH:MM, -HH:MM or UTC, got '" + zone + "'");
}

std::vector<std::string> evidence_files(const InvestigateOptions& o, Diagnostics& diagnostics) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path case_dir = fs::weakly_canonical(o.case_dir, ec);
  std::vector<std::string> files;
  for (const auto& f : expand_inputs(o.evidence, std::vector<std::string>{}, diagnostics)) {
    const fs::path p = fs::weakly_canonical(f, ec);
    // The case folder may sit inside the evidence folder: its own files are no evidence.
    if (!case_dir.empty() && p.string().rfind(case_dir.string() + "/", 0) == 0) continue;
    files.push_back(f);
  }
  return files;
}

using pipeline::InvestigationInput;
using pipeline::InvestigationResult;

void print_summary(const InvestigationResult& r, const report::ReportLanguage& lang, double seconds,
                   std::size_t errors) {
  const auto& f = r.facts;
  const bool ja = lang.japanese;
  // Host names, users, indicators and checklist items come from the logs: shown, never obeyed
  // (an ESC sequence in a DHCP host name would otherwise clear or rewrite this screen).
  std::printf("\n%s\n\n", visible(report::headline(f, lang)).c_str());
  constexpr int kShown = 12;  // per status: the summary fits one screen; the report has all
  for (const char* status : {"infected", "suspect", "involved"}) {
    bool header = false;
    int shown = 0, more = 0;
    for (const auto& h : f.hosts) {
      if (h.status != status) continue;
      if (shown == kShown) {
        ++more;
        continue;
      }
      ++shown;
      if (!header) {
        std::printf("%s:\n", std::string(status) == "infected"  ? (ja ? "感染端末" : "Infected hosts")
                             : std::string(status) == "suspect" ? (ja ? "不審端末" : "Suspect hosts")
                                                                : (ja ? "関係する端末" : "Involved hosts"));
        header = true;
      }
      std::string addresses, users;
      for (const auto& a : h.addresses) addresses += (addresses.empty() ? "" : " ") + a;
      for (const auto& u : h.users) users += (users.empty() ? "" : " ") + u;
      std::printf("  %-16s %-16s %-14s", visible(h.name).c_str(), visible(addresses).c_str(), visible(users).c_str());
      if (h.c2_hits > 0) {
        std::printf(" C2 %s .. %s  %lld hits", lang.time(h.first_c2).c_str(), lang.time(h.last_c2).c_str(),
                    static_cast<long long>(h.c2_hits));
      }
      if (h.detections > 0) std::printf("  %lld detections", static_cast<long long>(h.detections));
      std::printf("\n");
    }
    if (more > 0) std::printf(ja ? "  … ほか %d 台\n" : "  … and %d more\n", more);
  }
  if (!f.c2.empty()) std::printf("%s:\n", ja ? "C2 宛先" : "C2 destinations");
  for (const auto& c : f.c2) {
    std::printf("  %-32s %-8s %6lld hits  %zu hosts  (%s)\n", visible(c.indicator).c_str(), c.type.c_str(),
                static_cast<long long>(c.hits), c.hosts.size(), visible(c.source).c_str());
  }
  if (!f.admin_accounts_on_infected_names.empty()) {
    std::printf("%s:", ja ? "感染端末で使われた管理者アカウント" : "Admin accounts on infected hosts");
    for (const auto& a : f.admin_accounts_on_infected_names) std::printf(" %s", visible(a).c_str());
    std::printf("\n");
  }
  std::printf("%s:", ja ? "検知" : "Detections");
  for (const auto& [level, n] : f.detections_by_level)
    std::printf(" %s %lld", level.c_str(), static_cast<long long>(n));
  std::printf("\n\n%s:\n", ja ? "初動対応" : "First response");
  int n = 0;
  for (const auto& item : report::first_response_checklist(f, lang)) {
    std::string items;
    for (std::size_t i = 0; i < item.items.size() && i < 6; ++i) items += (i ? ", " : "") + item.items[i];
    if (item.items.size() > 6) items += ", …";
    std::printf("  %d. %s%s%s%s\n", ++n, visible(item.title).c_str(), items.empty() ? "" : " (", visible(items).c_str(),
                items.empty() ? "" : ")");
  }
  std::printf("\n%zu files read, %zu already in the case; %llu events; %llu new findings; %zu input errors; %.1f s\n",
              r.files_read, r.files_skipped, static_cast<unsigned long long>(r.events),
              static_cast<unsigned long long>(r.new_findings), errors, seconds);
  std::printf("stages: hash %.2f thread-seconds; read+detect %.2f, store %.2f, analysis+report %.2f s\n",
              r.hash_seconds, r.scan_seconds, r.store_seconds, r.report_seconds);
  std::printf("%s: %s\n      %s\n", ja ? "レポート" : "Report", r.report_html_path.c_str(), r.report_json_path.c_str());
}

int run_investigate(InvestigateOptions& o) {
  const auto threads = apply_threads(o.common);
  const auto started = std::chrono::steady_clock::now();
  const logs::LogClock clock = log_clock(o.logs);
  Diagnostics diagnostics;
  print_problems_to_stderr(diagnostics, o.common.quiet);
  const bool japanese =
      o.lang.empty() ? std::string(std::getenv("LANG") ? std::getenv("LANG") : "").rfind("ja", 0) == 0 : o.lang == "ja";
  InvestigationInput in;
  in.case_dir = o.case_dir;
  in.japanese = japanese;
  in.display_zone = o.display_zone;
  in.display_offset_minutes = offset_minutes(o.display_zone);
  in.text = text_read_options(o.logs, clock);
  in.assets_csv = o.assets;
  in.allowlists = o.allowlists;
  in.default_allowlist = !o.no_default_allowlist;
  in.similar_communications = !o.no_similar;
  in.command_line = "investigate";
  try {
    pipeline::LoadedIndicators loaded =
        pipeline::load_indicators({o.ioc_files, o.notices, in.display_offset_minutes}, diagnostics);
    in.indicators = std::move(loaded.indicators);
    for (const auto& notice : loaded.notices) {
      if (o.common.quiet) continue;
      std::fprintf(stderr, "ashiato: %s: %zu indicators", notice.path.c_str(), notice.indicators);
      if (notice.from) {
        std::fprintf(stderr, ", window %s .. %s", to_iso8601(*notice.from, 0).c_str(),
                     to_iso8601(*notice.to, 0).c_str());
      }
      for (const auto& a : notice.own_addresses) std::fprintf(stderr, ", own address %s", a.c_str());
      std::fprintf(stderr, "\n");
    }
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "ashiato: %s\n", e.what());
    return kRuntimeError;
  }
  if (in.indicators.empty() && !o.common.quiet) {
    std::fprintf(stderr, "ashiato: no indicators given (--ioc, --notice): Sigma rules and attribution only\n");
  }
  const LoadedRules rules = load_selected_rules(o.rules, o.common.quiet);
  in.rules = &rules.set;
  in.evidence = evidence_files(o, diagnostics);
  if (!o.common.quiet) {
    std::fprintf(stderr, "ashiato: %zu evidence files; text logs' local times read as %s; case %s\n",
                 in.evidence.size(), clock.describe().c_str(), o.case_dir.c_str());
  }
  InvestigationResult result;
  {
    Progress progress(progress_wanted(o.common), total_size(in.evidence));
    in.progress = &progress;
    try {
      result = pipeline::investigate(in, diagnostics);
    } catch (const std::runtime_error& e) {
      progress.finish();
      std::fprintf(stderr, "ashiato: %s\n", e.what());
      return kRuntimeError;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!o.common.quiet) {
    print_summary(result, report::ReportLanguage{japanese, in.display_offset_minutes, o.display_zone}, seconds,
                  diagnostics.errors());
  }
  return finish(diagnostics, o.common);
}

}  // namespace

void register_investigate(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<InvestigateOptions>();
  CLI::App* cmd = root.add_subcommand(
      "investigate", "From the notification to the report: sweep, hunt and attribute all evidence into a case");
  cmd->add_option("evidence", o->evidence,
                  "Evidence files or folders: proxy, firewall, DNS, DHCP, Zeek logs, EVTX, JSON event exports "
                  "(.gz .zst .bz2 read transparently)")
      ->required();
  cmd->add_option("--ioc", o->ioc_files, "Indicator files (repeatable): lists, CSV, STIX 2.1, MISP")
      ->allow_extra_args(false);
  cmd->add_option("--notice", o->notices,
                  "The notification text (repeatable; Japanese or English, defanged or not): its C2 hosts, URLs, "
                  "addresses, hashes and time window are used")
      ->allow_extra_args(false);
  cmd->add_option("--case", o->case_dir, "Case folder (created if new; re-running adds to it)")->capture_default_str();
  cmd->add_option("--assets", o->assets, "Asset list CSV: ip,hostname[,user] per line (attribution)");
  cmd->add_option("--allowlist", o->allowlists,
                  "More well-known services never named C2 candidates (repeatable): a domain, address or CIDR per "
                  "line")
      ->allow_extra_args(false);
  cmd->add_flag("--no-similar", o->no_similar,
                "Skip the similar-communications analysis (beacon series and C2 candidates); the case keeps the "
                "candidates of earlier runs");
  cmd->add_flag("--no-default-allowlist", o->no_default_allowlist,
                "Do not use the shipped allowlist (data/beacon-allowlist.txt, or ASHIATO_ALLOWLIST)");
  cmd->add_option("--lang", o->lang, "Report language (default: ja if LANG starts with ja, else en)")
      ->check(CLI::IsMember({"ja", "en"}));
  cmd->add_option("--tz", o->display_zone, "Zone the report shows times in (+HH:MM or UTC)")->capture_default_str();
  add_rule_options(*cmd, o->rules);
  add_log_options(*cmd, o->logs);
  add_common_options(*cmd, o->common);
  cmd->footer(
      "Writes CASE/case.sqlite (the case store), CASE/report.json and CASE/report.html. Files already in the\n"
      "case (same SHA-256) are skipped, so an interrupted run is resumed by running it again.\n"
      "Beyond the notice: destinations whose traffic looks like the confirmed C2's are named C2 candidates\n"
      "(ashiato case candidates; accept or reject them with ashiato case accept|reject).\n"
      "Examples:\n"
      "  ashiato investigate --notice notice.txt --case case1 collected/\n"
      "  ashiato investigate --ioc c2.txt --ioc misp.json -r sigma/rules/windows --lang en proxy/ fw/ dc01/\n"
      "  ashiato investigate --notice notice.txt --assets assets.csv --log-tz Asia/Tokyo --case case1 more-logs/");
  cmd->callback([o, &exit_code] { exit_code = run_investigate(*o); });
}

}  // namespace ashiato::cli
