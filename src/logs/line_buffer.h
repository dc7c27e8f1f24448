// The bytes of a block of log lines. Unlike std::string, growing it does not write the new bytes
// first: a block is grown to a megabyte and read into right away, and zero-filling it before every
// read showed as 5 % of a sweep's instructions.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace ashiato::logs {

class LineBuffer {
 public:
  std::string_view view() const { return {bytes_.get(), size_}; }
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor): used as text
  char* data() { return bytes_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  char back() const { return bytes_[size_ - 1]; }

  // Bytes past the old size are left unwritten: the caller fills them.
  void resize(std::size_t size) {
    if (size > capacity_) {
      const std::size_t capacity = std::max(size, capacity_ * 2);
      auto bytes = std::make_unique_for_overwrite<char[]>(capacity);
      if (size_ > 0) std::memcpy(bytes.get(), bytes_.get(), size_);
      bytes_ = std::move(bytes);
      capacity_ = capacity;
    }
    size_ = size;
  }
  void assign(std::string_view text) {
    size_ = 0;
    resize(text.size());
    if (!text.empty()) std::memcpy(bytes_.get(), text.data(), text.size());
  }
  void erase_front(std::size_t n) {
    std::memmove(bytes_.get(), bytes_.get() + n, size_ - n);
    size_ -= n;
  }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace ashiato::logs
