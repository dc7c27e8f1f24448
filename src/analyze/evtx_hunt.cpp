#include "analyze/evtx_hunt.h"

#include <algorithm>
#include <charconv>
#include <memory>

#include "evtx/event_fields.h"
#include "evtx/parallel_reader.h"
#include "report/event_details.h"

namespace ashiato::analyze {
namespace {

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
    rules_.match(e, semantics_, [&](std::uint32_t r) {
      Finding f = sigma_finding(rules_.rules()[r], e);
      f.offset = info.file_offset;
      if (f.record_id == 0) f.record_id = info.record_id;
      if (const int source = rules_.correlation_source(r); source >= 0) {
        sigma::CorrelationInput in{static_cast<std::uint32_t>(source), e.time(), {}, findings.size()};
        for (FieldId id : rules_.correlations().sources()[static_cast<std::size_t>(source)].fields) {
          in.values.emplace_back(e.get(id).value_or(""));
        }
        correlation_inputs.push_back(std::move(in));
      }
      findings.push_back(std::move(f));
    });
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
                    sigma::MatchSemantics semantics, HuntResult& result, Diagnostics& diagnostics) {
  evtx::read_evtx(
      path, evtx::ReadOptions{}, [&] { return std::make_unique<HuntSink>(rules, filter, semantics); },
      [&](evtx::ChunkSink& sink) {
        auto& s = static_cast<HuntSink&>(sink);
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
      for (const auto& [name, value] : m.group) f.details += " ¦ " + name + ": " + value;
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
