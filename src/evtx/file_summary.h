// A per-file inventory: records, errors, time range and counts per "Channel:EventID".
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/diagnostics.h"
#include "core/timestamp.h"
#include "evtx/parallel_reader.h"

namespace ashiato::evtx {

struct FileSummary {
  std::string path;
  FileStats stats;
  std::optional<Timestamp> first, last;
  std::map<std::string, std::uint64_t> per_event;  // "Channel:EventID" -> count
};

// Reads the whole file, decoding every record into event fields. Throws std::runtime_error when
// the file cannot be opened; problems inside it go to `diagnostics`.
FileSummary summarize_file(const std::string& path, const ReadOptions& options, Diagnostics& diagnostics);

}  // namespace ashiato::evtx
