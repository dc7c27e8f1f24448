// ashiato hunt: Sigma rules over Windows event logs and text logs; a timeline of detections and a summary.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <unordered_map>

#include "analyze/finding_spool.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/log_options.h"
#include "cli/output_file.h"
#include "cli/rule_options.h"
#include "core/event_filter.h"
#include "core/finding.h"
#include "core/visible_text.h"
#include "pipeline/hunt.h"
#include "report/findings_writer.h"

namespace ashiato::cli {
namespace {

struct HuntOptions {
  CommonOptions common;
  RuleOptions rules;
  LogOptions logs;
  std::vector<std::string> inputs;
  std::string format = "table";
  std::string output;
  std::string from, to;
  bool no_summary = false;
  bool sql_null = false;
  bool csv_raw = false;
  std::size_t timeline_memory_mb = analyze::FindingSpool::kDefaultBudget >> 20;
};

// Counts for the summary, taken as the timeline is written (it is not kept in memory).
// Hash tables: counted for every detection while the timeline is written (one thread), where
// ordered maps' dozen string comparisons per detection showed; sorted once for the summary.
struct TimelineCounts {
  std::uint64_t findings = 0;
  std::unordered_map<std::string, std::size_t> by_level, by_rule, by_host;

  void add(const Finding& f) {
    ++findings;
    by_level[std::string(level_name(f.level))]++;
    by_rule[f.title]++;
    by_host[f.host]++;
  }
};

void print_summary(std::FILE* out, const TimelineCounts& counts, std::uint64_t events, std::size_t files,
                   std::size_t errors, double seconds) {
  // Most frequent first, ties in name order.
  auto top = [](const std::unordered_map<std::string, std::size_t>& m, std::size_t n) {
    std::vector<std::pair<std::string, std::size_t>> v(m.begin(), m.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.second > b.second || (a.second == b.second && a.first < b.first);
    });
    if (v.size() > n) v.resize(n);
    return v;
  };
  std::fprintf(out, "\nDetections: %llu", static_cast<unsigned long long>(counts.findings));
  for (const char* level : {"critical", "high", "medium", "low", "informational"}) {
    auto it = counts.by_level.find(level);
    if (it != counts.by_level.end()) std::fprintf(out, "  %s %zu", level, it->second);
  }
  std::fprintf(out, "\nTop rules:\n");
  for (const auto& [title, n] : top(counts.by_rule, 10)) std::fprintf(out, "  %6zu  %s\n", n, visible(title).c_str());
  std::fprintf(out, "Top computers:\n");
  for (const auto& [host, n] : top(counts.by_host, 10)) std::fprintf(out, "  %6zu  %s\n", n, visible(host).c_str());
  std::fprintf(out,
               "Scanned %llu events in %zu files in %.2f s (%.0f events/s, rules loaded before); %zu input errors\n",
               static_cast<unsigned long long>(events), files, seconds,
               seconds > 0 ? static_cast<double>(events) / seconds : 0.0, errors);
}

int run_hunt(HuntOptions& o) {
  const auto threads = apply_threads(o.common);
  const logs::LogClock clock = log_clock(o.logs);
  EventFilter filter;
  filter.from = parse_time_option(o.from, "--from");
  filter.to = parse_time_option(o.to, "--to");
  const report::FindingsFormat format = o.format == "csv"     ? report::FindingsFormat::kCsv
                                        : o.format == "jsonl" ? report::FindingsFormat::kJsonLines
                                        : o.format == "json"  ? report::FindingsFormat::kJson
                                                              : report::FindingsFormat::kTable;
  Diagnostics diagnostics;
  print_problems_to_stderr(diagnostics, o.common.quiet);
  const LoadedRules loaded = load_selected_rules(o.rules, o.common.quiet);
  const auto scan_started = std::chrono::steady_clock::now();

  const auto files = expand_inputs(o.inputs, {".evtx", ".json", ".jsonl", ".ndjson", ".zip"}, diagnostics);
  pipeline::HuntOptions options;
  options.filter = &filter;
  options.semantics = o.sql_null ? sigma::MatchSemantics::kSqlNull : sigma::MatchSemantics::kSigma;
  options.text = text_read_options(o.logs, clock);
  // Findings beyond the budget are sorted in runs on disk and merged when written.
  options.timeline_memory = o.timeline_memory_mb << 20;

  OutputFile out(o.output);
  const bool colour = o.output.empty() && format == report::FindingsFormat::kTable && ::isatty(STDOUT_FILENO);
  report::FindingsWriter writer(
      format, colour, [&out](std::string_view piece) { out.write(piece); }, csv_cells(o.csv_raw));
  TimelineCounts counts;
  pipeline::HuntTotals totals;
  {
    Progress progress(progress_wanted(o.common), total_size(files));
    options.progress = &progress;
    totals = pipeline::hunt(files, loaded.set, options, diagnostics, [&](const Finding& f) {
      writer.add(f);
      counts.add(f);
    });
  }
  const auto& stats = totals.stats;
  writer.finish();
  out.close();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - scan_started).count();
  if (!o.no_summary) {
    // With a machine format on stdout the summary goes to stderr, keeping stdout parseable.
    std::FILE* dest = format == report::FindingsFormat::kTable && o.output.empty() ? stdout : stderr;
    if (!o.common.quiet || dest == stdout)
      print_summary(dest, counts, stats.events, files.size(), diagnostics.errors(), seconds);
  }
  return finish(diagnostics, o.common);
}

}  // namespace

