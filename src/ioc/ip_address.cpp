#include "ioc/ip_address.h"

#include <array>

namespace ashiato::ioc {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::array<std::uint16_t, 8> groups_of(const IpAddress& a) {
  std::array<std::uint16_t, 8> g{};
  for (int i = 0; i < 4; ++i) {
    g[i] = static_cast<std::uint16_t>(a.hi >> (48 - 16 * i));
    g[4 + i] = static_cast<std::uint16_t>(a.lo >> (48 - 16 * i));
  }
  return g;
}

void append_ipv4(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    if (i > 0) out.push_back('.');
    out.append(std::to_string((v >> (24 - 8 * i)) & 0xFFU));
  }
}

// All-ones in the host part of a `prefix`-bit network of a 128-bit (hi, lo) number.
void host_mask(int total_bits, int prefix, std::uint64_t& hi, std::uint64_t& lo) {
  const int host = total_bits - prefix;  // 0 .. 128
  if (host >= 128) {
    hi = lo = ~0ULL;
  } else if (host >= 64) {
    lo = ~0ULL;
    hi = host == 64 ? 0 : (~0ULL >> (128 - host));
  } else {
    hi = 0;
    lo = host == 0 ? 0 : (~0ULL >> (64 - host));
  }
}

}  // namespace

std::optional<IpAddress> parse_ipv4(std::string_view s) {
  if (s.size() < 7 || s.size() > 15) return std::nullopt;
  std::uint32_t value = 0;
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::uint32_t part = 0;
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      part = part * 10 + static_cast<std::uint32_t>(s[i] - '0');
      if (++digits > 3) return std::nullopt;
      ++i;
    }
    if (digits == 0 || part > 255) return std::nullopt;
    value = (value << 8) | part;
    if (++parts == 4) break;
    if (i >= s.size() || s[i] != '.') return std::nullopt;
    ++i;
  }
  if (i != s.size()) return std::nullopt;
  return IpAddress{false, 0, value};
}

std::optional<IpAddress> parse_ipv6(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return std::nullopt;
  std::array<std::uint16_t, 8> groups{};
  int n = 0;
  int gap = -1;  // index in `groups` where "::" stands
  std::size_t i = 0;
  if (s[0] == ':') {
    if (s[1] != ':') return std::nullopt;
    gap = 0;
    i = 2;
  }
  while (i < s.size()) {
    std::size_t j = i;
    std::uint32_t value = 0;
    while (j < s.size() && j - i < 5 && hex_value(s[j]) >= 0) value = value * 16 + hex_value(s[j++]);
    if (j < s.size() && s[j] == '.') {
      // A trailing dotted quad (::ffff:1.2.3.4) fills the last two groups.
      if (n > 6) return std::nullopt;
      auto v4 = parse_ipv4(s.substr(i));
      if (!v4) return std::nullopt;
      groups[n++] = static_cast<std::uint16_t>(v4->lo >> 16);
      groups[n++] = static_cast<std::uint16_t>(v4->lo);
      i = s.size();
      break;
    }
    if (j == i || j - i > 4 || n >= 8) return std::nullopt;
    groups[n++] = static_cast<std::uint16_t>(value);
    i = j;
    if (i == s.size()) break;
    if (s[i] != ':') return std::nullopt;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (gap >= 0) return std::nullopt;
      gap = n;
      ++i;
    } else if (i == s.size()) {
      return std::nullopt;  // a single trailing colon
    }
  }
  if (gap < 0 ? n != 8 : n > 7) return std::nullopt;
  std::array<std::uint16_t, 8> full{};
  if (gap < 0) {
    full = groups;
  } else {
    for (int k = 0; k < gap; ++k) full[k] = groups[k];
    const int tail = n - gap;
    for (int k = 0; k < tail; ++k) full[8 - tail + k] = groups[gap + k];
  }
  IpAddress a{true, 0, 0};
  for (int k = 0; k < 4; ++k) {
    a.hi = (a.hi << 16) | full[k];
    a.lo = (a.lo << 16) | full[4 + k];
  }
  return a;
}

std::optional<IpAddress> parse_ip(std::string_view s) {
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') return parse_ipv6(s.substr(1, s.size() - 2));
  if (s.find(':') != std::string_view::npos) return parse_ipv6(s);
  return parse_ipv4(s);
}

