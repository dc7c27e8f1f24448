// All indicators of a hunt compiled into one matcher. Lookups cost the same for ten indicators
// or a million (hash tables, a walk over a host's labels, binary search over CIDR ranges) and
// allocate nothing on their hot path: they run for every field of every line of multi-GB logs.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/string_map.h"
#include "ioc/cidr_table.h"
#include "ioc/domain_table.h"
#include "ioc/indicator.h"
#include "ioc/ip_address.h"

namespace ashiato::ioc {

class IndicatorMatcher {
 public:
  // Duplicates (same type and value) are merged: the first one's source, label and validity are
  // kept, its `occurrences` counts them all, and to_ids is true if any of them had it.
  explicit IndicatorMatcher(std::vector<Indicator> indicators);

  const std::vector<Indicator>& indicators() const { return indicators_; }
  bool has(IndicatorType type) const { return (types_ >> static_cast<unsigned>(type)) & 1U; }
  // How many input indicators were merged into others.
  std::size_t duplicates() const { return duplicates_; }

  // Each lookup returns an index into indicators(), or -1 when nothing matches. Where several
  // indicators match, the most specific wins (the longest domain or URL, an exact IP over a
  // CIDR, the narrowest CIDR).

  // A domain indicator matches its name and every name below it on label boundaries (evil.com
  // matches a.b.evil.com, never notevil.com). Case-insensitive, a trailing dot ignored. An IP
  // literal host (with or without [brackets]) is looked up with match_ip.
  int match_host(std::string_view host) const;
  // Domain indicators only: `host` is taken as a name even if it looks like an address.
  int match_domain(std::string_view host) const { return domains_.match(host); }
  // host:port indicators only (plain host indicators are not returned here). A domain host
  // matches on label boundaries as in match_host; an IP host exactly.
  int match_host_port(std::string_view host, std::uint16_t port) const;
  // URL indicators that are a prefix of the normalised URL (normalise_url on both sides; a plain
  // string prefix, so "http://evil.com/a" matches "http://evil.com/ab" too).
  int match_url(std::string_view url) const;
  // Exact IPv4/IPv6 indicators or a CIDR holding the address. IPv4-mapped IPv6 addresses
  // (::ffff:1.2.3.4) are looked up as IPv4.
  int match_ip(std::string_view ip) const;
  int match_ip(const IpAddress& ip) const;
  // MD5, SHA-1 or SHA-256 by length, case-insensitive.
  int match_hash(std::string_view hex) const;
  // Exact, case-sensitive string equality.
  int match_user_agent(std::string_view user_agent) const;
  // Case-insensitive; "Name <addr>" and "mailto:addr" forms are accepted.
  int match_email(std::string_view address) const;

 private:
  struct PortEntry {
    std::uint16_t port;
    int index;
  };
  struct UrlEntry {
    std::string url;
    int index;
  };

  std::vector<Indicator> indicators_;
  std::uint32_t types_ = 0;
  std::size_t duplicates_ = 0;
  DomainTable domains_;
  StringMap<int> hashes_, user_agents_, emails_;
  std::unordered_map<IpAddress, int, IpAddressHash> ips_;
  CidrTable cidrs_;
  // URL indicators by their normalised host, longest first.
  StringMap<std::vector<UrlEntry>> urls_;
  // host:port indicators by host.
  StringMap<std::vector<PortEntry>> domain_ports_;
  std::unordered_map<IpAddress, std::vector<PortEntry>, IpAddressHash> ip_ports_;
};

}  // namespace ashiato::ioc
