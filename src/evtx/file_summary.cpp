#include "evtx/file_summary.h"

#include <memory>

#include "core/event.h"
#include "evtx/event_sink.h"

namespace ashiato::evtx {
namespace {

// Tallies a chunk's events on its worker thread; the serial stage that merges chunks in file
// order only adds up a few counts per chunk.
class SummarySink : public EventSink {
 public:
  std::optional<Timestamp> first, last;
  std::map<std::string, std::uint64_t> per_event;

 private:
  void begin_events() override {
    first.reset();
    last.reset();
    per_event.clear();
  }
  void event(const Event& e) override {
    static const FieldId channel = intern_field("Channel");
    static const FieldId event_id = intern_field("EventID");
    const Timestamp t = e.time();
    if (!first || t < *first) first = t;
    if (!last || t > *last) last = t;
    key_.assign(e.get(channel).value_or(""));
    key_.push_back(':');
    key_ += e.get(event_id).value_or("");
    ++per_event[key_];
  }

  std::string key_;
};

}  // namespace

FileSummary summarize_file(const std::string& path, const ReadOptions& options, Diagnostics& diagnostics) {
  FileSummary s;
  s.path = path;
  s.stats = read_evtx(
      path, options, [] { return std::make_unique<SummarySink>(); },
      [&](ChunkSink& sink) {
        const auto& chunk = static_cast<const SummarySink&>(sink);
        if (chunk.first && (!s.first || *chunk.first < *s.first)) s.first = chunk.first;
        if (chunk.last && (!s.last || *chunk.last > *s.last)) s.last = chunk.last;
        for (const auto& [key, count] : chunk.per_event) s.per_event[key] += count;
      },
      diagnostics);
  return s;
}

}  // namespace ashiato::evtx
