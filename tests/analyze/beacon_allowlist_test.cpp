// The allowlist of well-known services (analyze/beacon/allowlist.h): domains with their
// subdomains, "*.domain", addresses and CIDR ranges, comments; bad lines reported with their line
// number; and the shipped data/beacon-allowlist.txt, which must load without a problem.
#include "analyze/beacon/allowlist.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "test_support.h"

namespace ashiato::analyze::beacon {
namespace {

std::string shipped_list() {
  return std::string(ASHIATO_SOURCE_DIR).append("/data/beacon-allowlist.txt");
}

TEST(Allowlist, ADomainAndItsSubdomains) {
  Allowlist list;
  EXPECT_TRUE(list.add("update.example.com"));
  EXPECT_TRUE(list.allowed("update.example.com"));
  EXPECT_TRUE(list.allowed("fe2.update.example.com"));
  EXPECT_TRUE(list.allowed("a.b.c.update.example.com"));
  EXPECT_TRUE(list.allowed("FE2.Update.Example.COM."));  // case and a trailing dot do not matter
  // Only at a dot: other names that end the same are not its subdomains.
  EXPECT_FALSE(list.allowed("evilupdate.example.com"));
  EXPECT_FALSE(list.allowed("example.com"));  // the parent is not listed
  EXPECT_FALSE(list.allowed("update.example.com.attacker.jp"));
  EXPECT_FALSE(list.allowed("update.example"));
  EXPECT_FALSE(list.allowed(""));
  EXPECT_EQ(list.size(), 1U);
}

TEST(Allowlist, WildcardsCaseSpacesAndTrailingDots) {
  Allowlist list;
  EXPECT_TRUE(list.add("*.wild.example.jp"));
  EXPECT_TRUE(list.add("  Mixed.Case.Example.JP.  "));
  EXPECT_TRUE(list.allowed("wild.example.jp"));  // "*.domain" is the domain and its subdomains
  EXPECT_TRUE(list.allowed("x.wild.example.jp"));
  EXPECT_TRUE(list.allowed("mixed.case.example.jp"));
  EXPECT_TRUE(list.allowed("www.MIXED.case.example.jp"));
  EXPECT_FALSE(list.allowed("example.jp"));
}

TEST(Allowlist, AddressesAndNetworks) {
  Allowlist list;
  EXPECT_TRUE(list.add("203.0.113.5"));
  EXPECT_TRUE(list.add("198.51.100.0/24"));
  EXPECT_TRUE(list.add("2001:db8:1::/48"));
  EXPECT_EQ(list.size(), 3U);
  EXPECT_TRUE(list.allowed("203.0.113.5"));
  EXPECT_FALSE(list.allowed("203.0.113.6"));
  EXPECT_TRUE(list.allowed("198.51.100.0"));
  EXPECT_TRUE(list.allowed("198.51.100.255"));
  EXPECT_FALSE(list.allowed("198.51.101.1"));
  EXPECT_TRUE(list.allowed("2001:db8:1:ffff::7"));
  EXPECT_FALSE(list.allowed("2001:db8:2::7"));
  // Addresses do not match names, nor names addresses.
  EXPECT_FALSE(list.allowed("5.113.0.203.in-addr.arpa"));
  Allowlist names;
  names.add("example.com");
  EXPECT_FALSE(names.allowed("93.184.216.34"));
}

TEST(Allowlist, EntriesThatAreNeitherADomainNorAnAddress) {
  Allowlist list;
  EXPECT_FALSE(list.add(""));
  EXPECT_FALSE(list.add("   "));
  EXPECT_FALSE(list.add("localhost"));  // no dot: not a domain
  EXPECT_FALSE(list.add("bad domain.example.jp"));
  EXPECT_FALSE(list.add("exa$mple.com"));
  EXPECT_FALSE(list.add(".example.com"));
  EXPECT_FALSE(list.add("*."));
  EXPECT_FALSE(list.add("http://example.com/"));
  EXPECT_FALSE(list.add("198.51.100.0/33"));
  EXPECT_EQ(list.size(), 0U);
  EXPECT_FALSE(list.allowed("example.com"));
}

TEST(Allowlist, LoadReportsBadLinesByNumberAndKeepsTheRest) {
  const auto dir = test::temp_dir();
  const std::string path = (dir / "allow.txt").string();
  {
    std::ofstream out(path);
    out << "# services of the office\n"                // 1
        << "\n"                                        // 2
        << "telemetry.example.com   # the vendor's\n"  // 3
        << "not a domain\n"                            // 4
        << "   *.cdn-vendor.example.net\n"             // 5
        << "192.0.2.0/24\n"                            // 6
        << "\t\n"                                      // 7
        << "???\n"                                     // 8
        << "#203.0.113.9\n";                           // 9
  }
  Allowlist list;
  Diagnostics diagnostics;
  list.load(path, diagnostics);
  EXPECT_EQ(list.size(), 3U);
  EXPECT_TRUE(list.allowed("eu.telemetry.example.com"));
  EXPECT_TRUE(list.allowed("img.cdn-vendor.example.net"));
  EXPECT_TRUE(list.allowed("192.0.2.44"));
  EXPECT_FALSE(list.allowed("203.0.113.9"));  // commented out
  ASSERT_EQ(diagnostics.errors(), 2U);
  const auto problems = diagnostics.kept();
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_EQ(problems[0].file, path);
  EXPECT_EQ(problems[0].where, "line 4");
  EXPECT_EQ(problems[0].offset, 65U);  // the byte where line 4 starts
  EXPECT_NE(problems[0].reason.find("not a domain"), std::string::npos) << problems[0].reason;
  EXPECT_FALSE(problems[0].warning);
  EXPECT_EQ(problems[1].where, "line 8");
  EXPECT_NE(problems[1].reason.find("???"), std::string::npos) << problems[1].reason;
}

TEST(Allowlist, AnUnreadableFileIsOneProblem) {
  Allowlist list;
  Diagnostics diagnostics;
  const std::string path = (test::temp_dir() / "missing.txt").string();
  list.load(path, diagnostics);
  EXPECT_EQ(list.size(), 0U);
  ASSERT_EQ(diagnostics.errors(), 1U);
  EXPECT_EQ(diagnostics.kept()[0].file, path);
}

TEST(Allowlist, TheShippedListLoadsWithoutAProblem) {
  Allowlist list;
  Diagnostics diagnostics;
  list.load(shipped_list(), diagnostics);
  for (const Problem& p : diagnostics.kept()) ADD_FAILURE() << describe(p);
  EXPECT_EQ(diagnostics.errors() + diagnostics.warnings(), 0U);
  // Every line that is not a comment or blank is an entry.
  std::size_t entries = 0;
  std::ifstream in(shipped_list());
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find('#'));
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++entries;
  }
  EXPECT_GT(entries, 20U);
  EXPECT_EQ(list.size(), entries);
  // Update checks, telemetry, revocation and time are allowed, with their subdomains.
  EXPECT_TRUE(list.allowed("fe2.update.microsoft.com"));
  EXPECT_TRUE(list.allowed("settings-win.data.microsoft.com"));
  EXPECT_TRUE(list.allowed("ocsp.digicert.com"));
  EXPECT_TRUE(list.allowed("2.pool.ntp.org"));
  EXPECT_TRUE(list.allowed("update.googleapis.com"));
  // Not the parents of listed names, nor hosting anyone can put content on, nor a C2.
  EXPECT_FALSE(list.allowed("microsoft.com"));
  EXPECT_FALSE(list.allowed("googleapis.com"));
  EXPECT_FALSE(list.allowed("myapp.azurewebsites.net"));
  EXPECT_FALSE(list.allowed("attacker.github.io"));
  EXPECT_FALSE(list.allowed("d111111abcdef8.cloudfront.net"));
  EXPECT_FALSE(list.allowed("c2.example.jp"));
}

TEST(Allowlist, TheDefaultPathIsTheShippedListUnlessTheEnvironmentNamesOne) {
  const char* before = std::getenv("ASHIATO_ALLOWLIST");
  const bool was_set = before != nullptr;
  const std::string saved = was_set ? before : "";
  unsetenv("ASHIATO_ALLOWLIST");
  EXPECT_EQ(default_allowlist_path(), shipped_list());
  setenv("ASHIATO_ALLOWLIST", "/tmp/my-allowlist.txt", 1);
  EXPECT_EQ(default_allowlist_path(), "/tmp/my-allowlist.txt");
  setenv("ASHIATO_ALLOWLIST", "", 1);  // empty: as if unset
  EXPECT_EQ(default_allowlist_path(), shipped_list());
  if (was_set) {
    setenv("ASHIATO_ALLOWLIST", saved.c_str(), 1);
  } else {
    unsetenv("ASHIATO_ALLOWLIST");
  }
}

}  // namespace
}  // namespace ashiato::analyze::beacon
