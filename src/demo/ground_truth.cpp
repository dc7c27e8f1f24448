// ground-truth.json: exactly what was planted in the demo case, for checking what a tool (or a
// person) finds. Times are UTC ISO 8601 with milliseconds, as the logs record them; paths are
// relative to the demo folder.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/json_text.h"
#include "demo/demo_writers.h"
#include "demo/web_traffic.h"

namespace ashiato::demo {
namespace {

// Pretty-printed JSON, written in document order; a nullptr key marks an array element.
class JsonWriter {
 public:
  void begin_object(const char* key = nullptr) { open(key, '{'); }
  void end_object() { close('}'); }
  void begin_array(const char* key = nullptr) { open(key, '['); }
  void end_array() { close(']'); }
  void string(const char* key, std::string_view value) {
    member(key);
    append_json_string(out_, value);
  }
  void number(const char* key, std::int64_t value) {
    member(key);
    out_ += std::to_string(value);
  }
  void time(const char* key, Timestamp t) { string(key, utc_iso(t)); }
  std::string text() const { return out_ + "\n"; }

 private:
  void member(const char* key) {
    if (!first_.empty()) {
      if (!first_.back()) out_.push_back(',');
      first_.back() = false;
      new_line(first_.size());
    }
    if (key != nullptr) {
      append_json_string(out_, key);
      out_ += ": ";
    }
  }
  void new_line(std::size_t depth) {
    out_.push_back('\n');
    out_.append(2 * depth, ' ');
  }
  void open(const char* key, char bracket) {
    member(key);
    out_.push_back(bracket);
    first_.push_back(true);
  }
  void close(char bracket) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) new_line(first_.size());
    out_.push_back(bracket);
  }

  std::string out_;
  std::vector<bool> first_;  // per open container: no member written yet
};

