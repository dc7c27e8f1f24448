#include "demo/demo_case.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "core/timestamp.h"
#include "evtx/evtx_writer.h"

namespace ashiato::demo {
namespace {

using evtx::EvtxWriter;
using evtx::WriterEvent;

constexpr char kSecurityProvider[] = "Microsoft-Windows-Security-Auditing";
constexpr char kSecurityGuid[] = "{54849625-5478-4994-A5BA-3E3B0328C30D}";
constexpr char kScmProvider[] = "Service Control Manager";
constexpr char kScmGuid[] = "{555908D1-A6D7-4695-8E1E-26931D2012F4}";
constexpr char kDomain[] = "EXAMPLE";
constexpr char kDc[] = "DC01.example.co.jp";
constexpr char kAdmin[] = "adm-tanaka";  // the domain admin whose credentials are stolen
constexpr char kAdminSid[] = "S-1-5-21-3623811015-3361044348-30300820-1105";

Timestamp at(const char* iso) {
  return *parse_iso8601(iso);
}

WriterEvent security(std::uint16_t id, Timestamp t, const std::string& computer,
                     std::vector<std::pair<std::string, std::string>> data) {
  WriterEvent e;
  e.provider_name = kSecurityProvider;
  e.provider_guid = kSecurityGuid;
  e.event_id = id;
  e.level = 0;
  e.task = id == 4624 ? 12544 : id == 4688 ? 13312 : id == 4698 ? 12804 : 12544;
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
                  {{"SubjectUserSid", kAdminSid},
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

WriterEvent service_install(Timestamp t, const std::string& computer, const std::string& name,
                            const std::string& image) {
  WriterEvent e;
  e.provider_name = kScmProvider;
  e.provider_guid = kScmGuid;
  e.event_id = 7045;
  e.level = 4;
  e.keywords = 0x8080000000000000ULL;
  e.time = t;
  e.process_id = 568;
  e.thread_id = 2496;
  e.channel = "System";
  e.computer = computer;
  e.user_sid = kAdminSid;
  e.data = {{"ServiceName", name},
            {"ImagePath", image},
            {"ServiceType", "user mode service"},
            {"StartType", "auto start"},
            {"AccountName", "LocalSystem"}};
  return e;
}

}  // namespace

DemoCaseSummary write_demo_case(const std::string& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(fs::path(dir) / "evtx");
  DemoCaseSummary summary;
  std::ofstream truth(fs::path(dir) / "ground-truth.txt");
  truth << "# Planted in the demo case (times UTC)\n";

  // Domain controller: routine logons of ~100 PCs, then the attacker's domain-admin logons from
  // the infected PC, at.exe task registration, and a service install.
  {
    const std::string path = (fs::path(dir) / "evtx" / "DC01-Security.evtx").string();
    EvtxWriter w(path);
    std::mt19937 rng(20150601);
    Timestamp t = at("2015-06-01T00:00:00Z");
    for (int i = 0; i < 2000; ++i) {
      t.ticks += static_cast<std::int64_t>(rng() % 600) * 10'000'000;
      const int pc = static_cast<int>(rng() % 100) + 1;
      w.write(logon(
          t, kDc, fmt::format("user{:03}", pc), fmt::format("S-1-5-21-3623811015-3361044348-30300820-{}", 2000 + pc), 3,
          fmt::format("192.168.10.{}", pc + 10), fmt::format("PC{:03}", pc), fmt::format("0x{:x}", 0x10000 + i)));
    }
    w.write(logon(at("2015-06-03T01:12:40Z"), kDc, kAdmin, kAdminSid, 3, "192.168.10.23", "PC013", "0x3c2a1"));
    w.write(process(at("2015-06-03T01:13:05Z"), kDc, kAdmin, "C:\\Windows\\System32\\at.exe",
                    "at \\\\DC01 10:20 C:\\Windows\\Temp\\update.exe", "C:\\Windows\\System32\\cmd.exe"));
    w.write(
        security(4698, at("2015-06-03T01:13:06Z"), kDc,
                 {{"SubjectUserSid", kAdminSid},
                  {"SubjectUserName", kAdmin},
                  {"SubjectDomainName", kDomain},
                  {"SubjectLogonId", "0x3c2a1"},
                  {"TaskName", "\\At1"},
                  {"TaskContent",
                   "<Task><Actions><Exec><Command>C:\\Windows\\Temp\\update.exe</Command></Exec></Actions></Task>"}}));
    w.close();
    summary.records += w.records_written();
    summary.files.push_back(path);
    truth << "2015-06-03T01:12:40Z DC01 4624 logon adm-tanaka from 192.168.10.23 (PC013)\n"
             "2015-06-03T01:13:05Z DC01 4688 at.exe \\\\DC01 10:20 C:\\Windows\\Temp\\update.exe\n"
             "2015-06-03T01:13:06Z DC01 4698 task \\At1\n";
  }
  {
    const std::string path = (fs::path(dir) / "evtx" / "DC01-System.evtx").string();
    EvtxWriter w(path);
    w.write(
        service_install(at("2015-06-03T01:20:11Z"), kDc, "WinUpdateSvc", "C:\\Windows\\Temp\\svchost.exe -k netsvcs"));
    w.close();
    summary.records += w.records_written();
    summary.files.push_back(path);
    truth << "2015-06-03T01:20:11Z DC01 7045 service WinUpdateSvc C:\\Windows\\Temp\\svchost.exe\n";
  }
  return summary;
}

std::uint64_t write_bulk_evtx(const std::string& path, std::uint64_t bytes) {
  EvtxWriter w(path);
  std::mt19937_64 rng(7);
  Timestamp t = at("2015-05-01T00:00:00Z");
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
        w.write(service_install(t, computer, fmt::format("svc{}", rng() % 5000),
                                "C:\\Windows\\System32\\svchost.exe -k netsvcs"));
        break;
    }
  }
  w.close();
  return w.records_written();
}

}  // namespace ashiato::demo
