#include "sigma/engine/windows_logsource.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace ashiato::sigma {
namespace {

const char kSysmon[] = "Microsoft-Windows-Sysmon/Operational";

// service -> channels (Sigma taxonomy appendix; SigmaHQ tests/thor.yml).
const std::map<std::string, std::vector<std::string>>& service_channels() {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"application", {"Application"}},
      {"security", {"Security"}},
      {"system", {"System"}},
      {"sysmon", {kSysmon}},
      {"ntlm", {"Microsoft-Windows-NTLM/Operational"}},
      {"powershell", {"Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"}},
      {"powershell-classic", {"Windows PowerShell"}},
      {"taskscheduler", {"Microsoft-Windows-TaskScheduler/Operational"}},
      {"wmi", {"Microsoft-Windows-WMI-Activity/Operational"}},
      {"dhcp", {"Microsoft-Windows-DHCP-Server/Operational"}},
      {"printservice-admin", {"Microsoft-Windows-PrintService/Admin"}},
      {"printservice-operational", {"Microsoft-Windows-PrintService/Operational"}},
      {"smbclient-security", {"Microsoft-Windows-SmbClient/Security"}},
      {"smbclient-connectivity", {"Microsoft-Windows-SmbClient/Connectivity"}},
      {"smbserver-connectivity", {"Microsoft-Windows-SMBServer/Connectivity"}},
      {"terminalservices-localsessionmanager", {"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"}},
      {"codeintegrity-operational", {"Microsoft-Windows-CodeIntegrity/Operational"}},
      {"applocker",
       {"Microsoft-Windows-AppLocker/MSI and Script", "Microsoft-Windows-AppLocker/EXE and DLL",
        "Microsoft-Windows-AppLocker/Packaged app-Deployment", "Microsoft-Windows-AppLocker/Packaged app-Execution"}},
      {"msexchange-management", {"MSExchange Management"}},
      {"windefend", {"Microsoft-Windows-Windows Defender/Operational"}},
      {"firewall-as", {"Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"}},
      {"bits-client", {"Microsoft-Windows-Bits-Client/Operational"}},
      {"security-mitigations",
       {"Microsoft-Windows-Security-Mitigations/Kernel Mode", "Microsoft-Windows-Security-Mitigations/User Mode"}},
      {"diagnosis-scripted", {"Microsoft-Windows-Diagnosis-Scripted/Operational"}},
      {"shell-core", {"Microsoft-Windows-Shell-Core/Operational"}},
      {"openssh", {"OpenSSH/Operational"}},
      {"ldap", {"Microsoft-Windows-LDAP-Client/Debug"}},
      {"bitlocker", {"Microsoft-Windows-BitLocker/BitLocker Management"}},
      {"vhdmp", {"Microsoft-Windows-VHDMP/Operational"}},
      {"appxdeployment-server", {"Microsoft-Windows-AppXDeploymentServer/Operational"}},
      {"lsa-server", {"Microsoft-Windows-LSA/Operational"}},
      {"appxpackaging-om", {"Microsoft-Windows-AppxPackaging/Operational"}},
      {"dns-client", {"Microsoft-Windows-DNS Client Events/Operational"}},
      {"appmodel-runtime", {"Microsoft-Windows-AppModel-Runtime/Admin"}},
      {"capi2", {"Microsoft-Windows-CAPI2/Operational"}},
      {"certificateservicesclient-lifecycle-system",
       {"Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"}},
      {"kernel-shimengine",
       {"Microsoft-Windows-Kernel-ShimEngine/Operational", "Microsoft-Windows-Kernel-ShimEngine/Diagnostic"}},
      {"application-experience",
       {"Microsoft-Windows-Application-Experience/Program-Telemetry",
        "Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant"}},
      {"ntfs", {"Microsoft-Windows-Ntfs/Operational"}},
      {"hyper-v-worker", {"Microsoft-Windows-Hyper-V-Worker"}},
      {"kernel-event-tracing", {"Microsoft-Windows-Kernel-EventTracing"}},
      {"sense", {"Microsoft-Windows-SENSE/Operational"}},
      {"servicebus-client", {"Microsoft-ServiceBus-Client/Admin", "Microsoft-ServiceBus-Client/Operational"}},
      {"iis-configuration", {"Microsoft-IIS-Configuration/Operational"}},
      {"dns-server", {"DNS Server"}},
      {"dns-server-analytic", {"Microsoft-Windows-DNS-Server/Analytical"}},
      {"dns-server-audit", {"Microsoft-Windows-DNS-Server/Audit"}},
      {"driver-framework", {"Microsoft-Windows-DriverFrameworks-UserMode/Operational"}},
      {"microsoft-servicebus-client", {"Microsoft-ServiceBus-Client"}},
      {"rdp-client", {"Microsoft-Windows-TerminalServices-RDPClient/Operational"}},
      {"volumeshadowcopy", {"Microsoft-Windows-VolumeSnapshot-Driver/Operational"}},
  };
  return m;
}

