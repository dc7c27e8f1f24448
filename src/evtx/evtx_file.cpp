#include "evtx/evtx_file.h"

#include <fmt/format.h>
#include <zlib.h>

#include <cstring>

#include "evtx/format.h"

namespace ashiato::evtx {

bool looks_like_evtx(std::span<const std::uint8_t> head) {
  return head.size() >= 8 &&
         (std::memcmp(head.data(), kFileMagic, 8) == 0 || std::memcmp(head.data(), kChunkMagic, 8) == 0);
}

EvtxFile::EvtxFile(const std::string& path, std::vector<Problem>& problems) : map_(path), header_() {
  const auto bytes = map_.bytes();
  auto problem = [&](std::uint64_t offset, std::string reason, bool warning) {
    problems.push_back(Problem{path, offset, "file header", std::move(reason), warning});
  };
  if (bytes.size() < kFileHeaderSize) {
    problem(0, fmt::format("file of {} bytes is shorter than an EVTX file header (4096)", bytes.size()), false);
    return;
  }
  const std::uint8_t* p = bytes.data();
  has_magic_ = std::memcmp(p, kFileMagic, 8) == 0;
  if (!has_magic_) problem(0, "no \"ElfFile\" signature; trying to read chunks anyway", false);
  header_.first_chunk = le64(p + 8);
  header_.last_chunk = le64(p + 16);
  header_.next_record_id = le64(p + 24);
  header_.header_size = le32(p + 32);
  header_.minor_version = le16(p + 36);
  header_.major_version = le16(p + 38);
  header_.chunk_data_offset = le16(p + 40);
  header_.chunk_count = le16(p + 42);
  header_.flags = le32(p + 120);
  header_.checksum = le32(p + 124);
  if (has_magic_) {
    const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), p, 120));
    if (crc != header_.checksum) {
      problem(124, fmt::format("file header checksum {:#010x} does not match computed {:#010x}", header_.checksum, crc),
              true);
    }
    if (header_.major_version != 3) {
      problem(38, fmt::format("unknown format version {}.{}", header_.major_version, header_.minor_version), true);
    }
    if ((header_.flags & ~(kFileFlagDirty | kFileFlagFull)) != 0) {
      problem(120, fmt::format("unknown file flags {:#x}", header_.flags), true);
    }
  }
  const std::size_t body = bytes.size() - kFileHeaderSize;
  chunk_count_ = body / kChunkSize + (body % kChunkSize >= 512 ? 1 : 0);
  if (body % kChunkSize != 0) {
    problem(kFileHeaderSize + body / kChunkSize * kChunkSize,
            fmt::format("file is truncated: last chunk has {} of 65536 bytes", body % kChunkSize), false);
  }
}

std::span<const std::uint8_t> EvtxFile::chunk_bytes(std::size_t index) const {
  const std::size_t start = kFileHeaderSize + index * kChunkSize;
  const auto bytes = map_.bytes();
  if (start >= bytes.size()) return {};
  return bytes.subspan(start, std::min(kChunkSize, bytes.size() - start));
}

std::uint64_t EvtxFile::chunk_offset(std::size_t index) const {
  return kFileHeaderSize + index * kChunkSize;
}

}  // namespace ashiato::evtx
