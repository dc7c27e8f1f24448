// ashiato hunt: Sigma rules over Windows event logs; a timeline of detections and a summary.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output_file.h"
#include "cli/rule_options.h"
#include "core/event_filter.h"
#include "core/finding.h"
#include "evtx/event_fields.h"
#include "evtx/parallel_reader.h"
#include "report/event_details.h"
#include "report/findings_writer.h"

namespace ashiato::cli {
namespace {

struct HuntOptions {
  CommonOptions common;
  RuleOptions rules;
  std::vector<std::string> inputs;
  std::string format = "table";
  std::string output;
  std::string from, to;
  bool no_summary = false;
};

// Runs the rules on each event of a chunk, in the worker thread.
class HuntSink : public evtx::ChunkSink {
 public:
  HuntSink(const sigma::RuleSet& rules, const EventFilter& filter) : rules_(rules), filter_(filter) {}

  void begin_chunk() override {
    findings.clear();
    events = 0;
    fields_.begin_chunk();
  }

  void record(const evtx::RecordInfo& info, const evtx::RecordTree& tree) override {
    batch_.clear();
    fields_.add(tree, info, 0, batch_);
    const Event e = batch_[0];
    if (filter_.active() && !filter_.accepts(e)) return;
    ++events;
    rules_.match(e, [&](std::uint32_t r) { findings.push_back(to_finding(rules_.rules()[r], e, info)); });
  }

  std::vector<Finding> findings;
  std::uint64_t events = 0;

 private:
  static Finding to_finding(const sigma::Rule& rule, const Event& e, const evtx::RecordInfo& info) {
    static const FieldId computer = intern_field("Computer");
    static const FieldId channel = intern_field("Channel");
    static const FieldId event_id = intern_field("EventID");
    Finding f;
    f.kind = "sigma";
    f.level = rule.level;
    f.title = rule.title;
    f.rule_id = rule.id;
    for (const auto& t : rule.tags) {
      if (t.rfind("attack.", 0) == 0) f.tags.push_back(t);
    }
    f.time = e.time();
    f.host = std::string(e.get(computer).value_or(""));
    f.channel = std::string(e.get(channel).value_or(""));
    f.event_id = std::string(e.get(event_id).value_or(""));
    f.details = report::event_details(e);
    // EventRecordID as Event Viewer shows it; exported logs renumber the record headers.
    static const FieldId record_id = intern_field("EventRecordID");
    const auto rid = e.get(record_id);
    f.record_id = info.record_id;
    if (rid && !rid->empty()) std::from_chars(rid->data(), rid->data() + rid->size(), f.record_id);
    f.offset = info.file_offset;
    return f;
  }

  const sigma::RuleSet& rules_;
  const EventFilter& filter_;
  evtx::EventFieldBuilder fields_;
  EventBatch batch_;
};

void print_summary(std::FILE* out, const std::vector<Finding>& findings, std::uint64_t events, std::size_t files,
                   std::size_t errors, double seconds) {
  std::map<std::string, std::size_t> by_level, by_rule, by_host;
  for (const Finding& f : findings) {
    by_level[f.level]++;
    by_rule[f.title]++;
    by_host[f.host]++;
  }
  auto top = [](const std::map<std::string, std::size_t>& m, std::size_t n) {
    std::vector<std::pair<std::string, std::size_t>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (v.size() > n) v.resize(n);
    return v;
  };
  std::fprintf(out, "\nDetections: %zu", findings.size());
  for (const char* level : {"critical", "high", "medium", "low", "informational"}) {
    auto it = by_level.find(level);
    if (it != by_level.end()) std::fprintf(out, "  %s %zu", level, it->second);
  }
  std::fprintf(out, "\nTop rules:\n");
  for (const auto& [title, n] : top(by_rule, 10)) std::fprintf(out, "  %6zu  %s\n", n, title.c_str());
  std::fprintf(out, "Top computers:\n");
  for (const auto& [host, n] : top(by_host, 10)) std::fprintf(out, "  %6zu  %s\n", n, host.c_str());
  std::fprintf(out, "Scanned %llu events in %zu files in %.2f s (%.0f events/s); %zu input errors\n",
               static_cast<unsigned long long>(events), files, seconds,
               seconds > 0 ? static_cast<double>(events) / seconds : 0.0, errors);
}

int run_hunt(HuntOptions& o) {
  const auto threads = apply_threads(o.common);
  const auto started = std::chrono::steady_clock::now();
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

  std::vector<Finding> findings;
  std::uint64_t events = 0, sequence = 0;
  const auto files = expand_inputs(o.inputs, ".evtx", diagnostics);
  for (const std::string& path : files) {
    try {
      evtx::read_evtx(
          path, evtx::ReadOptions{}, [&] { return std::make_unique<HuntSink>(loaded.set, filter); },
          [&](evtx::ChunkSink& sink) {
            auto& s = static_cast<HuntSink&>(sink);
            events += s.events;
            for (Finding& f : s.findings) {
              f.file = path;
              f.sequence = sequence++;
              findings.push_back(std::move(f));
            }
          },
          diagnostics);
    } catch (const std::runtime_error& e) {
      diagnostics.report(Problem{path, 0, "", e.what(), false});
    }
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.time < b.time; });

  OutputFile out(o.output);
  const bool colour = o.output.empty() && format == report::FindingsFormat::kTable && ::isatty(STDOUT_FILENO);
  out.write(report::format_findings(findings, format, colour));
  out.close();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!o.no_summary) {
    // With a machine format on stdout the summary goes to stderr, keeping stdout parseable.
    std::FILE* dest = format == report::FindingsFormat::kTable && o.output.empty() ? stdout : stderr;
    if (!o.common.quiet || dest == stdout)
      print_summary(dest, findings, events, files.size(), diagnostics.errors(), seconds);
  }
  return finish(diagnostics, o.common);
}

}  // namespace

void register_hunt(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<HuntOptions>();
  CLI::App* cmd = root.add_subcommand("hunt", "Hunt Windows event logs with Sigma rules");
  cmd->add_option("inputs", o->inputs, "EVTX files or folders (searched recursively for *.evtx)")->required();
  add_rule_options(*cmd, o->rules);
  cmd->add_option("-f,--format", o->format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "jsonl", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write the timeline to this file instead of standard output");
  cmd->add_option("--from", o->from, "Only events at or after this time (ISO 8601; UTC unless a zone is given)");
  cmd->add_option("--to", o->to, "Only events at or before this time");
  cmd->add_flag("--no-summary", o->no_summary, "Do not print the summary after the timeline");
  add_common_options(*cmd, o->common);
  cmd->footer(
      "Rules: the bundled targeted-attack rules, plus every -r file or folder (SigmaHQ's rules work as they\n"
      "are: git clone https://github.com/SigmaHQ/sigma and pass -r sigma/rules/windows).\n"
      "Examples:\n"
      "  ashiato hunt collected/evtx/                                  # bundled rules\n"
      "  ashiato hunt -r sigma/rules/windows --min-level high DC01/     # SigmaHQ, high and critical\n"
      "  ashiato hunt -r sigma/rules --tags attack.t1053 -f csv -o tasks.csv logs/\n"
      "  ashiato hunt --no-default-rules -r my.yml --from 2015-06-01 --to 2015-06-05 Security.evtx");
  cmd->callback([o, &exit_code] { exit_code = run_hunt(*o); });
}

}  // namespace ashiato::cli
