#include "analyze/evidence_scan.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "analyze/event_details.h"
#include "analyze/finding_records.h"
#include "evtx/event_sink.h"
#include "evtx/evtx_file.h"
#include "evtx/format.h"
#include "evtx/parallel_reader.h"
#include "logs/json_events.h"

namespace ashiato::analyze {
namespace {

// The detectors' output for a run of events (an EVTX chunk, a text block, a JSON file).
struct Found {
  std::string_view file;                                    // where the events come from (the findings' evidence file)
  FindingRecords findings;                                  // packed: a hunt may make hundreds of thousands
  std::vector<sigma::CorrelationInput> correlation_inputs;  // evidence: index into correlation_evidence
  std::vector<Finding> correlation_evidence;
  std::vector<IocHit> ioc_hits;
  AttributionTable attributions;
  std::uint64_t events = 0, records = 0;
  std::optional<Timestamp> first, last;

  explicit Found(std::string_view from) : file(from) {}
  void clear() { *this = Found(file); }
};

// The fields of a finding that come from the event: the same for every rule it matches.
FindingView event_view(const Event& e, std::string_view details, std::string_view file) {
  static const FieldId computer = intern_field("Computer");
  static const FieldId channel = intern_field("Channel");
  static const FieldId event_id = intern_field("EventID");
  static const FieldId record_id = intern_field("EventRecordID");
  static const FieldId src_ip = intern_field("src_ip");
  FindingView f;
  f.kind = "sigma";
  f.time = e.time();
  // Text logs have no Computer: the client address stands for the host.
  f.host = e.get(computer).value_or(e.get(src_ip).value_or(""));
  f.channel = e.get(channel).value_or("");
  f.event_id = e.get(event_id).value_or("");
  f.details = details;
  f.file = file;
  // EventRecordID as Event Viewer shows it; exported logs renumber the record headers.
  if (const auto rid = e.get(record_id); rid && !rid->empty()) {
    std::from_chars(rid->data(), rid->data() + rid->size(), f.record_id);
  } else {
    f.record_id = e.source().record_id;  // line number of a text log
  }
  f.offset = e.source().offset;
  return f;
}

void match_rules(const sigma::RuleSet& rules, const Event& e, sigma::MatchSemantics semantics, Found& out) {
  std::optional<std::string> details;  // worked out on the event's first match
  FindingView of_event;
  rules.match(e, semantics, [&](std::uint32_t r) {
    if (!details) {
      details = event_details(e);
      of_event = event_view(e, *details, out.file);
    }
    const sigma::Rule& rule = rules.rules()[r];
    FindingView f = of_event;
    f.level = rule.level;
    f.title = rule.title;
    f.rule_id = rule.id;
    f.tags = &rule.attack_tags;
    out.findings.append(f);
    if (const int source = rules.correlation_source(r); source >= 0) {
      sigma::CorrelationInput in{static_cast<std::uint32_t>(source), e.time(), {}, out.correlation_evidence.size()};
      for (FieldId id : rules.correlations().sources()[static_cast<std::size_t>(source)].fields) {
        in.values.emplace_back(e.get(id).value_or(""));
      }
      out.correlation_inputs.push_back(std::move(in));
      out.correlation_evidence.push_back(to_finding(f));
    }
  });
}

void detect(const Detectors& d, const Event& e, Found& out) {
  ++out.records;
  if (d.filter != nullptr && d.filter->active() && !d.filter->accepts(e)) return;
  ++out.events;
  if (e.time().ticks != 0) {
    if (!out.first || e.time() < *out.first) out.first = e.time();
    if (!out.last || e.time() > *out.last) out.last = e.time();
  }
  if (d.rules != nullptr) match_rules(*d.rules, e, d.semantics, out);
  if (d.indicators != nullptr) d.indicators->scan(e, out.ioc_hits);
  if (d.attribution != nullptr) d.attribution->observe(e, out.attributions);
}

// Numbers findings in their order and moves them to the spool if there is one, else to
// result.findings; findings without a file get `file`.
void move_findings(FindingRecords& findings, const std::string& /*file: packed ones have theirs*/, HuntResult& result) {
  findings.number(result.next_sequence);
  if (result.spool != nullptr) {
    result.spool->add(findings);
  } else {
    findings.unpack_all(result.findings);
    findings.clear();
  }
}

void move_findings(std::vector<Finding>& findings, const std::string& file, HuntResult& result) {
  for (Finding& f : findings) {
    if (f.file.empty()) f.file = file;
    f.sequence = result.next_sequence++;
  }
  if (result.spool != nullptr) {
    result.spool->add(findings);
  } else {
    std::move(findings.begin(), findings.end(), std::back_inserter(result.findings));
  }
  findings.clear();
}

// Moves findings, the correlation inputs with their evidence, and indicator hits into `result`;
// hits get the file's index in result.sources. `Part` is a Found or a HuntResult.
template <class Part>
void move_into(Part& part, const std::string& file, std::uint32_t file_id, HuntResult& result) {
  const std::uint64_t base = result.correlation_evidence.size();
  for (auto& in : part.correlation_inputs) {
    in.evidence += base;
    result.correlation_inputs.push_back(std::move(in));
  }
  part.correlation_inputs.clear();
  for (Finding& f : part.correlation_evidence) {
    if (f.file.empty()) f.file = file;
    result.correlation_evidence.push_back(std::move(f));
  }
  part.correlation_evidence.clear();
  move_findings(part.findings, file, result);
  for (IocHit& h : part.ioc_hits) {
    h.source.file_id = file_id;
    h.sequence = result.ioc_hits.size();
    result.ioc_hits.push_back(std::move(h));
  }
  part.ioc_hits.clear();
}

// Moves what the detectors found in part of a file into `result` and the file's source info.
void append(Found& part, const std::string& file, std::uint32_t file_id, HuntResult& result, SourceInfo& source) {
  move_into(part, file, file_id, result);
  result.stats.events += part.events;
  result.stats.records += part.records;
  source.events += part.records;
  if (!part.attributions.empty()) source.attributions.merge(part.attributions);
  if (part.first && (!source.first_time || *part.first < *source.first_time)) source.first_time = part.first;
  if (part.last && (!source.last_time || *part.last > *source.last_time)) source.last_time = part.last;
}

// Runs the detectors on each event of an EVTX chunk, in the worker thread.
class DetectSink : public evtx::EventSink {
 public:
  DetectSink(const Detectors& detectors, const std::string& path) : found(path), detectors_(detectors) {
    // With Sigma rules alone, an event no rule is for (its Channel and EventID tell) is not read
    // further than them: counting it, its time and the --channel/--event-id/--from/--to
    // selection need no more. Indicators and attribution look at every field.
    const sigma::RuleSet* rules = detectors.rules;
    if (rules != nullptr && detectors.indicators == nullptr && detectors.attribution == nullptr) {
      set_event_gate(
          [rules](std::string_view channel, std::string_view event_id) { return rules->may_match(channel, event_id); });
    }
  }

