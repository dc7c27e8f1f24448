// Bytes of an input file, decompressed on the fly: gzip (also concatenated members), zstd and
// bzip2 are recognised by their magic numbers, so rotated logs (.gz, .zst, .bz2) read like plain
// ones. "-" reads standard input.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ashiato {

class ByteSource {
 public:
  // Throws std::runtime_error naming the path and the OS reason when it cannot be opened.
  static std::unique_ptr<ByteSource> open(const std::string& path);
  virtual ~ByteSource() = default;

  // Fills up to `max` bytes; returns 0 at the end. Throws std::runtime_error when compressed data
  // is corrupt or truncated (what was read before stays valid).
  virtual std::size_t read(char* out, std::size_t max) = 0;
  // "gzip", "zstd", "bzip2" or "" for plain data.
  virtual std::string_view compression() const = 0;
  // Bytes consumed from the underlying file so far (for progress on compressed input).
  virtual std::uint64_t raw_bytes_read() const = 0;
};

}  // namespace ashiato
