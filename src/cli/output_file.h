// Standard output or a named file, with a large buffer; write errors become exceptions.
#pragma once
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ashiato::cli {

class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path.empty() ? "standard output" : path) {
    file_ = path.empty() ? stdout : std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) throw std::runtime_error("cannot write " + path);
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
  ~OutputFile() {
    if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view text) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
      throw std::runtime_error("cannot write to " + path_);
    }
  }
  void close() {
    if (std::fflush(file_) != 0) throw std::runtime_error("cannot write to " + path_);
    if (file_ != stdout) std::fclose(file_);
    file_ = nullptr;
  }

 private:
  std::string path_;
  std::FILE* file_;
};

}  // namespace ashiato::cli
