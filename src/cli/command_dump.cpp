// ashiato dump: EVTX records as XML, JSON or JSON lines, optionally filtered.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output_file.h"
#include "core/event_filter.h"
#include "core/progress.h"
#include "evtx/event_fields.h"
#include "evtx/format.h"
#include "evtx/json_renderer.h"
#include "evtx/parallel_reader.h"
#include "evtx/xml_renderer.h"

namespace ashiato::cli {
namespace {

enum class DumpFormat { kXml, kJson, kJsonLines };

struct DumpOptions {
  CommonOptions common;
  std::vector<std::string> inputs;
  std::string format = "jsonl";
  std::string output;
  std::string from, to;
  bool carve = false;
  EventFilter filter;
};

class DumpSink : public evtx::ChunkSink {
 public:
  DumpSink(DumpFormat format, const EventFilter& filter) : format_(format), filter_(filter) {}

  void begin_chunk() override {
    text.clear();
    records = 0;
    fields_.begin_chunk();
  }

  // Records the filter rejects need no tree: their fields come straight from the template.
  bool record_bytes(const evtx::RecordInfo& info, evtx::Chunk& chunk, std::uint32_t begin, std::uint32_t end) override {
    if (!filter_.active()) return false;
    batch_.clear();
    return fields_.add_direct(chunk, begin, end, info, 0, batch_) && !filter_.accepts(batch_[0]);
  }

  void record(const evtx::RecordInfo& info, const evtx::RecordTree& tree) override {
    if (filter_.active()) {
      batch_.clear();
      fields_.add(tree, info, 0, batch_);
      if (!filter_.accepts(batch_[0])) return;
    }
    ++records;
    switch (format_) {
      case DumpFormat::kXml: evtx::append_xml(text, tree); break;
      case DumpFormat::kJson:
        text += ",\n";
        evtx::append_json(text, tree, true);
        break;
      case DumpFormat::kJsonLines:
        evtx::append_json(text, tree, false);
        text.push_back('\n');
        break;
    }
  }

  std::string text;
  std::uint64_t records = 0;

 private:
  DumpFormat format_;
  const EventFilter& filter_;
  evtx::EventFieldBuilder fields_;
  EventBatch batch_;
};

int run_dump(DumpOptions& o) {
  const auto threads = apply_threads(o.common);
  o.filter.from = parse_time_option(o.from, "--from");
  o.filter.to = parse_time_option(o.to, "--to");
  const DumpFormat format = o.format == "xml"    ? DumpFormat::kXml
                            : o.format == "json" ? DumpFormat::kJson
                                                 : DumpFormat::kJsonLines;
  Diagnostics diagnostics;
  print_problems_to_stderr(diagnostics, o.common.quiet);
  OutputFile out(o.output);
  bool first = true;
  if (format == DumpFormat::kJson) out.write("[");
  const auto files = expand_inputs(o.inputs, ".evtx", diagnostics);
  Progress progress(progress_wanted(o.common) && !o.output.empty(), total_size(files));
  for (const std::string& path : files) {
    try {
      evtx::read_evtx(
          path, evtx::ReadOptions{o.carve}, [&] { return std::make_unique<DumpSink>(format, o.filter); },
          [&](evtx::ChunkSink& sink) {
            auto& s = static_cast<DumpSink&>(sink);
            std::string_view text = s.text;
            if (format == DumpFormat::kJson && first && !text.empty()) {
              text.remove_prefix(1);  // no comma before the first record
              first = false;
            }
            out.write(text);
            progress.add(evtx::kChunkSize, s.records);
          },
          diagnostics);
    } catch (const std::runtime_error& e) {
      diagnostics.report(Problem{path, 0, "", e.what(), false});
    }
  }
  if (format == DumpFormat::kJson) out.write("\n]\n");
  out.close();
  return finish(diagnostics, o.common);
}

}  // namespace

void register_dump(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<DumpOptions>();
  CLI::App* cmd = root.add_subcommand("dump", "Print EVTX records as XML, JSON or JSON lines");
  cmd->add_option("inputs", o->inputs, "EVTX files or folders (searched recursively for *.evtx)")->required();
  cmd->add_option("-f,--format", o->format, "Output format")
      ->check(CLI::IsMember({"xml", "json", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write to this file instead of standard output");
  cmd->add_option("--from", o->from, "Only records at or after this time (ISO 8601; UTC unless a zone is given)");
  cmd->add_option("--to", o->to, "Only records at or before this time");
  // One value per occurrence: otherwise the files after it would be read as more values.
  cmd->add_option("--channel", o->filter.channels, "Only records of this channel (repeatable, case-insensitive)")
      ->allow_extra_args(false);
  cmd->add_option("--event-id", o->filter.event_ids, "Only records with this EventID (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--carve", o->carve, "Also recover records from chunk slack space and damaged chunks");
  add_common_options(*cmd, o->common);
  cmd->footer(
      "Examples:\n"
      "  ashiato dump Security.evtx                         # JSON lines, one record per line\n"
      "  ashiato dump -f xml --event-id 4624 Security.evtx  # logons as Event Viewer XML\n"
      "  ashiato dump --channel System --from 2015-05-01 --to 2015-05-02T12:00:00+09:00 logs/\n"
      "  ashiato dump --carve -o recovered.jsonl damaged.evtx");
  cmd->callback([o, &exit_code] { exit_code = run_dump(*o); });
}

}  // namespace ashiato::cli
