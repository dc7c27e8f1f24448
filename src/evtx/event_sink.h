// A chunk sink for readers that need only each record's event (fields, time, source), not its
// XML: the event comes from the record's compiled template when it can (see TemplateFields),
// from its tree otherwise.
#pragma once
#include <cstdint>
#include <utility>

#include "core/event.h"
#include "evtx/event_fields.h"
#include "evtx/parallel_reader.h"

namespace ashiato::evtx {

class EventSink : public ChunkSink {
 public:
  void begin_chunk() override {
    fields_.begin_chunk();
    begin_events();
  }
  bool record_bytes(const RecordInfo& info, Chunk& chunk, std::uint32_t begin, std::uint32_t end) final {
    batch_.clear();
    if (!fields_.add_direct(chunk, begin, end, info, 0, batch_)) return false;
    event(batch_[0]);
    return true;
  }
  void record(const RecordInfo& info, const RecordTree& tree) final {
    batch_.clear();
    fields_.add(tree, info, 0, batch_);  // the event's source carries the record's id and offset
    event(batch_[0]);
  }

 protected:
  // See EventFieldBuilder::set_gate.
  void set_event_gate(EventGate gate) { fields_.set_gate(std::move(gate)); }
  // Called when a new chunk starts, before its events.
  virtual void begin_events() {}
  // Each record's event, in record order within the chunk.
  virtual void event(const Event& e) = 0;

 private:
  EventFieldBuilder fields_;
  EventBatch batch_;
};

}  // namespace ashiato::evtx
