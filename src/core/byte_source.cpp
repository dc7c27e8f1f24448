#include "core/byte_source.h"

#include <bzlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace ashiato {
namespace {

// Reads the file descriptor; owns it unless it is stdin.
class FileReader {
 public:
  FileReader(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileReader() {
    if (fd_ > 0) ::close(fd_);
  }
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  std::size_t read(char* out, std::size_t max) {
    for (;;) {
      ssize_t n = ::read(fd_, out, max);
      if (n >= 0) {
        consumed_ += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) throw std::runtime_error(path_ + ": read failed: " + std::strerror(errno));
    }
  }
  // Fills `out` as far as the file allows (short reads from pipes are joined).
  std::size_t read_full(char* out, std::size_t max) {
    std::size_t done = 0;
    while (done < max) {
      std::size_t n = read(out + done, max - done);
      if (n == 0) break;
      done += n;
    }
    return done;
  }
  std::uint64_t consumed() const { return consumed_; }
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
  std::uint64_t consumed_ = 0;
};

constexpr std::size_t kInputChunk = 1 << 18;

// The first bytes are read before the kind of data is known; every source starts with them.
struct Prefix {
  std::vector<char> bytes;
  std::size_t used = 0;
  std::size_t take(char* out, std::size_t max) {
    std::size_t n = std::min(max, bytes.size() - used);
    std::memcpy(out, bytes.data() + used, n);
    used += n;
    return n;
  }
  bool empty() const { return used == bytes.size(); }
};

class PlainSource final : public ByteSource {
 public:
  PlainSource(std::unique_ptr<FileReader> file, Prefix prefix) : file_(std::move(file)), prefix_(std::move(prefix)) {}
  std::size_t read(char* out, std::size_t max) override {
    if (!prefix_.empty()) return prefix_.take(out, max);
    return file_->read_full(out, max);
  }
  std::string_view compression() const override { return ""; }
  std::uint64_t raw_bytes_read() const override { return file_->consumed(); }

 private:
  std::unique_ptr<FileReader> file_;
  Prefix prefix_;
};

// Common shape of the three decompressors: an input buffer refilled from the file (starting with
// the prefix) and a step function that decompresses some of it.
class CompressedSource : public ByteSource {
 public:
  CompressedSource(std::unique_ptr<FileReader> file, Prefix prefix)
      : file_(std::move(file)), input_(std::move(prefix.bytes)) {
    input_.reserve(kInputChunk);
  }
  std::uint64_t raw_bytes_read() const override { return file_->consumed(); }

 protected:
  // Makes input available; false at the end of the file.
  bool refill() {
    if (input_pos_ < input_.size()) return true;
    input_.resize(kInputChunk);
    std::size_t n = file_->read(input_.data(), input_.size());
    input_.resize(n);
    input_pos_ = 0;
    return n > 0;
  }
  [[noreturn]] void fail(const std::string& reason) const {
    throw std::runtime_error(file_->path() + ": " + std::string(compression()) + " data: " + reason);
  }

  std::unique_ptr<FileReader> file_;
  std::vector<char> input_;
  std::size_t input_pos_ = 0;
};

class GzipSource final : public CompressedSource {
 public:
  GzipSource(std::unique_ptr<FileReader> file, Prefix prefix) : CompressedSource(std::move(file), std::move(prefix)) {
    std::memset(&z_, 0, sizeof z_);
    if (inflateInit2(&z_, 15 + 32) != Z_OK) fail("cannot initialise zlib");
  }
  ~GzipSource() override { inflateEnd(&z_); }
  std::string_view compression() const override { return "gzip"; }

  std::size_t read(char* out, std::size_t max) override {
    if (finished_) return 0;
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(max);
    while (z_.avail_out == max) {
      if (!refill()) {
        if (in_member_) fail("truncated (the file ends inside a compressed stream)");
        finished_ = true;
        break;
      }
      z_.next_in = reinterpret_cast<Bytef*>(input_.data() + input_pos_);
      z_.avail_in = static_cast<uInt>(input_.size() - input_pos_);
      in_member_ = true;
      int rc = inflate(&z_, Z_NO_FLUSH);
      input_pos_ = input_.size() - z_.avail_in;
      if (rc == Z_STREAM_END) {
        // Concatenated gzip members (e.g. appended rotations) continue the same stream.
        in_member_ = false;
        inflateReset(&z_);
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        fail(z_.msg ? z_.msg : "corrupt");
      }
    }
    return max - z_.avail_out;
  }

