#include "analyze/evtx_hunt.h"

#include <tbb/parallel_for.h>
#include <algorithm>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <memory>

#include "evtx/event_fields.h"
#include "evtx/evtx_file.h"
#include "evtx/format.h"
#include "evtx/parallel_reader.h"
#include "logs/json_events.h"
#include "report/event_details.h"

namespace ashiato::analyze {
namespace {

void match_event(const sigma::RuleSet& rules, const Event& e, sigma::MatchSemantics semantics,
                 std::vector<Finding>& findings, std::vector<sigma::CorrelationInput>& inputs, std::uint64_t base);

// Runs the rules on each event of a chunk, in the worker thread.
class HuntSink : public evtx::ChunkSink {
 public:
  HuntSink(const sigma::RuleSet& rules, const EventFilter& filter, sigma::MatchSemantics semantics)
      : rules_(rules), filter_(filter), semantics_(semantics) {}

  void begin_chunk() override {
    findings.clear();
    correlation_inputs.clear();
    events = records = 0;
    fields_.begin_chunk();
  }

  void record(const evtx::RecordInfo& info, const evtx::RecordTree& tree) override {
    ++records;
    batch_.clear();
    fields_.add(tree, info, 0, batch_);
    const Event e = batch_[0];
    if (filter_.active() && !filter_.accepts(e)) return;
    ++events;
    const std::size_t before = findings.size();
    match_event(rules_, e, semantics_, findings, correlation_inputs, 0);
    for (std::size_t i = before; i < findings.size(); ++i) {
      findings[i].offset = info.file_offset;
      if (findings[i].record_id == 0) findings[i].record_id = info.record_id;
    }
  }

  std::vector<Finding> findings;
  std::vector<sigma::CorrelationInput> correlation_inputs;  // evidence: index into findings
  std::uint64_t events = 0, records = 0;

 private:
  const sigma::RuleSet& rules_;
  const EventFilter& filter_;
  sigma::MatchSemantics semantics_;
  evtx::EventFieldBuilder fields_;
  EventBatch batch_;
};

}  // namespace

Finding sigma_finding(const sigma::Rule& rule, const Event& e) {
  static const FieldId computer = intern_field("Computer");
  static const FieldId channel = intern_field("Channel");
  static const FieldId event_id = intern_field("EventID");
  static const FieldId record_id = intern_field("EventRecordID");
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
  if (const auto rid = e.get(record_id); rid && !rid->empty()) {
    std::from_chars(rid->data(), rid->data() + rid->size(), f.record_id);
  }
  return f;
}

void hunt_evtx_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
                    sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics, Progress* progress) {
  evtx::read_evtx(
      path, evtx::ReadOptions{}, [&] { return std::make_unique<HuntSink>(rules, filter, semantics); },
      [&](evtx::ChunkSink& sink) {
        auto& s = static_cast<HuntSink&>(sink);
        if (progress != nullptr) progress->add(evtx::kChunkSize, s.records);
        result.stats.events += s.events;
        result.stats.records += s.records;
        const std::uint64_t base = result.findings.size();
        for (auto& in : s.correlation_inputs) {
          in.evidence += base;
          result.correlation_inputs.push_back(std::move(in));
        }
        for (Finding& f : s.findings) {
          f.file = path;
          f.sequence = result.findings.size();
          result.findings.push_back(std::move(f));
        }
      },
      diagnostics);
}

namespace {

// Findings (and correlation inputs) for the rules matching `e`.
void match_event(const sigma::RuleSet& rules, const Event& e, sigma::MatchSemantics semantics,
                 std::vector<Finding>& findings, std::vector<sigma::CorrelationInput>& inputs, std::uint64_t base) {
  rules.match(e, semantics, [&](std::uint32_t r) {
    Finding f = sigma_finding(rules.rules()[r], e);
    f.offset = e.source().offset;
    if (const int source = rules.correlation_source(r); source >= 0) {
      sigma::CorrelationInput in{static_cast<std::uint32_t>(source), e.time(), {}, base + findings.size()};
      for (FieldId id : rules.correlations().sources()[static_cast<std::size_t>(source)].fields) {
        in.values.emplace_back(e.get(id).value_or(""));
      }
      inputs.push_back(std::move(in));
    }
    findings.push_back(std::move(f));
  });
}

}  // namespace