std::string local_date(Timestamp t) {
  const CivilTime c = local_civil(t);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::string proxy_format(const Organisation& org, int pc) {
  return org.pcs[static_cast<std::size_t>(pc)].office == Office::kHeadOffice ? "squid" : "w3c (ProxySG ELFF)";
}

void organisation_part(JsonWriter& j, const Organisation& org) {
  j.begin_object("organisation");
  j.string("name", kOrganisation);
  j.string("domain", kDomain);
  j.string("dns_domain", kDnsDomain);
  j.string("time_zone", kTimeZone);
  j.string("utc_offset", kUtcOffset);
  j.string("internal_network", kInternalNetwork);
  j.string("public_ip", kPublicIp);
  j.time("period_from", local_time(0, 0, 0));
  j.time("period_to", local_time(kDays, 0, 0));
  j.number("pcs", static_cast<std::int64_t>(org.pcs.size()));
  j.begin_array("servers");
  for (const auto& [name, ip, role] :
       {std::tuple{kDcName, kDcIp, "domain controller"}, std::tuple{kFsName, kFsIp, "file server"},
        std::tuple{kDhcpServerName, kDhcpServerIp, "DHCP server (ISC dhcpd)"},
        std::tuple{kHqProxyName, kHqProxyIp, "proxy, Tokyo head office (Squid)"},
        std::tuple{kBranchProxyName, kBranchProxyIp, "proxy, Osaka branch (ProxySG)"},
        std::tuple{kFirewallName, "10.1.0.1", "Internet gateway (iptables, NAT)"}}) {
    j.begin_object();
    j.string("name", name);
    j.string("ip", ip);
    j.string("role", role);
    j.end_object();
  }
  j.end_array();
  j.begin_object("dhcp");
  j.number("lease_seconds", kLeaseSeconds);
  j.string("head_office_pool", "10.1.10.100-10.1.10.175 (PC-001..PC-080)");
  j.string("branch_pool", "10.1.20.100-10.1.20.118 (PC-081..PC-100)");
  std::map<std::string, std::set<int>> holders;
  for (const PcDay& d : org.days) holders[d.ip].insert(d.pc);
  std::int64_t reused = 0;
  for (const auto& [ip, pcs] : holders) reused += pcs.size() > 1 ? 1 : 0;
  j.number("addresses_leased_to_several_pcs", reused);
  j.end_object();
  j.end_object();
}

void c2_part(JsonWriter& j, const Organisation& org) {
  j.begin_object("c2");
  j.string("domain", kC2Domain);
  j.string("ip", kC2Ip);
  j.number("port", kC2Port);
  j.begin_array("url_paths");
  j.string(nullptr, kC2Path);
  j.end_array();
  j.string("url", fmt::format("http://{}{}", kC2Domain, kC2Path));
  j.string("query_format", kBeaconQueryFormat);
  j.string("watering_hole_path", kWateringHolePath);
  j.string("user_agent", kEmdiviUserAgent);
  j.string("connectivity_check_url", kConnectivityCheckUrl);
  j.number("requests", static_cast<std::int64_t>(org.c2_requests.size()));
  j.time("first_contact", org.c2_requests.front().time);
  j.time("last_contact", org.c2_requests.back().time);
  j.end_object();
}

void infected_part(JsonWriter& j, const Organisation& org) {
  j.begin_array("infected_hosts");
  for (const InfectedHost& host : org.infected) {
    const Pc& pc = org.pcs[static_cast<std::size_t>(host.pc)];
    std::vector<const C2Request*> requests;
    std::map<std::string, int> by_method;
    int not_found = 0;
    std::vector<std::string> ips;
    for (const C2Request& r : org.c2_requests) {
      if (r.pc != host.pc) continue;
      requests.push_back(&r);
      ++by_method[r.method];
      not_found += r.status == 404 ? 1 : 0;
      const std::string ip = org.ip_at(r.pc, r.time);
      if (std::find(ips.begin(), ips.end(), ip) == ips.end()) ips.push_back(ip);
    }
    int starts = 0;
    for (const ImplantStart& s : org.implant_starts) starts += s.pc == host.pc ? 1 : 0;
    j.begin_object();
    j.string("hostname", pc.name);
    j.string("fqdn", fqdn(pc.name));
    j.string("user", pc.user);
    j.string("mac", pc.mac);
    j.string("office", pc.office == Office::kHeadOffice ? "Tokyo head office" : "Osaka branch");
    j.string("proxy", org.proxy_of(host.pc));
    j.string("proxy_log_format", proxy_format(org, host.pc));
    j.time("infected_at", host.infected);
    j.string("infection_vector", "spear-phishing mail attachment " + host.dropper);
    j.string("implant", fmt::format("C:\\Users\\{}\\AppData\\Local\\Temp\\unsecess.exe", pc.user));
    j.number("beacon_interval_seconds", host.beacon_interval_s);
    j.time("first_c2_contact", requests.front()->time);
    j.time("last_c2_contact", requests.back()->time);
    j.number("c2_requests", static_cast<std::int64_t>(requests.size()));
    j.begin_object("c2_requests_by_method");
    for (const auto& [method, count] : by_method) j.number(method.c_str(), count);
    j.end_object();
    j.number("c2_replies_404", not_found);
    j.number("connectivity_checks", starts);
    j.number("firewall_blocked_direct_attempts", std::int64_t{3} * starts);
    j.begin_array("ips");
    for (const std::string& ip : ips) {
      j.begin_object();
      j.string("ip", ip);
      int count = 0;
      Timestamp first, last;
      for (const C2Request* r : requests) {
        if (org.ip_at(r->pc, r->time) != ip) continue;
        if (count++ == 0) first = r->time;
        last = r->time;
      }
      j.time("first_c2_contact", first);
      j.time("last_c2_contact", last);
      j.number("c2_requests", count);
      // The trap of attributing by address alone: other PCs held it on other days.
      j.begin_array("also_leased_to");
      for (const PcDay& d : org.days) {
        if (d.ip != ip || d.pc == host.pc) continue;
        j.begin_object();
        j.string("hostname", org.pcs[static_cast<std::size_t>(d.pc)].name);
        j.string("date", local_date(d.boot));
        j.end_object();
      }
      j.end_array();
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();

  j.begin_array("suspect_hosts");
  for (const C2Request& r : org.c2_requests) {
    if (r.pc != org.suspect_pc) continue;
    const Pc& pc = org.pcs[static_cast<std::size_t>(r.pc)];
    j.begin_object();
    j.string("hostname", pc.name);
    j.string("user", pc.user);
    j.string("ip", org.ip_at(r.pc, r.time));
    j.string("proxy", org.proxy_of(r.pc));
    j.time("time", r.time);
    j.string("url", fmt::format("http://{}{}", kC2Domain, r.path));
    j.string("user_agent", r.user_agent);
    j.number("c2_requests", 1);
    j.string("why", "one visit to the compromised site's watering-hole page with a normal browser; no beacons");
    j.end_object();
  }
  j.end_array();
}

// The second C2, which the notice does not name, and the PC whose implant calls it.
void similar_c2_part(JsonWriter& j, const Organisation& org) {
  const std::vector<C2Request>& requests = org.similar_requests;
  j.begin_object("similar_c2");
  j.string("domain", kSimilarC2Domain);
  j.string("ip", server_address(kSimilarC2Domain));
  j.number("port", kC2Port);
  j.string("user_agent", kSimilarUserAgent);
  j.string("path", kSimilarC2Path);
  j.string("url", fmt::format("http://{}{}", kSimilarC2Domain, kSimilarC2Path));
  j.string("query_format", kBeaconQueryFormat);
  j.number("requests", static_cast<std::int64_t>(requests.size()));
  j.time("first_contact", requests.front().time);
  j.time("last_contact", requests.back().time);
  j.string("why",
           "a second compromised site called by a later build of the same implant (same rhythm, sizes, URL and "
           "query shape) with another User-Agent; not in the notice, no indicator or bundled rule matches it");
  j.begin_array("hosts");
  const InfectedHost& host = org.similar_host;
  const Pc& pc = org.pcs[static_cast<std::size_t>(host.pc)];
  int starts = 0;
  for (const ImplantStart& s : org.similar_starts) starts += s.pc == host.pc ? 1 : 0;
  std::int64_t count = 0;
  Timestamp first, last;
  for (const C2Request& r : requests) {
    if (r.pc != host.pc) continue;
    if (count++ == 0) first = r.time;
    last = r.time;
  }
  j.begin_object();
  j.string("hostname", pc.name);
  j.string("ip", org.ip_at(host.pc, first));
  j.string("user", pc.user);
  j.time("first_contact", first);
  j.time("last_contact", last);
  j.number("requests", count);
  j.string("proxy", org.proxy_of(host.pc));
  j.time("infected_at", host.infected);
  j.string("infection_vector", "spear-phishing mail attachment " + host.dropper);
  j.number("beacon_interval_seconds", host.beacon_interval_s);
  j.number("connectivity_checks", starts);
  j.number("firewall_blocked_direct_attempts", std::int64_t{3} * starts);
  j.end_object();
  j.end_array();
  j.end_object();
}

// Regular, benign traffic of many PCs that a beacon analysis also finds.
void benign_pollers_part(JsonWriter& j, const Organisation& org) {
  std::set<int> pollers;
  for (const PcDay& d : org.days) {
    if (org.pcs[static_cast<std::size_t>(d.pc)].groupware) pollers.insert(d.pc);
  }
  j.begin_array("benign_pollers");
  j.begin_object();
  j.string("domain", kPollerDomain);
  j.number("interval_seconds", kPollerIntervalSeconds);
  j.number("hosts", static_cast<std::int64_t>(pollers.size()));
  j.string("path", kPollerPath);
  j.string("what", "the groupware page's notification check, every 60 s while the page is open (in the morning)");
  j.end_object();
  j.end_array();
}

void attack_part(JsonWriter& j, const Organisation& org) {
  const AttackTimeline& a = org.attack;
  const std::string attacker_pc = org.pcs[static_cast<std::size_t>(a.pc)].name;
  const std::string admin = std::string(kDomain) + "\\" + kAdminAccount;
  j.begin_object("task_registration");
  j.string("host", kFsName);
  j.time("time", a.at_registered);
  j.string("account", admin);
  j.string("task_name", a.task_name);
  j.string("command", a.task_command);
  j.time("run_at", a.task_started);
  j.string("registered_from", attacker_pc);
  j.string("source_command_line", "at \\\\FS01 11:10 " + a.task_command);
  j.string("events",
           "FS01 Security 4698, 5145 (IPC$ atsvc); FS01 TaskScheduler 106, 100, 129, 200, 201, 102; "
           "PC-017 Security 4688 at.exe");
  j.end_object();

  j.begin_object("service_install");
  j.string("host", kFsName);
  j.string("service", a.service_name);
  j.string("image_path", a.service_image);
  j.string("account", "LocalSystem");
  j.time("time", a.service_installed);
  j.string("event", "FS01 System 7045");
  j.end_object();

  j.begin_object("domain_admin");
  j.string("account", kAdminAccount);
  j.string("domain", kDomain);
  j.string("sid", org.admin_sid());
  j.string("group", kAdminGroup);
  j.string("owner", org.pcs[static_cast<std::size_t>(org.admin_pc)].user);
  j.string("normal_workstation", org.pcs[static_cast<std::size_t>(org.admin_pc)].name);
  j.begin_object("credentials_exposed");
  j.string("host", attacker_pc);
  j.time("time", a.admin_support);
  j.string("how", "RDP support logon (4624 type 10) from the administrator's PC; password dumped on 06-03");
  j.end_object();
  std::set<std::string> attacked;
  for (bool by_attacker : {true, false}) {
    j.begin_array(by_attacker ? "attacker_logons" : "legitimate_logons");
    for (const AdminLogon& logon : org.admin_logons) {
      if (logon.by_attacker != by_attacker) continue;
      if (by_attacker) attacked.insert(logon.target);
      j.begin_object();
      j.string("target", logon.target);
      j.time("time", logon.time);
      j.string("source_host", org.pcs[static_cast<std::size_t>(logon.source_pc)].name);
      j.string("source_ip", org.ip_at(logon.source_pc, logon.time));
      j.number("logon_type", 3);
      j.end_object();
    }
    j.end_array();
  }
  j.begin_array("hosts_logged_on_by_attacker");
  for (const std::string& host : attacked) j.string(nullptr, host);
  j.end_array();
  j.end_object();

  j.begin_array("attacker_commands");
  for (const AttackerCommand& c : a.commands) {
    j.begin_object();
    j.string("host", attacker_pc);
    j.time("time", c.time);
    j.string("command_line", "cmd.exe /c " + c.shell);
    j.end_object();
  }
  j.end_array();
}

void files_part(JsonWriter& j, const std::vector<WrittenFile>& files) {
  j.begin_object("files");
  for (const char* kind : {"proxy", "firewall", "dhcp", "evtx", "notice"}) {
    j.begin_array(kind);
    for (const WrittenFile& f : files) {
      if (f.kind == kind) j.string(nullptr, f.path);
    }
    j.end_array();
  }
  j.end_object();
  j.begin_array("file_details");
  for (const WrittenFile& f : files) {
    j.begin_object();
    j.string("path", f.path);
    j.string("kind", f.kind);
    j.number("bytes", static_cast<std::int64_t>(f.bytes));
    j.number(f.kind == "evtx" ? "records" : "lines", static_cast<std::int64_t>(f.items));
    j.end_object();
  }
  j.end_array();
}

}  // namespace

void write_ground_truth(const Organisation& org, const std::filesystem::path& dir, std::vector<WrittenFile>& files) {
  JsonWriter j;
  j.begin_object();
  j.string("schema", "ashiato-demo-ground-truth/1");
  j.string("description", "Emdivi-style targeted attack planted in the ashiato demo case; times UTC");
  organisation_part(j, org);
  c2_part(j, org);
  infected_part(j, org);
  similar_c2_part(j, org);
  benign_pollers_part(j, org);
  attack_part(j, org);
  const ObservedWindow w = observed_by_notice(org);
  j.begin_object("notice");
  j.time("sent", org.notice_sent);
  j.string("source_ip", kPublicIp);
  j.time("observed_from", w.from);
  j.time("observed_to", w.to);
  j.number("observed_requests", static_cast<std::int64_t>(w.requests));
  j.end_object();
  files_part(j, files);
  j.end_object();
  TextFile file(dir, "ground-truth.json");
  file.write(j.text());
  files.push_back(file.finish("ground-truth"));
}

}  // namespace ashiato::demo
