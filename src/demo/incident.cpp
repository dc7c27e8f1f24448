// The Emdivi-style incident planted in Example Corp (facts from reference/emdivi.md):
//   06-02 10:12  PC-017 opens a spear-phishing attachment; the implant beacons every ~5 minutes.
//   06-02 14:05  the IT administrator supports PC-017 over RDP with adm-tanaka (Domain Admins):
//                the password stays in memory there.
//   06-02 15:39  PC-085 at the Osaka branch opens a similar mail; it beacons through the branch's
//                ProxySG, and on 06-05 from another address (DHCP gave its old one to PC-082).
//   06-03 10:46  the attacker works on PC-017: reconnaissance, dumps adm-tanaka's password, maps
//                \\FS01\c$, copies a tool and runs it with `at`; the tool installs a service;
//                then a look at \\DC01\c$, clean-up.
//   06-03 12:21  PC-063 visits the compromised site once (watering-hole page; suspect).
//   06-03 14:26  PC-058 opens another mail: a later build of the implant, which calls a second
//                compromised site (www.arima-onsen.example.jp, not in the notice) with another
//                User-Agent, the same way as the first; it beacons until 06-05.
//   06-04 09:52  PC-042, back from a business trip, opens the mail waiting for it.
//   06-05 10:30  the coordination centre's notice arrives.
// Times are local (+09:00). The implant polls faster while the attacker is at work.
#include <fmt/format.h>

#include <algorithm>

#include "demo/incident_plan.h"

