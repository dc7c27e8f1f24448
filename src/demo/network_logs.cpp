// The demo's network evidence, each in the layout its device writes:
//   proxy/proxy01/access.log*        Squid 3.3 native format with Referer and User-Agent appended
//                                    (logformat squid ... "%{Referer}>h" "%{User-Agent}>h"), rotated
//                                    daily by logrotate (dateext)
//   proxy/proxysg-osaka/SG_main__*   Blue Coat ProxySG ELFF (W3C), times in UTC, one file per UTC day
//   firewall/fw01/kern.log           iptables LOG lines of the head office gateway through rsyslog
//                                    (ISO timestamps with the +09:00 offset)
//   dhcp/dhcp01/dhcpd.log            ISC dhcpd lease messages through rsyslog
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "demo/demo_writers.h"
#include "demo/web_traffic.h"

namespace ashiato::demo {
namespace {

constexpr char kFirewallInsideMac[] = "00:50:56:8a:10:01";
constexpr char kFirewallOutsideMac[] = "00:50:56:8a:10:02";
constexpr char kIspRouterMac[] = "00:1b:54:c2:7e:41";
constexpr char kHqProxyMac[] = "00:50:56:8a:20:08";
constexpr char kWanRouterMac[] = "00:1b:54:aa:01:01";   // traffic of the Osaka branch arrives over the WAN
constexpr char kCoreSwitchMac[] = "00:1e:bd:40:0a:01";  // PCs' packets are routed by the core switch

std::string squid_url(const WebRequest& r) {
  if (r.method == "CONNECT") return fmt::format("{}:{}", r.host, r.port);
  return "http://" + r.host + r.path + (r.query.empty() ? "" : "?" + r.query);
}

std::string dash(const std::string& value) {
  return value.empty() ? "-" : value;
}

std::string squid_line(const WebRequest& r) {
  const std::int64_t ms = unix_millis(r.time);
  const char* code = r.cache == CacheResult::kHit      ? "TCP_HIT"
                     : r.cache == CacheResult::kDenied ? "TCP_DENIED"
                                                       : "TCP_MISS";
  const std::string hierarchy =
      r.cache == CacheResult::kMiss ? "HIER_DIRECT/" + server_address(r.host) : std::string("HIER_NONE/-");
  return fmt::format("{}.{:03} {:>6} {} {}/{:03} {} {} {} {} {} {} \"{}\" \"{}\"\n", ms / 1000, ms % 1000, r.elapsed_ms,
                     r.client_ip, code, r.status, r.reply_bytes, r.method, squid_url(r), dash(r.user), hierarchy,
                     dash(r.content_type), dash(r.referer), r.user_agent);
}

constexpr char kElffFields[] =
    "#Fields: date time time-taken c-ip cs-username cs-auth-group x-exception-id sc-filter-result cs-categories "
    "cs(Referer) sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host cs-uri-port cs-uri-path "
    "cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id\n";

std::string elff_line(const WebRequest& r) {
  const CivilTime c = to_civil(r.time);
  const bool tunnel = r.method == "CONNECT";
  const bool denied = r.cache == CacheResult::kDenied;
  const char* action = denied                         ? "TCP_DENIED"
                       : tunnel                       ? "TCP_TUNNELED"
                       : r.cache == CacheResult::kHit ? "TCP_HIT"
                                                      : "TCP_NC_MISS";
  std::string extension = "-";
  if (auto dot = r.path.rfind('.'); dot != std::string::npos && r.path.find('/', dot) == std::string::npos) {
    extension = r.path.substr(dot + 1);
  }
  return fmt::format(
      "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {} {} {} - {} {} \"{}\" {} {} {} {} {} {} {} {} {} {} {} \"{}\" {} {} {} "
      "-\n",
      c.year, c.month, c.day, c.hour, c.minute, c.second, r.elapsed_ms, r.client_ip,
      r.user.empty() ? std::string("-") : std::string(kDomain) + "\\" + r.user, denied ? "policy_denied" : "-",
      denied ? "DENIED" : "OBSERVED", r.category, dash(r.referer), r.status, action, r.method, dash(r.content_type),
      tunnel ? "tcp" : "http", r.host, r.port, r.path, r.query.empty() ? "-" : "?" + r.query, extension, r.user_agent,
      kBranchProxyIp, r.reply_bytes, r.request_bytes);
}

void write_proxies(const std::vector<WebRequest>& requests, const Organisation& org, const std::filesystem::path& dir,
                   std::vector<WrittenFile>& files) {
  // Squid: logrotate renames access.log to access.log-YYYYMMDD each night, so a day's lines are in
  // the file named after the next day; the last day is still in access.log.
  std::map<std::string, std::string> squid;
  std::map<std::string, std::string> proxysg;  // file name -> lines
  for (const WebRequest& r : requests) {
    if (org.pcs[static_cast<std::size_t>(r.pc)].office == Office::kHeadOffice) {
      const CivilTime local = local_civil(r.time);
      const std::string name =
          local.day >= kDays ? "access.log" : fmt::format("access.log-{:04}{:02}{:02}", 2015, 6, local.day + 1);
      squid[name] += squid_line(r);
    } else {
      const CivilTime c = to_civil(r.time);
      proxysg[fmt::format("SG_main__{:04}{:02}{:02}000000.log", c.year, c.month, c.day)] += elff_line(r);
    }
  }
  for (const auto& [name, lines] : squid) {
    TextFile file(dir, "proxy/" + std::string(kHqProxyName) + "/" + name);
    file.write(lines);
    files.push_back(file.finish("proxy"));
  }
  for (const auto& [name, lines] : proxysg) {
    TextFile file(dir, "proxy/" + std::string(kBranchProxyName) + "/" + name);
    const std::string day = name.substr(9, 4) + "-" + name.substr(13, 2) + "-" + name.substr(15, 2);
    file.write(
        fmt::format("#Software: SGOS 6.5.7.6\n#Version: 1.0\n#Start-Date: {0} 00:00:00\n#Date: {0} 00:00:00\n{1}", day,
                    kElffFields));
    file.write(lines);
    files.push_back(file.finish("proxy"));
  }
}

struct FirewallLine {
  Timestamp time;
  std::string text;  // after the kernel's uptime stamp
};

std::string syn(const std::string& prefix, const std::string& in, const std::string& out, const std::string& src_mac,
                const std::string& src, const std::string& dst, int ttl, int sport, int dport, Random& random) {
  const bool inbound = in == "eth0";
  return fmt::format(
      "{}IN={} OUT={} MAC={}:{}:08:00 SRC={} DST={} LEN={} TOS=0x00 PREC=0x00 TTL={} ID={} DF PROTO=TCP SPT={} DPT={} "
      "WINDOW={} RES=0x00 SYN URGP=0",
      prefix, in, out, inbound ? kFirewallOutsideMac : kFirewallInsideMac, src_mac, src, dst,
      inbound     ? 44
      : ttl > 100 ? 52
                  : 60,
      ttl, random.between(1, 65535), sport, dport,
      inbound     ? 1024
      : ttl > 100 ? 8192
                  : 29200);
}

void write_firewall(const std::vector<WebRequest>& requests, const Organisation& org, const std::filesystem::path& dir,
                    std::vector<WrittenFile>& files) {
  std::vector<FirewallLine> lines;
  Random random(8080);
  // The groupware's polls and the second C2's traffic draw from a generator of their own, so that
  // the other lines are the same with or without them.
  Random others(8081);
  // The proxies' connections to web servers (Linux proxies: TTL 64, less one per router).
  for (const WebRequest& r : requests) {
    if (!r.new_connection) continue;
    Random& draw = r.poller || r.similar_implant ? others : random;
    const bool branch = org.pcs[static_cast<std::size_t>(r.pc)].office == Office::kBranch;
    lines.push_back({r.started(), syn("FW-ALLOW-OUT: ", "eth1", "eth0", branch ? kWanRouterMac : kHqProxyMac,
                                      branch ? kBranchProxyIp : kHqProxyIp, server_address(r.host), branch ? 61 : 63,
                                      static_cast<int>(draw.between(32768, 60999)), r.port, draw)});
  }
  // The implant first tries the C2 directly: three SYNs (Windows retries after 3 and 6 more
  // seconds), dropped because PCs may only reach the Internet through the proxies.
  auto direct_attempts = [&](const ImplantStart& start, const std::string& c2_ip, Random& draw) {
    const std::string ip = org.ip_at(start.pc, start.time);
    const int port = static_cast<int>(draw.between(49200, 65000));
    for (int wait : {0, 3, 9}) {
      lines.push_back({plus_millis(start.time, std::int64_t{1000} * wait + draw.between(0, 40)),
                       syn("FW-DROP-OUT: ", "eth1", "eth0", kCoreSwitchMac, ip, c2_ip, 126, port, kC2Port, draw)});
    }
  };
  for (const ImplantStart& start : org.implant_starts) direct_attempts(start, kC2Ip, random);
  for (const ImplantStart& start : org.similar_starts) direct_attempts(start, server_address(kSimilarC2Domain), others);
  // Other software trying to go out directly, and scans of the public address from the Internet.
  const std::vector<std::string> direct_hosts{"client-lb.dropbox.com", "gd2.line.naver.jp", "ntp.nict.jp"};
  for (int day = 0; day < kDays; ++day) {
    for (int n = 0; n < 6; ++n) {
      const PcDay& d =
          org.days[static_cast<std::size_t>(random.between(0, static_cast<std::int64_t>(org.days.size()) - 1))];
      const std::string& host = random.pick(direct_hosts);
      const Timestamp t =
          plus_millis(d.boot, random.between(600'000, (seconds_between(d.boot, d.shutdown) - 60) * 1000));
      if (host == "ntp.nict.jp") {
        lines.push_back(
            {t, fmt::format("FW-DROP-OUT: IN=eth1 OUT=eth0 MAC={}:{}:08:00 SRC={} DST={} LEN=76 TOS=0x00 "
                            "PREC=0x00 TTL=126 ID={} PROTO=UDP SPT=123 DPT=123 LEN=56",
                            kFirewallInsideMac, kCoreSwitchMac, d.ip, server_address(host), random.between(1, 65535))});
        continue;
      }
      const int port = static_cast<int>(random.between(49200, 65000));
      for (int wait : {0, 3, 9}) {
        lines.push_back(
            {plus_millis(t, std::int64_t{1000} * wait + random.between(0, 40)),
             syn("FW-DROP-OUT: ", "eth1", "eth0", kCoreSwitchMac, d.ip, server_address(host), 126, port, 443, random)});
      }
    }
    for (int n = 0; n < 14; ++n) {
      static const int ports[] = {22, 23, 445, 1433, 3389, 8080};
      const std::string scanner =
          fmt::format("{}.{}", random.chance(50) ? "192.0.2" : "198.51.100", random.between(100, 220));
      lines.push_back({plus_millis(local_time(day, 0, 0), random.between(0, 86'399'999)),
                       syn("FW-DROP-IN: ", "eth0", "", kIspRouterMac, scanner, kPublicIp, 45,
                           static_cast<int>(random.between(1024, 65535)), ports[random.between(0, 5)], random)});
    }
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const FirewallLine& a, const FirewallLine& b) { return a.time < b.time; });
  const Timestamp booted = local_time(-20, 4, 10, 7);  // the gateway's last reboot
  TextFile file(dir, "firewall/" + std::string(kFirewallName) + "/kern.log");
  std::string out;
  for (const FirewallLine& line : lines) {
    const std::int64_t uptime_us = (line.time.ticks - booted.ticks) / 10;
    out += fmt::format("{} {} kernel: [{}.{:06}] {}\n", local_iso(line.time, 6), kFirewallName, uptime_us / 1'000'000,
                       uptime_us % 1'000'000, line.text);
  }
  file.write(out);
  files.push_back(file.finish("firewall"));
}

void write_dhcp(const Organisation& org, const std::filesystem::path& dir, std::vector<WrittenFile>& files) {
  std::vector<FirewallLine> lines;  // (time, message)
  for (const PcDay& d : org.days) {
    const Pc& pc = org.pcs[static_cast<std::size_t>(d.pc)];
    const std::string relay = pc.office == Office::kHeadOffice ? "10.1.10.1" : "10.1.20.1";
    const std::string who = fmt::format("{} ({})", pc.mac, pc.name);
    Timestamp t = plus_seconds(d.boot, 8);
    auto say = [&](const std::string& message) {
      lines.push_back({t, message});
      t = plus_millis(t, 3);
    };
    if (!d.previous_ip.empty()) {  // Windows asks for its last address again (INIT-REBOOT)
      say(fmt::format("DHCPREQUEST for {} from {} via {}", d.previous_ip, who, relay));
      if (d.previous_ip == d.ip) {
        say(fmt::format("DHCPACK on {} to {} via {}", d.ip, who, relay));
      } else {
        say(fmt::format("DHCPNAK on {} to {} via {}", d.previous_ip, pc.mac, relay));
      }
    }
    if (d.previous_ip != d.ip) {
      t = plus_millis(t, 1000);
      say(fmt::format("DHCPDISCOVER from {} via {}", who, relay));
      say(fmt::format("DHCPOFFER on {} to {} via {}", d.ip, who, relay));
      t = plus_millis(t, 20);
      say(fmt::format("DHCPREQUEST for {} ({}) from {} via {}", d.ip, kDhcpServerIp, who, relay));
      say(fmt::format("DHCPACK on {} to {} via {}", d.ip, who, relay));
    }
    // Renewals at half the lease time, sent straight to the server (not through the relay).
    for (Timestamp renew = plus_seconds(d.boot, 8 + kLeaseSeconds / 2); renew < d.shutdown;
         renew = plus_seconds(renew, kLeaseSeconds / 2)) {
      t = renew;
      say(fmt::format("DHCPREQUEST for {} from {} via eth0", d.ip, who));
      say(fmt::format("DHCPACK on {} to {} via eth0", d.ip, who));
    }
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const FirewallLine& a, const FirewallLine& b) { return a.time < b.time; });
  TextFile file(dir, "dhcp/" + std::string(kDhcpServerName) + "/dhcpd.log");
  std::string out;
  for (const FirewallLine& line : lines) {
    out += fmt::format("{} {} dhcpd[1187]: {}\n", local_iso(line.time, 6), kDhcpServerName, line.text);
  }
  file.write(out);
  files.push_back(file.finish("dhcp"));
}

}  // namespace

void write_network_logs(const Organisation& org, const std::filesystem::path& dir, std::vector<WrittenFile>& files) {
  const std::vector<WebRequest> requests = web_requests(org);
  write_proxies(requests, org, dir, files);
  write_firewall(requests, org, dir, files);
  write_dhcp(org, dir, files);
}

}  // namespace ashiato::demo