std::string integrity_sid(const std::string& level) {
  static const std::map<std::string, std::string> m = {
      {"low", "S-1-16-4096"}, {"medium", "S-1-16-8192"}, {"high", "S-1-16-12288"}, {"system", "S-1-16-16384"}};
  auto it = m.find(folded(level));
  return it == m.end() ? level : it->second;
}

// Sysmon writes process ids in decimal; Security 4688 in hex.
std::string decimal_to_hex(const std::string& v) {
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 18) return v;
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", std::stoull(v));
  return buf;
}

// "DOMAIN\user" in Sysmon's User is SubjectUserName "user" in 4688.
std::string user_name(const std::string& v) {
  const auto slash = v.rfind('\\');
  return slash == std::string::npos ? v : v.substr(slash + 1);
}

std::string registry_path(const std::string& v) {
  static const std::vector<std::pair<std::string, std::string>> roots = {{"hklm", "\\REGISTRY\\MACHINE"},
                                                                         {"hku", "\\REGISTRY\\USER"},
                                                                         {"hkey_local_machine", "\\REGISTRY\\MACHINE"},
                                                                         {"hkey_users", "\\REGISTRY\\USER"}};
  const std::string f = folded(v);
  for (const auto& [short_name, native] : roots) {
    if (f.rfind(short_name, 0) == 0 && (f.size() == short_name.size() || f[short_name.size()] == '\\')) {
      std::string out = native;  // built by append: GCC 12 warns falsely on operator+ here
      out.append(v, short_name.size(), std::string::npos);
      return out;
    }
  }
  return v;
}

// Security 5156 writes image paths as \device\harddiskvolumeN\...: a drive letter becomes a
// "?" wildcard over the volume number.
std::string device_path(const std::string& v) {
  if (v.size() >= 2 && std::isalpha(static_cast<unsigned char>(v[0])) && v[1] == ':') {
    std::string out = "\\device\\harddiskvolume?";
    out.append(v, 2, std::string::npos);
    return out;
  }
  return v;
}

std::string direction(const std::string& v) {
  const std::string f = folded(v);
  if (f == "true") return "%%14593";
  if (f == "false") return "%%14592";
  return v;
}

std::string protocol_number(const std::string& v) {
  const std::string f = folded(v);
  if (f == "tcp") return "6";
  if (f == "udp") return "17";
  return v;
}

const FieldMap& security_4688() {
  static const FieldMap m = {
      {"Image", {"NewProcessName", nullptr}},          {"ParentImage", {"ParentProcessName", nullptr}},
      {"ProcessId", {"NewProcessId", decimal_to_hex}}, {"ParentProcessId", {"ProcessId", decimal_to_hex}},
      {"LogonId", {"SubjectLogonId", nullptr}},        {"IntegrityLevel", {"MandatoryLabel", integrity_sid}},
      {"User", {"SubjectUserName", user_name}},
  };
  return m;
}

const FieldMap& security_4657() {
  static const FieldMap m = {
      {"Image", {"ProcessName", nullptr}},
      {"TargetObject", {"ObjectName", registry_path}},
      {"Details", {"NewValue", nullptr}},
      {"User", {"SubjectUserName", user_name}},
  };
  return m;
}

const FieldMap& security_5156() {
  static const FieldMap m = {
      {"Image", {"Application", device_path, true}}, {"Initiated", {"Direction", direction}},
      {"SourceIp", {"SourceAddress", nullptr}},      {"DestinationIp", {"DestAddress", nullptr}},
      {"SourcePort", {"SourcePort", nullptr}},       {"DestinationPort", {"DestPort", nullptr}},
      {"Protocol", {"Protocol", protocol_number}},
  };
  return m;
}

const FieldMap& defender_antivirus() {
  static const FieldMap m = {{"Signature", {"ThreatName", nullptr}}, {"Filename", {"Path", nullptr}}};
  return m;
}