 private:
  z_stream z_;
  bool in_member_ = false;
  bool finished_ = false;
};

class ZstdSource final : public CompressedSource {
 public:
  ZstdSource(std::unique_ptr<FileReader> file, Prefix prefix)
      : CompressedSource(std::move(file), std::move(prefix)), stream_(ZSTD_createDStream()) {
    if (!stream_) fail("cannot initialise zstd");
  }
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }
  std::string_view compression() const override { return "zstd"; }

  std::size_t read(char* out, std::size_t max) override {
    ZSTD_outBuffer output{out, max, 0};
    while (output.pos == 0) {
      if (!refill()) {
        if (last_hint_ != 0) fail("truncated (the file ends inside a frame)");
        break;
      }
      ZSTD_inBuffer in{input_.data(), input_.size(), input_pos_};
      std::size_t hint = ZSTD_decompressStream(stream_, &output, &in);
      if (ZSTD_isError(hint)) fail(ZSTD_getErrorName(hint));
      last_hint_ = hint;
      input_pos_ = in.pos;
    }
    return output.pos;
  }

 private:
  ZSTD_DStream* stream_;
  std::size_t last_hint_ = 0;
};

class Bzip2Source final : public CompressedSource {
 public:
  Bzip2Source(std::unique_ptr<FileReader> file, Prefix prefix) : CompressedSource(std::move(file), std::move(prefix)) {
    std::memset(&bz_, 0, sizeof bz_);
    if (BZ2_bzDecompressInit(&bz_, 0, 0) != BZ_OK) fail("cannot initialise bzip2");
  }
  ~Bzip2Source() override { BZ2_bzDecompressEnd(&bz_); }
  std::string_view compression() const override { return "bzip2"; }

  std::size_t read(char* out, std::size_t max) override {
    if (finished_) return 0;
    bz_.next_out = out;
    bz_.avail_out = static_cast<unsigned>(max);
    while (bz_.avail_out == max) {
      if (!refill()) {
        if (in_stream_) fail("truncated (the file ends inside a compressed stream)");
        finished_ = true;
        break;
      }
      bz_.next_in = input_.data() + input_pos_;
      bz_.avail_in = static_cast<unsigned>(input_.size() - input_pos_);
      in_stream_ = true;
      int rc = BZ2_bzDecompress(&bz_);
      input_pos_ = input_.size() - bz_.avail_in;
      if (rc == BZ_STREAM_END) {
        // Concatenated streams (pbzip2, appended rotations) continue the same data.
        in_stream_ = false;
        unsigned room = bz_.avail_out;
        BZ2_bzDecompressEnd(&bz_);
        std::memset(&bz_, 0, sizeof bz_);
        if (BZ2_bzDecompressInit(&bz_, 0, 0) != BZ_OK) fail("cannot initialise bzip2");
        bz_.next_out = out + (max - room);
        bz_.avail_out = room;
      } else if (rc != BZ_OK) {
        fail("corrupt (bzip2 error " + std::to_string(rc) + ")");
      }
    }
    return max - bz_.avail_out;
  }

 private:
  bz_stream bz_;
  bool in_stream_ = false;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> ByteSource::open(const std::string& path) {
  int fd = 0;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  }
  auto file = std::make_unique<FileReader>(fd, path == "-" ? "(stdin)" : path);
  Prefix prefix;
  prefix.bytes.resize(4);
  prefix.bytes.resize(file->read_full(prefix.bytes.data(), prefix.bytes.size()));
  const auto* m = reinterpret_cast<const unsigned char*>(prefix.bytes.data());
  std::size_t n = prefix.bytes.size();
  if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) return std::make_unique<GzipSource>(std::move(file), std::move(prefix));
  if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
    return std::make_unique<ZstdSource>(std::move(file), std::move(prefix));
  }
  if (n >= 4 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h' && m[3] >= '1' && m[3] <= '9') {
    return std::make_unique<Bzip2Source>(std::move(file), std::move(prefix));
  }
  return std::make_unique<PlainSource>(std::move(file), std::move(prefix));
}

}  // namespace ashiato
