// The event logs a responder collects: the domain controller DC01, the file server FS01 and the
// three infected PCs, as evtx/<host>/<log>.evtx. Ordinary days (every user's logons on DC01 and
// FS01 from the address DHCP gave the PC, the infected PCs' own logons and programs) surround the
// intrusion: the implant's process creations, the attacker's commands on PC-017, and the stolen
// domain-admin account's logons, `at` task and service on the servers.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "demo/demo_writers.h"
#include "demo/windows_events.h"

namespace ashiato::demo {
namespace {

constexpr char kSecurityLog[] = "Security.evtx";
constexpr char kSystemLog[] = "System.evtx";
constexpr char kTaskSchedulerLog[] = "Microsoft-Windows-TaskScheduler%4Operational.evtx";
constexpr char kSystemDir[] = "C:\\Windows\\System32\\";

const AttackerCommand& command_starting(const AttackTimeline& a, const std::string& prefix) {
  for (const AttackerCommand& c : a.commands) {
    if (c.shell.starts_with(prefix)) return c;
  }
  throw std::logic_error("demo attack has no command " + prefix);
}

struct PcDayProcesses {
  std::uint32_t explorer = 0;
  std::uint32_t outlook = 0;
  std::uint32_t implant = 0;
};

class WindowsEvidence {
 public:
  explicit WindowsEvidence(const Organisation& org) : org_(org) {}

  void build() {
    for (const PcDay& d : org_.days) user_day(d);
    admin_routine();
    infections();
    attack();
    server_routine();
  }

  void write(const std::filesystem::path& dir, std::vector<WrittenFile>& files) {
    for (auto& [key, events] : logs_) {
      std::stable_sort(events.begin(), events.end(),
                       [](const WriterEvent& a, const WriterEvent& b) { return a.time < b.time; });
      const std::string relative = "evtx/" + key.first + "/" + key.second;
      std::filesystem::create_directories(dir / "evtx" / key.first);
      evtx::EvtxWriter writer((dir / relative).string());
      for (const WriterEvent& e : events) writer.write(e);
      writer.close();
      files.push_back({"evtx", relative, std::filesystem::file_size(dir / relative), writer.records_written()});
    }
  }

 private:
  std::vector<WriterEvent>& log(const std::string& host, const char* file) { return logs_[{host, file}]; }
  void add(const std::string& host, const char* file, WriterEvent e) { log(host, file).push_back(std::move(e)); }

  std::string next_logon_id(const std::string& host) {
    auto [it, fresh] = logon_ids_.try_emplace(host, 0x3a2f10);
    it->second += static_cast<std::uint64_t>(random_.between(0x40, 0x3000));
    return fmt::format("0x{:x}", it->second);
  }
  std::uint32_t next_pid() { return static_cast<std::uint32_t>(random_.between(0x100, 0x1f00) * 4); }

  Subject user_subject(const Pc& pc, const std::string& logon_id) const {
    return {pc.user_sid, pc.user, kDomain, logon_id};
  }
  Subject admin_subject(const std::string& logon_id) const {
    return {org_.admin_sid(), kAdminAccount, kDomain, logon_id};
  }

  // A network logon of a domain account on a server, and what it opens there.
  void network_logon(Timestamp t, const std::string& server, const std::string& user, const std::string& sid,
                     const std::string& ip, const std::string& workstation, bool admin) {
    const std::string id = next_logon_id(server);
    add(server, kSecurityLog, logon_event(t, fqdn(server), {user, sid, kDomain, 3, ip, workstation, id, "NTLM"}));
    if (admin) add(server, kSecurityLog, special_privileges(t, fqdn(server), {sid, user, kDomain, id}));
  }

  void user_day(const PcDay& d) {
    const Pc& pc = org_.pcs[static_cast<std::size_t>(d.pc)];
    const Timestamp logon = plus_seconds(d.boot, random_.between(35, 60));
    const std::int64_t day_seconds = seconds_between(logon, d.shutdown);
    add(kDcName, kSecurityLog, tgt_request(logon, fqdn(kDcName), pc.user, pc.user_sid, d.ip));
    network_logon(plus_millis(logon, 180), kDcName, pc.user, pc.user_sid, d.ip, pc.name, false);
    for (int n = static_cast<int>(random_.between(1, 3)); n > 0; --n) {
      network_logon(plus_seconds(logon, random_.between(600, day_seconds - 60)), kDcName, pc.user, pc.user_sid, d.ip,
                    pc.name, false);
    }
    // Drive mapping to the department share at logon, reconnections later on.
    const Timestamp mapped = plus_seconds(logon, random_.between(10, 30));
    network_logon(mapped, kFsName, pc.user, pc.user_sid, d.ip, pc.name, false);
    add(kFsName, kSecurityLog,
        share_accessed(plus_millis(mapped, 40), fqdn(kFsName), user_subject(pc, "0x0"), d.ip, "\\\\*\\share",
                       "\\??\\D:\\share"));
    for (int n = static_cast<int>(random_.between(0, 2)); n > 0; --n) {
      network_logon(plus_seconds(logon, random_.between(900, day_seconds - 60)), kFsName, pc.user, pc.user_sid, d.ip,
                    pc.name, false);
    }
    if (org_.is_infected(d.pc)) infected_pc_day(d, pc, logon);
  }

