#include "demo/windows_events.h"

#include <fmt/format.h>

namespace ashiato::demo {
namespace {

constexpr char kSecurityProvider[] = "Microsoft-Windows-Security-Auditing";
constexpr char kSecurityGuid[] = "{54849625-5478-4994-A5BA-3E3B0328C30D}";
constexpr char kScmProvider[] = "Service Control Manager";
constexpr char kScmGuid[] = "{555908D1-A6D7-4695-8E1E-26931D2012F4}";
constexpr char kTaskSchedulerProvider[] = "Microsoft-Windows-TaskScheduler";
constexpr char kTaskSchedulerGuid[] = "{DE7B24EA-73C8-4A09-985D-5BDADCFA9017}";

// The audit subcategory each event is filed under (the System/Task value).
std::uint16_t audit_task(std::uint16_t id) {
  switch (id) {
    case 4624: return 12544;  // Logon
    case 4648: return 12544;
    case 4672: return 12548;  // Special Logon
    case 4688: return 13312;  // Process Creation
    case 4698: return 12804;  // Other Object Access Events
    case 4768: return 14339;  // Kerberos Authentication Service
    case 5140: return 12808;  // File Share
    case 5145: return 12811;  // Detailed File Share
    default: return 0;
  }
}

WriterEvent security(std::uint16_t id, Timestamp t, const std::string& computer,
                     std::vector<std::pair<std::string, std::string>> data) {
  WriterEvent e;
  e.provider_name = kSecurityProvider;
  e.provider_guid = kSecurityGuid;
  e.event_id = id;
  e.level = 0;
  e.task = audit_task(id);
  e.time = t;
  e.process_id = 612;
  e.thread_id = 1204 + (id % 7) * 4;
  e.channel = "Security";
  e.computer = computer;
  e.data = std::move(data);
  return e;
}

std::vector<std::pair<std::string, std::string>> subject_fields(const Subject& s) {
  return {{"SubjectUserSid", s.sid},
          {"SubjectUserName", s.user},
          {"SubjectDomainName", s.domain},
          {"SubjectLogonId", s.logon_id}};
}

}  // namespace

WriterEvent logon_event(Timestamp t, const std::string& computer, const Logon& l) {
  const bool interactive = l.type == 2 || l.type == 10;
  const bool ntlm = l.package == "NTLM";
  return security(
      4624, t, computer,
      {{"SubjectUserSid", interactive ? "S-1-5-18" : "S-1-0-0"},
       {"SubjectUserName", interactive ? fmt::format("{}$", computer.substr(0, computer.find('.'))) : "-"},
       {"SubjectDomainName", interactive ? "CORP" : "-"},
       {"SubjectLogonId", interactive ? "0x3e7" : "0x0"},
       {"TargetUserSid", l.sid},
       {"TargetUserName", l.user},
       {"TargetDomainName", l.domain},
       {"TargetLogonId", l.logon_id},
       {"LogonType", std::to_string(l.type)},
       {"LogonProcessName", interactive ? "User32 "
                            : ntlm      ? "NtLmSsp "
                                        : "Kerberos"},
       {"AuthenticationPackageName", l.package},
       {"WorkstationName", l.workstation},
       {"LogonGuid", "{00000000-0000-0000-0000-000000000000}"},
       {"TransmittedServices", "-"},
       {"LmPackageName", ntlm ? "NTLM V2" : "-"},
       {"KeyLength", ntlm ? "128" : "0"},
       {"ProcessId", interactive ? "0x1f4" : "0x0"},
       {"ProcessName", interactive ? "C:\\Windows\\System32\\winlogon.exe" : "-"},
       {"IpAddress", l.ip},
       {"IpPort", l.ip == "-" || l.ip == "127.0.0.1" ? "0" : std::to_string(49152 + (t.ticks / 10'000'000) % 16000)}});
}

WriterEvent special_privileges(Timestamp t, const std::string& computer, const Subject& subject) {
  auto data = subject_fields(subject);
  data.emplace_back("PrivilegeList",
                    "SeSecurityPrivilege\n\t\t\tSeBackupPrivilege\n\t\t\tSeRestorePrivilege\n\t\t\t"
                    "SeTakeOwnershipPrivilege\n\t\t\tSeDebugPrivilege\n\t\t\tSeSystemEnvironmentPrivilege\n\t\t\t"
                    "SeLoadDriverPrivilege\n\t\t\tSeImpersonatePrivilege\n\t\t\tSeEnableDelegationPrivilege");
  return security(4672, t, computer, std::move(data));
}

WriterEvent explicit_credentials(Timestamp t, const std::string& computer, const Subject& subject,
                                 const std::string& target_user, const std::string& target_domain,
                                 const std::string& target_server, const std::string& process) {
  auto data = subject_fields(subject);
  data.insert(data.end(), {{"LogonGuid", "{00000000-0000-0000-0000-000000000000}"},
                           {"TargetUserName", target_user},
                           {"TargetDomainName", target_domain},
                           {"TargetLogonGuid", "{00000000-0000-0000-0000-000000000000}"},
                           {"TargetServerName", target_server},
                           {"TargetInfo", target_server},
                           {"ProcessId", "0x4"},
                           {"ProcessName", process},
                           {"IpAddress", "-"},
                           {"IpPort", "-"}});
  return security(4648, t, computer, std::move(data));
}

WriterEvent tgt_request(Timestamp t, const std::string& computer, const std::string& user, const std::string& sid,
                        const std::string& ip) {
  return security(4768, t, computer,
                  {{"TargetUserName", user},
                   {"TargetDomainName", "CORP"},
                   {"TargetSid", sid},
                   {"ServiceName", "krbtgt"},
                   {"ServiceSid", "S-1-5-21-3623811015-3361044348-30300820-502"},
                   {"TicketOptions", "0x40810010"},
                   {"Status", "0x0"},
                   {"TicketEncryptionType", "0x12"},
                   {"PreAuthType", "2"},
                   {"IpAddress", "::ffff:" + ip},
                   {"IpPort", std::to_string(49152 + (t.ticks / 10'000'000) % 16000)},
                   {"CertIssuerName", ""},
                   {"CertSerialNumber", ""},
                   {"CertThumbprint", ""}});
}

WriterEvent process_created(Timestamp t, const std::string& computer, const Subject& subject, std::uint32_t pid,
                            const std::string& image, const std::string& command_line, std::uint32_t parent_pid) {
  auto data = subject_fields(subject);
  data.insert(data.end(), {{"NewProcessId", fmt::format("0x{:x}", pid)},
                           {"NewProcessName", image},
                           {"TokenElevationType", "%%1938"},
                           {"ProcessId", fmt::format("0x{:x}", parent_pid)},
                           {"CommandLine", command_line}});
  WriterEvent e = security(4688, t, computer, std::move(data));
  e.version = 1;
  return e;
}

WriterEvent share_accessed(Timestamp t, const std::string& computer, const Subject& subject, const std::string& ip,
                           const std::string& share, const std::string& local_path) {
  auto data = subject_fields(subject);
  data.insert(data.end(), {{"ObjectType", "File"},
                           {"IpAddress", ip},
                           {"IpPort", std::to_string(49152 + (t.ticks / 10'000'000) % 16000)},
                           {"ShareName", share},
                           {"ShareLocalPath", local_path},
                           {"AccessMask", "0x1"},
                           {"AccessList", "%%4416\n\t\t\t\t"}});
  return security(5140, t, computer, std::move(data));
}

WriterEvent share_object_checked(Timestamp t, const std::string& computer, const Subject& subject,
                                 const std::string& ip, const std::string& share, const std::string& relative_target,
                                 const std::string& access_mask) {
  auto data = subject_fields(subject);
  data.insert(data.end(), {{"ObjectType", "File"},
                           {"IpAddress", ip},
                           {"IpPort", std::to_string(49152 + (t.ticks / 10'000'000) % 16000)},
                           {"ShareName", share},
                           {"ShareLocalPath", share.ends_with("IPC$") ? "" : "\\??\\C:\\"},
                           {"RelativeTargetName", relative_target},
                           {"AccessMask", access_mask},
                           {"AccessList", access_mask == "0x2" ? "%%4417\n\t\t\t\t" : "%%4416\n\t\t\t\t"},
                           {"AccessReason", "-"}});
  return security(5145, t, computer, std::move(data));
}

WriterEvent task_created(Timestamp t, const std::string& computer, const Subject& subject, const std::string& task,
                         const std::string& command) {
  auto data = subject_fields(subject);
  data.emplace_back("TaskName", task);
  data.emplace_back("TaskContent",
                    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Task version=\"1.0\" "
                    "xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\r\n  <Principals>\r\n    "
                    "<Principal id=\"Author\">\r\n      <UserId>S-1-5-18</UserId>\r\n    </Principal>\r\n  "
                    "</Principals>\r\n  <Actions Context=\"Author\">\r\n    <Exec>\r\n      <Command>" +
                        command + "</Command>\r\n    </Exec>\r\n  </Actions>\r\n</Task>");
  return security(4698, t, computer, std::move(data));
}

namespace {

// The System log's Service Control Manager header, shared by its events.
WriterEvent service_control_manager(std::uint16_t id, Timestamp t, const std::string& computer,
                                    std::uint32_t thread_id) {
  WriterEvent e;
  e.provider_name = kScmProvider;
  e.provider_guid = kScmGuid;
  e.event_id = id;
  e.level = 4;
  e.keywords = 0x8080000000000000ULL;
  e.time = t;
  e.process_id = 568;
  e.thread_id = thread_id;
  e.channel = "System";
  e.computer = computer;
  return e;
}

}  // namespace

WriterEvent service_installed(Timestamp t, const std::string& computer, const std::string& name,
                              const std::string& image, const std::string& installer_sid) {
  WriterEvent e = service_control_manager(7045, t, computer, 2496);
  e.user_sid = installer_sid;
  e.data = {{"ServiceName", name},
            {"ImagePath", image},
            {"ServiceType", "user mode service"},
            {"StartType", "auto start"},
            {"AccountName", "LocalSystem"}};
  return e;
}

WriterEvent service_state(Timestamp t, const std::string& computer, const std::string& display_name,
                          const std::string& state) {
  WriterEvent e = service_control_manager(7036, t, computer, 2512);
  e.data = {{"param1", display_name}, {"param2", state}};
  return e;
}

WriterEvent event_log_service(Timestamp t, const std::string& computer, bool started) {
  WriterEvent e;
  e.provider_name = "EventLog";
  e.event_id = started ? 6005 : 6006;
  e.level = 4;
  e.keywords = 0x80000000000000ULL;
  e.time = t;
  e.process_id = 0;
  e.thread_id = 0;
  e.channel = "System";
  e.computer = computer;
  return e;
}

WriterEvent task_scheduler(std::uint16_t id, Timestamp t, const std::string& computer,
                           std::vector<std::pair<std::string, std::string>> data) {
  WriterEvent e;
  e.provider_name = kTaskSchedulerProvider;
  e.provider_guid = kTaskSchedulerGuid;
  e.event_id = id;
  e.level = 4;
  e.task = id;
  e.opcode = id == 200 || id == 100 || id == 129 ? 1 : id == 201 || id == 102 ? 2 : 0;
  e.keywords = 0x8000000000000000ULL;
  e.time = t;
  e.process_id = 1012;
  e.thread_id = 3340;
  e.channel = "Microsoft-Windows-TaskScheduler/Operational";
  e.computer = computer;
  e.user_sid = "S-1-5-18";
  e.data = std::move(data);
  return e;
}

}  // namespace ashiato::demo
