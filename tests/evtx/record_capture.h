// Test helper: reads an EVTX file and keeps each record's XML, JSON and event fields.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/event.h"
#include "evtx/event_fields.h"
#include "evtx/json_renderer.h"
#include "evtx/parallel_reader.h"
#include "evtx/xml_renderer.h"

namespace ashiato::test {

struct CapturedRecord {
  std::uint64_t record_id;
  std::string xml;
  std::string json;
  std::vector<std::pair<std::string, std::string>> fields;
};

inline std::vector<CapturedRecord> capture_records(const std::string& path, Diagnostics& diagnostics,
                                                   bool carve = false) {
  struct Sink : evtx::ChunkSink {
    std::vector<CapturedRecord> records;
    evtx::EventFieldBuilder builder;
    void begin_chunk() override {
      records.clear();
      builder.begin_chunk();
    }
    void record(const evtx::RecordInfo& info, const evtx::RecordTree& tree) override {
      CapturedRecord r{info.record_id, {}, {}, {}};
      evtx::append_xml(r.xml, tree);
      evtx::append_json(r.json, tree, true);
      EventBatch batch;
      builder.add(tree, info, 0, batch);
      batch[0].for_each_field([&](FieldId id, std::string_view v) { r.fields.emplace_back(field_name(id), v); });
      records.push_back(std::move(r));
    }
  };
  std::vector<CapturedRecord> all;
  evtx::read_evtx(
      path, evtx::ReadOptions{carve}, [] { return std::make_unique<Sink>(); },
      [&](evtx::ChunkSink& s) {
        auto& sink = static_cast<Sink&>(s);
        for (auto& r : sink.records) all.push_back(std::move(r));
      },
      diagnostics);
  return all;
}

inline std::string field(const CapturedRecord& r, const std::string& name) {
  for (const auto& [k, v] : r.fields) {
    if (k == name) return v;
  }
  return "<absent>";
}

}  // namespace ashiato::test