std::optional<IpAddress> unmap_ipv4(const IpAddress& a) {
  if (!a.v6 || a.hi != 0 || (a.lo >> 32) != 0xFFFFULL) return std::nullopt;
  return IpAddress{false, 0, a.lo & 0xFFFFFFFFULL};
}

void append_ip(std::string& out, const IpAddress& a) {
  if (!a.v6) {
    append_ipv4(out, static_cast<std::uint32_t>(a.lo));
    return;
  }
  if (auto v4 = unmap_ipv4(a)) {
    out.append("::ffff:");
    append_ipv4(out, static_cast<std::uint32_t>(v4->lo));
    return;
  }
  const auto g = groups_of(a);
  // RFC 5952 4.2: the longest run of at least two zero groups becomes "::", the first on a tie.
  int best_start = -1, best_len = 1;
  for (int k = 0; k < 8;) {
    if (g[k] != 0) {
      ++k;
      continue;
    }
    int e = k;
    while (e < 8 && g[e] == 0) ++e;
    if (e - k > best_len) {
      best_start = k;
      best_len = e - k;
    }
    k = e;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int k = 0; k < 8; ++k) {
    if (k == best_start) {
      out.append("::");
      k += best_len - 1;
      continue;
    }
    if (k > 0 && k != best_start + best_len) out.push_back(':');
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int d = (g[k] >> shift) & 0xF;
      if (d != 0 || started || shift == 0) {
        out.push_back(kHex[d]);
        started = true;
      }
    }
  }
}

std::string format_ip(const IpAddress& a) {
  std::string out;
  append_ip(out, a);
  return out;
}

IpAddress IpNetwork::last() const {
  std::uint64_t mh = 0, ml = 0;
  host_mask(first.bits(), prefix, mh, ml);
  return IpAddress{first.v6, first.hi | mh, first.lo | ml};
}

bool IpNetwork::contains(const IpAddress& a) const {
  return a.v6 == first.v6 && first <= a && a <= last();
}

std::optional<IpNetwork> parse_cidr(std::string_view s) {
  const auto slash = s.rfind('/');
  if (slash == std::string_view::npos || slash + 1 >= s.size() || s.size() - slash > 4) return std::nullopt;
  int prefix = 0;
  for (char c : s.substr(slash + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + (c - '0');
  }
  auto address = parse_ip(s.substr(0, slash));
  if (!address || prefix > address->bits()) return std::nullopt;
  std::uint64_t mh = 0, ml = 0;
  host_mask(address->bits(), prefix, mh, ml);
  address->hi &= ~mh;
  address->lo &= ~ml;
  if (!address->v6) address->lo &= 0xFFFFFFFFULL;
  return IpNetwork{*address, prefix};
}

std::string format_cidr(const IpNetwork& network) {
  std::string out;
  append_ip(out, network.first);
  out.push_back('/');
  out.append(std::to_string(network.prefix));
  return out;
}

const std::vector<std::pair<IpNetwork, const char*>>& special_ranges() {
  static const std::vector<std::pair<IpNetwork, const char*>> ranges = [] {
    std::vector<std::pair<IpNetwork, const char*>> r;
    for (auto [cidr, what] :
         std::initializer_list<std::pair<const char*, const char*>>{{"0.0.0.0/8", "'this network'"},
                                                                    {"10.0.0.0/8", "a private range"},
                                                                    {"100.64.0.0/10", "the carrier-grade NAT range"},
                                                                    {"127.0.0.0/8", "the loopback range"},
                                                                    {"169.254.0.0/16", "the link-local range"},
                                                                    {"172.16.0.0/12", "a private range"},
                                                                    {"192.168.0.0/16", "a private range"},
                                                                    {"224.0.0.0/4", "the multicast range"},
                                                                    {"240.0.0.0/4", "a reserved range"},
                                                                    {"::/128", "the unspecified address"},
                                                                    {"::1/128", "the loopback address"},
                                                                    {"fc00::/7", "the unique-local (private) range"},
                                                                    {"fe80::/10", "the link-local range"},
                                                                    {"ff00::/8", "the multicast range"}}) {
      r.emplace_back(*parse_cidr(cidr), what);
    }
    return r;
  }();
  return ranges;
}

bool is_special(const IpAddress& address) {
  for (const auto& [range, what] : special_ranges()) {
    if (range.contains(address)) return true;
  }
  return false;
}

}  // namespace ashiato::ioc
