// ashiato sweep: indicators (and optionally Sigma rules) over proxy, firewall, DNS, Zeek and
// Windows logs in one pass; every matching record, then who talked to what, since when.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "analyze/sweep_summary.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/log_options.h"
#include "cli/output_file.h"
#include "cli/rule_options.h"
#include "pipeline/indicators.h"
#include "pipeline/sweep.h"
#include "report/findings_writer.h"
#include "report/record_table.h"

namespace ashiato::cli {
namespace {

struct SweepOptions {
  CommonOptions common;
  RuleOptions rules;
  LogOptions logs;
  std::vector<std::string> ioc_files, notices;
  std::vector<std::string> inputs;
  std::string format = "table";
  std::string output;
  std::string from, to;
  bool no_summary = false;
  bool parse_all = false;
  bool csv_raw = false;
};

std::string joined(const std::set<std::string>& values, std::size_t limit) {
  std::string s;
  std::size_t n = 0;
  for (const auto& v : values) {
    if (n == limit) {
      s += " +" + std::to_string(values.size() - limit);
      break;
    }
    if (!s.empty()) s += ' ';
    s += v;
    ++n;
  }
  return s;
}

report::RecordTable hits_table(const std::vector<analyze::SourceInfo>& sources,
                               const std::vector<analyze::IocHit>& hits, const ioc::IndicatorMatcher& matcher) {
  report::RecordTable t;
  for (const char* c : {"time", "src_ip", "user", "host", "dst", "dst_port", "method", "url", "status"}) {
    t.add_column(c);
  }
  t.add_column("bytes", true);
  for (const char* c : {"ioc", "ioc_type", "ioc_source", "field", "log_format", "evidence"}) t.add_column(c);
  for (const analyze::IocHit& h : hits) {
    const ioc::Indicator& i = matcher.indicators()[h.indicator];
    const std::string& file = sources[h.source.file_id].path;
    t.rows.push_back({to_iso8601(h.time, 3), h.src_ip, h.user, h.host, h.dst, h.dst_port, h.method, h.url, h.status,
                      std::to_string(h.bytes), i.value, std::string(ioc::type_name(i.type)), i.source, h.field,
                      h.log_format, file + ":" + std::to_string(h.source.record_id)});
  }
  return t;
}

report::RecordTable indicator_table(const analyze::SweepSummary& s, const ioc::IndicatorMatcher& matcher) {
  report::RecordTable t;
  for (const char* c : {"ioc", "type", "first_seen", "last_seen"}) t.add_column(c);
  t.add_column("hits", true);
  t.add_column("bytes", true);
  t.add_column("hosts", true);
  for (const char* c : {"internal_hosts", "users", "source"}) t.add_column(c);
  for (const auto& i : s.by_indicator) {
    const ioc::Indicator& ind = matcher.indicators()[i.indicator];
    t.rows.push_back({ind.value, std::string(ioc::type_name(ind.type)), to_iso8601(i.first, 0), to_iso8601(i.last, 0),
                      std::to_string(i.hits), std::to_string(i.bytes), std::to_string(i.hosts.size()),
                      joined(i.hosts, 8), joined(i.users, 5), ind.source});
  }
  return t;
}

report::RecordTable host_table(const analyze::SweepSummary& s, const ioc::IndicatorMatcher& matcher) {
  report::RecordTable t;
  for (const char* c : {"internal_host", "first_seen", "last_seen"}) t.add_column(c);
  t.add_column("hits", true);
  t.add_column("bytes", true);
  for (const char* c : {"users", "sites", "iocs"}) t.add_column(c);
  for (const auto& h : s.by_host) {
    std::set<std::string> iocs;
    for (auto i : h.indicators) iocs.insert(matcher.indicators()[i].value);
    t.rows.push_back({h.host.empty() ? "(unknown)" : h.host, to_iso8601(h.first, 0), to_iso8601(h.last, 0),
                      std::to_string(h.hits), std::to_string(h.bytes), joined(h.users, 5), joined(h.sites, 5),
                      joined(iocs, 5)});
  }
  return t;
}

report::RecordTable sources_table(const std::vector<analyze::SourceInfo>& sources) {
  report::RecordTable t;
  for (const char* c : {"path", "format"}) t.add_column(c);
  for (const char* c : {"bytes", "events", "bad_records", "problems"}) t.add_column(c, true);
  t.add_column("first");
  t.add_column("last");
  for (const auto& s : sources) {
    t.rows.push_back({s.path, s.format.empty() ? "(unread)" : s.format, std::to_string(s.bytes),
                      std::to_string(s.events), std::to_string(s.bad_records), std::to_string(s.problems),
                      s.first_time ? to_iso8601(*s.first_time, 0) : "",
                      s.last_time ? to_iso8601(*s.last_time, 0) : ""});
  }
  return t;
}

int run_sweep(SweepOptions& o) {
  if (o.ioc_files.empty() && o.notices.empty()) {
    std::fprintf(stderr, "ashiato: sweep needs indicators: --ioc FILE or --notice FILE\n");
    return kUsageError;
  }
  const auto threads = apply_threads(o.common);
  const logs::LogClock clock = log_clock(o.logs);
  pipeline::SweepOptions options;
  options.text = text_read_options(o.logs, clock);
  EventFilter filter;
  filter.from = parse_time_option(o.from, "--from");
  filter.to = parse_time_option(o.to, "--to");
  options.filter = &filter;
  Diagnostics diagnostics;
  print_problems_to_stderr(diagnostics, o.common.quiet);

  std::vector<ioc::Indicator> indicators;
  try {
    indicators = pipeline::load_indicators({o.ioc_files, o.notices}, diagnostics).indicators;
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "ashiato: %s\n", e.what());
    return kRuntimeError;
  }
  if (indicators.empty()) {
    std::fprintf(stderr, "ashiato: no indicators in %zu --ioc and %zu --notice file(s)\n", o.ioc_files.size(),
                 o.notices.size());
    return kRuntimeError;
  }
  const ioc::IndicatorMatcher matcher(std::move(indicators));
  std::optional<LoadedRules> loaded;
  if (!o.rules.paths.empty()) {
    loaded.emplace(load_selected_rules(o.rules, o.common.quiet));
    options.rules = &loaded->set;
  }
  options.lines = o.parse_all ? pipeline::LineSelection::kEveryLine : pipeline::LineSelection::kByIndicators;
  if (!o.common.quiet) {
    std::fprintf(stderr, "ashiato: %zu indicators; text logs' local times read as %s\n", matcher.indicators().size(),
                 clock.describe().c_str());
  }

