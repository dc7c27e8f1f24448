#include "demo/demo_case.h"

#include <algorithm>
#include <stdexcept>

#include "demo/demo_writers.h"

namespace ashiato::demo {

TextFile::TextFile(const std::filesystem::path& dir, std::string relative)
    : path_(dir / relative), relative_(std::move(relative)) {
  std::filesystem::create_directories(path_.parent_path());
  file_ = std::fopen(path_.string().c_str(), "wb");
  if (file_ == nullptr) throw std::runtime_error("cannot create " + path_.string());
}

TextFile::~TextFile() {
  if (file_ != nullptr) std::fclose(file_);  // not finished: an error is on its way already
}

void TextFile::write(const std::string& text) {
  if (file_ == nullptr) throw std::logic_error(path_.string() + " is closed");
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    throw std::runtime_error("cannot write " + path_.string());
  }
  bytes_ += text.size();
  lines_ += static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

WrittenFile TextFile::finish(const std::string& kind) {
  const bool closed = file_ != nullptr && std::fclose(file_) == 0;
  file_ = nullptr;
  if (!closed) throw std::runtime_error("cannot write " + path_.string());
  return {kind, relative_, bytes_, lines_};
}

DemoCaseSummary write_demo_case(const std::string& dir) {
  const std::filesystem::path root(dir);
  std::filesystem::create_directories(root);
  const Organisation& org = organisation();
  DemoCaseSummary summary;
  write_network_logs(org, root, summary.files);
  write_windows_logs(org, root, summary.files);
  write_notices(org, root, summary.files);
  write_ground_truth(org, root, summary.files);
  for (const WrittenFile& f : summary.files) {
    if (f.kind == "evtx") {
      summary.evtx_records += f.items;
    } else if (f.kind == "proxy" || f.kind == "firewall" || f.kind == "dhcp") {
      summary.log_lines += f.items;
    }
  }
  return summary;
}

}  // namespace ashiato::demo