  Found found;

 private:
  void begin_events() override { found.clear(); }
  void event(const Event& e) override { detect(detectors_, e, found); }

  const Detectors& detectors_;
};

void scan_evtx(const std::string& path, const Detectors& detectors, std::uint32_t file_id, HuntResult& result,
               SourceInfo& source, Diagnostics& diagnostics, Progress* progress) {
  source.format = "evtx";
  evtx::read_evtx(
      path, evtx::ReadOptions{}, [&] { return std::make_unique<DetectSink>(detectors, path); },
      [&](evtx::ChunkSink& sink) {
        auto& s = static_cast<DetectSink&>(sink);
        if (progress != nullptr) progress->add(evtx::kChunkSize, s.found.records);
        append(s.found, path, file_id, result, source);
      },
      diagnostics);
}

void scan_json_events(const std::string& path, const Detectors& detectors, std::uint32_t file_id, HuntResult& result,
                      SourceInfo& source, Diagnostics& diagnostics, Progress* progress) {
  source.format = "json-events";
  logs::read_json_events(
      path, file_id,
      [&](const EventBatch& batch, const std::string& name) {
        Found found(name);
        for (std::size_t i = 0; i < batch.size(); ++i) detect(detectors, batch[i], found);
        append(found, name, file_id, result, source);
      },
      diagnostics);
  if (progress != nullptr) progress->add(source.bytes, 0);
}

void scan_text(const std::string& path, const Detectors& detectors, std::uint32_t file_id, HuntResult& result,
               SourceInfo& source, Diagnostics& diagnostics, Progress* progress) {
  // Blocks are detected in parallel and handed back in any order; they are put in file order
  // here as soon as the blocks before them are in, so that only the few blocks in flight wait
  // (keeping every block's findings and attributions to the end grew memory with the file).
  std::mutex mutex;
  std::map<std::uint64_t, Found> waiting;
  std::uint64_t next_block = 0;
  logs::TextReadOptions options = detectors.text;
  options.progress = progress;
  const logs::TextReadStats stats = logs::read_text_log(
      path, file_id, options,
      [&](const EventBatch& batch, std::uint64_t index) {
        Found found(path);
        for (std::size_t i = 0; i < batch.size(); ++i) detect(detectors, batch[i], found);
        std::lock_guard lock(mutex);
        waiting.emplace(index, std::move(found));
        for (auto it = waiting.begin(); it != waiting.end() && it->first == next_block; it = waiting.erase(it)) {
          append(it->second, path, file_id, result, source);
          ++next_block;
        }
      },
      diagnostics);
  source.format = stats.format;
  source.bad_records = stats.bad_lines;
  source.unparsed_lines = stats.filtered;
  // Nothing waits unless the read stopped early (a damaged file): what came goes in, in order.
  for (auto& [index, found] : waiting) append(found, path, file_id, result, source);
}

bool looks_like_windows_events_json(const std::string& path) {
  std::string l = path;
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (l.ends_with(".zip")) return true;
  std::ifstream in(path, std::ios::binary);
  std::string head(1 << 16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find("\"EventID\"") != std::string::npos || head.find("\"winlog\"") != std::string::npos ||
         head.find("\"Event\"") != std::string::npos;
}

void scan_one(const std::string& path, const Detectors& detectors, std::uint32_t file_id, HuntResult& result,
              SourceInfo& source, Diagnostics& diagnostics, Progress* progress) {
  std::error_code ec;
  source.path = path;
  source.bytes = path == "-" ? 0 : std::filesystem::file_size(path, ec);
  const std::size_t errors_before = diagnostics.errors();
  char head[8] = {};
  std::size_t n = 0;
  if (path != "-") {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      diagnostics.report(Problem{path, 0, "", "cannot open"});
      source.problems = 1;
      return;
    }
    in.read(head, sizeof head);
    n = static_cast<std::size_t>(in.gcount());
  }
  if (evtx::looks_like_evtx(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(head), n))) {
    scan_evtx(path, detectors, file_id, result, source, diagnostics, progress);
  } else if (path != "-" && logs::is_json_events_path(path) && looks_like_windows_events_json(path)) {
    scan_json_events(path, detectors, file_id, result, source, diagnostics, progress);
  } else {
    scan_text(path, detectors, file_id, result, source, diagnostics, progress);
  }
  if (source.attributions.dropped() > 0) {
    diagnostics.report(Problem{path, 0, "",
                               std::to_string(source.attributions.dropped()) +
                                   " address/host/user observations not kept: more distinct ones than " +
                                   std::to_string(AttributionTable::kMaxEntries) + " in one file",
                               true});
  }
  source.problems = diagnostics.errors() - errors_before;
}

Detectors sigma_only(const sigma::RuleSet& rules, const EventFilter& filter, sigma::MatchSemantics semantics) {
  Detectors d;
  d.rules = &rules;
  d.filter = &filter;
  d.semantics = semantics;
  return d;
}

}  // namespace

