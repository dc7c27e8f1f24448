// First-response block lists: the case's C2 indicators written as configuration for the places
// where an organisation can block them at once (nftables, iptables, Squid, a DNS RPZ zone, hosts
// files, Palo Alto external dynamic lists). A pure function of its entries, so every format can be
// checked by the real tools in tests. Format details: docs/first-response.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.h"

namespace ashiato::report {

struct BlockEntry {
  std::string type;    // indicator type name (ioc::type_name): domain, url, ipv4, ipv6, cidr, host:port, ...
  std::string value;   // in the indicator's normal form
  std::string source;  // where the indicator came from ("notice.txt:7")
  std::string label;   // context from the indicator file, if any
  // Contact seen in the logs (findings that refer to the indicator); hits == 0: not seen.
  std::int64_t hits = 0;
  std::optional<Timestamp> first_contact, last_contact;
  std::vector<std::string> destinations;  // destinations the hits went to, as logged (a few)
  bool confirmed() const { return hits > 0; }
};

enum class BlocklistFormat {
  kNftables,
  kIptables,
  kIp6tables,
  kSquid,
  kRpz,
  kHosts,
  kEdlIp,
  kEdlDomain,
  kEdlUrl,
  kPlain
};

// "nftables", "iptables", "ip6tables", "squid", "rpz", "hosts", "edl-ip", "edl-domain", "edl-url", "plain"
std::vector<std::string_view> blocklist_format_names();
std::optional<BlocklistFormat> blocklist_format_from_name(std::string_view name);

struct BlocklistOptions {
  bool confirmed_only = false;            // only indicators seen in the logs
  std::vector<std::string> own_networks;  // the organisation's CIDRs: entries inside them are warned about
  std::uint32_t rpz_serial = 1;           // SOA serial of the RPZ zone
};

struct Blocklist {
  std::string text;
  std::size_t entries = 0;  // block entries written (for plain: lines)
  // Why entries were left out or deserve a second look, one line each (also written as comments
  // into formats that have them).
  std::vector<std::string> warnings;
  std::size_t refused = 0;  // entries refused as too broad
};

// Entries may come in any order and with duplicates; the output is sorted and the same for the
// same entries. Never blocks everything: networks shorter than /8 (IPv4) or /16 (IPv6) are refused;
// private, loopback, link-local and the own networks are kept but warned about. Throws
// std::invalid_argument for an own network that is no CIDR.
Blocklist build_blocklist(const std::vector<BlockEntry>& entries, BlocklistFormat format,
                          const BlocklistOptions& options);

}  // namespace ashiato::report
