// A read-only memory map of a whole file; the OS pages it in as it is read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace ashiato {

class MappedFile {
 public:
  // Throws std::runtime_error with the path and the OS reason when the file cannot be mapped.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace ashiato
