// The demo organisation and what happens to it: Example Corp's PCs, users, servers and proxies,
// the DHCP leases of each working day, and the Emdivi-style incident planted in it (infections,
// C2 beacons, the attacker's use of a domain-admin account). Everything is computed once, from
// fixed seeds and fixed times, so every writer of the demo sees the same story and every run
// writes the same bytes.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/timestamp.h"

namespace ashiato::demo {

// --- Fixed facts of the organisation -----------------------------------------------------------

inline constexpr char kOrganisation[] = "Example Corp";
inline constexpr char kDomain[] = "CORP";  // NetBIOS name of the Active Directory domain
inline constexpr char kDnsDomain[] = "corp.example.co.jp";
inline constexpr char kDomainSid[] = "S-1-5-21-3623811015-3361044348-30300820";
inline constexpr char kTimeZone[] = "Asia/Tokyo";
inline constexpr char kUtcOffset[] = "+09:00";
inline constexpr int kUtcOffsetSeconds = 9 * 3600;
inline constexpr char kInternalNetwork[] = "10.1.0.0/16";
// Every connection to the Internet leaves through the head office firewall's NAT address, which
// is all an outside observer (the coordination centre) sees.
inline constexpr char kPublicIp[] = "198.51.100.23";

inline constexpr char kDcName[] = "DC01";
inline constexpr char kDcIp[] = "10.1.0.10";
inline constexpr char kFsName[] = "FS01";
inline constexpr char kFsIp[] = "10.1.0.20";
inline constexpr char kDhcpServerName[] = "dhcp01";
inline constexpr char kDhcpServerIp[] = "10.1.0.5";
inline constexpr char kFirewallName[] = "fw01";
inline constexpr char kHqProxyName[] = "proxy01";  // Squid at the head office (Tokyo)
inline constexpr char kHqProxyIp[] = "10.1.0.8";
inline constexpr char kBranchProxyName[] = "proxysg-osaka";  // Blue Coat ProxySG at the branch
inline constexpr char kBranchProxyIp[] = "10.1.20.8";
inline constexpr int kLeaseSeconds = 8 * 3600;

// The domain admin whose credentials the attacker steals: the IT administrator tanaka's second
// account, normally used only from tanaka's own PC.
inline constexpr char kAdminAccount[] = "adm-tanaka";
inline constexpr char kAdminRid[] = "1105";
inline constexpr char kAdminGroup[] = "Domain Admins";

// The C2: a compromised, otherwise legitimate Japanese travel site (example.jp is reserved for
// documentation, 203.0.113.0/24 is TEST-NET-3).
inline constexpr char kC2Domain[] = "www.tabi-navi.example.jp";
inline constexpr char kC2Ip[] = "203.0.113.45";
inline constexpr int kC2Port = 80;
inline constexpr char kC2Path[] = "/wp-content/themes/tabi/inc/news.php";
inline constexpr char kWateringHolePath[] = "/faq.html";
inline constexpr char kEmdiviUserAgent[] =
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; SV1; .NET CLR 2.0.50727.42)";
inline constexpr char kConnectivityCheckUrl[] = "http://www.msftncsi.com/ncsi.txt";
// The query of every implant request: an encoded field and the implant's clock (the beacon data
// itself travels in the POST body).
inline constexpr char kBeaconQueryFormat[] = "id=<24 base64url characters>&t=<Unix time, seconds>";

// A second C2 that the notice does not name: another compromised, otherwise legitimate Japanese
// site (its address is server_address() of the name), called by a later build of the same implant
// in the same way but with another User-Agent (IE 8 on Windows 7 in compatibility view, a string no
// bundled rule knows). One more PC runs that build; it never talks to the first C2.
inline constexpr char kSimilarC2Domain[] = "www.arima-onsen.example.jp";
inline constexpr char kSimilarC2Path[] = "/wp-content/themes/arima/inc/rss.php";
inline constexpr char kSimilarUserAgent[] =
    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/4.0; SLCC2; .NET CLR 2.0.50727; .NET CLR "
    "3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0)";

// A benign poller: the groupware's notification check, which the groupware page (open in the
// browser in the morning) sends every 60 s, from the PCs of the departments that use it.
inline constexpr char kPollerDomain[] = "notify.groupware.example.com";
inline constexpr char kPollerPath[] = "/api/notify/count";
inline constexpr char kGroupwarePortal[] = "http://portal.groupware.example.com/top/";
inline constexpr int kPollerIntervalSeconds = 60;

inline constexpr int kDays = 5;  // 2015-06-01 (Monday) to 2015-06-05 (Friday), local time

// --- Time and randomness -------------------------------------------------------------------------

// A local (+09:00) wall-clock time on day 0..kDays-1 of the demo week, as UTC.
Timestamp local_time(int day, int hour, int minute, int second = 0, int millis = 0);
Timestamp plus_seconds(Timestamp t, std::int64_t seconds);
Timestamp plus_millis(Timestamp t, std::int64_t millis);
std::int64_t seconds_between(Timestamp from, Timestamp to);
std::int64_t unix_millis(Timestamp t);
// "2015-06-02T01:14:33.412Z"
std::string utc_iso(Timestamp t, int digits = 3);
// "2015-06-02T10:14:33+09:00" (whole seconds) or with `digits` fractional digits.
std::string local_iso(Timestamp t, int digits = 0);
// The local date and time fields of `t`.
CivilTime local_civil(Timestamp t);