void scan_file(const std::string& path, const Detectors& detectors, HuntResult& result, Diagnostics& diagnostics,
               Progress* progress) {
  const auto file_id = static_cast<std::uint32_t>(result.sources.size());
  SourceInfo source;
  scan_one(path, detectors, file_id, result, source, diagnostics, progress);
  result.sources.push_back(std::move(source));
}

void scan_files(const std::vector<std::string>& paths, const Detectors& detectors, HuntResult& result,
                Diagnostics& diagnostics, Progress* progress) {
  std::vector<HuntResult> per_file(paths.size());
  // With a spool, findings leave while files are still read in parallel: each file numbers its
  // findings from its own base so that the order stays that of the inputs.
  constexpr int kFileSequenceBits = 40;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    per_file[i].spool = result.spool;
    per_file[i].next_sequence = result.next_sequence + (std::uint64_t{i} << kFileSequenceBits);
  }
  std::vector<std::unique_ptr<Diagnostics>> problems(paths.size());
  tbb::parallel_for(std::size_t{0}, paths.size(), [&](std::size_t i) {
    problems[i] = std::make_unique<Diagnostics>();
    scan_file(paths[i], detectors, per_file[i], *problems[i], progress);
  });
  for (std::size_t i = 0; i < paths.size(); ++i) {
    diagnostics.absorb(*problems[i]);
    HuntResult& r = per_file[i];
    move_into(r, paths[i], static_cast<std::uint32_t>(result.sources.size()), result);
    for (SourceInfo& s : r.sources) result.sources.push_back(std::move(s));
    result.stats.events += r.stats.events;
    result.stats.records += r.stats.records;
  }
  if (result.spool != nullptr) result.next_sequence += std::uint64_t{paths.size()} << kFileSequenceBits;
}

