// Block lists: each format is checked by the tool that will load it (nft -c, iptables-restore
// --test, named-checkzone) where one exists, and by the format's syntax otherwise. The tools come
// from scripts/install-deps; their absence fails the tests.
#include "report/blocklist.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include "test_support.h"

namespace ashiato::report {
namespace {

namespace fs = std::filesystem;

Timestamp at(const char* iso) {
  return *parse_iso8601(iso);
}

BlockEntry seen(std::string type, std::string value, std::string source, std::int64_t hits, const char* first,
                const char* last, std::vector<std::string> destinations = {}) {
  return BlockEntry{std::move(type), std::move(value), std::move(source),      "", hits,
                    at(first),       at(last),         std::move(destinations)};
}

BlockEntry listed(std::string type, std::string value, std::string source) {
  return BlockEntry{std::move(type), std::move(value), std::move(source), "", 0, std::nullopt, std::nullopt, {}};
}

std::vector<BlockEntry> sample_entries() {
  return {
      seen("domain", "evil.com", "notice.txt:3", 42, "2015-05-01T09:30:00Z", "2015-06-01T10:00:00Z", {"www.evil.com"}),
      listed("domain", "evil.com", "misp.json#attr-1"),  // the same indicator from a second file
      listed("domain", "www.evil.com", "notice.txt:4"),  // covered by evil.com where subdomains count
      listed("domain", "c2-update.example.org", "notice.txt:5"),
      seen("url", "http://compromised.example.jp/wp/gate.php?id=1", "notice.txt:6", 3, "2015-05-02T00:00:00Z",
           "2015-05-03T00:00:00Z"),
      listed("url", "https://cdn.example.net/a+b/(x).js", "notice.txt:7"),
      seen("ipv4", "198.51.100.7", "notice.txt:8", 5, "2015-05-01T00:00:00Z", "2015-05-01T01:00:00Z"),
      listed("ipv4", "203.0.113.5", "notice.txt:9"),  // inside 203.0.113.0/24
      listed("cidr", "203.0.113.0/24", "notice.txt:10"),
      listed("ipv6", "2001:db8::1", "notice.txt:11"),
      listed("cidr", "2001:db8:1::/48", "notice.txt:12"),
      listed("host:port", "198.51.100.9:8080", "notice.txt:13"),
      listed("host:port", "[2001:db8::99]:443", "notice.txt:14"),
      listed("host:port", "evil2.org:8443", "notice.txt:15"),
      listed("ipv4", "10.1.2.3", "notice.txt:16"),  // private: kept, warned about
      listed("cidr", "0.0.0.0/0", "feed.csv:1"),    // refused
      listed("cidr", "::/0", "feed.csv:2"),         // refused
      listed("cidr", "64.0.0.0/2", "feed.csv:3"),   // refused: wider than /8
      listed("sha256", std::string(64, 'a'), "notice.txt:17"),
      listed("md5", std::string(32, 'b'), "notice.txt:18"),
      listed("user-agent", "Mozilla/4.0 (compatible; MSIE 8.0; Emdivi)", "notice.txt:19"),
      listed("email", "attacker@evil-mail.example", "notice.txt:20"),
  };
}

std::string build(BlocklistFormat format, const std::vector<BlockEntry>& entries = sample_entries(),
                  const BlocklistOptions& options = {}) {
  return build_blocklist(entries, format, options).text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// Runs a checking tool on `text`; missing tools fail the test (install them with scripts/install-deps).
void check_with(const std::string& tool, const std::string& arguments_before_file, const std::string& text,
                const std::string& arguments_after_file = "") {
  std::string out;
  const std::string path_setup = "PATH=\"$PATH:/usr/sbin:/sbin\"; ";
  ASSERT_EQ(test::run_command(path_setup + "command -v " + tool, out), 0)
      << tool << " is not installed: run scripts/install-deps";
  const fs::path file = test::temp_dir() / "list.txt";
  std::ofstream(file) << text;
  // Checking a ruleset needs network administration rights: a user and network namespace of its
  // own gives them without touching the machine's firewall.
  const std::string isolate = ::geteuid() == 0 ? "" : "unshare -rn ";
  const std::string command =
      path_setup + isolate + tool + " " + arguments_before_file + " '" + file.string() + "' " + arguments_after_file;
  const int rc = test::run_command(command + " 2>&1", out);
  EXPECT_EQ(rc, 0) << command << "\n" << out << "\n--- input ---\n" << text;
}

TEST(Blocklist, NftablesIsAcceptedByNft) {
  const std::string text = build(BlocklistFormat::kNftables);
  check_with("nft", "-c -f", text);
  EXPECT_TRUE(contains(text,
                       "      # notice.txt:8; seen 2015-05-01T00:00:00Z - 2015-05-01T01:00:00Z, 5 hits\n"
                       "      198.51.100.7,\n"));
  EXPECT_TRUE(contains(text, "      203.0.113.0/24,\n"));
  EXPECT_FALSE(contains(text, "203.0.113.5,"));  // inside the /24
  EXPECT_TRUE(contains(text, "      2001:db8:1::/48,\n"));
  EXPECT_TRUE(contains(text, "      198.51.100.9 . 8080,\n"));
  EXPECT_TRUE(contains(text, "      2001:db8::99 . 443,\n"));
  // Names cannot be blocked by a packet filter: listed in comments, saying so.
  EXPECT_TRUE(contains(text, "# Not blocked here: domains (a packet filter sees addresses, not names"));
  EXPECT_TRUE(contains(text, "#   evil.com  misp.json#attr-1, notice.txt:3; seen 2015-05-01T09:30:00Z"));
  EXPECT_TRUE(contains(text, "#   evil2.org  notice.txt:15; not seen in the logs\n"));
  EXPECT_TRUE(contains(text, "# REFUSED: refused 0.0.0.0/0 (feed.csv:1)"));
  EXPECT_TRUE(contains(text, "# REFUSED: refused ::/0 (feed.csv:2)"));
  EXPECT_TRUE(contains(text, "      # WARNING: 10.1.2.3 (notice.txt:16) is in a private range (10.0.0.0/8)"));
  for (const char* absent : {"0.0.0.0/0,", "::/0,", "64.0.0.0/2,", "aaaaaaaa", "Emdivi", "attacker@"}) {
    EXPECT_FALSE(contains(text, absent)) << absent;
  }
}

TEST(Blocklist, NftablesWithOnlyDomainsIsStillValid) {
  check_with("nft", "-c -f", build(BlocklistFormat::kNftables, {listed("domain", "evil.com", "n:1")}));
  check_with("nft", "-c -f", build(BlocklistFormat::kNftables, {}));
}

TEST(Blocklist, IptablesIsAcceptedByIptablesRestore) {
  const std::string v4 = build(BlocklistFormat::kIptables);
  check_with("iptables-restore", "--test --noflush", v4);
  EXPECT_TRUE(contains(v4, "-A ASHIATO-C2 -d 198.51.100.7/32 -j ASHIATO-C2-DROP\n"));
  EXPECT_TRUE(contains(v4, "-A ASHIATO-C2 -s 203.0.113.0/24 -j ASHIATO-C2-DROP\n"));
  EXPECT_TRUE(contains(v4, "-A ASHIATO-C2 -d 198.51.100.9/32 -p udp --dport 8080 -j ASHIATO-C2-DROP\n"));
  EXPECT_TRUE(contains(v4, "# ip6tables -A ASHIATO-C2 -d 2001:db8::1/128 -j DROP   # notice.txt:11"));
  const std::string v6 = build(BlocklistFormat::kIp6tables);
  check_with("ip6tables-restore", "--test --noflush", v6);
  EXPECT_TRUE(contains(v6, "-A ASHIATO-C2 -d 2001:db8:1::/48 -j ASHIATO-C2-DROP\n"));
  EXPECT_TRUE(contains(v6, "# iptables -A ASHIATO-C2 -d 198.51.100.7/32 -j DROP"));
}

TEST(Blocklist, SquidAclLinesAreWellFormed) {
  const std::string text = build(BlocklistFormat::kSquid);
  const std::regex acl(R"(acl ashiato_c2_dom dstdomain \.[a-z0-9-]+(\.[a-z0-9-]+)+|)"
                       R"(acl ashiato_c2_url url_regex -i \^https?://\S+|)"
                       R"(acl ashiato_c2_ip dst [0-9a-f.:]+(/[0-9]+)?|)"
                       R"(http_access deny ashiato_c2_(dom|url|ip))");
  std::vector<std::string> rules;
  for (const std::string& line : lines_of(text)) {
    if (line.empty() || line[0] == '#') continue;
    EXPECT_TRUE(std::regex_match(line, acl)) << line;
    rules.push_back(line);
  }
  EXPECT_TRUE(contains(text, "acl ashiato_c2_dom dstdomain .evil.com\n"));
  EXPECT_FALSE(contains(text, "dstdomain .www.evil.com"));  // Squid rejects a subdomain of a listed domain
  EXPECT_TRUE(contains(text, "acl ashiato_c2_dom dstdomain .evil2.org\n"));
  EXPECT_TRUE(
      contains(text, "acl ashiato_c2_url url_regex -i ^http://compromised\\.example\\.jp/wp/gate\\.php\\?id=1\n"));
  EXPECT_TRUE(contains(text, "acl ashiato_c2_ip dst 198.51.100.7\n"));
  EXPECT_TRUE(contains(text, "acl ashiato_c2_ip dst 2001:db8:1::/48\n"));
  EXPECT_EQ(
      std::count_if(rules.begin(), rules.end(), [](const std::string& l) { return l.rfind("http_access", 0) == 0; }),
      3);
  // The ACLs come before the deny rules that use them.
  EXPECT_LT(text.find("acl ashiato_c2_ip"), text.find("http_access deny"));
  // Every url_regex matches the URL it came from, and only with that path.
  for (const std::string& line : rules) {
    if (!contains(line, "url_regex")) continue;
    const std::regex re(line.substr(line.find("-i ") + 3), std::regex::icase);
    const bool first = std::regex_search("http://compromised.example.jp/wp/gate.php?id=1&x=2", re);
    const bool second = std::regex_search("https://cdn.example.net/a+b/(x).js", re);
    EXPECT_TRUE(first != second) << line;
    EXPECT_FALSE(std::regex_search("http://compromised.example.jp/wp/gateXphp?id=1", re)) << line;
  }
}

TEST(Blocklist, RpzIsAcceptedByNamedCheckzone) {
  BlocklistOptions options;
  options.rpz_serial = 2015060101;
  const std::string text = build(BlocklistFormat::kRpz, sample_entries(), options);
  check_with("named-checkzone", "-q rpz.ashiato", text);
  EXPECT_TRUE(contains(text, "evil.com CNAME .\n*.evil.com CNAME .\n"));
  EXPECT_FALSE(contains(text, "\nwww.evil.com CNAME"));
  EXPECT_TRUE(contains(text, "( 2015060101 "));
  EXPECT_TRUE(contains(text, "32.7.100.51.198.rpz-ip CNAME .\n"));
  EXPECT_TRUE(contains(text, "24.0.113.0.203.rpz-ip CNAME .\n"));
  EXPECT_TRUE(contains(text, "128.1.zz.db8.2001.rpz-ip CNAME .\n"));
  EXPECT_TRUE(contains(text, "48.zz.1.db8.2001.rpz-ip CNAME .\n"));
  EXPECT_TRUE(contains(text, "; Not blocked here: URLs"));
  EXPECT_FALSE(contains(text, "compromised.example.jp CNAME"));
}

TEST(Blocklist, HostsAndEdlLists) {
  const std::string hosts = build(BlocklistFormat::kHosts);
  EXPECT_TRUE(contains(hosts, "\n0.0.0.0 evil.com\n"));
  EXPECT_TRUE(contains(hosts, "\n0.0.0.0 www.evil.com\n"));  // hosts files match exact names only
  for (const std::string& line : lines_of(hosts)) {
    if (!line.empty() && line[0] != '#') {
      EXPECT_TRUE(std::regex_match(line, std::regex(R"(0\.0\.0\.0 [a-z0-9.-]+)"))) << line;
    }
  }
  const auto ips = lines_of(build(BlocklistFormat::kEdlIp));
  EXPECT_EQ(ips.front(), "10.1.2.3 # notice.txt:16; not seen in the logs");
  for (const std::string& line : ips) {
    EXPECT_TRUE(std::regex_match(line, std::regex(R"([0-9a-f.:]+(/[0-9]+)? # \S.*)"))) << line;
  }
  EXPECT_EQ(ips.size(), 7u);  // 10.1.2.3, 198.51.100.7, .9, 203.0.113.0/24, 2001:db8::1, ::99, 2001:db8:1::/48
  EXPECT_EQ(build(BlocklistFormat::kEdlDomain),
            "c2-update.example.org\n*.c2-update.example.org\nevil.com\n*.evil.com\nevil2.org\n*.evil2.org\n"
            "www.evil.com\n*.www.evil.com\n");
  EXPECT_EQ(build(BlocklistFormat::kEdlUrl), "cdn.example.net/a+b/(x).js\ncompromised.example.jp/wp/gate.php?id=1\n");
}

TEST(Blocklist, PlainListsEverythingIncludingUnblockableIndicators) {
  const Blocklist list = build_blocklist(sample_entries(), BlocklistFormat::kPlain, {});
  const auto lines = lines_of(list.text);
  EXPECT_EQ(lines.size(), sample_entries().size() - 1);  // evil.com twice is one line
  for (const std::string& line : lines) {
    if (line.rfind("# REFUSED: ", 0) != 0) {
      EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 2) << line;
    }
  }
  EXPECT_TRUE(contains(list.text, "evil.com\tdomain\tmisp.json#attr-1, notice.txt:3\n"));
  EXPECT_TRUE(contains(list.text, std::string(64, 'a') + "\tsha256\tnotice.txt:17\n"));
  EXPECT_TRUE(contains(list.text, "Mozilla/4.0 (compatible; MSIE 8.0; Emdivi)\tuser-agent\tnotice.txt:19\n"));
}

TEST(Blocklist, ConfirmedOnlyKeepsWhatTheLogsSaw) {
  BlocklistOptions options;
  options.confirmed_only = true;
  EXPECT_EQ(build(BlocklistFormat::kPlain, sample_entries(), options),
            "evil.com\tdomain\tmisp.json#attr-1, notice.txt:3\n198.51.100.7\tipv4\tnotice.txt:8\n"
            "http://compromised.example.jp/wp/gate.php?id=1\turl\tnotice.txt:6\n");
}

TEST(Blocklist, WarnsAboutOwnAndPrivateNetworksAndRefusesTheWholeInternet) {
  BlocklistOptions options;
  options.own_networks = {"198.51.100.0/24"};
  const Blocklist list = build_blocklist(sample_entries(), BlocklistFormat::kNftables, options);
  auto warned = [&](const std::string& text) {
    return std::any_of(list.warnings.begin(), list.warnings.end(),
                       [&](const std::string& w) { return contains(w, text); });
  };
  EXPECT_TRUE(warned("198.51.100.7 (notice.txt:8) is in the organisation's own network 198.51.100.0/24"));
  EXPECT_TRUE(warned("10.1.2.3 (notice.txt:16) is in a private range"));
  EXPECT_TRUE(warned("refused 0.0.0.0/0"));
  EXPECT_TRUE(warned("refused 64.0.0.0/2"));
  EXPECT_EQ(list.refused, 3u);
  EXPECT_THROW(build_blocklist({}, BlocklistFormat::kPlain, BlocklistOptions{false, {"not-a-network"}, 1}),
               std::invalid_argument);
}

// -f plain once listed 0.0.0.0/0, ::/0 and 0.0.0.0/1 as ordinary entries: every format refuses alike.
TEST(Blocklist, PlainListsRefuseLikeTheOthers) {
  std::vector<BlockEntry> entries = sample_entries();
  entries.push_back(listed("cidr", "0.0.0.0/1", "feed.csv:4"));
  const Blocklist list = build_blocklist(entries, BlocklistFormat::kPlain, {});
  EXPECT_EQ(list.refused, 4U);
  for (const char* wide : {"0.0.0.0/0", "::/0", "64.0.0.0/2", "0.0.0.0/1"}) {
    EXPECT_TRUE(contains(list.text, std::string("# REFUSED: refused ") + wide)) << wide;
    EXPECT_FALSE(contains(list.text, std::string("\n") + wide + "\t")) << wide;
    EXPECT_TRUE(std::any_of(list.warnings.begin(), list.warnings.end(),
                            [&](const std::string& w) { return contains(w, std::string("refused ") + wide); }));
  }
  EXPECT_EQ(build_blocklist(entries, BlocklistFormat::kNftables, {}).refused, 4U);
}

// One careless list with co.jp in it must not block a country: public suffixes (ICANN and private
// sections of the Public Suffix List, through libpsl) are refused in every format that blocks
// names, and the names under them still go through.
TEST(Blocklist, PublicSuffixesAreRefusedInEveryFormat) {
  const std::vector<BlockEntry> entries = {
      listed("domain", "co.jp", "feed.txt:1"),        listed("domain", "com.au", "feed.txt:2"),
      listed("domain", "github.io", "feed.txt:3"),    listed("host:port", "co.uk:443", "feed.txt:4"),
      listed("domain", "evil.co.jp", "notice.txt:1"), listed("domain", "attacker.github.io", "notice.txt:2"),
      listed("ipv4", "198.51.100.7", "notice.txt:3"),
  };
  for (BlocklistFormat format : {BlocklistFormat::kSquid, BlocklistFormat::kRpz, BlocklistFormat::kHosts,
                                 BlocklistFormat::kEdlDomain, BlocklistFormat::kPlain}) {
    const Blocklist list = build_blocklist(entries, format, {});
    const auto names = blocklist_format_names();
    const std::string name(*std::find_if(names.begin(), names.end(),
                                         [&](std::string_view n) { return blocklist_format_from_name(n) == format; }));
    SCOPED_TRACE(name);
    EXPECT_EQ(list.refused, 4U);
    for (const char* suffix : {"co.jp", "com.au", "github.io", "co.uk"}) {
      EXPECT_TRUE(std::any_of(list.warnings.begin(), list.warnings.end(), [&](const std::string& w) {
        return contains(w, std::string("refused ") + suffix) && contains(w, "public suffix");
      })) << suffix;
      for (const std::string& line : lines_of(list.text)) {
        if (contains(line, "REFUSED") || line.rfind('#', 0) == 0 || line.rfind(';', 0) == 0) continue;
        // The suffix itself as an entry: alone, with a leading dot or wildcard, or as an RPZ owner.
        const std::string s = suffix;
        EXPECT_FALSE(line == s || line == "." + s || line == "*." + s || line.rfind(s + "\t", 0) == 0 ||
                     contains(line, " ." + s) || contains(line, " " + s + "\n") || line.ends_with(" " + s) ||
                     line.rfind("*." + s + " ", 0) == 0 || line.rfind(s + " ", 0) == 0)
            << line;
      }
    }
    EXPECT_TRUE(contains(list.text, "evil.co.jp")) << list.text;
    EXPECT_TRUE(contains(list.text, "attacker.github.io")) << list.text;
    if (format != BlocklistFormat::kEdlDomain) {
      EXPECT_TRUE(contains(list.text, "REFUSED")) << list.text;
    }
  }
  check_with("named-checkzone", "-q rpz.ashiato", build(BlocklistFormat::kRpz, entries));
}

TEST(Blocklist, OutputIsTheSameForAnyInputOrder) {
  auto entries = sample_entries();
  const auto names = blocklist_format_names();
  std::vector<std::string> first;
  first.reserve(names.size());
  for (auto name : names) first.push_back(build(*blocklist_format_from_name(name), entries));
  std::mt19937 random(42);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(entries.begin(), entries.end(), random);
    for (std::size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(build(*blocklist_format_from_name(names[i]), entries), first[i]) << names[i];
    }
  }
}

}  // namespace
}  // namespace ashiato::report
