// A large EVTX file of varied records for benchmarks. Its records keep the shape they have always
// had (4688 with parent name, as Windows 10 writes it) so that measurements stay comparable.
#include <fmt/format.h>

#include <random>

#include "demo/demo_case.h"
#include "demo/windows_events.h"
#include "evtx/evtx_writer.h"

namespace ashiato::demo {
namespace {

using evtx::EvtxWriter;
using evtx::WriterEvent;

constexpr char kSecurityProvider[] = "Microsoft-Windows-Security-Auditing";
constexpr char kSecurityGuid[] = "{54849625-5478-4994-A5BA-3E3B0328C30D}";
constexpr char kDomain[] = "EXAMPLE";
constexpr char kUserSid[] = "S-1-5-21-3623811015-3361044348-30300820-1105";

WriterEvent security(std::uint16_t id, Timestamp t, const std::string& computer,
                     std::vector<std::pair<std::string, std::string>> data) {
  WriterEvent e;
  e.provider_name = kSecurityProvider;
  e.provider_guid = kSecurityGuid;
  e.event_id = id;
  e.level = 0;
  e.task = id == 4624 ? 12544 : id == 4688 ? 13312 : 12544;
  e.time = t;
  e.process_id = 612;
  e.thread_id = 1204;
  e.channel = "Security";
  e.computer = computer;
  e.data = std::move(data);
  return e;
}

WriterEvent logon(Timestamp t, const std::string& computer, const std::string& user, const std::string& sid, int type,
                  const std::string& ip, const std::string& workstation, const std::string& logon_id) {
  return security(4624, t, computer,
                  {{"SubjectUserSid", "S-1-0-0"},
                   {"SubjectUserName", "-"},
                   {"SubjectDomainName", "-"},
                   {"SubjectLogonId", "0x0"},
                   {"TargetUserSid", sid},
                   {"TargetUserName", user},
                   {"TargetDomainName", kDomain},
                   {"TargetLogonId", logon_id},
                   {"LogonType", std::to_string(type)},
                   {"LogonProcessName", "NtLmSsp "},
                   {"AuthenticationPackageName", "NTLM"},
                   {"WorkstationName", workstation},
                   {"LogonGuid", "{00000000-0000-0000-0000-000000000000}"},
                   {"TransmittedServices", "-"},
                   {"LmPackageName", "NTLM V2"},
                   {"KeyLength", "128"},
                   {"ProcessId", "0x0"},
                   {"ProcessName", "-"},
                   {"IpAddress", ip},
                   {"IpPort", "49223"}});
}

WriterEvent process(Timestamp t, const std::string& computer, const std::string& user, const std::string& image,
                    const std::string& command_line, const std::string& parent) {
  return security(4688, t, computer,
                  {{"SubjectUserSid", kUserSid},
                   {"SubjectUserName", user},
                   {"SubjectDomainName", kDomain},
                   {"SubjectLogonId", "0x3c2a1"},
                   {"NewProcessId", "0x1a2c"},
                   {"NewProcessName", image},
                   {"TokenElevationType", "%%1936"},
                   {"ProcessId", "0x3e8"},
                   {"CommandLine", command_line},
                   {"TargetUserSid", "S-1-0-0"},
                   {"TargetUserName", "-"},
                   {"TargetDomainName", "-"},
                   {"TargetLogonId", "0x0"},
                   {"ParentProcessName", parent},
                   {"MandatoryLabel", "S-1-16-12288"}});
}

}  // namespace

std::uint64_t write_bulk_evtx(const std::string& path, std::uint64_t bytes) {
  EvtxWriter w(path);
  std::mt19937_64 rng(7);
  Timestamp t = *parse_iso8601("2015-05-01T00:00:00Z");
  const char* images[] = {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\cmd.exe",
                          "C:\\Program Files\\Internet Explorer\\iexplore.exe", "C:\\Windows\\System32\\net.exe",
                          "C:\\Windows\\System32\\wbem\\WMIC.exe"};
  for (std::uint64_t i = 0; w.bytes_written() < bytes; ++i) {
    t.ticks += static_cast<std::int64_t>(rng() % 50'000'000);
    const int pc = static_cast<int>(rng() % 500) + 1;
    const std::string computer = fmt::format("PC{:03}.example.co.jp", pc);
    switch (rng() % 3) {
      case 0:
        w.write(logon(t, computer, fmt::format("user{:03}", pc), fmt::format("S-1-5-21-1-2-3-{}", 2000 + pc),
                      2 + rng() % 9, fmt::format("10.0.{}.{}", pc / 250, pc % 250), fmt::format("PC{:03}", pc),
                      fmt::format("0x{:x}", i)));
        break;
      case 1: {
        const char* image = images[rng() % 5];
        w.write(process(t, computer, fmt::format("user{:03}", pc), image,
                        fmt::format("\"{}\" /c task{} --id {}", image, rng() % 1000, i), "C:\\Windows\\explorer.exe"));
        break;
      }
      default:
        w.write(service_installed(t, computer, fmt::format("svc{}", rng() % 5000),
                                  "C:\\Windows\\System32\\svchost.exe -k netsvcs", kUserSid));
        break;
    }
  }
  w.close();
  return w.records_written();
}

}  // namespace ashiato::demo
