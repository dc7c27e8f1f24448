// ashiato simulate: writes a deterministic demo incident (Emdivi-style) as EVTX files, and
// optionally a large EVTX file for benchmarks.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <random>

#include "cli/commands.h"
#include "cli/common.h"
#include "demo/demo_case.h"
#include "evtx/evtx_writer.h"

namespace ashiato::cli {
namespace {

struct SimulateOptions {
  std::string out = "demo";
  std::uint64_t bulk_mb = 0;
};

int run_simulate(const SimulateOptions& o) {
  std::filesystem::create_directories(o.out);
  const demo::DemoCaseSummary summary = demo::write_demo_case(o.out);
  std::printf("wrote %s: %llu EVTX records in %zu files\n", o.out.c_str(),
              static_cast<unsigned long long>(summary.records), summary.files.size());
  if (o.bulk_mb > 0) {
    const std::string path = o.out + "/bulk.evtx";
    const std::uint64_t records = demo::write_bulk_evtx(path, o.bulk_mb * 1024 * 1024);
    std::printf("wrote %s: %llu records\n", path.c_str(), static_cast<unsigned long long>(records));
  }
  return kSuccess;
}

}  // namespace

void register_simulate(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* cmd = root.add_subcommand("simulate", "Write a deterministic demo incident as EVTX files");
  cmd->add_option("-o,--out", o->out, "Output folder")->capture_default_str();
  cmd->add_option("--bulk-evtx-mb", o->bulk_mb, "Also write bulk.evtx of about this many MiB (for benchmarks)");
  cmd->footer(
      "The demo: a domain controller and PCs of example.co.jp where an Emdivi-style implant runs,\n"
      "the attacker logs on with a domain-admin account, registers a task with at.exe and installs\n"
      "a service. ground-truth.txt lists what was planted.\n"
      "Examples:\n"
      "  ashiato simulate --out demo && ashiato dump --event-id 4698 demo/evtx\n"
      "  ashiato simulate --out /tmp/big --bulk-evtx-mb 1024");
  cmd->callback([o, &exit_code] { exit_code = run_simulate(*o); });
}

}  // namespace ashiato::cli
