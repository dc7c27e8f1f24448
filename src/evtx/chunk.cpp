#include "evtx/chunk.h"

#include <libdeflate.h>

#include <cstring>

#include "core/utf16.h"
#include "evtx/format.h"

namespace ashiato::evtx {

Chunk::Chunk(std::span<const std::uint8_t> bytes, std::uint64_t file_offset, std::uint32_t index)
    : bytes_(bytes), file_offset_(file_offset), index_(index), header_() {
  if (bytes_.size() < kChunkHeaderSize) return;
  const std::uint8_t* p = bytes_.data();
  header_.first_record_number = le64(p + 8);
  header_.last_record_number = le64(p + 16);
  header_.first_record_id = le64(p + 24);
  header_.last_record_id = le64(p + 32);
  header_.header_size = le32(p + 40);
  header_.last_record_offset = le32(p + 44);
  header_.free_space_offset = le32(p + 48);
  header_.records_checksum = le32(p + 52);
  header_.flags = le32(p + 120);
  header_.header_checksum = le32(p + 124);
}

bool Chunk::has_magic() const {
  return bytes_.size() >= kChunkHeaderSize && std::memcmp(bytes_.data(), kChunkMagic, 8) == 0;
}

std::uint32_t Chunk::computed_header_checksum() const {
  const std::uint32_t crc = libdeflate_crc32(0, bytes_.data(), 120);
  return libdeflate_crc32(crc, bytes_.data() + 128, kChunkHeaderSize - 128);
}

std::uint32_t Chunk::computed_records_checksum() const {
  std::uint32_t end = header_.free_space_offset;
  if (end < kChunkHeaderSize || end > bytes_.size()) return 0;
  // libdeflate's CRC-32 (carry-less multiply) is two to three times zlib's; this runs over
  // every byte of every chunk.
  return libdeflate_crc32(0, bytes_.data() + kChunkHeaderSize, end - kChunkHeaderSize);
}

bool Chunk::record_at(std::uint32_t offset, std::uint32_t limit, RecordLocation& out, std::string& why) const {
  const std::uint8_t* p = bytes_.data() + offset;
  if (le32(p) != kRecordMagic) {
    why = "bad record signature";
    return false;
  }
  const std::uint32_t size = le32(p + 4);
  if (size < kMinRecordSize) {
    why = "invalid record data size " + std::to_string(size) + ", should be at least 28";
    return false;
  }
  if (size > limit - offset) {
    why = "record size " + std::to_string(size) + " runs past the chunk's data";
    return false;
  }
  out = RecordLocation{offset, size, le64(p + 8), le64(p + 16)};
  // A size copy that differs is reported by the caller but the record is still decoded: records
  // written last before a crash often lack it while their BinXML is complete.
  if (le32(p + size - 4) != size) {
    why = "record size " + std::to_string(size) + " differs from its copy " + std::to_string(le32(p + size - 4));
  }
  return true;
}

std::vector<RecordLocation> Chunk::locate_records(std::vector<Problem>& problems, const std::string& file) const {
  std::vector<RecordLocation> found;
  const auto chunk_end = static_cast<std::uint32_t>(bytes_.size());
  std::uint32_t limit = header_.free_space_offset;
  if (limit < kChunkHeaderSize || limit > chunk_end) {
    problems.push_back(Problem{file, file_offset_ + 48, "chunk " + std::to_string(index_),
                               "free space offset " + std::to_string(limit) + " out of range; reading to chunk end",
                               true});
    limit = chunk_end;
  }
  // Records run up to the free-space offset and end with the chunk's last record id; a corrupt
  // record header ends the chunk (what follows is left to --carve, which scans for signatures).
  std::uint32_t offset = kChunkHeaderSize;
  while (offset + kRecordHeaderSize <= limit) {
    RecordLocation loc{};
    std::string why;
    if (!record_at(offset, limit, loc, why)) {
      // Zeroed space where a record should start ends the records quietly: the chunk header was
      // updated before the records were flushed (seen after crashes). Anything else is corrupt.
      const bool zeroed = le32(bytes_.data() + offset) == 0;
      problems.push_back(Problem{file, file_offset_ + offset, "chunk " + std::to_string(index_),
                                 zeroed ? "zeroed space before the free-space offset; end of records" : why, zeroed});
      break;
    }
    if (!why.empty()) {
      problems.push_back(Problem{file, file_offset_ + offset + loc.size - 4, "chunk " + std::to_string(index_),
                                 why + "; decoded anyway", true});
    }
    found.push_back(loc);
    offset += loc.size;
    if (loc.record_id == header_.last_record_id) break;
  }
  return found;
}

std::vector<RecordLocation> Chunk::carve_records(std::uint32_t from, std::uint32_t to) const {
  std::vector<RecordLocation> found;
  if (to > bytes_.size()) to = static_cast<std::uint32_t>(bytes_.size());
  std::uint32_t offset = (from + 7) & ~7U;
  while (offset + kRecordHeaderSize <= to) {
    RecordLocation loc{};
    std::string why;
    if (le32(bytes_.data() + offset) == kRecordMagic && record_at(offset, to, loc, why)) {
      found.push_back(loc);
      offset += (loc.size + 7) & ~7U;
    } else {
      offset += 8;
    }
  }
  return found;
}

const Name& Chunk::decode_name(std::uint32_t offset) {
  auto it = names_.find(offset);
  if (it != names_.end()) {
    name_cache_[(offset >> 1) & 0xFF] = CachedName{offset, &it->second};
    return it->second;
  }
  if (offset < 8 || static_cast<std::size_t>(offset) + 8 > bytes_.size()) {
    throw ParseError(offset, "name offset " + std::to_string(offset) + " outside the chunk");
  }
  const std::uint16_t chars = le16(bytes_.data() + offset + 6);
  if (static_cast<std::size_t>(offset) + 8 + 2ULL * chars > bytes_.size()) {
    throw ParseError(offset, "name at offset " + std::to_string(offset) + " runs past the chunk");
  }
  Name name;
  append_utf16le(name.text, bytes_.data() + offset + 8, chars);
  const Name& stored = names_.emplace(offset, std::move(name)).first->second;
  name_cache_[(offset >> 1) & 0xFF] = CachedName{offset, &stored};
  return stored;
}

std::uint32_t Chunk::inline_name_size(std::uint32_t offset) {
  name_at(offset);  // validates
  return 8 + 2U * le16(bytes_.data() + offset + 6) + 2;
}

}  // namespace ashiato::evtx
