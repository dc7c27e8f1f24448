#include "pipeline/evidence_scan.h"

#include <tbb/parallel_for.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

#include "pipeline/event_source.h"

namespace ashiato::pipeline {
namespace {

// With a spool, findings leave while files are still read in parallel: each file numbers its
// findings from its own base so that the order stays that of the inputs.
constexpr int kFileSequenceBits = 40;

// One run of events through every detector, with what the scan counts itself.
class ScanRun : public RunReceiver {
 public:
  ScanRun(const analyze::DetectorSet& detectors, const analyze::FileScan& file, const EventFilter* filter)
      : filter_(filter != nullptr && filter->active() ? filter : nullptr) {
    for (const analyze::Detector* d : detectors.all()) runs.push_back(d->start_run(file));
  }

  void begin_run(std::string_view origin) override {
    events = records = 0;
    first.reset();
    last.reset();
    for (auto& r : runs) r->begin(origin);
  }

  void event(const Event& e) override {
    ++records;
    if (filter_ != nullptr && !filter_->accepts(e)) return;
    ++events;
    if (e.time().ticks != 0) {
      if (!first || e.time() < *first) first = e.time();
      if (!last || e.time() > *last) last = e.time();
    }
    for (auto& r : runs) r->observe(e);
  }

  std::vector<std::unique_ptr<analyze::EventRun>> runs;  // by detector slot
  std::uint64_t events = 0, records = 0;
  std::optional<Timestamp> first, last;

 private:
  const EventFilter* filter_;
};

}  // namespace

EvidenceScan::EvidenceScan(analyze::DetectorSet& detectors, ScanOptions options)
    : detectors_(detectors), options_(std::move(options)) {}

void EvidenceScan::scan_file(const std::string& path, std::uint32_t file_id, std::uint64_t first_sequence,
                             Diagnostics& problems, const FileDone& done) {
  analyze::FileScan file;
  file.file_id = file_id;
  file.problems = &problems;
  file.facts.resize(detectors_.all().size());
  analyze::SourceInfo& source = file.source;
  source.path = path;
  std::error_code ec;
  source.bytes = path == "-" ? 0 : std::filesystem::file_size(path, ec);
  std::uint64_t sequence = first_sequence;
  ScanStats stats;

  EventSourceOptions read;
  read.text = options_.text;
  read.progress = options_.progress;
  if (!detectors_.wants_all()) {
    read.evtx_gate = [this](std::string_view channel, std::string_view event_id) {
      return detectors_.wants(channel, event_id);
    };
  }
  const auto make = [&] { return std::make_unique<ScanRun>(detectors_, file, options_.filter); };
  const auto deliver = [&](RunReceiver& receiver) {
    auto& run = static_cast<ScanRun&>(receiver);
    for (const analyze::Detector* d : detectors_.all()) d->end_run(*run.runs[d->slot()], file);
    stats.events += run.events;
    stats.records += run.records;
    source.events += run.records;
    if (run.first && (!source.first_time || *run.first < *source.first_time)) source.first_time = run.first;
    if (run.last && (!source.last_time || *run.last > *source.last_time)) source.last_time = run.last;
    if (options_.spool != nullptr && !file.findings.empty()) {
      file.findings.number(sequence);
      options_.spool->add(file.findings);
    }
  };
  const std::size_t errors_before = problems.errors();
  const EventSourceStats read_stats = read_events(path, file_id, read, make, deliver, problems);
  source.format = read_stats.format;
  source.bad_records = read_stats.bad_records;
  source.unparsed_lines = read_stats.unparsed_lines;

  std::vector<Finding> findings;
  file.findings.number(sequence);
  file.findings.unpack_all(findings);
  file.findings.clear();
  std::lock_guard lock(end_of_file_);  // detectors' end_file and the caller see one file at a time
  for (analyze::Detector* d : detectors_.all()) d->end_file(file);
  source.problems = problems.errors() - errors_before;
  stats_.events += stats.events;
  stats_.records += stats.records;
  sources_[file_id] = source;
  if (done) done(file, findings);
}

void EvidenceScan::scan(const std::vector<std::string>& paths, Diagnostics& diagnostics, const FileDone& done) {
  const std::size_t first_id = sources_.size();
  sources_.resize(first_id + paths.size());
  std::vector<std::unique_ptr<Diagnostics>> problems(paths.size());
  tbb::parallel_for(std::size_t{0}, paths.size(), [&](std::size_t i) {
    problems[i] = std::make_unique<Diagnostics>();
    scan_file(paths[i], static_cast<std::uint32_t>(first_id + i),
              next_sequence_ + (std::uint64_t{i} << kFileSequenceBits), *problems[i], done);
  });
  for (auto& p : problems) diagnostics.absorb(*p);
  next_sequence_ += std::uint64_t{paths.size()} << kFileSequenceBits;
}

std::vector<Finding> EvidenceScan::finish() {
  std::vector<Finding> findings;
  for (analyze::Detector* d : detectors_.all()) d->end_scan(findings);
  for (Finding& f : findings) f.sequence = next_sequence_++;
  if (options_.spool != nullptr) options_.spool->add(findings);
  return findings;
}

}  // namespace ashiato::pipeline