void register_hunt(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<HuntOptions>();
  CLI::App* cmd = root.add_subcommand("hunt", "Hunt Windows event logs (and network logs) with Sigma rules");
  cmd->add_option("inputs", o->inputs,
                  "EVTX files, JSON/JSONL event exports (evtx_dump, Winlogbeat/ECS, NXLog), zips of them, "
                  "text logs named explicitly (proxy, firewall, DNS, web server, Zeek: for network rules), or "
                  "folders (searched recursively for .evtx .json .jsonl .ndjson .zip)")
      ->required();
  add_rule_options(*cmd, o->rules);
  add_log_options(*cmd, o->logs);
  cmd->add_option("-f,--format", o->format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "jsonl", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write the timeline to this file instead of standard output");
  cmd->add_option("--from", o->from, "Only events at or after this time (ISO 8601; UTC unless a zone is given)");
  cmd->add_option("--to", o->to, "Only events at or before this time");
  cmd->add_option("--timeline-memory", o->timeline_memory_mb,
                  "Megabytes of findings kept in memory for sorting; beyond it, sorted parts go to temporary files "
                  "in $TMPDIR (or /tmp) and are merged when the timeline is written")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  cmd->add_flag("--no-summary", o->no_summary, "Do not print the summary after the timeline");
  add_csv_raw_flag(*cmd, o->csv_raw);
  cmd->add_flag("--sql-null", o->sql_null,
                "Evaluate like SQL backends (Zircolite): tests on absent or empty fields are unknown, and "
                "'not unknown' stays unknown. For comparing results; the default follows the Sigma specification");
  add_common_options(*cmd, o->common);
  cmd->footer(
      "Rules: the bundled targeted-attack rules, plus every -r file or folder (SigmaHQ's rules work as they\n"
      "are: git clone https://github.com/SigmaHQ/sigma and pass -r sigma/rules/windows). Compiled literal\n"
      "databases are cached in $ASHIATO_CACHE_DIR (default ~/.cache/ashiato; 'off' disables).\n"
      "Examples:\n"
      "  ashiato hunt collected/evtx/                                  # bundled rules\n"
      "  ashiato hunt -r sigma/rules/windows --min-level high DC01/     # SigmaHQ, high and critical\n"
      "  ashiato hunt -r sigma/rules --tags attack.t1053 -f csv -o tasks.csv logs/\n"
      "  ashiato hunt --no-default-rules -r my.yml --from 2015-06-01 --to 2015-06-05 Security.evtx\n"
      "  ashiato hunt --no-default-rules -r sigma/rules/web/proxy_generic /var/log/squid/access.log");
  cmd->callback([o, &exit_code] { exit_code = run_hunt(*o); });
}

}  // namespace ashiato::cli
