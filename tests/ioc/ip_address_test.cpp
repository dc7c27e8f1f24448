// IPv4/IPv6 parsing, RFC 5952 text, CIDR networks and the CIDR range table.
#include "ioc/ip_address.h"

#include <gtest/gtest.h>

#include "ioc/cidr_table.h"

namespace ashiato::ioc {
namespace {

std::string canonical(std::string_view text) {
  auto a = parse_ip(text);
  return a ? format_ip(*a) : "<invalid>";
}

TEST(IocIpAddress, Ipv4) {
  EXPECT_EQ(canonical("1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(canonical("255.255.255.255"), "255.255.255.255");
  EXPECT_EQ(canonical("0.0.0.0"), "0.0.0.0");
  // Zero padding is alignment in indicator lists, not octal.
  EXPECT_EQ(canonical("010.001.002.003"), "10.1.2.3");
  for (const char* bad : {"256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "1.2.3.4/",
                          "0001.2.3.4", "a.b.c.d", ""}) {
    EXPECT_FALSE(parse_ipv4(bad)) << bad;
  }
}

TEST(IocIpAddress, Ipv6TextFormsFromRfc5952) {
  // RFC 5952 section 4: one canonical text for the many ways of writing an address.
  EXPECT_EQ(canonical("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(canonical("2001:db8::0:1"), "2001:db8::1");
  EXPECT_EQ(canonical("2001:db8:0:0:0:0:2:1"), "2001:db8::2:1");
  EXPECT_EQ(canonical("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // one zero group stays
  EXPECT_EQ(canonical("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");           // the longest run
  EXPECT_EQ(canonical("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");     // the first of equal runs
  EXPECT_EQ(canonical("2001:DB8::ABCD"), "2001:db8::abcd");
  EXPECT_EQ(canonical("::"), "::");
  EXPECT_EQ(canonical("::1"), "::1");
  EXPECT_EQ(canonical("1::"), "1::");
  EXPECT_EQ(canonical("1:2:3:4:5:6:7::"), "1:2:3:4:5:6:7:0");
  EXPECT_EQ(canonical("[2001:db8::1]"), "2001:db8::1");
  EXPECT_EQ(canonical("::ffff:192.0.2.1"), "::ffff:192.0.2.1");
  EXPECT_EQ(canonical("0:0:0:0:0:ffff:c000:0201"), "::ffff:192.0.2.1");
  EXPECT_EQ(canonical("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
  for (const char* bad : {":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "fe80::1%eth0",
                          ":1::", "1:", "::ffff:1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "g::1", "[::1"}) {
    EXPECT_EQ(canonical(bad), "<invalid>") << bad;
  }
}

TEST(IocIpAddress, MappedIpv4) {
  auto mapped = parse_ip("::ffff:10.1.2.3");
  ASSERT_TRUE(mapped);
  auto v4 = unmap_ipv4(*mapped);
  ASSERT_TRUE(v4);
  EXPECT_EQ(format_ip(*v4), "10.1.2.3");
  EXPECT_FALSE(unmap_ipv4(*parse_ip("2001:db8::1")));
  EXPECT_FALSE(unmap_ipv4(*parse_ip("10.1.2.3")));
}

TEST(IocIpAddress, CidrClearsHostBits) {
  auto text = [](std::string_view s) {
    auto n = parse_cidr(s);
    return n ? format_cidr(*n) : "<invalid>";
  };
  EXPECT_EQ(text("10.1.2.3/8"), "10.0.0.0/8");
  EXPECT_EQ(text("112.64.0.0/15"), "112.64.0.0/15");
  EXPECT_EQ(text("112.65.1.1/15"), "112.64.0.0/15");
  EXPECT_EQ(text("1.2.3.4/32"), "1.2.3.4/32");
  EXPECT_EQ(text("1.2.3.4/0"), "0.0.0.0/0");
  EXPECT_EQ(text("2001:DB8:1234::5/32"), "2001:db8::/32");
  EXPECT_EQ(text("2001:db8::1/128"), "2001:db8::1/128");
  EXPECT_EQ(text("2001:db8:ffff:ffff::/48"), "2001:db8:ffff::/48");
  EXPECT_EQ(text("::/0"), "::/0");
  for (const char* bad : {"1.2.3.4/33", "::/129", "1.2.3.4/", "1.2.3.4/a", "/8", "1.2.3/8", "1.2.3.4/-1"}) {
    EXPECT_EQ(text(bad), "<invalid>") << bad;
  }
  const auto net = *parse_cidr("2001:db8::/32");
  EXPECT_EQ(format_ip(net.last()), "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_TRUE(net.contains(*parse_ip("2001:db8:abcd::1")));
  EXPECT_FALSE(net.contains(*parse_ip("2001:db9::1")));
  EXPECT_FALSE(net.contains(*parse_ip("32.1.13.184")));  // the same bits in the other family
}

TEST(IocIpAddress, CidrTableFindsTheNarrowestNetwork) {
  std::vector<std::pair<IpNetwork, int>> networks = {
      {*parse_cidr("10.0.0.0/8"), 0},        {*parse_cidr("10.1.0.0/16"), 1},     {*parse_cidr("10.1.2.0/24"), 2},
      {*parse_cidr("10.200.0.0/16"), 3},     {*parse_cidr("192.168.0.0/16"), 4},  {*parse_cidr("0.0.0.0/0"), 5},
      {*parse_cidr("2001:db8::/32"), 6},     {*parse_cidr("2001:db8:1::/48"), 7}, {*parse_cidr("10.1.0.0/16"), 8},
      {*parse_cidr("255.255.255.255/32"), 9}};
  const CidrTable table(networks);
  auto find = [&](const char* ip) { return table.find(*parse_ip(ip)); };
  EXPECT_EQ(find("10.0.0.1"), 0);
  EXPECT_EQ(find("10.1.0.1"), 1);
  EXPECT_EQ(find("10.1.2.255"), 2);
  EXPECT_EQ(find("10.1.3.0"), 1);
  EXPECT_EQ(find("10.1.255.255"), 1);
  EXPECT_EQ(find("10.2.0.0"), 0);
  EXPECT_EQ(find("10.200.5.5"), 3);
  EXPECT_EQ(find("10.255.255.255"), 0);
  EXPECT_EQ(find("11.0.0.0"), 5);
  EXPECT_EQ(find("0.0.0.0"), 5);
  EXPECT_EQ(find("192.168.1.1"), 4);
  EXPECT_EQ(find("255.255.255.254"), 5);
  EXPECT_EQ(find("255.255.255.255"), 9);
  EXPECT_EQ(find("2001:db8::1"), 6);
  EXPECT_EQ(find("2001:db8:1:ffff::1"), 7);
  EXPECT_EQ(find("2001:db8:2::"), 6);
  EXPECT_EQ(find("2001:db9::"), -1);  // IPv4's 0.0.0.0/0 does not hold IPv6
  EXPECT_EQ(find("::"), -1);
  EXPECT_EQ(CidrTable().find(*parse_ip("1.2.3.4")), -1);
}

TEST(IocIpAddress, CidrTableAgreesWithALinearScan) {
  // Random nested and disjoint networks against the obvious quadratic answer.
  std::uint64_t seed = 12345;
  auto next = [&]() {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return seed >> 33;
  };
  std::vector<std::pair<IpNetwork, int>> networks;
  for (int i = 0; i < 300; ++i) {
    const IpAddress a{false, 0, (next() & 0x0FFFFFFFULL) | 0x0A000000ULL};
    const int prefix = 4 + static_cast<int>(next() % 29);
    auto n = parse_cidr(format_ip(a) + "/" + std::to_string(prefix));
    networks.emplace_back(*n, i);
  }
  const CidrTable table(networks);
  for (int probe = 0; probe < 5000; ++probe) {
    const IpAddress a{false, 0, (next() & 0x0FFFFFFFULL) | 0x0A000000ULL};
    int expected = -1, best_prefix = -1;
    for (const auto& [n, value] : networks) {
      if (n.contains(a) && n.prefix > best_prefix) {
        best_prefix = n.prefix;
        expected = value;
      }
    }
    ASSERT_EQ(table.find(a), expected) << format_ip(a);
  }
}

}  // namespace
}  // namespace ashiato::ioc
