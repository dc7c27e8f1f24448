// The bundled demo incident: a deterministic Emdivi-style intrusion into an organisation of about
// 100 PCs, as the evidence a responder would collect (proxy, firewall and DHCP logs, Windows event
// logs), the coordination centre's notice, and the planted ground truth.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ashiato::demo {

struct WrittenFile {
  std::string kind;  // proxy, firewall, dhcp, evtx, notice, ground-truth
  std::string path;  // relative to the demo folder, '/'-separated
  std::uint64_t bytes = 0;
  std::uint64_t items = 0;  // lines of a text file, records of an EVTX file
};

struct DemoCaseSummary {
  std::vector<WrittenFile> files;
  std::uint64_t evtx_records = 0;
  std::uint64_t log_lines = 0;  // of the proxy, firewall and DHCP logs
};

// Writes the demo case into `dir` (see docs: proxy/, firewall/, dhcp/, evtx/, notice.txt,
// notice-en.txt, ground-truth.json). The same bytes on every run. Throws std::runtime_error on
// write errors.
DemoCaseSummary write_demo_case(const std::string& dir);

// Writes a file of about `bytes` bytes of varied, realistic records (logons, process creation,
// services) for benchmarks; returns the number of records.
std::uint64_t write_bulk_evtx(const std::string& path, std::uint64_t bytes);

}  // namespace ashiato::demo
