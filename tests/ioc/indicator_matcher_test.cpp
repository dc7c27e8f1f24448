// Matching semantics: domain label boundaries, URL prefixes, CIDR, hashes, user-agents, e-mail.
#include "ioc/indicator_matcher.h"

#include <gtest/gtest.h>

namespace ashiato::ioc {
namespace {

Indicator make(IndicatorType type, std::string value, std::string source = "test") {
  Indicator i;
  i.type = type;
  i.value = std::move(value);
  i.source = std::move(source);
  return i;
}

// The value of the matched indicator, or "-".
std::string value_of(const IndicatorMatcher& m, int index) {
  return index < 0 ? "-" : m.indicators()[index].value;
}

TEST(IocMatcher, DomainsMatchOnLabelBoundaries) {
  const IndicatorMatcher m({make(IndicatorType::kDomain, "evil.com"), make(IndicatorType::kDomain, "b.evil.com")});
  EXPECT_EQ(value_of(m, m.match_host("evil.com")), "evil.com");
  EXPECT_EQ(value_of(m, m.match_host("a.evil.com")), "evil.com");
  EXPECT_EQ(value_of(m, m.match_host("a.b.evil.com")), "b.evil.com");  // the most specific
  EXPECT_EQ(value_of(m, m.match_host("b.evil.com")), "b.evil.com");
  EXPECT_EQ(value_of(m, m.match_host("EVIL.COM.")), "evil.com");
  EXPECT_EQ(value_of(m, m.match_host(" A.Evil.Com ")), "evil.com");
  EXPECT_EQ(m.match_host("notevil.com"), -1);
  EXPECT_EQ(m.match_host("evil.com.au"), -1);
  EXPECT_EQ(m.match_host("evil.co"), -1);
  EXPECT_EQ(m.match_host("com"), -1);
  EXPECT_EQ(m.match_host("xevil.com"), -1);
  EXPECT_EQ(m.match_host(""), -1);
  EXPECT_EQ(m.match_host("."), -1);
  EXPECT_EQ(m.match_host(std::string(300, 'a') + ".evil.com"), -1);  // longer than any DNS name
}

TEST(IocMatcher, IpLiteralHostsAreLookedUpAsIps) {
  const IndicatorMatcher m({make(IndicatorType::kIpv4, "1.2.3.4"), make(IndicatorType::kCidr, "2001:db8::/32"),
                            make(IndicatorType::kDomain, "3322.org")});
  EXPECT_EQ(value_of(m, m.match_host("1.2.3.4")), "1.2.3.4");
  EXPECT_EQ(value_of(m, m.match_host("[2001:db8::5]")), "2001:db8::/32");
  EXPECT_EQ(value_of(m, m.match_host("2001:DB8::5")), "2001:db8::/32");
  EXPECT_EQ(value_of(m, m.match_host("js001.3322.org")), "3322.org");
  EXPECT_EQ(m.match_host("1.2.3.5"), -1);
}

TEST(IocMatcher, HostPort) {
  const IndicatorMatcher m({make(IndicatorType::kHostPort, "evil.com:8080"),
                            make(IndicatorType::kHostPort, "1.2.3.4:443"),
                            make(IndicatorType::kHostPort, "[2001:db8::1]:53"), make(IndicatorType::kDomain, "x.com"),
                            make(IndicatorType::kIpv4, "5.6.7.8")});
  EXPECT_EQ(value_of(m, m.match_host_port("evil.com", 8080)), "evil.com:8080");
  EXPECT_EQ(value_of(m, m.match_host_port("WWW.Evil.com.", 8080)), "evil.com:8080");
  EXPECT_EQ(m.match_host_port("evil.com", 80), -1);
  EXPECT_EQ(m.match_host_port("notevil.com", 8080), -1);
  EXPECT_EQ(value_of(m, m.match_host_port("1.2.3.4", 443)), "1.2.3.4:443");
  EXPECT_EQ(value_of(m, m.match_host_port("::ffff:1.2.3.4", 443)), "1.2.3.4:443");
  EXPECT_EQ(value_of(m, m.match_host_port("2001:db8:0::1", 53)), "[2001:db8::1]:53");
  EXPECT_EQ(value_of(m, m.match_host_port("[2001:db8::1]", 53)), "[2001:db8::1]:53");
  // Plain host indicators are not host:port matches (and host:port ones are not host matches).
  EXPECT_EQ(m.match_host_port("x.com", 80), -1);
  EXPECT_EQ(m.match_host_port("5.6.7.8", 80), -1);
  EXPECT_EQ(m.match_host("evil.com"), -1);
  EXPECT_EQ(m.match_ip("1.2.3.4"), -1);
}

TEST(IocMatcher, UrlsMatchAsPrefixOfTheNormalisedUrl) {
  const IndicatorMatcher m(
      {make(IndicatorType::kUrl, "http://evil.com/gate"), make(IndicatorType::kUrl, "http://evil.com/gate.php?id=1"),
       make(IndicatorType::kUrl, "https://[2001:db8::1]/x"), make(IndicatorType::kUrl, "HXXP://Other.com:80/A%7e")});
  EXPECT_EQ(value_of(m, m.match_url("http://evil.com/gate")), "http://evil.com/gate");
  EXPECT_EQ(value_of(m, m.match_url("http://evil.com/gate.php")), "http://evil.com/gate");
  EXPECT_EQ(value_of(m, m.match_url("http://evil.com/gateway/x")), "http://evil.com/gate");  // a plain prefix
  EXPECT_EQ(value_of(m, m.match_url("HTTP://EVIL.COM:80/gate.php?id=1&x=2#f")), "http://evil.com/gate.php?id=1");
  EXPECT_EQ(value_of(m, m.match_url("http://evil.com/%67ate")), "http://evil.com/gate");  // %67 is 'g'
  EXPECT_EQ(value_of(m, m.match_url("evil.com/gate")), "http://evil.com/gate");
  EXPECT_EQ(value_of(m, m.match_url("https://[2001:DB8::1]:443/x/y")), "https://[2001:db8::1]/x");
  // The indicator was given defanged and unnormalised; the matcher normalises it once.
  EXPECT_EQ(value_of(m, m.match_url("http://other.com/A~")), "http://other.com/A~");
  EXPECT_EQ(m.match_url("http://evil.com/Gate"), -1);   // paths are case-sensitive
  EXPECT_EQ(m.match_url("https://evil.com/gate"), -1);  // another scheme
  EXPECT_EQ(m.match_url("http://evil.com:8080/gate"), -1);
  EXPECT_EQ(m.match_url("http://a.evil.com/gate"), -1);
  EXPECT_EQ(m.match_url("http://evil.com/"), -1);
  EXPECT_EQ(m.match_url("not a url"), -1);
}

TEST(IocMatcher, IpsExactAndInCidr) {
  const IndicatorMatcher m({make(IndicatorType::kCidr, "10.0.0.0/8"), make(IndicatorType::kCidr, "10.1.0.0/16"),
                            make(IndicatorType::kIpv4, "10.1.2.3"), make(IndicatorType::kIpv6, "2001:db8::1"),
                            make(IndicatorType::kCidr, "2001:db8:aaaa::/48"), make(IndicatorType::kCidr, "fe80::/10")});
  EXPECT_EQ(value_of(m, m.match_ip("10.1.2.3")), "10.1.2.3");  // exact before CIDR
  EXPECT_EQ(value_of(m, m.match_ip("10.1.2.4")), "10.1.0.0/16");
  EXPECT_EQ(value_of(m, m.match_ip("10.2.0.1")), "10.0.0.0/8");
  EXPECT_EQ(value_of(m, m.match_ip("::ffff:10.2.0.1")), "10.0.0.0/8");
  EXPECT_EQ(m.match_ip("11.0.0.0"), -1);
  EXPECT_EQ(m.match_ip("9.255.255.255"), -1);
  EXPECT_EQ(value_of(m, m.match_ip("2001:0db8:0000::0001")), "2001:db8::1");
  EXPECT_EQ(value_of(m, m.match_ip("[2001:db8:aaaa:1::9]")), "2001:db8:aaaa::/48");
  EXPECT_EQ(m.match_ip("2001:db8:aaab::9"), -1);
  EXPECT_EQ(value_of(m, m.match_ip("febf:ffff::1")), "fe80::/10");
  EXPECT_EQ(m.match_ip("fec0::1"), -1);
  EXPECT_EQ(m.match_ip("not an ip"), -1);
  EXPECT_EQ(m.match_ip(""), -1);
}

TEST(IocMatcher, HashesUserAgentsAndEmail) {
  const IndicatorMatcher m(
      {make(IndicatorType::kMd5, "d41d8cd98f00b204e9800998ecf8427e"),
       make(IndicatorType::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
       make(IndicatorType::kSha256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"),
       make(IndicatorType::kUserAgent, "Mozilla/4.0 (compatible; MSIE 7.0)"),
       make(IndicatorType::kEmail, "Bad@Evil.com")});
  EXPECT_EQ(value_of(m, m.match_hash("D41D8CD98F00B204E9800998ECF8427E")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(value_of(m, m.match_hash("da39a3ee5e6b4b0d3255bfef95601890afd80709")),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(value_of(m, m.match_hash("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(m.match_hash("d41d8cd98f00b204e9800998ecf8427f"), -1);
  EXPECT_EQ(m.match_hash("d41d8cd98f00b204"), -1);
  EXPECT_EQ(value_of(m, m.match_user_agent("Mozilla/4.0 (compatible; MSIE 7.0)")),
            "Mozilla/4.0 (compatible; MSIE 7.0)");
  EXPECT_EQ(m.match_user_agent("mozilla/4.0 (compatible; MSIE 7.0)"), -1);
  EXPECT_EQ(m.match_user_agent("Mozilla/4.0 (compatible; MSIE 7.0) x"), -1);
  EXPECT_EQ(value_of(m, m.match_email("bad@evil.com")), "bad@evil.com");
  EXPECT_EQ(value_of(m, m.match_email("BAD@EVIL.COM")), "bad@evil.com");
  EXPECT_EQ(value_of(m, m.match_email("Bad Guy <Bad@Evil.com>")), "bad@evil.com");
  EXPECT_EQ(value_of(m, m.match_email("mailto:bad@evil.com")), "bad@evil.com");
  EXPECT_EQ(m.match_email("good@evil.com"), -1);
  EXPECT_EQ(m.match_email("bad@evil.com.au"), -1);
}

TEST(IocMatcher, HasTypesAndMergesDuplicates) {
  Indicator first = make(IndicatorType::kDomain, "evil.com", "a.txt:1");
  first.to_ids = false;
  Indicator second = make(IndicatorType::kDomain, "EVIL[.]com", "b.txt:7");
  second.label = "from b";
  const IndicatorMatcher m(
      {first, make(IndicatorType::kIpv4, "1.2.3.4"), second, make(IndicatorType::kDomain, "evil.com", "c.json#x")});
  ASSERT_EQ(m.indicators().size(), 2U);
  EXPECT_EQ(m.duplicates(), 2U);
  const Indicator& merged = m.indicators()[0];
  EXPECT_EQ(merged.source, "a.txt:1");  // the first source is kept
  EXPECT_EQ(merged.occurrences, 3U);
  EXPECT_TRUE(merged.to_ids);  // one of them was meant for detection
  EXPECT_EQ(merged.label, "from b");
  EXPECT_TRUE(m.has(IndicatorType::kDomain));
  EXPECT_TRUE(m.has(IndicatorType::kIpv4));
  EXPECT_FALSE(m.has(IndicatorType::kUrl));
  EXPECT_FALSE(m.has(IndicatorType::kCidr));
  const IndicatorMatcher empty({});
  EXPECT_EQ(empty.match_host("evil.com"), -1);
  EXPECT_EQ(empty.match_url("http://evil.com/"), -1);
  EXPECT_EQ(empty.match_ip("1.2.3.4"), -1);
  EXPECT_EQ(empty.match_hash("d41d8cd98f00b204e9800998ecf8427e"), -1);
  EXPECT_EQ(empty.match_email("a@b.com"), -1);
  EXPECT_EQ(empty.match_user_agent("x"), -1);
  EXPECT_EQ(empty.match_host_port("evil.com", 80), -1);
}

TEST(IocMatcher, ManyIndicatorsStayCorrect) {
  // 50,000 domains and networks: lookups are hash and binary-search based, spot-check them.
  std::vector<Indicator> indicators;
  for (int i = 0; i < 25000; ++i) {
    indicators.push_back(make(IndicatorType::kDomain, "host" + std::to_string(i) + ".example.net"));
    indicators.push_back(
        make(IndicatorType::kCidr, "10." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + ".0/24"));
  }
  const IndicatorMatcher m(std::move(indicators));
  EXPECT_EQ(m.indicators().size(), 50000U);
  EXPECT_EQ(value_of(m, m.match_host("www.host24999.example.net")), "host24999.example.net");
  EXPECT_EQ(m.match_host("host25000.example.net"), -1);
  EXPECT_EQ(value_of(m, m.match_ip("10.97.167.200")), "10.97.167.0/24");
  EXPECT_EQ(m.match_ip("10.97.168.1"), -1);
}

}  // namespace
}  // namespace ashiato::ioc
