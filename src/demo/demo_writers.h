// The writers of the demo case's parts, each given the output folder; they append what they
// wrote to `files` (paths relative to the folder).
#pragma once
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "demo/demo_case.h"
#include "demo/organisation.h"

namespace ashiato::demo {

// Opens DIR/relative for writing (creating its folder); throws std::runtime_error on failure.
class TextFile {
 public:
  TextFile(const std::filesystem::path& dir, std::string relative);
  TextFile(const TextFile&) = delete;
  TextFile& operator=(const TextFile&) = delete;
  void write(const std::string& text);
  // Closes the file and describes it; throws when the data could not be written.
  WrittenFile finish(const std::string& kind);

 private:
  std::filesystem::path path_;
  std::string relative_;
  std::string buffer_;
  std::uint64_t lines_ = 0;
  std::uint64_t bytes_ = 0;
  std::unique_ptr<AtomicFile> file_;  // null once finished
};

// What the coordination centre saw from outside: the requests to the C2 until observed_until.
struct ObservedWindow {
  Timestamp from;
  Timestamp to;
  std::size_t requests = 0;
};
ObservedWindow observed_by_notice(const Organisation& org);

void write_network_logs(const Organisation& org, const std::filesystem::path& dir, std::vector<WrittenFile>& files);
void write_windows_logs(const Organisation& org, const std::filesystem::path& dir, std::vector<WrittenFile>& files);
void write_notices(const Organisation& org, const std::filesystem::path& dir, std::vector<WrittenFile>& files);
// Last: it lists every file written before it.
void write_ground_truth(const Organisation& org, const std::filesystem::path& dir, std::vector<WrittenFile>& files);

}  // namespace ashiato::demo
