// One 64 KiB chunk: header, checksums, the records it holds and its table of names.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/diagnostics.h"
#include "evtx/record_tree.h"

namespace ashiato::evtx {

// Raised while decoding BinXML; `offset` is relative to the chunk start.
struct ParseError : std::runtime_error {
  ParseError(std::uint32_t at, const std::string& why) : std::runtime_error(why), offset(at) {}
  std::uint32_t offset;
};

struct ChunkHeader {
  std::uint64_t first_record_number = 0;
  std::uint64_t last_record_number = 0;
  std::uint64_t first_record_id = 0;
  std::uint64_t last_record_id = 0;
  std::uint32_t header_size = 0;
  std::uint32_t last_record_offset = 0;
  std::uint32_t free_space_offset = 0;
  std::uint32_t records_checksum = 0;
  std::uint32_t flags = 0;
  std::uint32_t header_checksum = 0;
};

struct RecordLocation {
  std::uint32_t offset;  // of the record's signature, relative to the chunk
  std::uint32_t size;    // whole record including signature and size copy
  std::uint64_t record_id;
  std::uint64_t written_time;  // FILETIME
};

class Chunk {
 public:
  // `bytes` is the chunk (normally 65536 bytes; shorter when the file is truncated).
  Chunk(std::span<const std::uint8_t> bytes, std::uint64_t file_offset, std::uint32_t index);

  bool has_magic() const;
  const ChunkHeader& header() const { return header_; }
  std::span<const std::uint8_t> bytes() const { return bytes_; }
  std::uint64_t file_offset() const { return file_offset_; }
  std::uint32_t index() const { return index_; }

  std::uint32_t computed_header_checksum() const;
  std::uint32_t computed_records_checksum() const;

  // Finds the records between the header and the free-space offset. Corrupt records are
  // reported to `problems` (with file offsets) and skipped; scanning resumes at the next signature.
  // A size copy that differs from the size is a warning only.
  std::vector<RecordLocation> locate_records(std::vector<Problem>& problems, const std::string& file) const;
  // Looks for records in [from, to) that are not in `known` (slack space recovery).
  std::vector<RecordLocation> carve_records(std::uint32_t from, std::uint32_t to) const;

  // The name stored at `offset` (chunk-relative), decoded once. Throws ParseError.
  const Name& name_at(std::uint32_t offset) {
    const CachedName& c = name_cache_[(offset >> 1) & 0xFF];
    if (c.name != nullptr && c.offset == offset) return *c.name;
    return decode_name(offset);
  }
  // Bytes taken by the name structure at `offset` when it is stored inline.
  std::uint32_t inline_name_size(std::uint32_t offset);

 private:
  const Name& decode_name(std::uint32_t offset);
  bool record_at(std::uint32_t offset, std::uint32_t limit, RecordLocation& out, std::string& why) const;

  std::span<const std::uint8_t> bytes_;
  std::uint64_t file_offset_;
  std::uint32_t index_;
  ChunkHeader header_;
  std::unordered_map<std::uint32_t, Name> names_;
  // Direct-mapped cache in front of names_: a chunk uses few distinct names, looked up per token.
  struct CachedName {
    std::uint32_t offset = 0;
    const Name* name = nullptr;
  };
  std::array<CachedName, 256> name_cache_{};
};

}  // namespace ashiato::evtx