// A seeded generator with helpers whose results do not depend on the standard library's
// distribution algorithms (those differ between implementations; the demo must not).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  // Uniform in [low, high].
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(engine_() % static_cast<std::uint64_t>(high - low + 1));
  }
  bool chance(int percent) { return between(0, 99) < percent; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(between(0, static_cast<std::int64_t>(items.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

// --- The organisation ----------------------------------------------------------------------------

enum class Office { kHeadOffice, kBranch };

struct Pc {
  std::string name;  // "PC-017"
  std::string user;  // "kimura": family name in romaji, also the logon name
  std::string user_sid;
  std::string mac;
  Office office = Office::kHeadOffice;
  std::string browser_agent;
  // Browsers of some departments authenticate to the proxy, so their requests carry the user.
  bool proxy_authenticates = false;
  bool groupware = false;  // the user's department uses the groupware (its page polls kPollerDomain)
};

// One PC's working day: when it was switched on and off and the address DHCP gave it.
struct PcDay {
  int pc = 0;
  int day = 0;
  Timestamp boot;
  Timestamp shutdown;
  std::string ip;
  std::string previous_ip;  // the address it asked for again at boot (empty: none known)
};

// An HTTP request of the implant or of the watering-hole visit, as the proxy logs it.
struct C2Request {
  int pc = 0;
  Timestamp time;  // when the proxy logged it (completion)
  int elapsed_ms = 0;
  std::string method;
  std::string path;
  std::string query;  // without the '?'; empty when none
  int status = 200;
  int reply_bytes = 0;
  int request_bytes = 0;
  std::string user_agent;
};

// The implant starting on a PC (after each logon): a direct connection attempt the firewall
// blocks, then the connectivity check through the proxy, then the first beacon.
struct ImplantStart {
  int pc = 0;
  Timestamp time;
};

struct InfectedHost {
  int pc = 0;
  Timestamp infected;         // the user opened the attachment
  int beacon_interval_s = 0;  // the implant's sleep time; each sleep varies by +-25 %
  std::string dropper;        // attachment file name
};

// A command the attacker ran on the first infected PC: the implant starts `cmd.exe /c <shell>`,
// which runs `image` (empty for commands built into cmd.exe).
struct AttackerCommand {
  Timestamp time;
  std::string shell;
  std::string image;
  std::string image_command_line;
};

// The attacker's use of the stolen domain-admin account, from the first infected PC.
struct AttackTimeline {
  int pc = 0;                   // where the attacker works from
  Timestamp admin_support;      // adm-tanaka logs on to that PC for support (credentials cached)
  Timestamp fs_logon;           // 4624/4672 on FS01 (net use \\FS01\c$)
  Timestamp at_registered;      // 4698 / TaskScheduler 106 on FS01
  Timestamp task_started;       // TaskScheduler 200 on FS01
  Timestamp service_installed;  // 7045 on FS01
  Timestamp dc_logon;           // 4624/4672 on DC01
  std::string task_name = "\\At1";
  std::string task_command = "C:\\Windows\\Temp\\update.exe";
  std::string service_name = "WinUpdateSvc";
  std::string service_image = "C:\\Windows\\Temp\\svchost.exe -k netsvcs";
  std::vector<AttackerCommand> commands;
};

// A network logon of the domain-admin account on a server.
struct AdminLogon {
  std::string target;  // kDcName or kFsName
  Timestamp time;
  int source_pc = 0;
  bool by_attacker = false;
};

struct Organisation {
  std::vector<Pc> pcs;
  std::vector<PcDay> days;  // sorted by boot time
  std::vector<InfectedHost> infected;
  int suspect_pc = 0;                  // visited the compromised site once
  std::vector<C2Request> c2_requests;  // sorted by time; includes the suspect's visit
  std::vector<ImplantStart> implant_starts;
  AttackTimeline attack;
  std::vector<AdminLogon> admin_logons;  // the administrator's own and the attacker's, by time
  Timestamp notice_sent;
  Timestamp observed_until;  // the coordination centre saw C2 traffic up to this time
  int admin_pc = 0;          // tanaka's own PC, where adm-tanaka is normally used
  // The implant build of the second C2 (kSimilarC2Domain), on one more PC, and its traffic: not
  // in `infected` (nothing the notice names leads to it, and no event logs were collected from it).
  InfectedHost similar_host;
  std::vector<C2Request> similar_requests;  // sorted by time
  std::vector<ImplantStart> similar_starts;

  // The PC's working day that contains `t`, or nullptr when it was off.
  const PcDay* day_at(int pc, Timestamp t) const;
  // Its address at `t` ("" when off).
  std::string ip_at(int pc, Timestamp t) const;
  bool is_infected(int pc) const;
  const InfectedHost* infection(int pc) const;
  std::string proxy_of(int pc) const;
  std::string admin_sid() const;
};

// The one demo organisation, built on first use.
const Organisation& organisation();

// Fully qualified name of a computer of the domain: "PC-017.corp.example.co.jp".
std::string fqdn(const std::string& host);

}  // namespace ashiato::demo
