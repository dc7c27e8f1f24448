// Refanging, type detection and the normal forms of indicator values.
#include "ioc/indicator.h"

#include <gtest/gtest.h>

#include "ioc/typed_value.h"

namespace ashiato::ioc {
namespace {

// "type value" of classify's answer, or "none".
std::string kind(std::string_view token) {
  auto i = classify(token);
  return i ? std::string(type_name(i->type)) + " " + i->value : "none";
}

TEST(IocIndicator, TypeNamesRoundTrip) {
  const char* names[] = {"domain", "url",  "ipv4",   "ipv6",       "cidr", "host:port",
                         "md5",    "sha1", "sha256", "user-agent", "email"};
  for (int i = 0; i < kIndicatorTypeCount; ++i) {
    const auto type = static_cast<IndicatorType>(i);
    EXPECT_EQ(type_name(type), names[i]);
    EXPECT_EQ(type_from_name(names[i]), type);
  }
  EXPECT_FALSE(type_from_name("hostname"));
}

TEST(IocIndicator, Refang) {
  EXPECT_EQ(refang("hxxp://evil[.]com/a"), "http://evil.com/a");
  EXPECT_EQ(refang("hXXps://evil[.]com"), "https://evil.com");
  EXPECT_EQ(refang("HXXP://evil.com"), "http://evil.com");
  EXPECT_EQ(refang("h**p://evil.com"), "http://evil.com");
  EXPECT_EQ(refang("fxp://files.evil.com"), "ftp://files.evil.com");
  EXPECT_EQ(refang("hxxp[:]//evil.com"), "http://evil.com");
  EXPECT_EQ(refang("hxxps[://]evil.com"), "https://evil.com");
  EXPECT_EQ(refang("1.2.3[.]4"), "1.2.3.4");
  EXPECT_EQ(refang("evil(.)com"), "evil.com");
  EXPECT_EQ(refang("evil{.}com"), "evil.com");
  EXPECT_EQ(refang("evil[dot]com"), "evil.com");
  EXPECT_EQ(refang("evil(DOT)com"), "evil.com");
  EXPECT_EQ(refang("evil [dot] com"), "evil.com");
  EXPECT_EQ(refang("evil[ . ]com"), "evil.com");
  EXPECT_EQ(refang("user[@]evil[.]com"), "user@evil.com");
  EXPECT_EQ(refang("user(at)evil.com"), "user@evil.com");
  EXPECT_EQ(refang("user [at] evil [dot] com"), "user@evil.com");
  EXPECT_EQ(refang("1.2.3.4[:]8080"), "1.2.3.4:8080");
  EXPECT_EQ(refang("hxxp://evil.com[/]gate.php"), "http://evil.com/gate.php");
  // Full-width and ideographic dots only between ASCII letters or digits.
  EXPECT_EQ(refang("evil\xEF\xBC\x8E"
                   "com"),
            "evil.com");
  EXPECT_EQ(refang("evil\xE3\x80\x82"
                   "com"),
            "evil.com");
  EXPECT_EQ(refang("\xE4\xBA\x86\xE3\x80\x82"), "\xE4\xBA\x86\xE3\x80\x82");
  // Left alone: real text, IPv6 in brackets, words that only start like a scheme.
  EXPECT_EQ(refang("http://evil.com/a(b)"), "http://evil.com/a(b)");
  EXPECT_EQ(refang("[2001:db8::1]:443"), "[2001:db8::1]:443");
  EXPECT_EQ(refang("[::1]"), "[::1]");
  EXPECT_EQ(refang("hxxpd://x"), "hxxpd://x");
  EXPECT_EQ(refang("ahxxp://x"), "ahxxp://x");
  EXPECT_EQ(refang("the (at) sign"), "the@sign");  // a word form: documented to join
}

TEST(IocIndicator, ClassifyDefangedForms) {
  EXPECT_EQ(kind("hxxp://evil[.]com/a"), "url http://evil.com/a");
  EXPECT_EQ(kind("1.2.3[.]4"), "ipv4 1.2.3.4");
  EXPECT_EQ(kind("evil(.)com"), "domain evil.com");
  EXPECT_EQ(kind("user[@]evil[.]com"), "email user@evil.com");
  EXPECT_EQ(kind("EVIL[.]COM."), "domain evil.com");
  EXPECT_EQ(kind("hxxps://EVIL[.]com:443/Path?q=1#frag"), "url https://evil.com/Path?q=1");
}

TEST(IocIndicator, ClassifyEachType) {
  EXPECT_EQ(kind("evil.com"), "domain evil.com");
  EXPECT_EQ(kind("a.b.Evil.COM"), "domain a.b.evil.com");
  EXPECT_EQ(kind("3322.org"), "domain 3322.org");
  EXPECT_EQ(kind("xn--80ak6aa92e.com"), "domain xn--80ak6aa92e.com");
  EXPECT_EQ(kind("*.evil.com"), "domain evil.com");
  EXPECT_EQ(kind("http://evil.com"), "url http://evil.com/");
  EXPECT_EQ(kind("evil.com/gate.php"), "url http://evil.com/gate.php");
  EXPECT_EQ(kind("evil.com:8080/gate.php"), "url http://evil.com:8080/gate.php");
  EXPECT_EQ(kind("1.2.3.4/a.php"), "url http://1.2.3.4/a.php");
  EXPECT_EQ(kind("1.2.3.4"), "ipv4 1.2.3.4");
  EXPECT_EQ(kind("2001:DB8::1"), "ipv6 2001:db8::1");
  EXPECT_EQ(kind("[2001:db8::1]"), "ipv6 2001:db8::1");
  EXPECT_EQ(kind("10.1.2.3/8"), "cidr 10.0.0.0/8");
  EXPECT_EQ(kind("2001:db8::/32"), "cidr 2001:db8::/32");
  EXPECT_EQ(kind("evil.com:8080"), "host:port evil.com:8080");
  EXPECT_EQ(kind("1.2.3.4:443"), "host:port 1.2.3.4:443");
  EXPECT_EQ(kind("[2001:db8::1]:443"), "host:port [2001:db8::1]:443");
  EXPECT_EQ(kind("D41D8CD98F00B204E9800998ECF8427E"), "md5 d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(kind("da39a3ee5e6b4b0d3255bfef95601890afd80709"), "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(kind("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(kind("Bad.Guy@Evil.com"), "email bad.guy@evil.com");
  EXPECT_EQ(kind("mailto:a@evil.com"), "email a@evil.com");
  EXPECT_EQ(kind("\"evil.com\""), "domain evil.com");
  EXPECT_EQ(kind("<evil.com>"), "domain evil.com");
  EXPECT_EQ(kind("`1.2.3.4`"), "ipv4 1.2.3.4");
}

TEST(IocIndicator, ClassifyRejectsProse) {
  for (const char* token : {"",
                            "hello",
                            "svchost.exe",
                            "notes.txt",
                            "report.pdf",
                            "samples.sha256",
                            "1.2.3",
                            "v1.2",
                            "e.g.",
                            "i.e.",
                            "5.0",
                            "Win32/Turla.AN/x",
                            "C:\\Windows\\evil.exe",
                            "12345",
                            "deadbeef",
                            "d41d8cd98f00b204e9800998ecf8427",
                            "evil..com",
                            "-",
                            "a@b",
                            "http://",
                            "1.2.3.4:0",
                            "1.2.3.4:65536",
                            "evil.com:http",
                            "1.2.3.4/33",
                            "::1%eth0",
                            "User-Agent: x"}) {
    EXPECT_EQ(kind(token), "none") << token;
  }
  // Real top-level domains that are also file extensions stay domains.
  EXPECT_EQ(kind("invoice.zip"), "domain invoice.zip");
}

TEST(IocIndicator, NormaliseUrl) {
  auto url = [](std::string_view s) { return normalise_url(s).value_or("<invalid>"); };
  EXPECT_EQ(url("HTTP://Evil.COM/Path"), "http://evil.com/Path");  // the path keeps its case
  EXPECT_EQ(url("http://evil.com:80/a"), "http://evil.com/a");
  EXPECT_EQ(url("https://evil.com:443/a"), "https://evil.com/a");
  EXPECT_EQ(url("http://evil.com:443/a"), "http://evil.com:443/a");
  EXPECT_EQ(url("https://evil.com:80/a"), "https://evil.com:80/a");
  EXPECT_EQ(url("http://evil.com:0080/a"), "http://evil.com/a");
  EXPECT_EQ(url("http://evil.com"), "http://evil.com/");
  EXPECT_EQ(url("http://evil.com?x=1"), "http://evil.com/?x=1");
  EXPECT_EQ(url("http://evil.com/a#frag"), "http://evil.com/a");
  EXPECT_EQ(url("http://evil.com#frag"), "http://evil.com/");
  EXPECT_EQ(url("http://evil.com./a"), "http://evil.com/a");
  // Percent-encoding: unreserved characters decoded, the others' hex uppercased.
  EXPECT_EQ(url("http://evil.com/%7euser/%41%62%2d%2e%5f"), "http://evil.com/~user/Ab-._");
  EXPECT_EQ(url("http://evil.com/a%2fb%3F%3d"), "http://evil.com/a%2Fb%3F%3D");
  EXPECT_EQ(url("http://evil.com/a b\xC3\xA9"), "http://evil.com/a%20b%C3%A9");
  EXPECT_EQ(url("http://evil.com/100%"), "http://evil.com/100%");
  EXPECT_EQ(url("http://evil.com/?q=%7e"), "http://evil.com/?q=~");
  // Without a scheme: http.
  EXPECT_EQ(url("evil.com/a"), "http://evil.com/a");
  EXPECT_EQ(url("Evil.com"), "http://evil.com/");
  // Hosts: IP literals canonical, userinfo kept, single labels allowed in URLs.
  EXPECT_EQ(url("http://[2001:DB8:0::1]:8080/x"), "http://[2001:db8::1]:8080/x");
  EXPECT_EQ(url("http://010.1.1.1/"), "http://10.1.1.1/");
  EXPECT_EQ(url("ftp://user:pw@Files.Evil.com/a"), "ftp://user:pw@files.evil.com/a");
  EXPECT_EQ(url("http://intranet/"), "http://intranet/");
  EXPECT_EQ(url("HXXP://evil.com/"), "hxxp://evil.com/");  // refanging is classify's and the readers' job
  for (const char* bad : {"http:///a", "http://:80/", "http://evil.com:99999/", "http://evil.com:x/", "1http://a.com/",
                          "http://[::1/", "http://ev il.com/", "", "http://a..b/"}) {
    EXPECT_EQ(url(bad), "<invalid>") << bad;
  }
}

TEST(IocIndicator, NormaliseDomain) {
  auto domain = [](std::string_view s) { return normalise_domain(s).value_or("<invalid>"); };
  EXPECT_EQ(domain("Evil.COM"), "evil.com");
  EXPECT_EQ(domain("evil.com."), "evil.com");
  EXPECT_EQ(domain("*.evil.com"), "evil.com");
  EXPECT_EQ(domain("_dmarc.evil.com"), "_dmarc.evil.com");
  EXPECT_EQ(domain("a-b.evil-.com"), "a-b.evil-.com");
  EXPECT_EQ(domain(std::string(63, 'a') + ".com"), std::string(63, 'a') + ".com");
  for (const std::string& bad :
       {std::string("evil"), std::string("com."), std::string("evil..com"), std::string(".evil.com"),
        std::string("evil.com.."), std::string("ev il.com"), std::string("evil.com/"), std::string("1.2.3.4"),
        std::string("evil.123"), std::string(64, 'a') + ".com", std::string("\xC3\xA9vil.com"), std::string(""),
        std::string("evil.com:80")}) {
    EXPECT_EQ(domain(bad), "<invalid>") << bad;
  }
  std::string long_name;
  for (int i = 0; i < 50; ++i) long_name += "abcd.";
  long_name += "com";  // 253 characters is the limit
  EXPECT_EQ(domain(long_name.substr(long_name.size() - 253)), long_name.substr(long_name.size() - 253));
  EXPECT_EQ(domain("a" + long_name.substr(long_name.size() - 253)), "<invalid>");
}

TEST(IocIndicator, NormaliseEmailAndHostPort) {
  EXPECT_EQ(normalise_email("Bad Guy <Bad.Guy@Evil.COM>"), "bad.guy@evil.com");
  EXPECT_EQ(normalise_email("MAILTO:x@evil.com"), "x@evil.com");
  EXPECT_FALSE(normalise_email("x@evil"));
  EXPECT_FALSE(normalise_email("@evil.com"));
  EXPECT_FALSE(normalise_email("a b@evil.com"));
  EXPECT_EQ(normalise_host_port("Evil.com:8080"), "evil.com:8080");
  EXPECT_EQ(normalise_host_port("1.2.3.4:0443"), "1.2.3.4:443");
  EXPECT_EQ(normalise_host_port("[2001:DB8::1]:53"), "[2001:db8::1]:53");
  EXPECT_FALSE(normalise_host_port("2001:db8::1:53"));  // IPv6 needs brackets before a port
  EXPECT_FALSE(normalise_host_port("evil.com"));
  EXPECT_FALSE(normalise_host_port("evil.com:"));
}

TEST(IocIndicator, NormaliseValueByType) {
  EXPECT_EQ(normalise_value(IndicatorType::kDomain, " evil[.]com "), "evil.com");
  EXPECT_EQ(normalise_value(IndicatorType::kIpv4, "1.2.3[.]4"), "1.2.3.4");
  EXPECT_FALSE(normalise_value(IndicatorType::kIpv4, "::1"));
  EXPECT_EQ(normalise_value(IndicatorType::kIpv6, "[::1]"), "::1");
  EXPECT_FALSE(normalise_value(IndicatorType::kIpv6, "1.2.3.4"));
  EXPECT_EQ(normalise_value(IndicatorType::kCidr, "10.1.0.0/8"), "10.0.0.0/8");
  EXPECT_EQ(normalise_value(IndicatorType::kMd5, "D41D8CD98F00B204E9800998ECF8427E"),
            "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_FALSE(normalise_value(IndicatorType::kSha1, "d41d8cd98f00b204e9800998ecf8427e"));
  // User-agents are compared as exact strings: only the surrounding whitespace goes.
  EXPECT_EQ(normalise_value(IndicatorType::kUserAgent, " Mozilla/4.0 (compatible; MSIE 6.0) [.] "),
            "Mozilla/4.0 (compatible; MSIE 6.0) [.]");
  EXPECT_FALSE(normalise_value(IndicatorType::kUserAgent, "  "));
}

TEST(IocIndicator, TypedValuesOfOtherTools) {
  auto typed = [](std::string_view type, std::string_view value) {
    std::vector<Indicator> out;
    std::string why, filename;
    const auto status = typed_indicators(type, value, out, why, &filename);
    if (status == TypedStatus::kUnsupportedType) return std::string("unsupported");
    if (status == TypedStatus::kInvalidValue) return "invalid: " + why;
    std::string text;
    for (const auto& i : out) text += (text.empty() ? "" : ", ") + std::string(type_name(i.type)) + " " + i.value;
    if (!filename.empty()) text += " (" + filename + ")";
    return text;
  };
  EXPECT_EQ(typed("domain", "Evil.com"), "domain evil.com");
  EXPECT_EQ(typed("hostname", "1.2.3.4"), "ipv4 1.2.3.4");  // a host type takes an IP literal
  EXPECT_EQ(typed("ip-dst", "10.0.0.0/8"), "cidr 10.0.0.0/8");
  EXPECT_EQ(typed("ip-src", "2001:db8::1"), "ipv6 2001:db8::1");
  EXPECT_EQ(typed("domain|ip", "evil.com|1.2.3.4"), "domain evil.com, ipv4 1.2.3.4");
  EXPECT_EQ(typed("ip-dst|port", "1.2.3.4|8080"), "host:port 1.2.3.4:8080");
  EXPECT_EQ(typed("ip-src|port", "2001:db8::1|443"), "host:port [2001:db8::1]:443");
  EXPECT_EQ(typed("hostname|port", "evil.com|53"), "host:port evil.com:53");
  EXPECT_EQ(typed("filename|sha256", "a|b.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 (a|b.exe)");
  EXPECT_EQ(typed("malware-sample", "x.exe|d41d8cd98f00b204e9800998ecf8427e"),
            "md5 d41d8cd98f00b204e9800998ecf8427e (x.exe)");
  EXPECT_EQ(typed("FileHash-SHA1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(typed("hash", "d41d8cd98f00b204e9800998ecf8427e"), "md5 d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(typed("IP Address", "1.2.3.4"), "ipv4 1.2.3.4");
  EXPECT_EQ(typed("user_agent", "Mozilla/5.0"), "user-agent Mozilla/5.0");
  EXPECT_EQ(typed("email-src", "X@Evil.com"), "email x@evil.com");
  EXPECT_EQ(typed("url", "hxxp://evil[.]com"), "url http://evil.com/");
  for (const char* type :
       {"text", "link", "regkey", "filename", "port", "regkey|value", "filename|imphash", "comment"}) {
    EXPECT_EQ(typed(type, "x"), "unsupported") << type;
  }
  EXPECT_EQ(typed("md5", "abc"), "invalid: not a valid MD5 hash (32 hex digits): 'abc'");
  EXPECT_EQ(typed("domain|ip", "evil.com"), "invalid: composite type 'domain|ip' without '|' in its value: 'evil.com'");
  EXPECT_EQ(typed("ip-dst|port", "1.2.3.4|http"), "invalid: not a valid host:port: '1.2.3.4|http'");
}

TEST(IocIndicator, UrlHost) {
  EXPECT_EQ(url_host("http://user@Evil.com:8080/a?b#c"), "Evil.com");
  EXPECT_EQ(url_host("https://[2001:db8::1]:443/"), "2001:db8::1");
  EXPECT_EQ(url_host("evil.com/path"), "evil.com");
  EXPECT_EQ(url_host("http://1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(url_host("/just/a/path"), "");
}

}  // namespace
}  // namespace ashiato::ioc