  // The infected PCs' own logs: boot, the user's console logon and the programs they start.
  void infected_pc_day(const PcDay& d, const Pc& pc, Timestamp logon) {
    const std::string computer = fqdn(pc.name);
    add(pc.name, kSystemLog, event_log_service(plus_seconds(d.boot, 2), computer, true));
    add(pc.name, kSystemLog, service_state(plus_seconds(d.boot, 74), computer, "Windows Update", "running"));
    add(pc.name, kSystemLog, event_log_service(d.shutdown, computer, false));
    const std::string id = next_logon_id(pc.name);
    add(pc.name, kSecurityLog,
        logon_event(logon, computer, {pc.user, pc.user_sid, kDomain, 2, "127.0.0.1", pc.name, id, "Negotiate"}));
    const Subject user = user_subject(pc, id);
    PcDayProcesses& p = processes_[{d.pc, d.day}];
    p.explorer = next_pid();
    add(pc.name, kSecurityLog,
        process_created(plus_seconds(logon, 3), computer, user, p.explorer, "C:\\Windows\\explorer.exe",
                        "C:\\Windows\\Explorer.EXE", 0x1f0));
    p.outlook = next_pid();
    const std::string outlook = "C:\\Program Files\\Microsoft Office\\Office14\\OUTLOOK.EXE";
    add(pc.name, kSecurityLog,
        process_created(plus_seconds(logon, random_.between(20, 90)), computer, user, p.outlook, outlook,
                        "\"" + outlook + "\" ", p.explorer));
    const std::int64_t day_seconds = seconds_between(logon, d.shutdown);
    for (int n = static_cast<int>(random_.between(3, 7)); n > 0; --n) {
      const bool excel = random_.chance(30);
      const std::string image = excel ? "C:\\Program Files\\Microsoft Office\\Office14\\EXCEL.EXE"
                                      : "C:\\Program Files\\Internet Explorer\\iexplore.exe";
      const std::string args =
          excel ? fmt::format(" \"\\\\FS01\\share\\{}\\report_201506{:02}.xlsx\"", pc.user, random_.between(1, 5))
                : std::string(" SCODEF:2160 CREDAT:79873");
      add(pc.name, kSecurityLog,
          process_created(plus_seconds(logon, random_.between(120, day_seconds - 60)), computer, user, next_pid(),
                          image, fmt::format("\"{}\"{}", image, args), p.explorer));
    }
  }

  // The administrator's own work on the servers (the attacker's logons come with attack()).
  void admin_routine() {
    const Pc& admin = org_.pcs[static_cast<std::size_t>(org_.admin_pc)];
    for (const AdminLogon& logon : org_.admin_logons) {
      if (logon.by_attacker) continue;
      const std::string ip = org_.ip_at(logon.source_pc, logon.time);
      if (logon.target == kDcName) {
        add(kDcName, kSecurityLog,
            tgt_request(plus_millis(logon.time, -150), fqdn(kDcName), kAdminAccount, org_.admin_sid(), ip));
      }
      network_logon(logon.time, logon.target, kAdminAccount, org_.admin_sid(), ip, admin.name, true);
    }
  }