  const auto started = std::chrono::steady_clock::now();
  const LogInputs inputs = log_inputs(o.inputs, diagnostics);
  pipeline::SweepResult result;
  {
    Progress progress(progress_wanted(o.common), inputs.bytes);
    options.progress = &progress;
    result = pipeline::sweep(inputs.files, matcher, options, diagnostics);
  }
  std::vector<analyze::IocHit>& hits = result.hits;
  std::stable_sort(hits.begin(), hits.end(), [](const analyze::IocHit& a, const analyze::IocHit& b) {
    return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
  });
  const analyze::SweepSummary summary = analyze::summarise(hits);
  const std::vector<Finding>& detections = result.detections;
  const auto& sources = result.sources;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const report::TableFormat format = report::table_format(o.format);
  OutputFile out(o.output);
  const auto hit_rows = hits_table(sources, hits, matcher);
  if (format == report::TableFormat::kJson) {
    // One document with everything, for scripts.
    std::string doc = "{\"hits\":" + report::table_json_array(hit_rows);
    doc += ",\n\"indicators\":" + report::table_json_array(indicator_table(summary, matcher));
    doc += ",\n\"hosts\":" + report::table_json_array(host_table(summary, matcher));
    doc += ",\n\"sources\":" + report::table_json_array(sources_table(sources));
    doc += ",\n\"detections\":" + report::format_findings(detections, report::FindingsFormat::kJson, false);
    doc += "}\n";
    out.write(doc);
  } else {
    out.write(report::format_table(hit_rows, format, 60, csv_cells(o.csv_raw)));
    if (loaded && format != report::TableFormat::kText) {
      // Machine formats carry one kind of record per stream: detections go to stderr as a table.
      std::fputs(report::format_findings(detections, report::FindingsFormat::kTable, false).c_str(), stderr);
    }
  }
  std::FILE* dest = format == report::TableFormat::kText && o.output.empty() ? stdout : stderr;
  if (format == report::TableFormat::kText) {
    if (loaded) {
      std::string text = "\nSigma detections: " + std::to_string(detections.size()) + "\n";
      text += report::format_findings(detections, report::FindingsFormat::kTable, false);
      if (o.output.empty()) {
        out.write(text);
      } else {
        std::fputs(text.c_str(), stderr);
      }
    }
  }
  out.close();
  if (!o.no_summary && (!o.common.quiet || dest == stdout)) {
    std::string text = "\nIndicators seen (" + std::to_string(summary.by_indicator.size()) + " of " +
                       std::to_string(matcher.indicators().size()) + "), by first contact:\n";
    text += report::format_table(indicator_table(summary, matcher), report::TableFormat::kText);
    text += "\nInternal hosts (" + std::to_string(summary.by_host.size()) + "), by first contact:\n";
    text += report::format_table(host_table(summary, matcher), report::TableFormat::kText);
    std::uint64_t bytes = 0, bad = 0, unparsed = 0;
    for (const auto& s : sources) {
      bytes += s.bytes;
      bad += s.bad_records;
      unparsed += s.unparsed_lines;
    }
    text += "\nSwept " + std::to_string(result.stats.records + unparsed) + " records (" + std::to_string(unparsed) +
            " without any candidate left unparsed) in " + std::to_string(sources.size()) + " files (" +
            std::to_string(bytes >> 20) + " MiB) in " + std::to_string(seconds).substr(0, 5) + " s; " +
            std::to_string(hits.size()) + " hits; " + std::to_string(bad) + " lines did not parse; " +
            std::to_string(diagnostics.errors()) + " input errors\n";
    std::fputs(text.c_str(), dest);
  }
  return finish(diagnostics, o.common);
}

}  // namespace

