// Example Corp's people, PCs and working days, with DHCP leases handed out the way ISC dhcpd does
// when its pool is smaller than the number of PCs: a PC gets its previous address back if no other
// PC took it, otherwise the free address whose lease ended longest ago. So an address belongs to
// different PCs on different days, and a log line can only be attributed with the lease valid at
// its time.
#include "demo/organisation.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <stdexcept>

#include "demo/incident_plan.h"

namespace ashiato::demo {
namespace {

constexpr std::int64_t kTicksPerSecond = 10'000'000;

// Common Japanese family names, in romaji; PC-NNN belongs to the NNNth.
constexpr std::array<const char*, 100> kFamilyNames{
    "sato",      "suzuki",   "takahashi", "tanaka",   "ito",       "watanabe",  "yamamoto",  "nakamura",  "kobayashi",
    "kato",      "yoshida",  "yamada",    "sasaki",   "yamaguchi", "matsumoto", "inoue",     "kimura",    "hayashi",
    "saito",     "shimizu",  "yamazaki",  "mori",     "abe",       "ikeda",     "hashimoto", "yamashita", "ishikawa",
    "nakajima",  "maeda",    "fujita",    "ogawa",    "goto",      "okada",     "hasegawa",  "murakami",  "kondo",
    "ishii",     "sakamoto", "endo",      "aoki",     "fujii",     "nishimura", "fukuda",    "ota",       "miura",
    "fujiwara",  "okamoto",  "matsuda",   "nakagawa", "nakano",    "harada",    "ono",       "tamura",    "takeuchi",
    "kaneko",    "wada",     "nakayama",  "ishida",   "ueda",      "morita",    "hara",      "shibata",   "sakai",
    "kudo",      "yokoyama", "miyazaki",  "miyamoto", "uchida",    "takagi",    "ando",      "taniguchi", "ohno",
    "maruyama",  "imai",     "takada",    "fujimoto", "takeda",    "murata",    "ueno",      "sugiyama",  "masuda",
    "sugawara",  "hirano",   "kojima",    "otsuka",   "chiba",     "kubo",      "matsui",    "iwasaki",   "sakurai",
    "kinoshita", "noguchi",  "matsuo",    "kikuchi",  "nomura",    "arai",      "watabe",    "sano",      "sugimoto",
    "kawaguchi"};

constexpr int kPcs = 100;
constexpr int kHeadOfficePcs = 80;  // PC-001..PC-080 in Tokyo; the rest at the Osaka branch

// Browsers of 2015 on Windows 7: mostly Internet Explorer 11, some Firefox and Chrome.
constexpr std::array<const char*, 3> kBrowsers{
    "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:38.0) Gecko/20100101 Firefox/38.0",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/43.0.2357.81 Safari/537.36"};

struct Pool {
  Office office;
  std::vector<std::string> addresses;
};

// Smaller than the number of PCs of each office: the address of a PC that stays off is reused.
std::vector<Pool> pools() {
  std::vector<Pool> result{{Office::kHeadOffice, {}}, {Office::kBranch, {}}};
  for (int host = 100; host < 176; ++host) result[0].addresses.push_back(fmt::format("10.1.10.{}", host));
  for (int host = 100; host < 119; ++host) result[1].addresses.push_back(fmt::format("10.1.20.{}", host));
  return result;
}

std::vector<Pc> make_pcs() {
  std::vector<Pc> pcs;
  Random random(20150601);
  Random departments(20150602);  // a generator of its own: the draws above stay as they were
  for (int i = 0; i < kPcs; ++i) {
    Pc pc;
    pc.name = fmt::format("PC-{:03}", i + 1);
    pc.user = kFamilyNames[static_cast<std::size_t>(i)];
    pc.user_sid = fmt::format("{}-{}", kDomainSid, 1200 + i);
    // Dell's OUI; the rest derived from the PC number so that it never collides.
    pc.mac = fmt::format("18:03:73:{:02x}:{:02x}:{:02x}", 0x40 + i / 64, (i * 37) % 256, (i * 101 + 17) % 256);
    pc.office = i < kHeadOfficePcs ? Office::kHeadOffice : Office::kBranch;
    const auto browser = random.between(0, 9);
    pc.browser_agent = kBrowsers[browser < 7 ? 0 : browser < 9 ? 1 : 2];
    pc.proxy_authenticates = random.chance(55);
    pc.groupware = departments.chance(60);
    pcs.push_back(std::move(pc));
  }
  return pcs;
}

// Who is at work on which day: about 6 % absent, plus the absences the story needs.
std::vector<std::vector<bool>> presence(const std::vector<Pc>& pcs, const IncidentPlan& plan) {
  std::vector<std::vector<bool>> present(pcs.size(), std::vector<bool>(kDays, true));
  for (std::size_t pc = 0; pc < pcs.size(); ++pc) {
    Random random(7000 + pc);
    for (int day = 0; day < kDays; ++day) present[pc][static_cast<std::size_t>(day)] = !random.chance(6);
  }
  for (const auto& [pc, day] : plan.absent)
    present[static_cast<std::size_t>(pc)][static_cast<std::size_t>(day)] = false;
  for (const auto& [pc, day] : plan.present)
    present[static_cast<std::size_t>(pc)][static_cast<std::size_t>(day)] = true;
  // No more PCs at work than addresses in the office's pool.
  for (const Pool& pool : pools()) {
    for (int day = 0; day < kDays; ++day) {
      std::vector<int> at_work;
      for (std::size_t pc = 0; pc < pcs.size(); ++pc) {
        if (pcs[pc].office == pool.office && present[pc][static_cast<std::size_t>(day)]) {
          at_work.push_back(static_cast<int>(pc));
        }
      }
      Random random(9100 + static_cast<std::uint64_t>(day));
      while (at_work.size() + 1 > pool.addresses.size()) {
        const auto index = static_cast<std::size_t>(random.between(0, static_cast<std::int64_t>(at_work.size()) - 1));
        const int pc = at_work[index];
        if (plan.must_be_present(pc, day)) continue;
        present[static_cast<std::size_t>(pc)][static_cast<std::size_t>(day)] = false;
        at_work.erase(at_work.begin() + static_cast<std::ptrdiff_t>(index));
      }
    }
  }
  return present;
}

// When the last lease renewal of a day ends: Windows renews at half the lease time while on.
Timestamp lease_end(const PcDay& d) {
  Timestamp last_ack = d.boot;
  while (seconds_between(last_ack, d.shutdown) > kLeaseSeconds / 2)
    last_ack = plus_seconds(last_ack, kLeaseSeconds / 2);
  return plus_seconds(last_ack, kLeaseSeconds);
}

void assign_addresses(std::vector<PcDay>& days, const std::vector<Pc>& pcs) {
  for (const Pool& pool : pools()) {
    std::map<std::string, int> owner;  // address -> the PC it was last bound to
    std::map<std::string, Timestamp> ended;
    std::map<int, std::string> last_address;
    // The Friday before: each PC of the pool's size had its address, leases ended that night.
    int next = 0;
    for (std::size_t pc = 0; pc < pcs.size() && next < static_cast<int>(pool.addresses.size()); ++pc) {
      if (pcs[pc].office != pool.office) continue;
      const std::string& address = pool.addresses[static_cast<std::size_t>(next++)];
      owner[address] = static_cast<int>(pc);
      last_address[static_cast<int>(pc)] = address;
      Random random(5000 + pc);
      ended[address] = plus_seconds(local_time(-3, 17, 30), random.between(0, std::int64_t{4} * 3600) + kLeaseSeconds);
    }
    for (int day = 0; day < kDays; ++day) {
      std::set<std::string> bound_today;
      for (PcDay& d : days) {  // days are in boot order
        if (d.day != day || pcs[static_cast<std::size_t>(d.pc)].office != pool.office) continue;
        auto previous = last_address.find(d.pc);
        if (previous != last_address.end()) d.previous_ip = previous->second;
        if (previous != last_address.end() && owner[previous->second] == d.pc) {
          d.ip = previous->second;
        } else {
          // A never-used address first, else the one whose lease ended longest ago.
          const std::string* choice = nullptr;
          for (const std::string& address : pool.addresses) {
            if (bound_today.count(address) != 0) continue;
            auto e = ended.find(address);
            if (e == ended.end()) {
              choice = &address;
              break;
            }
            if (choice == nullptr || e->second < ended.at(*choice)) choice = &address;
          }
          if (choice == nullptr) throw std::logic_error("demo DHCP pool exhausted");
          d.ip = *choice;
        }
        bound_today.insert(d.ip);
        owner[d.ip] = d.pc;
        last_address[d.pc] = d.ip;
        ended[d.ip] = lease_end(d);
      }
    }
  }
}

Organisation build() {
  Organisation org;
  org.pcs = make_pcs();
  const IncidentPlan plan = incident_plan();
  const auto present = presence(org.pcs, plan);
  for (std::size_t pc = 0; pc < org.pcs.size(); ++pc) {
    for (int day = 0; day < kDays; ++day) {
      if (!present[pc][static_cast<std::size_t>(day)]) continue;
      Random random(3000 + pc * 17 + static_cast<std::uint64_t>(day));
      PcDay d;
      d.pc = static_cast<int>(pc);
      d.day = day;
      d.boot = plus_seconds(local_time(day, 7, 45), random.between(0, std::int64_t{110} * 60));
      // Friday evenings end earlier.
      d.shutdown = plus_seconds(local_time(day, 17, 20), random.between(0, std::int64_t{day == 4 ? 2 : 4} * 3600));
      org.days.push_back(std::move(d));
    }
  }
  std::sort(org.days.begin(), org.days.end(),
            [](const PcDay& a, const PcDay& b) { return a.boot != b.boot ? a.boot < b.boot : a.pc < b.pc; });
  assign_addresses(org.days, org.pcs);
  plan_incident(org);
  return org;
}

}  // namespace

Timestamp local_time(int day, int hour, int minute, int second, int millis) {
  const Timestamp midnight = *from_civil(CivilTime{2015, 6, 1, 0, 0, 0, 0});
  const std::int64_t seconds =
      std::int64_t{86400} * day + std::int64_t{3600} * hour + std::int64_t{60} * minute + second - kUtcOffsetSeconds;
  return Timestamp{midnight.ticks + seconds * kTicksPerSecond + static_cast<std::int64_t>(millis) * 10'000};
}

Timestamp plus_seconds(Timestamp t, std::int64_t seconds) {
  return Timestamp{t.ticks + seconds * kTicksPerSecond};
}

Timestamp plus_millis(Timestamp t, std::int64_t millis) {
  return Timestamp{t.ticks + millis * 10'000};
}

std::int64_t seconds_between(Timestamp from, Timestamp to) {
  return (to.ticks - from.ticks) / kTicksPerSecond;
}

std::int64_t unix_millis(Timestamp t) {
  const Timestamp epoch = Timestamp::from_unix_seconds(0);
  return (t.ticks - epoch.ticks) / 10'000;
}

std::string utc_iso(Timestamp t, int digits) {
  return to_iso8601(t, digits);
}

CivilTime local_civil(Timestamp t) {
  return to_civil(plus_seconds(t, kUtcOffsetSeconds));
}

std::string local_iso(Timestamp t, int digits) {
  std::string text = to_iso8601(plus_seconds(t, kUtcOffsetSeconds), digits);
  text.pop_back();  // the "Z"
  return text + kUtcOffset;
}

const PcDay* Organisation::day_at(int pc, Timestamp t) const {
  for (const PcDay& d : days) {
    if (d.pc == pc && d.boot <= t && t <= d.shutdown) return &d;
  }
  return nullptr;
}

std::string Organisation::ip_at(int pc, Timestamp t) const {
  const PcDay* d = day_at(pc, t);
  return d == nullptr ? std::string() : d->ip;
}

bool Organisation::is_infected(int pc) const {
  return infection(pc) != nullptr;
}

const InfectedHost* Organisation::infection(int pc) const {
  for (const InfectedHost& host : infected) {
    if (host.pc == pc) return &host;
  }
  return nullptr;
}

std::string Organisation::proxy_of(int pc) const {
  return pcs[static_cast<std::size_t>(pc)].office == Office::kHeadOffice ? kHqProxyName : kBranchProxyName;
}

std::string Organisation::admin_sid() const {
  return fmt::format("{}-{}", kDomainSid, kAdminRid);
}

const Organisation& organisation() {
  static const Organisation org = build();
  return org;
}

std::string fqdn(const std::string& host) {
  return host + "." + kDnsDomain;
}

}  // namespace ashiato::demo
