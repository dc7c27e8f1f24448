// Reads a text log (plain, .gz, .zst, .bz2 or stdin): detects its format from the first lines,
// cuts it into blocks at line ends and parses the blocks in parallel, handing each block's events
// to the caller. Lines that do not parse are counted and the first of them reported with file,
// line and reason; nothing is dropped silently.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "core/event.h"
#include "core/progress.h"
#include "logs/line_format.h"

namespace ashiato::logs {

struct TextReadOptions {
  std::string format;                                          // forced format name; empty: detect
  const LogClock* clock = nullptr;                             // --log-tz (default: UTC)
  std::vector<std::pair<std::string, std::string>> field_map;  // --map native=canonical (CSV/TSV/JSONL)
  std::size_t block_size = 1 << 20;
  Progress* progress = nullptr;
  // Picks the lines of a block worth parsing: appends their start offsets in order (an indicator
  // sweep skipping lines that hold no candidate). Empty and '#' lines must be among them. The
  // others are counted but not parsed. Used only for formats whose fields are verbatim parts of
  // the line.
  std::function<void(std::string_view block, std::vector<std::size_t>& line_starts)> line_selector;
};

struct TextReadStats {
  std::string format;  // name of the format read; empty if none was recognised
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
  std::uint64_t skipped = 0;    // comments, headers, directives, blank lines
  std::uint64_t bad_lines = 0;  // lines that did not parse (the first are reported)
  std::uint64_t filtered = 0;   // lines the line filter left unparsed
  std::uint64_t bytes = 0;      // decompressed bytes
  std::optional<Timestamp> first_time, last_time;
};

// Called from worker threads, possibly concurrently, with every block of one file (also those
// without events, so that a consumer putting blocks in order never waits for a missing one);
// `block_index` gives their order: 0, 1, 2, ...
using TextBatchConsumer = std::function<void(const EventBatch& batch, std::uint64_t block_index)>;

// Reads one file. Problems (unreadable file, unknown format, corrupt compression, bad lines) go to
// `diagnostics`; what could be read before a problem is still delivered.
TextReadStats read_text_log(const std::string& path, std::uint32_t file_id, const TextReadOptions& options,
                            const TextBatchConsumer& consume, Diagnostics& diagnostics);

// The best format for these first lines, or nullptr.
const LogFormat* detect_format(const std::vector<std::string_view>& head);
// "squid, w3c, ..." for messages.
std::string format_names();

}  // namespace ashiato::logs
