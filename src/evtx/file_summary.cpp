#include "evtx/file_summary.h"

#include <memory>

#include "core/event.h"
#include "evtx/event_fields.h"

namespace ashiato::evtx {
namespace {

// Tallies a chunk's events on the worker thread; only the chunk's few counts reach the serial
// stage that merges them in file order (tallying there kept the second core idle).
class SummarySink : public ChunkSink {
 public:
  void begin_chunk() override {
    first.reset();
    last.reset();
    per_event.clear();
    last_count_ = nullptr;
    fields_.begin_chunk();
  }
  bool record_bytes(const RecordInfo& info, Chunk& chunk, std::uint32_t begin, std::uint32_t end) override {
    batch_.clear();
    if (!fields_.add_direct(chunk, begin, end, info, 0, batch_)) return false;
    tally(batch_[0]);
    return true;
  }
  void record(const RecordInfo& info, const RecordTree& tree) override {
    batch_.clear();
    fields_.add(tree, info, 0, batch_);
    tally(batch_[0]);
  }

  std::optional<Timestamp> first, last;
  std::map<std::string, std::uint64_t> per_event;

 private:
  void tally(const Event& e) {
    static const FieldId channel = intern_field("Channel");
    static const FieldId event_id = intern_field("EventID");
    const Timestamp t = e.time();
    if (!first || t < *first) first = t;
    if (!last || t > *last) last = t;
    key_.assign(e.get(channel).value_or(""));
    key_.push_back(':');
    key_ += e.get(event_id).value_or("");
    // Consecutive records mostly share their key: no map lookup for them.
    if (last_count_ == nullptr || key_ != last_key_) {
      last_count_ = &per_event[key_];
      last_key_ = key_;
    }
    ++*last_count_;
  }

  EventFieldBuilder fields_;
  EventBatch batch_;
  std::string key_, last_key_;
  std::uint64_t* last_count_ = nullptr;
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
