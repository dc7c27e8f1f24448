// ashiato beacons: RITA v5's beacon scores for every (internal host, destination) series of proxy,
// firewall, web and Zeek logs, over every 24-hour window of the evidence and its whole span.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/log_options.h"
#include "cli/output_file.h"
#include "pipeline/beacons.h"
#include "report/record_table.h"

namespace ashiato::cli {
namespace {

using analyze::beacon::BeaconResult;
using analyze::beacon::SeriesKind;

struct BeaconsCommandOptions {
  CommonOptions common;
  LogOptions logs;
  std::vector<std::string> inputs;
  std::string format = "table";
  std::string output;
  std::string from, to;
  double min_score = 0;
  std::vector<std::string> sources, destinations;
  bool include_internal = false;
  bool all = false;
  bool csv_raw = false;
};

std::string unix_time(std::uint32_t seconds) {
  return seconds == 0 ? std::string() : to_iso8601(Timestamp::from_unix_seconds(seconds), 0);
}

std::string decimal(double v) {
  return fmt::format("{:.3f}", v);
}

bool listed(const std::vector<std::string>& wanted, const std::string& value) {
  if (wanted.empty()) return true;
  for (const std::string& w : wanted) {
    // A destination name also matches its subdomains (evil.example: www.evil.example).
    if (value == w || (value.size() > w.size() && value.ends_with(w) && value[value.size() - w.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

report::RecordTable beacon_table(const std::vector<BeaconResult>& series, const BeaconsCommandOptions& o) {
  report::RecordTable t;
  for (const char* c : {"score", "threat"}) t.add_column(c);
  for (const char* c : {"src", "dst", "kind"}) t.add_column(c);
  for (const char* c : {"ts_score", "ds_score", "dur_score", "hist_score"}) t.add_column(c);
  t.add_column("connections", true);
  for (const char* c : {"window_from", "window_to"}) t.add_column(c);
  t.add_column("window_connections", true);
  t.add_column("span_score");
  for (const char* c : {"first", "last"}) t.add_column(c);
  t.add_column("bytes", true);
  for (const char* c : {"strobe", "server_ips", "final", "severity", "long_conn", "modifiers", "user_agent"}) {
    t.add_column(c);
  }
  t.add_column("last_day_score");  // RITA's own window: the last 24 hours of the evidence
  t.add_column("last_day_connections", true);
  for (const BeaconResult& r : series) {
    const double score = r.best ? r.best->score : 0;
    if (!o.all && !r.best && !r.strobe) continue;
    if (score < o.min_score && !r.strobe) continue;
    if (!listed(o.sources, r.key.src) || !listed(o.destinations, r.key.dst)) continue;
    std::string ips, modifiers;
    for (const std::string& ip : r.server_ips) ips += (ips.empty() ? "" : " ") + ip;
    for (const auto& m : r.modifiers) {
      modifiers += fmt::format("{}{}{:+.2f}", modifiers.empty() ? "" : " ", m.name, m.value);
    }
    const auto& b = r.best;
    t.rows.push_back({b ? decimal(b->score) : "",
                      b ? decimal(b->threat_score) : (r.strobe ? "0.800" : ""),
                      r.key.src,
                      r.key.dst,
                      r.key.kind == SeriesKind::kFqdn ? "fqdn" : "ip",
                      b ? decimal(b->timestamp.score) : "",
                      b ? decimal(b->data_size.score) : "",
                      b ? decimal(b->duration.score) : "",
                      b ? decimal(b->histogram.score) : "",
                      std::to_string(r.connections),
                      unix_time(r.window_from),
                      unix_time(r.window_to),
                      b ? std::to_string(r.window_connections) : "",
                      r.span ? decimal(r.span->score) : "",
                      unix_time(r.first),
                      unix_time(r.last),
                      std::to_string(r.bytes),
                      r.strobe ? "yes" : "",
                      ips,
                      decimal(r.final_score),
                      analyze::beacon::severity(r.final_score),
                      decimal(r.long_connection_score),
                      modifiers,
                      r.traits.agents.empty() ? std::string() : r.traits.agents.front().first,
                      r.latest ? decimal(r.latest->score) : "",
                      std::to_string(r.latest_connections)});
  }
  return t;
}

int run_beacons(const BeaconsCommandOptions& o) {
  const auto threads = apply_threads(o.common);
  const logs::LogClock clock = log_clock(o.logs);
  pipeline::BeaconsOptions options;
  options.text = text_read_options(o.logs, clock);
  options.beacon.include_internal = o.include_internal;
  options.beacon.keep_unscored = o.all;
  EventFilter filter;
  filter.from = parse_time_option(o.from, "--from");
  filter.to = parse_time_option(o.to, "--to");
  options.filter = &filter;
  Diagnostics diagnostics;
  print_problems_to_stderr(diagnostics, o.common.quiet);
  const auto started = std::chrono::steady_clock::now();
  const LogInputs inputs = log_inputs(o.inputs, diagnostics);
  pipeline::BeaconsResult result;
  {
    Progress progress(progress_wanted(o.common), inputs.bytes);
    options.progress = &progress;
    result = pipeline::beacons(inputs.files, options, diagnostics);
  }
  const report::TableFormat format = report::table_format(o.format);
  const report::RecordTable table = beacon_table(result.series, o);
  OutputFile out(o.output);
  out.write(report::format_table(table, format, 60, csv_cells(o.csv_raw)));
  out.close();
  if (!o.common.quiet) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(
        stderr, "ashiato: %zu series from %llu connections in %zu files, evidence %s .. %s; %zu shown; %.1f s\n",
        result.series.size(), static_cast<unsigned long long>(result.stats.events), result.sources.size(),
        unix_time(result.evidence_from).c_str(), unix_time(result.evidence_to).c_str(), table.rows.size(), seconds);
  }
  // The process ends here: its millions of series need not be freed one by one.
  static_cast<void>(result.detector.release());
  return finish(diagnostics, o.common);
}

}  // namespace

void register_beacons(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<BeaconsCommandOptions>();
  CLI::App* cmd = root.add_subcommand("beacons", "Score beaconing (RITA v5) in proxy, firewall, web and Zeek logs");
  add_log_inputs(*cmd, o->inputs);
  add_log_options(*cmd, o->logs);
  cmd->add_option("-f,--format", o->format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "jsonl", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write the table to this file instead of standard output");
  cmd->add_option("--min-score", o->min_score, "Only series whose best score is at least this (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  // One value per option: a repeatable option would otherwise take the log files after it too.
  cmd->add_option("--src", o->sources, "Only series from this internal host (repeatable)")->allow_extra_args(false);
  cmd->add_option("--dst", o->destinations, "Only series to this destination or its subdomains (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--from", o->from, "Only connections at or after this time (ISO 8601; UTC unless a zone is given)");
  cmd->add_option("--to", o->to, "Only connections at or before this time");
  cmd->add_flag("--include-internal", o->include_internal,
                "Also score connections to private, loopback and link-local addresses (firewall and conn logs)");
  cmd->add_flag("--all", o->all, "Also list series with too few connections to score");
  add_csv_raw_flag(*cmd, o->csv_raw);
  add_common_options(*cmd, o->common);
  cmd->footer(
      "Each internal host's connections to one destination form a series: per FQDN for proxy, HTTP\n"
      "and TLS records (request host, SNI, CONNECT target), per address for firewall and Zeek conn\n"
      "records (sessions already counted under an FQDN are not counted again). Each series is scored\n"
      "as RITA v5 scores beacons (timestamp, data size, histogram and duration scores, weights 0.25,\n"
      "threat score bucketed 50/70/90/100) over every 24-hour window of the evidence, ending at its\n"
      "last record (RITA looks at the last 24 hours only); the best window is shown with its dates,\n"
      "and span_score is the whole evidence as one window. A series of 86,400 connections or more\n"
      "in a window is a strobe (one a second), not scored. See docs/beacons.md.\n"
      "Examples:\n"
      "  ashiato beacons /logs/proxy/\n"
      "  ashiato beacons --min-score 0.8 -f csv -o beacons.csv proxy/ zeek/\n"
      "  ashiato beacons --src 10.1.2.17 --dst example.co.jp /logs/squid/access.log*");
  cmd->callback([o, &exit_code] { exit_code = run_beacons(*o); });
}

}  // namespace ashiato::cli
