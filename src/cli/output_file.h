// Standard output or a named file, with a large buffer; write errors become exceptions. A named
// file is written under a temporary name and appears only when close() succeeds (AtomicFile).
#pragma once
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/atomic_file.h"

namespace ashiato::cli {

class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path.empty() ? "standard output" : path) {
    if (!path.empty()) file_ = std::make_unique<AtomicFile>(path);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view text) {
    if (file_) {
      file_->write(text);
    } else if (!text.empty() && std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
      throw std::runtime_error("cannot write to " + path_);
    }
  }
  // Without close() (an error on the way), a named file is not created.
  void close() {
    if (file_) {
      file_->commit();
      file_.reset();
    } else if (std::fflush(stdout) != 0) {
      throw std::runtime_error("cannot write to " + path_);
    }
  }

 private:
  std::string path_;
  std::unique_ptr<AtomicFile> file_;  // null: standard output
};

}  // namespace ashiato::cli
