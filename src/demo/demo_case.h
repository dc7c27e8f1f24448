// The bundled demo incident: deterministic Windows event logs of an Emdivi-style intrusion,
// written through the EVTX writer, with the planted ground truth alongside.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ashiato::demo {

struct DemoCaseSummary {
  std::vector<std::string> files;
  std::uint64_t records = 0;
};

// Writes DIR/evtx/*.evtx and DIR/ground-truth.txt. Throws std::runtime_error on write errors.
DemoCaseSummary write_demo_case(const std::string& dir);

// Writes a file of about `bytes` bytes of varied, realistic records (logons, process creation,
// services) for benchmarks; returns the number of records.
std::uint64_t write_bulk_evtx(const std::string& path, std::uint64_t bytes);

}  // namespace ashiato::demo
