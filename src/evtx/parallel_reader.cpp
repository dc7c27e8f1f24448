#include "evtx/parallel_reader.h"

#include <fmt/format.h>
#include <tbb/concurrent_queue.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <vector>

#include "evtx/binxml_parser.h"
#include "evtx/chunk.h"
#include "evtx/evtx_file.h"
#include "evtx/format.h"

namespace ashiato::evtx {
namespace {

// The per-chunk state that is recycled between chunks: the sink and the chunk's bytes.
struct Worker {
  std::unique_ptr<ChunkSink> sink;
  std::vector<std::uint8_t> buffer;
};

struct ChunkJob {
  std::size_t index = 0;
  std::unique_ptr<Worker> worker;
  std::vector<Problem> problems;
  FileStats stats;
};

bool all_zero(std::span<const std::uint8_t> bytes) {
  for (std::uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

void parse_records(Chunk& chunk, const std::vector<RecordLocation>& records, bool carved, const std::string& path,
                   ChunkJob& job) {
  BinXmlParser parser(chunk);
  thread_local RecordTree tree;
  for (const RecordLocation& loc : records) {
    const RecordInfo info{chunk.file_offset() + loc.offset, loc.record_id, loc.written_time, chunk.index(), carved};
    const std::uint32_t begin = loc.offset + kRecordHeaderSize;
    const std::uint32_t end = loc.offset + loc.size - 4;
    if (!job.worker->sink->record_bytes(info, chunk, begin, end)) {
      try {
        parser.parse(begin, end, tree);
      } catch (const ParseError& e) {
        job.problems.push_back(Problem{path, chunk.file_offset() + e.offset,
                                       fmt::format("chunk {}, record {} at {:#x}{}", chunk.index(), loc.record_id,
                                                   chunk.file_offset() + loc.offset, carved ? " (carved)" : ""),
                                       e.what(), carved});
        if (!carved) job.stats.record_errors++;
        continue;
      }
      job.worker->sink->record(info, tree);
    }
    job.stats.records++;
    if (carved) job.stats.carved++;
  }
}

void process_chunk(const EvtxFile& file, const ReadOptions& options, ChunkJob& job) {
  const std::string& path = file.path();
  job.worker->sink->begin_chunk();
  std::span<const std::uint8_t> bytes;
  try {
    bytes = file.read_chunk(job.index, job.worker->buffer);
  } catch (const std::runtime_error& e) {
    job.problems.push_back(
        Problem{path, file.chunk_offset(job.index), fmt::format("chunk {}", job.index), e.what(), false});
    job.stats.bad_chunks = 1;
    return;
  }
  Chunk chunk(bytes, file.chunk_offset(job.index), static_cast<std::uint32_t>(job.index));
  job.stats.chunks = 1;
  job.stats.bytes = bytes.size();
  const std::string where = fmt::format("chunk {}", job.index);
  if (!chunk.has_magic()) {
    if (all_zero(bytes)) return;  // preallocated or wiped chunk: nothing to read
    // Past the header's chunk count this is unallocated space, not a damaged chunk.
    const bool unallocated = file.has_magic() && job.index >= file.header().chunk_count;
    if (!unallocated) job.stats.bad_chunks = 1;
    job.problems.push_back(Problem{path, chunk.file_offset(), where,
                                   unallocated ? "no chunk signature after the header's last chunk: unallocated "
                                                 "space (use --carve to recover records)"
                                               : "bad chunk signature; chunk skipped",
                                   unallocated});
    if (options.carve && bytes.size() > kChunkHeaderSize) {
      parse_records(chunk, chunk.carve_records(kChunkHeaderSize, static_cast<std::uint32_t>(bytes.size())), true, path,
                    job);
    }
    return;
  }
  const ChunkHeader& h = chunk.header();
  const std::uint32_t header_crc = chunk.computed_header_checksum();
  if (header_crc != h.header_checksum) {
    job.problems.push_back(Problem{path, chunk.file_offset() + 124, where,
                                   fmt::format("chunk header checksum {:#010x} does not match computed {:#010x}; "
                                               "parsed anyway",
                                               h.header_checksum, header_crc),
                                   true});
  }
  const std::uint32_t records_crc = chunk.computed_records_checksum();
  if (records_crc != h.records_checksum) {
    job.problems.push_back(Problem{path, chunk.file_offset() + 52, where,
                                   fmt::format("event records checksum {:#010x} does not match computed {:#010x}; "
                                               "parsed anyway",
                                               h.records_checksum, records_crc),
                                   true});
  }
  const std::size_t before = job.problems.size();
  const auto records = chunk.locate_records(job.problems, path);
  for (std::size_t i = before; i < job.problems.size(); ++i) job.stats.record_errors += job.problems[i].warning ? 0 : 1;
  parse_records(chunk, records, false, path, job);
  if (options.carve) {
    std::uint32_t slack = kChunkHeaderSize;
    if (!records.empty()) slack = records.back().offset + records.back().size;
    std::vector<RecordLocation> carved;
    for (const RecordLocation& loc : chunk.carve_records(slack, static_cast<std::uint32_t>(bytes.size()))) {
      bool known = false;
      for (const RecordLocation& r : records) known = known || r.offset == loc.offset;
      if (!known) carved.push_back(loc);
    }
    parse_records(chunk, carved, true, path, job);
  }
}

}  // namespace

FileStats read_evtx(const std::string& path, const ReadOptions& options, const SinkFactory& make_sink,
                    const ChunkConsumer& consume, Diagnostics& diagnostics) {
  std::vector<Problem> header_problems;
  EvtxFile file(path, header_problems);
  for (Problem& p : header_problems) diagnostics.report(std::move(p));
  FileStats total;
  const std::size_t chunks = file.chunk_count();
  if (chunks == 0) return total;

  tbb::concurrent_queue<std::unique_ptr<Worker>> pool;
  std::size_t next = 0;
  const auto tokens = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()) * 2;
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, ChunkJob*>(tbb::filter_mode::serial_in_order, [&](tbb::flow_control& fc) -> ChunkJob* {
        if (next >= chunks) {
          fc.stop();
          return nullptr;
        }
        auto* job = new ChunkJob;
        job->index = next++;
        if (!pool.try_pop(job->worker)) {
          job->worker = std::make_unique<Worker>();
          job->worker->sink = make_sink();
        }
        return job;
      }) & tbb::make_filter<ChunkJob*, ChunkJob*>(tbb::filter_mode::parallel, [&](ChunkJob* job) {
        process_chunk(file, options, *job);
        return job;
      }) & tbb::make_filter<ChunkJob*, void>(tbb::filter_mode::serial_in_order, [&](ChunkJob* job) {
        std::unique_ptr<ChunkJob> owned(job);
        for (Problem& p : job->problems) diagnostics.report(std::move(p));
        consume(*job->worker->sink);
        total.records += job->stats.records;
        total.carved += job->stats.carved;
        total.record_errors += job->stats.record_errors;
        total.chunks += job->stats.chunks;
        total.bad_chunks += job->stats.bad_chunks;
        total.bytes += job->stats.bytes;
        pool.push(std::move(job->worker));
      }));
  return total;
}

}  // namespace ashiato::evtx
