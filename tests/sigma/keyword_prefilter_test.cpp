// Long keyword lists are answered through the literal prefilter (one scan of every field of the
// event); short ones are looked for directly. Both must give the same matches.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "sigma_test_util.h"

namespace ashiato::test {
namespace {

// A rule on the Application log whose keywords are `keywords` (YAML list items).
std::string keyword_rule(const std::string& id, const std::vector<std::string>& keywords) {
  std::string rule = "title: Keywords " + id + "\nid: " + id +
                     "\nlogsource:\n  product: windows\n  service: application\ndetection:\n  keywords:\n";
  for (const auto& k : keywords) rule += "    - '" + k + "'\n";
  rule += "  condition: keywords\nlevel: high\n";
  return rule;
}

std::vector<std::string> matching_rules(const sigma::RuleSet& set, const sigma::test_util::Fields& fields) {
  return sigma::test_util::matching_rule_ids(set, "Application", "1116", fields);
}

TEST(KeywordPrefilter, LongAndShortKeywordListsMatchTheSameWay) {
  // Ten keywords (prefilter) and the first seven of them (direct), with a wildcard inside one.
  std::vector<std::string> keywords{"Adfind", "ASP/BackDoor ",  "ATK/",     "Backdoor.Cobalt*Strike",
                                    "Cobalt", "Exploit.Script", "HackTool", "Mimikatz",
                                    "Rubeus", "Webshell"};
  const std::string long_id = "00000000-0000-0000-0000-00000000000a";
  const std::string short_id = "00000000-0000-0000-0000-000000000007";
  sigma::LoadResult loaded;
  sigma::load_rule_text(keyword_rule(long_id, keywords) + "---\n" +
                            keyword_rule(short_id, std::vector<std::string>(keywords.begin(), keywords.begin() + 7)),
                        "inline.yml", loaded);
  ASSERT_TRUE(loaded.rejected.empty()) << loaded.rejected.front().reason;
  const auto set = sigma::RuleSet::compile(loaded, sigma::RuleSelection{}, {});
  ASSERT_EQ(set.rules().size(), 2U);
  // The long list's literals make the one database (run over every field); the short list has none.
  EXPECT_EQ(set.summary().literal_databases, 1U);

  const std::vector<std::string> both{long_id, short_id};
  // Any case, in any field, the wildcard spanning text.
  EXPECT_EQ(matching_rules(set, {{"Data", "Threat HACKTOOL:Win32/x found"}}), both);
  EXPECT_EQ(matching_rules(set, {{"Path", "x"}, {"Data", "Backdoor.Cobalt-and-Strike"}}), both);
  EXPECT_EQ(matching_rules(set, {{"Data", "adfind.exe"}}), both);
  // Only in the long list.
  EXPECT_EQ(matching_rules(set, {{"Data", "x"}, {"Name", "rubeus.exe"}}), std::vector<std::string>{long_id});
  // Absent, split across two fields, or only in a field's name.
  EXPECT_TRUE(matching_rules(set, {{"Data", "benign.exe"}}).empty());
  EXPECT_TRUE(matching_rules(set, {{"A", "Hack"}, {"B", "Tool"}}).empty());
  EXPECT_TRUE(matching_rules(set, {{"Mimikatz", "x"}}).empty());
}

// Keywords of one byte are looked up in the set of a value's bytes, not through Hyperscan; a
// list of nothing else leaves the keyword field without a database at all.
TEST(KeywordPrefilter, SingleByteKeywordsAreFoundWithAndWithoutADatabase) {
  const std::string bytes_only = "00000000-0000-0000-0000-00000000000b";
  const std::string mixed = "00000000-0000-0000-0000-00000000000c";
  sigma::LoadResult loaded;
  sigma::load_rule_text(keyword_rule(bytes_only, {"|", "`", "^", "~", "#", "%", "@", "!", "$", "Q"}) + "---\n" +
                            keyword_rule(mixed, {"Mimikatz", "Rubeus", "Adfind", "HackTool", "Cobalt", "Webshell",
                                                 "ATK/", "Exploit.Script", "=", "Z"}),
                        "inline.yml", loaded);
  ASSERT_TRUE(loaded.rejected.empty()) << loaded.rejected.front().reason;
  const auto set = sigma::RuleSet::compile(loaded, sigma::RuleSelection{}, {});
  const std::vector<std::string> both{bytes_only, mixed};
  EXPECT_EQ(matching_rules(set, {{"Data", "a|b"}}), std::vector<std::string>{bytes_only});
  // Folded like every keyword: 'Q' and 'q' alike.
  EXPECT_EQ(matching_rules(set, {{"Data", "query"}}), std::vector<std::string>{bytes_only});
  EXPECT_EQ(matching_rules(set, {{"Data", "lazy"}, {"Name", "x=1"}}), std::vector<std::string>{mixed});
  EXPECT_EQ(matching_rules(set, {{"Data", "MIMIKATZ 100%"}}), both);
  EXPECT_TRUE(matching_rules(set, {{"Data", "plain text"}, {"Name", "y"}}).empty());
  // A byte of a field's name is not in its value.
  EXPECT_TRUE(matching_rules(set, {{"Zone", "1"}}).empty());
}

}  // namespace
}  // namespace ashiato::test
