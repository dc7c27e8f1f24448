// ashiato simulate: writes the deterministic demo incident (an Emdivi-style intrusion into an
// organisation of 100 PCs: proxy, firewall and DHCP logs, event logs, the notice, ground truth),
// and optionally a large EVTX file for benchmarks.
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "demo/demo_case.h"

namespace ashiato::cli {
namespace {

struct SimulateOptions {
  std::string out = "demo";
  std::uint64_t bulk_mb = 0;
};

int run_simulate(const SimulateOptions& o) {
  std::filesystem::create_directories(o.out);
  const demo::DemoCaseSummary summary = demo::write_demo_case(o.out);
  std::map<std::string, std::pair<std::size_t, std::uint64_t>> per_kind;  // kind -> files, bytes
  for (const demo::WrittenFile& f : summary.files) {
    auto& [files, bytes] = per_kind[f.kind];
    ++files;
    bytes += f.bytes;
  }
  fmt::print("wrote {}: {} files, {} log lines, {} EVTX records\n", o.out, summary.files.size(), summary.log_lines,
             summary.evtx_records);
  for (const auto& [kind, totals] : per_kind) {
    fmt::print("  {:<13} {:>3} files {:>10} bytes\n", kind, totals.first, totals.second);
  }
  if (o.bulk_mb > 0) {
    const std::string path = o.out + "/bulk.evtx";
    const std::uint64_t records = demo::write_bulk_evtx(path, o.bulk_mb * 1024 * 1024);
    fmt::print("wrote {}: {} records\n", path, records);
  }
  return kSuccess;
}

}  // namespace

void register_simulate(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* cmd = root.add_subcommand("simulate", "Write a deterministic demo incident: network logs, EVTX, notice");
  cmd->add_option("-o,--out", o->out, "Output folder")->capture_default_str();
  cmd->add_option("--bulk-evtx-mb", o->bulk_mb, "Also write bulk.evtx of about this many MiB (for benchmarks)");
  cmd->footer(
      "The demo: Example Corp (domain CORP, Asia/Tokyo), 100 PCs with DHCP addresses that change\n"
      "between days, a domain controller DC01 and a file server FS01, 2015-06-01..05. Three PCs run an\n"
      "Emdivi-style implant that beacons over HTTP to a compromised web site (one through the Osaka\n"
      "branch proxy), a fourth visits that site once; the attacker steals the domain-admin account\n"
      "adm-tanaka, registers an `at` task and installs a service on FS01. A fifth PC (PC-058) runs the\n"
      "same implant against a second site the notice does not name, with another User-Agent, while 65\n"
      "PCs poll a groupware notification service every 60 seconds. Written, byte for byte the same on\n"
      "every run:\n"
      "  proxy/proxy01/access.log*            Squid access log (head office)\n"
      "  proxy/proxysg-osaka/SG_main__*.log   ProxySG W3C/ELFF log (branch, UTC)\n"
      "  firewall/fw01/kern.log               iptables log (allowed and dropped connections)\n"
      "  dhcp/dhcp01/dhcpd.log                ISC dhcpd leases\n"
      "  evtx/<host>/*.evtx                   event logs of DC01, FS01 and the infected PCs\n"
      "  notice.txt, notice-en.txt            the coordination centre's notice (Japanese, English)\n"
      "  ground-truth.json                    what was planted: hosts, addresses, times, counts\n"
      "Examples:\n"
      "  ashiato simulate --out demo && ashiato hunt demo/evtx\n"
      "  printf 'www.tabi-navi.example[.]jp\\n203.0.113[.]45\\n' > c2.txt\n"
      "  ashiato sweep --ioc c2.txt demo/proxy demo/firewall   # the C2 the notice names\n"
      "  ashiato dump --event-id 4698 --event-id 7045 demo/evtx/FS01\n"
      "  ashiato simulate --out /tmp/big --bulk-evtx-mb 1024");
  cmd->callback([o, &exit_code] { exit_code = run_simulate(*o); });
}

}  // namespace ashiato::cli
