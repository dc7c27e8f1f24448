#include "evtx/file_summary.h"

#include <memory>

#include "core/event.h"
#include "evtx/event_fields.h"

namespace ashiato::evtx {
namespace {

class SummarySink : public ChunkSink {
 public:
  void begin_chunk() override {
    batch.clear();
    fields_.begin_chunk();
  }
  bool record_bytes(const RecordInfo& info, Chunk& chunk, std::uint32_t begin, std::uint32_t end) override {
    return fields_.add_direct(chunk, begin, end, info, 0, batch);
  }
  void record(const RecordInfo& info, const RecordTree& tree) override { fields_.add(tree, info, 0, batch); }
  EventBatch batch;

 private:
  EventFieldBuilder fields_;
};

}  // namespace

FileSummary summarize_file(const std::string& path, const ReadOptions& options, Diagnostics& diagnostics) {
  static const FieldId channel = intern_field("Channel");
  static const FieldId event_id = intern_field("EventID");
  FileSummary s;
  s.path = path;
  std::string key;
  s.stats = read_evtx(
      path, options, [] { return std::make_unique<SummarySink>(); },
      [&](ChunkSink& sink) {
        const EventBatch& batch = static_cast<SummarySink&>(sink).batch;
        for (std::size_t i = 0; i < batch.size(); ++i) {
          const Event e = batch[i];
          const Timestamp t = e.time();
          if (!s.first || t < *s.first) s.first = t;
          if (!s.last || t > *s.last) s.last = t;
          key.assign(e.get(channel).value_or(""));
          key.push_back(':');
          key += e.get(event_id).value_or("");
          s.per_event[key]++;
        }
      },
      diagnostics);
  return s;
}

}  // namespace ashiato::evtx