namespace ashiato::demo {
namespace {

constexpr int kFirstInfected = 16;    // PC-017
constexpr int kBranchInfected = 84;   // PC-085
constexpr int kLateInfected = 41;     // PC-042
constexpr int kSuspect = 62;          // PC-063
constexpr int kAdminPc = 3;           // PC-004
constexpr int kSimilarInfected = 57;  // PC-058, beacons to the second C2 only

// Attacker's hands-on session on PC-017 (day 2 = 2015-06-03).
constexpr int kHandsOnDay = 2;

bool in_hands_on(Timestamp t) {
  return local_time(kHandsOnDay, 10, 46) <= t && t <= local_time(kHandsOnDay, 11, 48);
}

Timestamp on_second(Timestamp t) {
  return Timestamp{t.ticks - t.ticks % 10'000'000};
}

// An implant build: the C2 script it calls and the User-Agent it sends; where its traffic goes.
struct ImplantBuild {
  const char* path;
  const char* user_agent;
  std::vector<C2Request>& requests;
  std::vector<ImplantStart>& starts;
};

// The query of a request (kBeaconQueryFormat): 24 characters of the URL-safe base64 alphabet, with
// letters and digits, and the Unix time. From a generator of its own, so that the rhythm and sizes
// drawn for the beacons do not depend on it.
std::string beacon_query(Timestamp begin, Random& tokens) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string id;
  for (int i = 0; i < 24; ++i) id.push_back(kAlphabet[tokens.between(0, 63)]);
  if (id.find_first_of("0123456789") == std::string::npos) id[7] = static_cast<char>('0' + tokens.between(0, 9));
  if (id.find_first_of(kAlphabet, 0, 52) == std::string::npos) id[0] = 'Q';  // no letter at all
  return fmt::format("id={}&t={}", id, unix_millis(begin) / 1000);
}

// The implant's traffic from `start` (process start) until the PC is switched off.
void beacon_session(Organisation& org, const InfectedHost& host, const ImplantBuild& build, Timestamp start,
                    Timestamp shutdown, Random& random, Random& tokens) {
  const bool through_proxysg = org.pcs[static_cast<std::size_t>(host.pc)].office == Office::kBranch;
  build.starts.push_back({host.pc, start});
  // Direct connection attempts (three SYNs, about 21 s) fail at the firewall; the connectivity
  // check then goes through the proxy, and the first beacon follows.
  Timestamp next = plus_millis(start, 23'000 + random.between(0, 900));
  auto add = [&](Timestamp begin, const std::string& method, int status, int reply, int request) {
    C2Request r;
    r.pc = host.pc;
    r.elapsed_ms = static_cast<int>(random.between(120, 640));
    r.time = plus_millis(begin, r.elapsed_ms);
    if (through_proxysg) r.time = on_second(r.time);  // ProxySG logs whole seconds
    r.method = method;
    r.path = build.path;
    r.query = beacon_query(begin, tokens);
    r.status = status;
    r.reply_bytes = reply;
    r.request_bytes = request;
    r.user_agent = build.user_agent;
    build.requests.push_back(std::move(r));
  };
  while (seconds_between(next, shutdown) > 20) {
    const bool attacker_at_work = host.pc == org.attack.pc && in_hands_on(next);
    // Beacon data travels in the POST body; commands come back in GET replies, some as 404 pages.
    add(next, "POST", 200, static_cast<int>(random.between(180, 420)),
        static_cast<int>(attacker_at_work ? random.between(1200, 9000) : random.between(620, 980)));
    if (attacker_at_work || random.chance(30)) {
      const bool not_found = !attacker_at_work && random.chance(60);
      add(plus_millis(next, random.between(1000, 3000)), "GET", not_found ? 404 : 200,
          static_cast<int>(not_found ? random.between(280, 320) : random.between(400, 2400)),
          static_cast<int>(random.between(380, 460)));
    }
    const std::int64_t sleep =
        attacker_at_work ? random.between(30, 75) : host.beacon_interval_s * random.between(75, 125) / 100;
    next = plus_millis(next, sleep * 1000 + random.between(0, 999));
  }
}

void plan_beacons(Organisation& org, const InfectedHost& host, const ImplantBuild& build, std::uint64_t seed) {
  Random random(seed + static_cast<std::uint64_t>(host.pc));
  Random tokens(seed * 7 + 1 + static_cast<std::uint64_t>(host.pc));
  for (const PcDay& d : org.days) {
    if (d.pc != host.pc || d.shutdown < host.infected) continue;
    // The dropper starts the implant; later, the Run key starts it after each logon.
    const Timestamp start =
        d.boot < host.infected ? plus_seconds(host.infected, 40) : plus_seconds(d.boot, random.between(70, 150));
    beacon_session(org, host, build, start, d.shutdown, random, tokens);
  }
}

std::vector<AttackerCommand> attacker_commands(const std::string& user) {
  const std::string temp = fmt::format("C:\\Users\\{}\\AppData\\Local\\Temp", user);
  const std::string sys = "C:\\Windows\\System32\\";
  const std::string net = sys + "net.exe";
  auto at = [](int hour, int minute, int second) { return local_time(kHandsOnDay, hour, minute, second); };
  const std::string creds = fmt::format("/user:{}\\{} Summer2015!", kDomain, kAdminAccount);
  return {
      {at(10, 47, 5), "tasklist", sys + "tasklist.exe", "tasklist"},
      {at(10, 47, 40), "ver", "", ""},
      {at(10, 48, 12), "ipconfig /all", sys + "ipconfig.exe", "ipconfig /all"},
      {at(10, 49, 30), "net view", net, "net view"},
      {at(10, 51, 2), "net group \"Domain Admins\" /domain", net, "net group \"Domain Admins\" /domain"},
      {at(10, 52, 45), "net use | find /i \"c$\"", net, "net use"},
      {at(10, 55, 10), temp + "\\IELogs\\wce.exe -w", temp + "\\IELogs\\wce.exe", temp + "\\IELogs\\wce.exe -w"},
      {at(11, 2, 10), "net use \\\\FS01\\c$ " + creds, net, "net use \\\\FS01\\c$ " + creds},
      {at(11, 3, 5), "copy " + temp + "\\update.exe \\\\FS01\\c$\\Windows\\Temp\\update.exe", "", ""},
      {at(11, 3, 40), "at \\\\FS01 11:10 C:\\Windows\\Temp\\update.exe", sys + "at.exe",
       "at \\\\FS01 11:10 C:\\Windows\\Temp\\update.exe"},
      {at(11, 18, 30), "dir \\\\FS01\\c$\\Windows\\Temp", "", ""},
      {at(11, 24, 50), "net use \\\\DC01\\c$ " + creds, net, "net use \\\\DC01\\c$ " + creds},
      {at(11, 26, 15), "dir \\\\DC01\\c$\\Users", "", ""},
      {at(11, 33, 0), "net use \\\\DC01\\c$ /delete", net, "net use \\\\DC01\\c$ /delete"},
      {at(11, 33, 20), "net use \\\\FS01\\c$ /delete", net, "net use \\\\FS01\\c$ /delete"},
      {at(11, 45, 30), "del %Temp%\\*.exe %Temp%\\*.dll %Temp%\\*.bat %Temp%\\*.ps1 %Temp%\\*.cmd /f /q", "", ""},
  };
}

}  // namespace

IncidentPlan incident_plan() {
  IncidentPlan plan;
  for (int day = 0; day < kDays; ++day) {
    plan.present.emplace_back(kFirstInfected, day);
    plan.present.emplace_back(kAdminPc, day);
    plan.present.emplace_back(kBranchInfected, day);
  }
  plan.present.emplace_back(kSuspect, 2);
  for (int day = 0; day < 3; ++day) plan.absent.emplace_back(kLateInfected, day);  // business trip
  plan.present.emplace_back(kLateInfected, 3);
  plan.present.emplace_back(kLateInfected, 4);
  for (int day = 2; day < kDays; ++day) plan.present.emplace_back(kSimilarInfected, day);
  return plan;
}

void plan_incident(Organisation& org) {
  org.infected = {
      {kFirstInfected, local_time(1, 10, 12, 48), 300, "mitsumori_irai_20150602.exe"},
      {kBranchInfected, local_time(1, 15, 39, 10), 480, "kenpo_oshirase_201506.exe"},
      {kLateInfected, local_time(3, 9, 52, 2), 420, "mitsumori_irai_20150602.exe"},
  };
  org.suspect_pc = kSuspect;
  org.admin_pc = kAdminPc;

  AttackTimeline& a = org.attack;
  a.pc = kFirstInfected;
  a.admin_support = local_time(1, 14, 5, 12);
  a.fs_logon = local_time(kHandsOnDay, 11, 2, 11);
  a.at_registered = local_time(kHandsOnDay, 11, 3, 41);
  a.task_started = local_time(kHandsOnDay, 11, 10, 0);
  a.service_installed = local_time(kHandsOnDay, 11, 10, 3);
  a.dc_logon = local_time(kHandsOnDay, 11, 24, 51);
  a.commands = attacker_commands(org.pcs[kFirstInfected].user);

  // The administrator's own work on the servers from PC-004, and the attacker's logons.
  for (int day : {0, 1, 3}) {
    Random random(1105 + static_cast<std::uint64_t>(day));
    const Timestamp t = plus_seconds(local_time(day, 15, 8), random.between(0, 900));
    org.admin_logons.push_back({kDcName, t, kAdminPc, false});
    org.admin_logons.push_back({kFsName, plus_seconds(t, random.between(60, 600)), kAdminPc, false});
  }
  org.admin_logons.push_back({kFsName, a.fs_logon, a.pc, true});
  org.admin_logons.push_back({kDcName, a.dc_logon, a.pc, true});
  std::sort(org.admin_logons.begin(), org.admin_logons.end(),
            [](const AdminLogon& x, const AdminLogon& y) { return x.time < y.time; });

  for (const InfectedHost& host : org.infected) {
    plan_beacons(org, host, {kC2Path, kEmdiviUserAgent, org.c2_requests, org.implant_starts}, 4242);
  }
  org.similar_host = {kSimilarInfected, local_time(2, 14, 26, 31), 300, "kaigi_shiryo_20150603.exe"};
  plan_beacons(org, org.similar_host, {kSimilarC2Path, kSimilarUserAgent, org.similar_requests, org.similar_starts},
               5353);
  // The watering-hole page, seen once from an ordinary browser.
  C2Request visit;
  visit.pc = kSuspect;
  visit.elapsed_ms = 412;
  visit.time = local_time(2, 12, 21, 40, 412);
  visit.method = "GET";
  visit.path = kWateringHolePath;
  visit.status = 200;
  visit.reply_bytes = 18342;
  visit.request_bytes = 512;
  visit.user_agent = org.pcs[kSuspect].browser_agent;
  org.c2_requests.push_back(visit);
  std::sort(org.c2_requests.begin(), org.c2_requests.end(),
            [](const C2Request& x, const C2Request& y) { return x.time != y.time ? x.time < y.time : x.pc < y.pc; });
  std::sort(org.implant_starts.begin(), org.implant_starts.end(),
            [](const ImplantStart& x, const ImplantStart& y) { return x.time < y.time; });
  // The second C2's implant runs on one PC: its requests and starts are in time order already.
  org.notice_sent = local_time(4, 10, 30);
  org.observed_until = local_time(4, 0, 0);  // the centre's view of the C2 ends with 06-04
}

}  // namespace ashiato::demo