  // The mail attachment starts the implant; afterwards the Run key starts it at every logon.
  void infections() {
    for (const ImplantStart& start : org_.implant_starts) {
      const Pc& pc = org_.pcs[static_cast<std::size_t>(start.pc)];
      const InfectedHost& host = *org_.infection(start.pc);
      const PcDay& d = *org_.day_at(start.pc, start.time);
      PcDayProcesses& p = processes_[{d.pc, d.day}];
      const std::string computer = fqdn(pc.name);
      const Subject user = user_subject(pc, "0x0");
      const std::string temp = fmt::format("C:\\Users\\{}\\AppData\\Local\\Temp", pc.user);
      std::uint32_t parent = p.explorer;
      if (start.time == plus_seconds(host.infected, 40)) {
        const std::string dropper = fmt::format(
            "C:\\Users\\{}\\AppData\\Local\\Microsoft\\Windows\\Temporary Internet "
            "Files\\Content.Outlook\\K3T7Q2ZB\\{}",
            pc.user, host.dropper);
        parent = next_pid();
        add(pc.name, kSecurityLog,
            process_created(host.infected, computer, user, parent, dropper, "\"" + dropper + "\" ", p.outlook));
      }
      p.implant = next_pid();
      add(pc.name, kSecurityLog,
          process_created(plus_seconds(start.time, -1), computer, user, p.implant, temp + "\\unsecess.exe",
                          "\"" + temp + "\\unsecess.exe\" ", parent));
    }
  }

  void attack() {
    const AttackTimeline& a = org_.attack;
    const Pc& pc = org_.pcs[static_cast<std::size_t>(a.pc)];
    const std::string computer = fqdn(pc.name);
    const Subject user = user_subject(pc, "0x0");
    const Pc& admin = org_.pcs[static_cast<std::size_t>(org_.admin_pc)];

    // The administrator's support session on the PC leaves the password in its memory.
    const std::string support_id = next_logon_id(pc.name);
    add(pc.name, kSecurityLog,
        logon_event(a.admin_support, computer,
                    {kAdminAccount, org_.admin_sid(), kDomain, 10, org_.ip_at(org_.admin_pc, a.admin_support),
                     admin.name, support_id, "Negotiate"}));
    add(pc.name, kSecurityLog, special_privileges(a.admin_support, computer, admin_subject(support_id)));

    const std::uint32_t implant = processes_[{a.pc, org_.day_at(a.pc, a.fs_logon)->day}].implant;
    for (const AttackerCommand& c : a.commands) {
      const std::uint32_t shell = next_pid();
      add(pc.name, kSecurityLog,
          process_created(c.time, computer, user, shell, std::string(kSystemDir) + "cmd.exe", "cmd.exe /c " + c.shell,
                          implant));
      if (!c.image.empty()) {
        add(pc.name, kSecurityLog,
            process_created(plus_millis(c.time, 120), computer, user, next_pid(), c.image, c.image_command_line,
                            shell));
      }
      if (c.shell.find("/user:") != std::string::npos) {
        const std::string server = c.shell.substr(c.shell.find("\\\\") + 2, 4);
        add(pc.name, kSecurityLog,
            explicit_credentials(plus_millis(c.time, 300), computer, user, kAdminAccount, kDomain, server, "-"));
      }
    }

    const std::string ip = org_.ip_at(a.pc, a.fs_logon);
    const std::string fs = fqdn(kFsName);
    const std::string fs_id = next_logon_id(kFsName);
    add(kFsName, kSecurityLog,
        logon_event(a.fs_logon, fs, {kAdminAccount, org_.admin_sid(), kDomain, 3, ip, pc.name, fs_id, "NTLM"}));
    add(kFsName, kSecurityLog, special_privileges(a.fs_logon, fs, admin_subject(fs_id)));
    add(kFsName, kSecurityLog,
        share_accessed(plus_millis(a.fs_logon, 30), fs, admin_subject(fs_id), ip, "\\\\*\\C$", "\\??\\C:\\"));
    const AttackerCommand& copy = command_starting(a, "copy ");
    add(kFsName, kSecurityLog,
        share_object_checked(plus_seconds(copy.time, 1), fs, admin_subject(fs_id), ip, "\\\\*\\C$",
                             "Windows\\Temp\\update.exe", "0x2"));
    add(kFsName, kSecurityLog,
        share_object_checked(plus_seconds(a.at_registered, -1), fs, admin_subject(fs_id), ip, "\\\\*\\IPC$", "atsvc",
                             "0x3"));
    add(kFsName, kSecurityLog, task_created(a.at_registered, fs, admin_subject(fs_id), a.task_name, a.task_command));
    add(kFsName, kTaskSchedulerLog,
        task_scheduler(106, a.at_registered, fs,
                       {{"TaskName", a.task_name}, {"UserContext", std::string(kDomain) + "\\" + kAdminAccount}}));
    run_task(kFsName, a.task_started, a.task_name, a.task_command, "{7c2f3a1e-5b8d-4e0f-9a61-2d4c8b7e3f90}", 6);
    add(kFsName, kSystemLog, service_installed(a.service_installed, fs, a.service_name, a.service_image, "S-1-5-18"));
    add(kFsName, kSystemLog, service_state(plus_seconds(a.service_installed, 1), fs, a.service_name, "running"));
    add(kFsName, kSecurityLog,
        share_object_checked(plus_seconds(command_starting(a, "dir \\\\FS01").time, 1), fs, admin_subject(fs_id), ip,
                             "\\\\*\\C$", "Windows\\Temp", "0x1"));

    const std::string dc = fqdn(kDcName);
    const std::string dc_ip = org_.ip_at(a.pc, a.dc_logon);
    const std::string dc_id = next_logon_id(kDcName);
    add(kDcName, kSecurityLog,
        logon_event(a.dc_logon, dc, {kAdminAccount, org_.admin_sid(), kDomain, 3, dc_ip, pc.name, dc_id, "NTLM"}));
    add(kDcName, kSecurityLog, special_privileges(a.dc_logon, dc, admin_subject(dc_id)));
    add(kDcName, kSecurityLog,
        share_accessed(plus_millis(a.dc_logon, 30), dc, admin_subject(dc_id), dc_ip, "\\\\*\\C$", "\\??\\C:\\"));
  }

