// Windows events exported as JSON: evtx_dump's layout (Event.System / Event.EventData), Winlogbeat
// and ECS (winlog.*), and the flat NXLog layout of the OTRF/Mordor datasets. One object per line,
// a JSON array, or concatenated objects; zip archives of such files are read entry by entry.
// Every layout becomes the same fields as the EVTX reader gives (see docs/evtx.md "Fields").
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "core/event.h"

namespace ashiato::logs {

struct JsonReadStats {
  std::uint64_t events = 0;
  std::uint64_t errors = 0;  // objects or lines that could not be read (reported)
};

// Called with batches of events; `source` names the file (and zip entry).
using EventBatchConsumer = std::function<void(const EventBatch& batch, const std::string& source)>;

// Reads a .json/.jsonl file or a .zip of them. Throws std::runtime_error if it cannot be opened.
JsonReadStats read_json_events(const std::string& path, std::uint32_t file_id, const EventBatchConsumer& consume,
                               Diagnostics& diagnostics);

// Parses JSON text (any of the accepted layouts) into events, appending to `batch`.
JsonReadStats parse_json_events(std::string_view text, const std::string& source, std::uint32_t file_id,
                                EventBatch& batch, Diagnostics& diagnostics);

bool is_json_events_path(const std::string& path);

}  // namespace ashiato::logs
