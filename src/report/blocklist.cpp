#include "report/blocklist.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>
#include <libpsl.h>

#include "ioc/indicator.h"
#include "ioc/ip_address.h"

namespace ashiato::report {
namespace {

using ioc::IpAddress;
using ioc::IpNetwork;

// Shorter prefixes than these are no C2 indicator but a typo or a poisoned feed.
constexpr int kShortestIpv4Prefix = 8;
constexpr int kShortestIpv6Prefix = 16;

struct NetworkTarget {
  IpNetwork network;
  std::optional<std::uint16_t> port;  // from a host:port indicator
  const BlockEntry* entry = nullptr;
  std::vector<std::string> warnings;
};

struct NameTarget {
  std::string name;  // a domain, or a URL in its normal form
  const BlockEntry* entry = nullptr;
  bool covered = false;  // a parent domain is in the list too
};

// The entries sorted into what each kind of blocking point can use.
struct Plan {
  std::vector<NetworkTarget> networks;  // sorted; networks inside another one left out
  std::vector<NameTarget> domains, urls;
  std::size_t unblockable = 0;             // hashes, User-Agents, e-mail addresses
  std::vector<std::string> refused;        // networks: concern the formats that block addresses
  std::vector<std::string> refused_names;  // public suffixes: concern the formats that block names
};

// The Public Suffix List as Debian's publicsuffix package ships it (libpsl picks the newest of
// that file and its built-in copy). Loaded once, read-only after: safe from any thread.
const psl_ctx_t* public_suffixes() {
  static const psl_ctx_t* const list = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return list;
}

// A host:port value split into its host (brackets removed) and port.
std::pair<std::string, std::uint16_t> split_host_port(std::string_view value) {
  const std::size_t colon = value.rfind(':');
  std::string host(value.substr(0, colon));
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return {host, static_cast<std::uint16_t>(std::stoi(std::string(value.substr(colon + 1))))};
}

// What an entry blocks: an address or network (with a port for host:port), a domain or a URL;
// nothing for hashes, User-Agents and e-mail addresses.
struct Target {
  std::optional<IpNetwork> network;
  std::optional<std::uint16_t> port;
  std::optional<std::string> domain, url;
};

Target target_of(const BlockEntry& e) {
  Target t;
  const auto type = ioc::type_from_name(e.type);
  if (type == ioc::IndicatorType::kIpv4 || type == ioc::IndicatorType::kIpv6) {
    if (auto ip = ioc::parse_ip(e.value)) t.network = IpNetwork{*ip, ip->bits()};
  } else if (type == ioc::IndicatorType::kCidr) {
    t.network = ioc::parse_cidr(e.value);
  } else if (type == ioc::IndicatorType::kHostPort && ioc::normalise_host_port(e.value)) {
    auto [host, port] = split_host_port(e.value);
    if (auto ip = ioc::parse_ip(host)) {
      t.network = IpNetwork{*ip, ip->bits()};
      t.port = port;
    } else {
      t.domain = ioc::normalise_domain(host);
    }
  } else if (type == ioc::IndicatorType::kDomain) {
    t.domain = ioc::normalise_domain(e.value);
  } else if (type == ioc::IndicatorType::kUrl) {
    t.url = ioc::normalise_url(e.value);
  }
  return t;
}

// Why an entry must not go into any block list, or empty: a network so wide it blocks a large
// part of the Internet, or a public suffix (co.jp, com.au, github.io), which would block every
// site under it — one careless indicator list would cut off a country.
std::string refusal(const BlockEntry& e, const Target& t) {
  if (t.network && t.network->prefix < (t.network->first.v6 ? kShortestIpv6Prefix : kShortestIpv4Prefix)) {
    return "refused " + e.value + " (" + e.source + "): a /" + std::to_string(t.network->prefix) +
           " would block a large part of the Internet";
  }
  const psl_ctx_t* list = public_suffixes();
  if (t.domain && list != nullptr && psl_is_public_suffix2(list, t.domain->c_str(), PSL_TYPE_ANY) != 0) {
    return "refused " + e.value + " (" + e.source +
           "): a public suffix (Public Suffix List); blocking it would block every site under it";
  }
  return {};
}

std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

// Duplicates (the same type and value from several files) become one entry with all sources.
std::vector<BlockEntry> merge(const std::vector<BlockEntry>& entries, bool confirmed_only) {
  std::map<std::pair<std::string, std::string>, BlockEntry> merged;
  std::map<std::pair<std::string, std::string>, std::set<std::string>> sources, destinations;
  for (const BlockEntry& e : entries) {
    const auto key = std::make_pair(e.type, e.value);
    auto [it, fresh] = merged.emplace(key, e);
    if (!fresh) {
      BlockEntry& m = it->second;
      m.hits += e.hits;
      if (e.first_contact && (!m.first_contact || *e.first_contact < *m.first_contact))
        m.first_contact = e.first_contact;
      if (e.last_contact && (!m.last_contact || *e.last_contact > *m.last_contact)) m.last_contact = e.last_contact;
      if (m.label.empty()) m.label = e.label;
    }
    if (!e.source.empty()) sources[key].insert(e.source);
    destinations[key].insert(e.destinations.begin(), e.destinations.end());
  }
  std::vector<BlockEntry> out;
  for (auto& [key, e] : merged) {
    if (confirmed_only && !e.confirmed()) continue;
    e.source.clear();
    for (const std::string& s : sources[key]) {
      if (!e.source.empty()) e.source += ", ";
      e.source += s;
    }
    e.destinations.assign(destinations[key].begin(), destinations[key].end());
    out.push_back(std::move(e));
  }
  return out;
}

bool overlaps(const IpNetwork& a, const IpNetwork& b) {
  return a.first.v6 == b.first.v6 && a.first <= b.last() && b.first <= a.last();
}

std::string network_text(const IpNetwork& n) {
  return n.prefix == n.first.bits() ? ioc::format_ip(n.first) : ioc::format_cidr(n);
}

Plan make_plan(const std::vector<BlockEntry>& entries, const std::vector<IpNetwork>& own) {
  Plan plan;
  std::vector<NetworkTarget> networks;
  for (const BlockEntry& e : entries) {
    const Target target = target_of(e);
    if (std::string why = refusal(e, target); !why.empty()) {
      (target.network ? plan.refused : plan.refused_names).push_back(std::move(why));
      continue;
    }
    if (target.domain) plan.domains.push_back(NameTarget{*target.domain, &e});
    if (target.url) plan.urls.push_back(NameTarget{*target.url, &e});
    const auto type = ioc::type_from_name(e.type);
    const bool blockable = type == ioc::IndicatorType::kIpv4 || type == ioc::IndicatorType::kIpv6 ||
                           type == ioc::IndicatorType::kCidr || type == ioc::IndicatorType::kDomain ||
                           type == ioc::IndicatorType::kUrl ||
                           (type == ioc::IndicatorType::kHostPort && ioc::normalise_host_port(e.value));
    if (!blockable) ++plan.unblockable;
    const std::optional<IpNetwork>& network = target.network;
    const std::optional<std::uint16_t>& port = target.port;
    if (!network) continue;
    NetworkTarget t{*network, port, &e, {}};
    for (const auto& [range, what] : ioc::special_ranges()) {
      if (overlaps(*network, range)) {
        t.warnings.push_back(network_text(*network) + " (" + e.source + ") is in " + what + " (" + network_text(range) +
                             "): blocking it affects internal traffic");
      }
    }
    for (const IpNetwork& o : own) {
      if (overlaps(*network, o)) {
        t.warnings.push_back(network_text(*network) + " (" + e.source + ") is in the organisation's own network " +
                             network_text(o));
      }
    }
    networks.push_back(std::move(t));
  }
  // Overlapping elements are an error in nftables interval sets and redundant elsewhere: an
  // address or network inside another listed network is left out.
  std::sort(networks.begin(), networks.end(), [](const NetworkTarget& a, const NetworkTarget& b) {
    if (a.network.first != b.network.first) return a.network.first < b.network.first;
    if (a.network.prefix != b.network.prefix) return a.network.prefix < b.network.prefix;
    if (a.port != b.port) return a.port < b.port;
    return std::tie(a.entry->type, a.entry->value) < std::tie(b.entry->type, b.entry->value);
  });
  std::vector<IpNetwork> whole;  // port-less networks kept, disjoint and sorted
  for (const NetworkTarget& t : networks) {
    if (!t.port) {
      if (!whole.empty() && whole.back().contains(t.network.first)) continue;
      whole.push_back(t.network);
    }
  }
  for (NetworkTarget& t : networks) {
    auto after = std::upper_bound(whole.begin(), whole.end(), t.network.first,
                                  [](const IpAddress& a, const IpNetwork& n) { return a < n.first; });
    const bool inside = after != whole.begin() && std::prev(after)->contains(t.network.first);
    const bool is_itself =
        inside && !t.port && std::prev(after)->first == t.network.first && std::prev(after)->prefix == t.network.prefix;
    if (inside && !is_itself) continue;
    if (is_itself && !plan.networks.empty() && !plan.networks.back().port &&
        plan.networks.back().network.first == t.network.first &&
        plan.networks.back().network.prefix == t.network.prefix) {
      continue;  // the same network from an ipv4 and a cidr indicator
    }
    plan.networks.push_back(std::move(t));
  }
  auto by_name = [](const NameTarget& a, const NameTarget& b) { return a.name < b.name; };
  auto same_name = [](const NameTarget& a, const NameTarget& b) { return a.name == b.name; };
  for (auto* names : {&plan.domains, &plan.urls}) {
    std::stable_sort(names->begin(), names->end(), by_name);
    names->erase(std::unique(names->begin(), names->end(), same_name), names->end());
  }
  std::set<std::string> domain_set;
  for (const NameTarget& d : plan.domains) domain_set.insert(d.name);
  for (NameTarget& d : plan.domains) {
    for (std::size_t dot = d.name.find('.'); dot != std::string::npos; dot = d.name.find('.', dot + 1)) {
      if (domain_set.count(d.name.substr(dot + 1)) != 0) d.covered = true;
    }
  }
  return plan;
}

// "notice.txt:7 (label); seen 2015-05-01T09:30:00Z - 2015-05-02T10:00:00Z, 42 hits, to www.evil.com"
std::string provenance(const BlockEntry& e) {
  std::string s = e.source.empty() ? "(no source)" : e.source;
  if (!e.label.empty()) s += " (" + e.label + ")";
  if (!e.confirmed()) return one_line(s + "; not seen in the logs");
  s += "; seen ";
  s += e.first_contact ? to_iso8601(*e.first_contact, 0) : "?";
  s += " - ";
  s += e.last_contact ? to_iso8601(*e.last_contact, 0) : "?";
  s += ", " + std::to_string(e.hits) + (e.hits == 1 ? " hit" : " hits");
  std::vector<std::string> elsewhere;  // destinations other than the indicator itself, e.g. its subdomains
  for (const std::string& d : e.destinations) {
    if (d != e.value) elsewhere.push_back(d);
  }
  for (std::size_t i = 0; i < elsewhere.size() && i < 3; ++i) s += (i == 0 ? ", to " : " ") + elsewhere[i];
  if (elsewhere.size() > 3) s += " +" + std::to_string(elsewhere.size() - 3);
  return one_line(s);
}

// Comment lines for one entry: where it came from, then its warnings (also collected for stderr).
void comment(std::string& out, std::string_view mark, std::string_view indent, const BlockEntry& e,
             const std::vector<std::string>& warnings, Blocklist& result) {
  out.append(indent).append(mark).append(" ").append(provenance(e)).append("\n");
  for (const std::string& w : warnings) {
    out.append(indent).append(mark).append(" WARNING: ").append(one_line(w)).append("\n");
    result.warnings.push_back(w);
  }
}

struct Header {
  std::string_view mark;         // the format's comment marker
  std::string what;              // what the file is and how to load it
  bool blocks_addresses = true;  // refused networks concern it
  bool lists_domains_as_unblockable = false;
  bool lists_urls_as_unblockable = false;
  std::string domain_reason, url_reason;
};

void header(std::string& out, const Plan& plan, const Header& h, Blocklist& result) {
  auto line = [&](const std::string& text) { out.append(h.mark).append(text.empty() ? "" : " ").append(text) += '\n'; };
  line(h.what);
  auto refused = [&](const std::vector<std::string>& list) {
    for (const std::string& r : list) {
      line("REFUSED: " + one_line(r));
      result.warnings.push_back(r);
      ++result.refused;
    }
  };
  if (h.blocks_addresses) refused(plan.refused);
  if (!h.lists_domains_as_unblockable) refused(plan.refused_names);
  auto unblockable = [&](const std::vector<NameTarget>& names, const std::string& reason) {
    if (names.empty()) return;
    line("Not blocked here: " + reason);
    for (const NameTarget& n : names) line("  " + n.name + "  " + provenance(*n.entry));
  };
  if (h.lists_domains_as_unblockable) unblockable(plan.domains, h.domain_reason);
  if (h.lists_urls_as_unblockable) unblockable(plan.urls, h.url_reason);
  if (plan.unblockable > 0) {
    line(std::to_string(plan.unblockable) +
         " hash, User-Agent or e-mail indicator(s) cannot be blocked at this point: see --format plain");
  }
  line("");
}

const std::string kNoNamesInFirewalls =
    "domains (a packet filter sees addresses, not names; block them at the proxy or DNS: --format squid, rpz)";
const std::string kUrlsAtTheProxy =
    "URLs (their host may be a legitimate site broken into; block them by URL at the proxy: --format squid, edl-url)";

std::string nft_set(const Plan& plan, bool v6, bool with_port, Blocklist& result) {
  std::string out = "  set c2_" + std::string(v6 ? "ipv6" : "ipv4") + (with_port ? "_port" : "") + " {\n";
  out += std::string("    type ") + (v6 ? "ipv6_addr" : "ipv4_addr") + (with_port ? " . inet_service\n" : "\n");
  if (!with_port) out += "    flags interval\n";
  std::string elements;
  for (const NetworkTarget& t : plan.networks) {
    if (t.network.first.v6 != v6 || t.port.has_value() != with_port) continue;
    comment(elements, "#", "      ", *t.entry, t.warnings, result);
    elements += "      " + network_text(t.network) + (with_port ? " . " + std::to_string(*t.port) : "") + ",\n";
    ++result.entries;
  }
  if (!elements.empty()) out += "    elements = {\n" + elements + "    }\n";
  return out + "  }\n";
}

void write_nftables(const Plan& plan, Blocklist& result) {
  std::string& out = result.text;
  out += "#!/usr/sbin/nft -f\n";
  header(out, plan,
         {"#",
          "ashiato C2 block list for nftables. Load: nft -f FILE (replaces table inet ashiato_c2); remove: nft delete "
          "table inet ashiato_c2. Dropped packets are logged with the prefix \"ashiato-c2 \".",
          true, true, true, kNoNamesInFirewalls, kUrlsAtTheProxy},
         result);
  out += "table inet ashiato_c2\ndelete table inet ashiato_c2\n\ntable inet ashiato_c2 {\n";
  out += nft_set(plan, false, false, result) + nft_set(plan, true, false, result);
  out += nft_set(plan, false, true, result) + nft_set(plan, true, true, result);
  const char* drop = " counter log prefix \"ashiato-c2 \" drop\n";
  auto rules = [&](const char* direction) {
    std::string r;
    r += std::string("    ip ") + direction + " @c2_ipv4" + drop;
    r += std::string("    ip6 ") + direction + " @c2_ipv6" + drop;
    r += std::string("    ip ") + direction + " . th " + (direction[0] == 'd' ? "dport" : "sport") + " @c2_ipv4_port" +
         drop;
    r += std::string("    ip6 ") + direction + " . th " + (direction[0] == 'd' ? "dport" : "sport") + " @c2_ipv6_port" +
         drop;
    return r;
  };
  // Before the usual filter chains (priority filter - 10), both to and from the C2.
  out += "\n  chain output {\n    type filter hook output priority filter - 10; policy accept;\n" + rules("daddr");
  out += "  }\n\n  chain input {\n    type filter hook input priority filter - 10; policy accept;\n" + rules("saddr");
  out += "  }\n\n  chain forward {\n    type filter hook forward priority filter - 10; policy accept;\n" +
         rules("daddr") + rules("saddr") + "  }\n}\n";
}

void write_iptables(const Plan& plan, bool v6, Blocklist& result) {
  std::string& out = result.text;
  const std::string tool = v6 ? "ip6tables" : "iptables";
  header(out, plan,
         {"#",
          "ashiato C2 block list for " + tool + "-restore. Load: " + tool +
              "-restore --noflush FILE (without --noflush the whole filter table is replaced). Loading again empties "
              "the chains ASHIATO-C2 and ASHIATO-C2-DROP and inserts the jumps from INPUT, OUTPUT and FORWARD again "
              "(remove the old ones with " +
              tool + " -D). Dropped packets are logged with the prefix \"ashiato-c2 \".",
          true, true, true, kNoNamesInFirewalls, kUrlsAtTheProxy},
         result);
  out += "*filter\n:ASHIATO-C2 - [0:0]\n:ASHIATO-C2-DROP - [0:0]\n";
  out += "-A ASHIATO-C2-DROP -j LOG --log-prefix \"ashiato-c2 \"\n-A ASHIATO-C2-DROP -j DROP\n";
  std::vector<const NetworkTarget*> other_family;
  for (const NetworkTarget& t : plan.networks) {
    if (t.network.first.v6 != v6) {
      other_family.push_back(&t);
      continue;
    }
    comment(out, "#", "", *t.entry, t.warnings, result);
    const std::string net = ioc::format_cidr(t.network);
    if (!t.port) {
      out += fmt::format("-A ASHIATO-C2 -d {0} -j ASHIATO-C2-DROP\n-A ASHIATO-C2 -s {0} -j ASHIATO-C2-DROP\n", net);
    } else {
      for (const char* proto : {"tcp", "udp"}) {
        out += fmt::format("-A ASHIATO-C2 -d {0} -p {1} --dport {2} -j ASHIATO-C2-DROP\n", net, proto, *t.port);
        out += fmt::format("-A ASHIATO-C2 -s {0} -p {1} --sport {2} -j ASHIATO-C2-DROP\n", net, proto, *t.port);
      }
    }
    ++result.entries;
  }
  out += "-I INPUT 1 -j ASHIATO-C2\n-I OUTPUT 1 -j ASHIATO-C2\n-I FORWARD 1 -j ASHIATO-C2\nCOMMIT\n";
  if (other_family.empty()) return;
  // One file cannot feed both tools: the other family's entries follow as commented commands.
  const std::string other = v6 ? "iptables" : "ip6tables";
  out += "\n# " + std::to_string(other_family.size()) + " IPv" + (v6 ? "4" : "6") + " entries cannot be loaded by " +
         tool + "-restore: use --format " + other + ", or these " + other + " commands (after " + other +
         " -N ASHIATO-C2 and a jump to it):\n";
  for (const NetworkTarget* t : other_family) {
    const std::string port = t->port ? " -p tcp --dport " + std::to_string(*t->port) : "";
    out += fmt::format("# {} -A ASHIATO-C2 -d {}{} -j DROP   # {}\n", other, ioc::format_cidr(t->network), port,
                       provenance(*t->entry));
  }
}

std::string url_regex(std::string_view url) {
  std::string out = "^";
  for (char c : url) {
    if (std::string_view(".^$*+?()[]{}|\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

void write_squid(const Plan& plan, Blocklist& result) {
  std::string& out = result.text;
  header(out, plan,
         {"#",
          "ashiato C2 block list for Squid. Include it in squid.conf before the first \"http_access allow\" "
          "(include /etc/squid/ashiato-c2.conf), then: squid -k parse && squid -k reconfigure",
          true, false, false, "", ""},
         result);
  std::set<std::string> used;
  for (const NameTarget& d : plan.domains) {
    if (d.covered) continue;  // Squid warns about a subdomain of a listed domain
    comment(out, "#", "", *d.entry, {}, result);
    out += "acl ashiato_c2_dom dstdomain ." + d.name + "\n";
    used.insert("ashiato_c2_dom");
    ++result.entries;
  }
  for (const NameTarget& u : plan.urls) {
    comment(out, "#", "", *u.entry, {}, result);
    if (u.name.rfind("https://", 0) == 0) {
      out += "# (an https URL is seen only with SSL-Bump; without it Squid sees just the host in CONNECT)\n";
    }
    out += "acl ashiato_c2_url url_regex -i " + url_regex(u.name) + "\n";
    used.insert("ashiato_c2_url");
    ++result.entries;
  }
  for (const NetworkTarget& t : plan.networks) {
    comment(out, "#", "", *t.entry, t.warnings, result);
    out += "acl ashiato_c2_ip dst " + network_text(t.network) + "\n";
    used.insert("ashiato_c2_ip");
    ++result.entries;
  }
  if (!used.empty()) out += "\n";
  for (const char* acl : {"ashiato_c2_dom", "ashiato_c2_url", "ashiato_c2_ip"}) {
    if (used.count(acl) != 0) out += std::string("http_access deny ") + acl + "\n";
  }
}

// The owner name of an rpz-ip trigger: prefix length, then the address's parts in reverse; in
// IPv6 the longest run of zero groups is "zz".
std::string rpz_ip_name(const IpNetwork& n) {
  std::string out = std::to_string(n.prefix);
  if (!n.first.v6) {
    for (int shift = 0; shift < 32; shift += 8) {
      out += '.';
      out += std::to_string((n.first.lo >> shift) & 0xFF);
    }
    return out + ".rpz-ip";
  }
  std::array<unsigned, 8> groups{};
  for (int i = 0; i < 8; ++i) {
    const std::uint64_t half = i < 4 ? n.first.hi : n.first.lo;
    groups[static_cast<std::size_t>(i)] = static_cast<unsigned>((half >> (48 - 16 * (i % 4))) & 0xFFFF);
  }
  int best = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && groups[static_cast<std::size_t>(j)] == 0) ++j;
    if (j - i > best_length) best = i, best_length = j - i;
    i = j == i ? i + 1 : j;
  }
  for (int i = 7; i >= 0; --i) {
    if (best >= 0 && i >= best && i < best + best_length) {
      if (i == best) out += ".zz";
      continue;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, ".%x", groups[static_cast<std::size_t>(i)]);
    out += hex;
  }
  return out + ".rpz-ip";
}

void write_rpz(const Plan& plan, const BlocklistOptions& options, Blocklist& result) {
  std::string& out = result.text;
  header(out, plan,
         {";",
          "ashiato C2 block list as a DNS Response Policy Zone (RPZ): names answer NXDOMAIN, and answers "
          "containing a C2 address are blocked too (rpz-ip). named.conf: zone \"rpz.ashiato\" { type primary; file "
          "\"ashiato-c2.rpz\"; }; and in options: response-policy { zone \"rpz.ashiato\"; };",
          true, false, true, "", kUrlsAtTheProxy},
         result);
  out += "$TTL 300\n@ IN SOA localhost. hostmaster.localhost. ( " + std::to_string(options.rpz_serial) +
         " 3600 600 86400 300 )\n  IN NS localhost.\n\n";
  for (const NameTarget& d : plan.domains) {
    if (d.covered) continue;  // *.parent already answers for it
    comment(out, ";", "", *d.entry, {}, result);
    out += d.name + " CNAME .\n*." + d.name + " CNAME .\n";
    ++result.entries;
  }
  for (const NetworkTarget& t : plan.networks) {
    if (t.port) continue;  // a port-specific C2 address is not a reason to hide every name on it
    comment(out, ";", "", *t.entry, t.warnings, result);
    out += rpz_ip_name(t.network) + " CNAME .\n";
    ++result.entries;
  }
}

void write_hosts(const Plan& plan, Blocklist& result) {
  std::string& out = result.text;
  header(out, plan,
         {"#",
          "ashiato C2 block list for hosts files. A hosts file matches exact names only: subdomains are not blocked "
          "(use --format rpz or squid for those).",
          false, false, true, "", kUrlsAtTheProxy},
         result);
  for (const NameTarget& d : plan.domains) {
    comment(out, "#", "", *d.entry, {}, result);
    out += "0.0.0.0 " + d.name + "\n";
    ++result.entries;
  }
  if (!plan.networks.empty()) {
    out += "# " + std::to_string(plan.networks.size()) +
           " address indicator(s) cannot be blocked in a hosts file: --format nftables, iptables, edl-ip\n";
  }
}

// Palo Alto EDLs hold one type each; only IP lists document a comment (after a space) on the entry's line.
void write_edl(const Plan& plan, BlocklistFormat format, Blocklist& result) {
  std::string& out = result.text;
  if (format == BlocklistFormat::kEdlIp) {
    for (const NetworkTarget& t : plan.networks) {
      out += network_text(t.network) + " # " + provenance(*t.entry) + "\n";
      result.warnings.insert(result.warnings.end(), t.warnings.begin(), t.warnings.end());
      ++result.entries;
    }
    for (const std::string& r : plan.refused) result.warnings.push_back(r);
    result.refused = plan.refused.size();
  } else if (format == BlocklistFormat::kEdlDomain) {
    for (const std::string& r : plan.refused_names) result.warnings.push_back(r);
    result.refused = plan.refused_names.size();
    for (const NameTarget& d : plan.domains) {
      out += d.name + "\n*." + d.name + "\n";
      ++result.entries;
    }
  } else {
    std::set<std::string> urls;  // URL lists take no scheme, so http and https forms may meet
    for (const NameTarget& u : plan.urls) urls.insert(u.name.substr(u.name.find("://") + 3));
    for (const std::string& u : urls) out += u + "\n";
    result.entries = urls.size();
  }
}

void write_plain(const std::vector<BlockEntry>& entries, Blocklist& result) {
  std::vector<const BlockEntry*> sorted;
  sorted.reserve(entries.size());
  for (const BlockEntry& e : entries) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const BlockEntry* a, const BlockEntry* b) {
    return std::tie(a->type, a->value) < std::tie(b->type, b->value);
  });
  // Refused entries are left out here as in every other format, each named on a comment line.
  std::string listed;
  for (const BlockEntry* e : sorted) {
    if (std::string why = refusal(*e, target_of(*e)); !why.empty()) {
      result.text += "# REFUSED: " + one_line(why) + "\n";
      result.warnings.push_back(std::move(why));
      ++result.refused;
      continue;
    }
    auto field = [](std::string_view s) {
      std::string f = one_line(s);
      std::replace(f.begin(), f.end(), '\t', ' ');
      return f;
    };
    listed += field(e->value) + "\t" + field(e->type) + "\t" + field(e->source) + "\n";
    ++result.entries;
  }
  result.text += listed;
}

constexpr std::array<std::pair<BlocklistFormat, std::string_view>, 10> kFormatNames{{
    {BlocklistFormat::kNftables, "nftables"},
    {BlocklistFormat::kIptables, "iptables"},
    {BlocklistFormat::kIp6tables, "ip6tables"},
    {BlocklistFormat::kSquid, "squid"},
    {BlocklistFormat::kRpz, "rpz"},
    {BlocklistFormat::kHosts, "hosts"},
    {BlocklistFormat::kEdlIp, "edl-ip"},
    {BlocklistFormat::kEdlDomain, "edl-domain"},
    {BlocklistFormat::kEdlUrl, "edl-url"},
    {BlocklistFormat::kPlain, "plain"},
}};

}  // namespace

std::vector<std::string_view> blocklist_format_names() {
  std::vector<std::string_view> names;
  names.reserve(kFormatNames.size());
  for (const auto& [format, name] : kFormatNames) names.push_back(name);
  return names;
}

std::optional<BlocklistFormat> blocklist_format_from_name(std::string_view name) {
  for (const auto& [format, n] : kFormatNames) {
    if (n == name) return format;
  }
  return std::nullopt;
}

Blocklist build_blocklist(const std::vector<BlockEntry>& entries, BlocklistFormat format,
                          const BlocklistOptions& options) {
  std::vector<IpNetwork> own;
  for (const std::string& cidr : options.own_networks) {
    auto network = ioc::parse_cidr(cidr);
    if (!network) {
      if (auto ip = ioc::parse_ip(cidr)) network = IpNetwork{*ip, ip->bits()};
    }
    if (!network) throw std::invalid_argument("not an address or CIDR network: " + cidr);
    own.push_back(*network);
  }
  const std::vector<BlockEntry> merged = merge(entries, options.confirmed_only);
  Blocklist result;
  if (format == BlocklistFormat::kPlain) {
    write_plain(merged, result);
    return result;
  }
  const Plan plan = make_plan(merged, own);
  switch (format) {
    case BlocklistFormat::kNftables: write_nftables(plan, result); break;
    case BlocklistFormat::kIptables: write_iptables(plan, false, result); break;
    case BlocklistFormat::kIp6tables: write_iptables(plan, true, result); break;
    case BlocklistFormat::kSquid: write_squid(plan, result); break;
    case BlocklistFormat::kRpz: write_rpz(plan, options, result); break;
    case BlocklistFormat::kHosts: write_hosts(plan, result); break;
    case BlocklistFormat::kEdlIp:
    case BlocklistFormat::kEdlDomain:
    case BlocklistFormat::kEdlUrl: write_edl(plan, format, result); break;
    case BlocklistFormat::kPlain: break;
  }
  return result;
}

}  // namespace ashiato::report