  void run_task(const std::string& host, Timestamp t, const std::string& task, const std::string& action,
                const std::string& instance, int seconds) {
    const std::string computer = fqdn(host);
    add(host, kTaskSchedulerLog,
        task_scheduler(100, t, computer,
                       {{"TaskName", task}, {"UserContext", "NT AUTHORITY\\System"}, {"InstanceId", instance}}));
    add(host, kTaskSchedulerLog,
        task_scheduler(
            129, t, computer,
            {{"TaskName", task}, {"Path", action}, {"ProcessID", std::to_string(next_pid())}, {"Priority", "16384"}}));
    add(host, kTaskSchedulerLog,
        task_scheduler(200, t, computer, {{"TaskName", task}, {"ActionName", action}, {"TaskInstanceId", instance}}));
    const Timestamp done = plus_seconds(t, seconds);
    add(host, kTaskSchedulerLog,
        task_scheduler(
            201, done, computer,
            {{"TaskName", task}, {"TaskInstanceId", instance}, {"ActionName", action}, {"ResultCode", "0"}}));
    add(host, kTaskSchedulerLog,
        task_scheduler(102, done, computer,
                       {{"TaskName", task}, {"UserContext", "NT AUTHORITY\\System"}, {"InstanceId", instance}}));
  }

  // What servers log every day anyway: the nightly backup task, Windows Update, and a Defender
  // update that installs its kernel driver from ProgramData (a service that is not the attacker's).
  void server_routine() {
    for (int day = 0; day < kDays; ++day) {
      run_task(kFsName, plus_seconds(local_time(day, 22, 0), random_.between(0, 3)), "\\Backup\\NightlyBackup",
               "C:\\Program Files\\Backup\\backup.exe",
               fmt::format("{{3e1c9a4b-7d20-4f6e-8b1a-5c0d2e9f{:04x}}}", 0x1000 + day), 2400 + day * 37);
      for (const char* server : {kDcName, kFsName}) {
        const Timestamp t = plus_seconds(local_time(day, 3, 0), random_.between(0, 1800));
        add(server, kSystemLog, service_state(t, fqdn(server), "Windows Modules Installer", "running"));
        add(server, kSystemLog,
            service_state(plus_seconds(t, random_.between(300, 900)), fqdn(server), "Windows Modules Installer",
                          "stopped"));
      }
    }
    WriterEvent driver = service_installed(local_time(0, 3, 12, 44), fqdn(kDcName), "MpKsl4c1b8e2d",
                                           "\\??\\C:\\ProgramData\\Microsoft\\Windows Defender\\Definition "
                                           "Updates\\{0C1D4B1A-52E8-4F93-B5A3-4D2E6F1A7C90}\\MpKslDrv.sys",
                                           "S-1-5-18");
    driver.data[2].second = "kernel mode driver";
    driver.data[3].second = "demand start";
    add(kDcName, kSystemLog, std::move(driver));
  }

  const Organisation& org_;
  std::map<std::pair<std::string, std::string>, std::vector<WriterEvent>> logs_;
  std::map<std::string, std::uint64_t> logon_ids_;
  std::map<std::pair<int, int>, PcDayProcesses> processes_;
  Random random_{4688};
};

}  // namespace

void write_windows_logs(const Organisation& org, const std::filesystem::path& dir, std::vector<WrittenFile>& files) {
  WindowsEvidence evidence(org);
  evidence.build();
  evidence.write(dir, files);
}

}  // namespace ashiato::demo
