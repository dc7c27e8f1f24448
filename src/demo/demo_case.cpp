#include "demo/demo_case.h"

#include <algorithm>
#include <stdexcept>

#include "demo/demo_writers.h"

namespace ashiato::demo {

TextFile::TextFile(const std::filesystem::path& dir, std::string relative)
    : path_(dir / relative), relative_(std::move(relative)) {
  std::filesystem::create_directories(path_.parent_path());
  file_ = std::make_unique<AtomicFile>(path_);
}

void TextFile::write(const std::string& text) {
  if (!file_) throw std::logic_error(path_.string() + " is closed");
  file_->write(text);
  bytes_ += text.size();
  lines_ += static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

WrittenFile TextFile::finish(const std::string& kind) {
  if (!file_) throw std::logic_error(path_.string() + " is closed");
  file_->commit();
  file_.reset();
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