void register_sweep(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<SweepOptions>();
  CLI::App* cmd = root.add_subcommand("sweep", "Sweep proxy, firewall, DNS, Zeek and Windows logs for indicators");
  cmd->add_option("--ioc", o->ioc_files,
                  "Indicator files (repeatable): plain lists (defanged or not), CSV, STIX 2.1 bundles, MISP events")
      ->allow_extra_args(false);
  cmd->add_option("--notice", o->notices,
                  "A notification's free text (repeatable; Japanese or English): the indicators in it are used")
      ->allow_extra_args(false);
  add_log_inputs(*cmd, o->inputs);
  add_rule_options(*cmd, o->rules);
  add_log_options(*cmd, o->logs);
  cmd->add_option("-f,--format", o->format, "Output format of the matching records")
      ->check(CLI::IsMember({"table", "csv", "jsonl", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write the records to this file instead of standard output");
  cmd->add_option("--from", o->from, "Only records at or after this time (ISO 8601; UTC unless a zone is given)");
  cmd->add_option("--to", o->to, "Only records at or before this time");
  cmd->add_flag("--no-summary", o->no_summary, "Do not print the per-indicator and per-host summaries");
  add_csv_raw_flag(*cmd, o->csv_raw);
  cmd->add_flag("--parse-all", o->parse_all,
                "Parse every line, also those holding no candidate for any indicator (they cannot match; "
                "parsing them only adds the check that they are well-formed)");
  add_common_options(*cmd, o->common);
  cmd->footer(
      "Indicators match only where they can occur: domains in the request host, DNS query/answer and\n"
      "Sysmon names, on label boundaries (evil.com matches www.evil.com, never notevil.com); URLs as a\n"
      "prefix after normalisation; IPs exactly or by CIDR in source/destination addresses; hashes,\n"
      "User-Agents and e-mail addresses in their fields. Sigma rules (-r) for proxy, firewall, dns and\n"
      "webserver run in the same pass.\n"
      "Examples:\n"
      "  ashiato sweep --ioc c2-list.txt /logs/proxy/                      # defanged list from a mail\n"
      "  ashiato sweep --notice notice.txt /logs/proxy/                    # the notification text itself\n"
      "  ashiato sweep --ioc c2.stix.json --ioc misp.json -f csv -o hits.csv proxy/ fw/ dns/\n"
      "  ashiato sweep --ioc iocs.txt --log-tz Asia/Tokyo /var/log/squid/access.log*\n"
      "  zcat big.log.gz | ashiato sweep --ioc iocs.txt --log-format squid -\n"
      "  ashiato sweep --ioc iocs.txt -r sigma/rules/web/proxy_generic --no-default-rules proxy/");
  cmd->callback([o, &exit_code] { exit_code = run_sweep(*o); });
}

}  // namespace ashiato::cli