void hunt_evtx_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
                    sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics, Progress* progress) {
  const Detectors d = sigma_only(rules, filter, semantics);
  SourceInfo source;
  source.path = path;
  scan_evtx(path, d, static_cast<std::uint32_t>(result.sources.size()), result, source, diagnostics, progress);
  result.sources.push_back(std::move(source));
}

void hunt_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
               sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics, Progress* progress) {
  scan_file(path, sigma_only(rules, filter, semantics), result, diagnostics, progress);
}

void finish_hunt(const sigma::RuleSet& rules, HuntResult& result, const std::function<void(Finding&)>& visit) {
  FindingSpool in_memory(FindingSpool::kUnbounded);
  FindingSpool& spool = result.spool != nullptr ? *result.spool : in_memory;
  spool.add(result.findings);
  const auto& correlations = rules.correlations();
  std::vector<Finding> correlated;
  if (!correlations.empty()) {
    for (const auto& m : correlations.evaluate(result.correlation_inputs)) {
      const auto& c = correlations.rules()[m.correlation];
      Finding f;
      f.kind = "sigma-correlation";
      f.level = c.rule.level;
      f.title = c.rule.title;
      f.rule_id = c.rule.id;
      f.tags = c.rule.attack_tags;
      f.time = m.last;
      if (!m.evidence.empty()) {
        const Finding& last = result.correlation_evidence[m.evidence.back()];
        f.host = last.host;
        f.channel = last.channel;
        f.event_id = last.event_id;
        f.file = last.file;
        f.record_id = last.record_id;
        f.offset = last.offset;
      }
      f.details = "count: " + std::to_string(m.count) + " ¦ from: " + to_iso8601(m.first, 0) +
                  " ¦ to: " + to_iso8601(m.last, 0);
      for (const auto& [name, value] : m.group) {
        f.details += " ¦ ";
        f.details += name;
        f.details += ": ";
        f.details += value;
      }
      f.sequence = result.next_sequence++;
      correlated.push_back(std::move(f));
    }
  }
  spool.add(correlated);
  const std::vector<std::string>& hidden_ids = correlations.suppressed();
  spool.drain([&](Finding& f) {
    if (f.kind == "sigma-correlation" || std::find(hidden_ids.begin(), hidden_ids.end(), f.rule_id) == hidden_ids.end())
      visit(f);
  });
}

std::vector<Finding> finish_hunt(const sigma::RuleSet& rules, HuntResult& result) {
  std::vector<Finding> out;
  finish_hunt(rules, result, [&out](Finding& f) { out.push_back(std::move(f)); });
  return out;
}

}  // namespace ashiato::analyze
