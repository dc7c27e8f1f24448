// Builders of the Windows events the demo writes, with the EventData fields Windows 7 and
// Windows Server 2012 R2 write for them (Security auditing, Service Control Manager, Task
// Scheduler, Event Log service).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/timestamp.h"
#include "evtx/evtx_writer.h"

namespace ashiato::demo {

using evtx::WriterEvent;

// Who did something: a logon session of an account.
struct Subject {
  std::string sid = "S-1-5-18";
  std::string user = "-";
  std::string domain = "-";
  std::string logon_id = "0x3e7";
};

struct Logon {
  std::string user;
  std::string sid;
  std::string domain;
  int type = 3;
  std::string ip = "-";
  std::string workstation = "-";
  std::string logon_id;
  std::string package = "NTLM";  // NTLM, Kerberos, Negotiate
};

WriterEvent logon_event(Timestamp t, const std::string& computer, const Logon& logon);             // 4624
WriterEvent special_privileges(Timestamp t, const std::string& computer, const Subject& subject);  // 4672
WriterEvent explicit_credentials(Timestamp t, const std::string& computer, const Subject& subject,
                                 const std::string& target_user, const std::string& target_domain,
                                 const std::string& target_server, const std::string& process);  // 4648
WriterEvent tgt_request(Timestamp t, const std::string& computer, const std::string& user, const std::string& sid,
                        const std::string& ip);  // 4768
// 4688 as Windows 7 writes it (no parent name: the parent is ProcessId).
WriterEvent process_created(Timestamp t, const std::string& computer, const Subject& subject, std::uint32_t pid,
                            const std::string& image, const std::string& command_line, std::uint32_t parent_pid);
WriterEvent share_accessed(Timestamp t, const std::string& computer, const Subject& subject, const std::string& ip,
                           const std::string& share, const std::string& local_path);  // 5140
WriterEvent share_object_checked(Timestamp t, const std::string& computer, const Subject& subject,
                                 const std::string& ip, const std::string& share, const std::string& relative_target,
                                 const std::string& access_mask);  // 5145
WriterEvent task_created(Timestamp t, const std::string& computer, const Subject& subject, const std::string& task,
                         const std::string& command);  // 4698
WriterEvent service_installed(Timestamp t, const std::string& computer, const std::string& name,
                              const std::string& image, const std::string& installer_sid);  // 7045
WriterEvent service_state(Timestamp t, const std::string& computer, const std::string& display_name,
                          const std::string& state);                                    // 7036
WriterEvent event_log_service(Timestamp t, const std::string& computer, bool started);  // 6005 / 6006
// Microsoft-Windows-TaskScheduler/Operational: 106 registered, 100 started, 129 process created,
// 200 action started, 201 action completed, 102 finished.
WriterEvent task_scheduler(std::uint16_t id, Timestamp t, const std::string& computer,
                           std::vector<std::pair<std::string, std::string>> data);

}  // namespace ashiato::demo