void hunt_json_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
                    sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics, Progress* progress) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  logs::read_json_events(
      path, 0,
      [&](const EventBatch& batch, const std::string& source) {
        for (std::size_t i = 0; i < batch.size(); ++i) {
          const Event e = batch[i];
          result.stats.records++;
          if (filter.active() && !filter.accepts(e)) continue;
          result.stats.events++;
          const std::size_t before = result.findings.size();
          std::vector<Finding> found;
          match_event(rules, e, semantics, found, result.correlation_inputs, before);
          for (Finding& f : found) {
            f.file = source;
            f.offset = e.source().offset;  // object number in the file
            f.sequence = result.findings.size();
            result.findings.push_back(std::move(f));
          }
        }
      },
      diagnostics);
  if (progress != nullptr) progress->add(ec ? 0 : size, 0);
}

void hunt_file(const std::string& path, const sigma::RuleSet& rules, const EventFilter& filter,
               sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics, Progress* progress) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  char head[8] = {};
  in.read(head, sizeof head);
  const auto n = static_cast<std::size_t>(in.gcount());
  if (evtx::looks_like_evtx(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(head), n))) {
    hunt_evtx_file(path, rules, filter, semantics, result, diagnostics, progress);
  } else if (logs::is_json_events_path(path)) {
    hunt_json_file(path, rules, filter, semantics, result, diagnostics, progress);
  } else {
    throw std::runtime_error(path +
                             ": unknown format (tried: EVTX signature; .json/.jsonl/.ndjson/.zip event exports)");
  }
}

void hunt_files(const std::vector<std::string>& paths, const sigma::RuleSet& rules, const EventFilter& filter,
                sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics, Progress* progress) {
  std::vector<HuntResult> per_file(paths.size());
  std::vector<std::unique_ptr<Diagnostics>> problems(paths.size());
  tbb::parallel_for(std::size_t{0}, paths.size(), [&](std::size_t i) {
    problems[i] = std::make_unique<Diagnostics>();
    try {
      hunt_file(paths[i], rules, filter, semantics, per_file[i], *problems[i], progress);
    } catch (const std::runtime_error& e) {
      problems[i]->report(Problem{paths[i], 0, "", e.what(), false});
    }
  });
  for (std::size_t i = 0; i < paths.size(); ++i) {
    diagnostics.absorb(*problems[i]);
    HuntResult& r = per_file[i];
    const std::uint64_t base = result.findings.size();
    for (auto& in : r.correlation_inputs) {
      in.evidence += base;
      result.correlation_inputs.push_back(std::move(in));
    }
    for (Finding& f : r.findings) {
      f.sequence = result.findings.size();
      result.findings.push_back(std::move(f));
    }
    result.stats.events += r.stats.events;
    result.stats.records += r.stats.records;
  }
}

std::vector<Finding> finish_hunt(const sigma::RuleSet& rules, HuntResult& result) {
  std::vector<Finding> out;
  const auto& correlations = rules.correlations();
  if (!correlations.empty()) {
    for (const auto& m : correlations.evaluate(result.correlation_inputs)) {
      const auto& c = correlations.rules()[m.correlation];
      Finding f;
      f.kind = "sigma-correlation";
      f.level = c.rule.level;
      f.title = c.rule.title;
      f.rule_id = c.rule.id;
      for (const auto& t : c.rule.tags) {
        if (t.rfind("attack.", 0) == 0) f.tags.push_back(t);
      }
      f.time = m.last;
      const Finding* last = m.evidence.empty() ? nullptr : &result.findings[m.evidence.back()];
      if (last != nullptr) {
        f.host = last->host;
        f.channel = last->channel;
        f.event_id = last->event_id;
        f.file = last->file;
        f.record_id = last->record_id;
        f.offset = last->offset;
      }
      f.details = "count: " + std::to_string(m.count) + " ¦ from: " + to_iso8601(m.first, 0) +
                  " ¦ to: " + to_iso8601(m.last, 0);
      for (const auto& [name, value] : m.group) {
        f.details += " ¦ ";
        f.details += name;
        f.details += ": ";
        f.details += value;
      }
      f.sequence = result.findings.size() + out.size();
      out.push_back(std::move(f));
    }
  }
  std::vector<std::string> hidden_ids = correlations.suppressed();
  for (Finding& f : result.findings) {
    if (std::find(hidden_ids.begin(), hidden_ids.end(), f.rule_id) == hidden_ids.end()) out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
  });
  return out;
}

}  // namespace ashiato::analyze
