// ashiato stats: per file, records read, errors, time range and counts per Channel:EventID.
// Every record is fully decoded into event fields, so this is also the parse-only benchmark.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output_file.h"
#include "core/json_text.h"
#include "evtx/file_summary.h"
#include "evtx/parallel_reader.h"

namespace ashiato::cli {
namespace {

using evtx::FileSummary;

struct StatsOptions {
  CommonOptions common;
  std::vector<std::string> inputs;
  std::string format = "tsv";
  std::string output;
  bool carve = false;
};

std::vector<std::pair<std::string, std::uint64_t>> by_count(const std::map<std::string, std::uint64_t>& counts) {
  std::vector<std::pair<std::string, std::uint64_t>> v(counts.begin(), counts.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return v;
}

void write_tsv(OutputFile& out, const FileSummary& s) {
  std::string line = fmt::format("{}\t{}\t{}\t{}\t{}\t{}", s.path, s.stats.records, s.stats.errors(), s.stats.carved,
                                 s.first ? to_iso8601(*s.first) : "-", s.last ? to_iso8601(*s.last) : "-");
  for (const auto& [key, count] : by_count(s.per_event)) line += fmt::format("\t{}={}", key, count);
  line.push_back('\n');
  out.write(line);
}

void write_json(OutputFile& out, const FileSummary& s, std::size_t problems) {
  std::string line = "{\"path\":";
  append_json_string(line, s.path);
  line += fmt::format(
      ",\"records\":{},\"errors\":{},\"record_errors\":{},\"carved\":{},\"chunks\":{},\"bad_chunks\":{},\"problems\":{"
      "}",
      s.stats.records, s.stats.errors(), s.stats.record_errors, s.stats.carved, s.stats.chunks, s.stats.bad_chunks,
      problems);
  line += ",\"first\":";
  line += s.first ? "\"" + to_iso8601(*s.first) + "\"" : "null";
  line += ",\"last\":";
  line += s.last ? "\"" + to_iso8601(*s.last) + "\"" : "null";
  line += ",\"events\":{";
  bool first = true;
  for (const auto& [key, count] : by_count(s.per_event)) {
    if (!first) line.push_back(',');
    first = false;
    append_json_string(line, key);
    line += fmt::format(":{}", count);
  }
  line += "}}\n";
  out.write(line);
}

int run_stats(const StatsOptions& o) {
  const auto threads = apply_threads(o.common);
  Diagnostics diagnostics;
  print_problems_to_stderr(diagnostics, o.common.quiet);
  OutputFile out(o.output);
  if (o.format == "tsv") out.write("path\trecords\terrors\tcarved\tfirst\tlast\tchannel:eventid=count...\n");
  for (const std::string& path : expand_inputs(o.inputs, ".evtx", diagnostics)) {
    const std::size_t problems_before = diagnostics.errors() + diagnostics.warnings();
    FileSummary s;
    s.path = path;
    try {
      s = evtx::summarize_file(path, evtx::ReadOptions{o.carve}, diagnostics);
    } catch (const std::runtime_error& e) {
      diagnostics.report(Problem{path, 0, "", e.what(), false});
    }
    const std::size_t problems = diagnostics.errors() + diagnostics.warnings() - problems_before;
    if (o.format == "tsv") {
      write_tsv(out, s);
    } else {
      write_json(out, s, problems);
    }
  }
  out.close();
  return finish(diagnostics, o.common);
}

}  // namespace

void register_stats(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<StatsOptions>();
  CLI::App* cmd = root.add_subcommand("stats", "Count EVTX records per file and per Channel:EventID");
  cmd->add_option("inputs", o->inputs, "EVTX files or folders (searched recursively for *.evtx)")->required();
  cmd->add_option("-f,--format", o->format, "Output format")
      ->check(CLI::IsMember({"tsv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write to this file instead of standard output");
  cmd->add_flag("--carve", o->carve, "Also recover records from chunk slack space and damaged chunks");
  add_common_options(*cmd, o->common);
  cmd->footer(
      "Columns (tsv): path, records, errors (corrupt records + damaged chunks), carved, first, last, then "
      "Channel:EventID=count\n"
      "sorted by count.\n"
      "Examples:\n"
      "  ashiato stats Security.evtx\n"
      "  ashiato stats -f jsonl -j 1 collected/evtx/ > inventory.jsonl");
  cmd->callback([o, &exit_code] { exit_code = run_stats(*o); });
}

}  // namespace ashiato::cli
