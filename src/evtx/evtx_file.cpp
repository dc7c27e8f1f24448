#include "evtx/evtx_file.h"

#include <fmt/format.h>
#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "evtx/format.h"

namespace ashiato::evtx {

bool looks_like_evtx(std::span<const std::uint8_t> head) {
  return head.size() >= 8 &&
         (std::memcmp(head.data(), kFileMagic, 8) == 0 || std::memcmp(head.data(), kChunkMagic, 8) == 0);
}

namespace {

// Reads up to `size` bytes at `offset`, retrying short reads; returns the bytes read.
std::size_t read_at(int fd, std::uint8_t* out, std::size_t size, std::uint64_t offset, const std::string& path) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, out + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(path + ": read error at offset " + std::to_string(offset + done) + ": " +
                               std::strerror(errno));
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

}  // namespace

EvtxFile::EvtxFile(const std::string& path, std::vector<Problem>& problems) : path_(path), header_() {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw std::runtime_error(path + ": not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  std::vector<std::uint8_t> head(kFileHeaderSize);
  head.resize(read_at(fd_, head.data(), head.size(), 0, path));
  const std::span<const std::uint8_t> bytes(head);
  auto problem = [&](std::uint64_t offset, std::string reason, bool warning) {
    problems.push_back(Problem{path, offset, "file header", std::move(reason), warning});
  };
  if (size_ < kFileHeaderSize) {
    problem(0, fmt::format("file of {} bytes is shorter than an EVTX file header (4096)", size_), false);
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
  const std::uint64_t body = size_ - kFileHeaderSize;
  chunk_count_ = body / kChunkSize + (body % kChunkSize >= 512 ? 1 : 0);
  if (body % kChunkSize != 0) {
    problem(kFileHeaderSize + body / kChunkSize * kChunkSize,
            fmt::format("file is truncated: last chunk has {} of 65536 bytes", body % kChunkSize), false);
  }
}

EvtxFile::~EvtxFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::span<const std::uint8_t> EvtxFile::read_chunk(std::size_t index, std::vector<std::uint8_t>& buffer) const {
  const std::uint64_t start = chunk_offset(index);
  if (start >= size_) return {};
  buffer.resize(static_cast<std::size_t>(std::min<std::uint64_t>(kChunkSize, size_ - start)));
  buffer.resize(read_at(fd_, buffer.data(), buffer.size(), start, path_));
  return buffer;
}

std::uint64_t EvtxFile::chunk_offset(std::size_t index) const {
  return kFileHeaderSize + index * kChunkSize;
}

}  // namespace ashiato::evtx