EventGate sysmon(std::vector<std::uint32_t> ids) {
  std::string label = "sysmon";
  for (auto id : ids) {
    label.push_back(' ');
    label += std::to_string(id);
  }
  return EventGate{{kSysmon}, std::move(ids), nullptr, label};
}

}  // namespace

std::vector<EventGate> windows_gates(const LogSource& ls) {
  if (!ls.product.empty() && ls.product != "windows") return {};
  const std::string& c = ls.category;
  if (!c.empty()) {
    static const std::map<std::string, std::vector<std::uint32_t>> sysmon_ids = {
        {"process_creation", {1}},
        {"file_change", {2}},
        {"network_connection", {3}},
        {"sysmon_status", {4, 16}},
        {"process_termination", {5}},
        {"driver_load", {6}},
        {"image_load", {7}},
        {"create_remote_thread", {8}},
        {"raw_access_thread", {9}},
        {"process_access", {10}},
        {"file_event", {11}},
        {"registry_event", {12, 13, 14}},
        {"registry_add", {12}},
        {"registry_delete", {12}},
        {"registry_set", {13}},
        {"registry_rename", {14}},
        {"create_stream_hash", {15}},
        {"pipe_created", {17, 18}},
        {"wmi_event", {19, 20, 21}},
        {"dns_query", {22}},
        {"file_delete", {23}},
        {"clipboard_capture", {24}},
        {"clipboard_change", {24}},
        {"process_tampering", {25}},
        {"file_delete_detected", {26}},
        {"file_block_executable", {27}},
        {"file_block_shredding", {28}},
        {"file_executable_detected", {29}},
        {"sysmon_error", {255}},
    };
    std::vector<EventGate> gates;
    if (auto it = sysmon_ids.find(c); it != sysmon_ids.end()) gates.push_back(sysmon(it->second));
    if (c == "process_creation") gates.push_back(EventGate{{"Security"}, {4688}, &security_4688(), "security 4688"});
    if (c == "registry_event" || c == "registry_set" || c == "registry_add") {
      gates.push_back(EventGate{{"Security"}, {4657}, &security_4657(), "security 4657"});
    }
    if (c == "network_connection") gates.push_back(EventGate{{"Security"}, {5156}, &security_5156(), "security 5156"});
    const std::vector<std::string> powershell = {"Microsoft-Windows-PowerShell/Operational",
                                                 "PowerShellCore/Operational"};
    if (c == "ps_module") gates.push_back(EventGate{powershell, {4103}, nullptr, "powershell 4103"});
    if (c == "ps_script") gates.push_back(EventGate{powershell, {4104}, nullptr, "powershell 4104"});
    if (c == "ps_classic_start")
      gates.push_back(EventGate{{"Windows PowerShell"}, {400}, nullptr, "powershell-classic 400"});
    if (c == "ps_classic_provider_start") {
      gates.push_back(EventGate{{"Windows PowerShell"}, {600}, nullptr, "powershell-classic 600"});
    }
    if (c == "ps_classic_script")
      gates.push_back(EventGate{{"Windows PowerShell"}, {800}, nullptr, "powershell-classic 800"});
    if (c == "antivirus") {
      gates.push_back(EventGate{{"Microsoft-Windows-Windows Defender/Operational"},
                                {1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116},
                                &defender_antivirus(),
                                "windefend antivirus"});
    }
    if (c == "wmi_event" && gates.empty()) {
      gates.push_back(EventGate{{"Microsoft-Windows-WMI-Activity/Operational"}, {5861}, nullptr, "wmi 5861"});
    }
    // A category with a service narrows to that service's channels.
    if (!ls.service.empty()) {
      auto it = service_channels().find(ls.service);
      if (it == service_channels().end()) return {};
      std::vector<EventGate> narrowed;
      for (auto& g : gates) {
        std::vector<std::string> keep;
        for (const auto& ch : g.channels) {
          if (std::find(it->second.begin(), it->second.end(), ch) != it->second.end()) keep.push_back(ch);
        }
        if (!keep.empty()) {
          g.channels = keep;
          narrowed.push_back(g);
        }
      }
      return narrowed;
    }
    return gates;
  }
  if (!ls.service.empty()) {
    auto it = service_channels().find(ls.service);
    if (it == service_channels().end()) return {};
    return {EventGate{it->second, {}, nullptr, "service " + ls.service}};
  }
  return {};
}

}  // namespace ashiato::sigma
