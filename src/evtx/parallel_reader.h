// Reads EVTX files chunk by chunk on all cores; results come back in file order.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/diagnostics.h"
#include "evtx/record_tree.h"

namespace ashiato::evtx {

class Chunk;

struct RecordInfo {
  std::uint64_t file_offset;
  std::uint64_t record_id;
  std::uint64_t written_time;  // FILETIME from the record header
  std::uint32_t chunk;
  bool carved;  // recovered from slack or unallocated space
};

// Receives the records of one chunk, on a worker thread. One sink handles one chunk at a time.
class ChunkSink {
 public:
  virtual ~ChunkSink() = default;
  virtual void begin_chunk() {}
  // Offered each record first, as its BinXML in chunk bytes [begin, end): a sink that needs only
  // the event's fields may take it from there (EventFieldBuilder::add_direct) and return true.
  // Otherwise the record is parsed and handed to record().
  virtual bool record_bytes(const RecordInfo& /*info*/, Chunk& /*chunk*/, std::uint32_t /*begin*/,
                            std::uint32_t /*end*/) {
    return false;
  }
  virtual void record(const RecordInfo& info, const RecordTree& tree) = 0;
};

struct ReadOptions {
  bool carve = false;  // also recover records from chunk slack and from chunks with bad headers
};

struct FileStats {
  std::uint64_t records = 0;        // records parsed, carved ones included
  std::uint64_t carved = 0;         // of which recovered by carving
  std::uint64_t record_errors = 0;  // records found but not decodable, or corrupt record headers
  std::uint64_t chunks = 0;
  std::uint64_t bad_chunks = 0;  // skipped: bad signature (zeroed chunks are not counted)
  std::uint64_t bytes = 0;
  std::uint64_t errors() const { return record_errors + bad_chunks; }
};

using SinkFactory = std::function<std::unique_ptr<ChunkSink>()>;
// Called serially, in chunk order, after the chunk's problems were reported.
using ChunkConsumer = std::function<void(ChunkSink&)>;

// Reads one file. Problems go to `diagnostics` in file order. Throws std::runtime_error only
// when the file cannot be opened at all.
FileStats read_evtx(const std::string& path, const ReadOptions& options, const SinkFactory& make_sink,
                    const ChunkConsumer& consume, Diagnostics& diagnostics);

}  // namespace ashiato::evtx
