// Reads a text log with ashiato's reader and keeps its events as plain (name, value) lists in
// file order, for tests to compare.
#pragma once
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "logs/text_log_reader.h"

namespace ashiato::test {

struct CapturedEvent {
  Timestamp time;
  std::uint64_t line = 0;
  std::vector<std::pair<std::string, std::string>> fields;

  // Every value of the field, in order.
  std::vector<std::string> all(const std::string& name) const {
    std::vector<std::string> v;
    for (const auto& [k, value] : fields) {
      if (k == name) v.push_back(value);
    }
    return v;
  }
  std::string get(const std::string& name) const {
    for (const auto& [k, value] : fields) {
      if (k == name) return value;
    }
    return {};
  }
};

struct CapturedLog {
  logs::TextReadStats stats;
  std::vector<CapturedEvent> events;
  Diagnostics diagnostics;
};

inline void capture_text_log(const std::string& path, CapturedLog& out, logs::TextReadOptions options = {}) {
  std::mutex mutex;
  std::map<std::uint64_t, std::vector<CapturedEvent>> blocks;
  out.stats = logs::read_text_log(
      path, 0, options,
      [&](const EventBatch& batch, std::uint64_t index) {
        std::vector<CapturedEvent> events;
        for (std::size_t i = 0; i < batch.size(); ++i) {
          const Event e = batch[i];
          CapturedEvent c{e.time(), e.source().record_id, {}};
          e.for_each_field([&](FieldId id, std::string_view v) { c.fields.emplace_back(field_name(id), v); });
          events.push_back(std::move(c));
        }
        std::lock_guard lock(mutex);
        blocks.emplace(index, std::move(events));
      },
      out.diagnostics);
  for (auto& [index, events] : blocks) {
    for (auto& e : events) out.events.push_back(std::move(e));
  }
}

}  // namespace ashiato::test
