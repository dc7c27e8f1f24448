// Output files written under a temporary name in their own folder and renamed over the destination
// only when complete: a full disk, a crash or an error half-way leaves the earlier file (or none),
// never a cut one that looks whole (a report.html of 172 KB out of 560 KB once did).
#pragma once
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace ashiato {

class AtomicFile {
 public:
  // Creates the temporary file next to `destination`. Throws std::runtime_error.
  explicit AtomicFile(std::filesystem::path destination);
  // Without commit(), the temporary file is removed and the destination left alone.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* stream() { return file_; }
  // Throws std::runtime_error when the bytes cannot be written.
  void write(std::string_view text);
  // Flushes, syncs and renames the file to its destination. Throws std::runtime_error.
  void commit();
  const std::filesystem::path& destination() const { return destination_; }

 private:
  void remove_stale_partials() const;

  std::filesystem::path destination_;
  std::string temporary_;
  std::FILE* file_ = nullptr;
};

// The whole of `text` as the file `path`, atomically (see AtomicFile).
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace ashiato
