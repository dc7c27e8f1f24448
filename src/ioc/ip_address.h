// IPv4 and IPv6 addresses and networks as numbers: parsing of the text forms found in indicator
// files and logs, canonical text (dotted quad, RFC 5952), CIDR networks with host bits cleared.
// The parsers never allocate: they run for every address of every log line.
#pragma once
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ashiato::ioc {

// An address as a 128-bit number. IPv4 addresses keep their own family (the value is in `lo`);
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) stay IPv6 here, see unmap_ipv4().
struct IpAddress {
  bool v6 = false;
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;

  friend auto operator<=>(const IpAddress&,
                          const IpAddress&) = default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 false positive
  int bits() const { return v6 ? 128 : 32; }
};

// Dotted quad, four decimal parts 0-255. Leading zeros are read as decimal ("010" is 10): in
// indicator lists zero padding means alignment, never octal.
std::optional<IpAddress> parse_ipv4(std::string_view text);
// RFC 4291 text forms: hex groups, one "::", a trailing dotted quad. No zone index ("%eth0").
std::optional<IpAddress> parse_ipv6(std::string_view text);
// Either family; an IPv6 address may be written in brackets ("[2001:db8::1]").
std::optional<IpAddress> parse_ip(std::string_view text);
// ::ffff:a.b.c.d as the IPv4 address a.b.c.d (logs of dual-stack servers write IPv4 clients so).
std::optional<IpAddress> unmap_ipv4(const IpAddress& address);

// Canonical text: dotted quad, or RFC 5952 (lowercase, no leading zeros, the longest run of two or
// more zero groups as "::", IPv4-mapped addresses as ::ffff:a.b.c.d).
void append_ip(std::string& out, const IpAddress& address);
std::string format_ip(const IpAddress& address);

// A network: its first address and prefix length.
struct IpNetwork {
  IpAddress first;
  int prefix = 0;

  IpAddress last() const;
  bool contains(const IpAddress& address) const;
};

// "addr/len": len within the family's size; host bits are cleared ("10.1.2.3/8" is 10.0.0.0/8).
std::optional<IpNetwork> parse_cidr(std::string_view text);
std::string format_cidr(const IpNetwork& network);

// Networks that are not the Internet: private, carrier-grade NAT, loopback, link-local,
// multicast, reserved, unique-local; with what each is ("a private range").
const std::vector<std::pair<IpNetwork, const char*>>& special_ranges();
// Whether the address lies in one of them (an internal or non-routable destination).
bool is_special(const IpAddress& address);

struct IpAddressHash {
  std::size_t operator()(const IpAddress& a) const {
    std::uint64_t h = a.hi * 0x9E3779B97F4A7C15ULL ^ (a.lo + (a.v6 ? 0x632BE59BD9B4E019ULL : 0));
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
};

}  // namespace ashiato::ioc
