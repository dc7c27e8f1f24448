// An EVTX file: its header, validated, and the chunks that follow it.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace ashiato::evtx {

struct FileHeader {
  std::uint64_t first_chunk = 0;
  std::uint64_t last_chunk = 0;
  std::uint64_t next_record_id = 0;
  std::uint32_t header_size = 0;
  std::uint16_t minor_version = 0;
  std::uint16_t major_version = 0;
  std::uint16_t chunk_data_offset = 0;
  std::uint16_t chunk_count = 0;
  std::uint32_t flags = 0;
  std::uint32_t checksum = 0;
};

// Chunks are read with pread into caller-owned buffers rather than memory-mapped: resident
// memory then stays at the chunks in flight whatever the file size, and an I/O error (or a file
// truncated while being read) is an exception instead of SIGBUS.
class EvtxFile {
 public:
  // Opens the file; throws std::runtime_error if it cannot be opened. Header problems are
  // reported to `problems` (the file is still read when its chunks are usable).
  EvtxFile(const std::string& path, std::vector<Problem>& problems);
  ~EvtxFile();
  EvtxFile(const EvtxFile&) = delete;
  EvtxFile& operator=(const EvtxFile&) = delete;

  const std::string& path() const { return path_; }
  const FileHeader& header() const { return header_; }
  bool has_magic() const { return has_magic_; }
  // Chunks present in the file, counted from its size (the header's count is unreliable in
  // dirty files); a trailing partial chunk of at least a chunk header counts.
  std::size_t chunk_count() const { return chunk_count_; }
  // Reads chunk `index` into `buffer` (resized as needed). Thread-safe. Throws std::runtime_error
  // on I/O errors.
  std::span<const std::uint8_t> read_chunk(std::size_t index, std::vector<std::uint8_t>& buffer) const;
  std::uint64_t chunk_offset(std::size_t index) const;
  std::uint64_t size() const { return size_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  FileHeader header_;
  bool has_magic_ = false;
  std::size_t chunk_count_ = 0;
};

// True if the bytes start like an EVTX file (for format detection).
bool looks_like_evtx(std::span<const std::uint8_t> head);

}  // namespace ashiato::evtx
