// The matching scratch (match_scratch.h): a compiled rule set is shared, read-only, by threads
// that each match with their own scratch, and must give every thread the answers one scratch
// gives alone; a scratch moves between rule sets and events without carrying answers over.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/event.h"
#include "sigma/match_scratch.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "sigma_test_util.h"

namespace ashiato::test {
namespace {

const char* const kRules = R"(title: Scheduled with at
id: 00000000-0000-0000-0000-0000000000a1
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\at.exe'
  condition: selection
level: high
---
title: Remote share mapped
id: 00000000-0000-0000-0000-0000000000a2
logsource: {product: windows, category: process_creation}
detection:
  selection:
    CommandLine|contains|all: ['net', ' use ', '\\']
  condition: selection
level: medium
---
title: Encoded command
id: 00000000-0000-0000-0000-0000000000a3
logsource: {product: windows, category: process_creation}
detection:
  selection:
    CommandLine|re: '(?i)-e(nc)?\s+[a-z0-9+/]{8}'
  condition: selection
level: high
)";

sigma::RuleSet compiled(const std::string& text = kRules) {
  return sigma::test_util::compiled_rules(text);
}

// Sysmon process creations: four shapes, repeated so that values come back (the memo's case).
EventBatch process_events(std::size_t count) {
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"C:\\Windows\\System32\\at.exe", "at \\\\fs01 10:00 c:\\x.exe"},
      {"C:\\Windows\\System32\\net.exe", "net use \\\\dc01\\c$ /user:admin"},
      {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell -enc SQBFAFgAKAA="},
      {"C:\\Windows\\explorer.exe", "explorer.exe"},
  };
  const FieldId channel = intern_field("Channel"), event_id = intern_field("EventID");
  const FieldId image = intern_field("Image"), command_line = intern_field("CommandLine");
  EventBatch batch;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& [img, cmd] = shapes[i % shapes.size()];
    batch.begin_event(Timestamp{}, SourceRef{});
    batch.add_field(channel, "Microsoft-Windows-Sysmon/Operational");
    batch.add_field(event_id, "1");
    batch.add_field(image, img);
    // Every fifth command line is new: not every answer can come from the memo.
    batch.add_field(command_line, i % 5 == 0 ? cmd + " #" + std::to_string(i) : cmd);
  }
  return batch;
}

std::vector<std::vector<std::uint32_t>> match_all(const sigma::RuleSet& rules, const EventBatch& batch,
                                                  sigma::MatchScratch& scratch) {
  std::vector<std::vector<std::uint32_t>> out;
  for (std::size_t i = 0; i < batch.size(); ++i) out.push_back(rules.match(batch[i], scratch));
  return out;
}

TEST(MatchScratch, ThreadsSharingARuleSetEachWithTheirScratchAgreeWithOne) {
  const sigma::RuleSet rules = compiled();
  const EventBatch batch = process_events(2000);
  sigma::MatchScratch alone;
  const auto expected = match_all(rules, batch, alone);
  std::size_t matched = 0;
  for (const auto& m : expected) matched += m.size();
  EXPECT_EQ(matched, 1500U);  // three of the four shapes match one rule each

  std::vector<std::vector<std::vector<std::uint32_t>>> got(4);
  std::vector<std::thread> threads;
  for (auto& result : got) {
    threads.emplace_back([&rules, &batch, &result] {
      sigma::MatchScratch mine;
      result = match_all(rules, batch, mine);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& result : got) EXPECT_EQ(result, expected);
}

TEST(MatchScratch, OneScratchGoesBetweenRuleSetsWithoutMixingTheirAnswers) {
  const sigma::RuleSet rules = compiled();
  std::string other = kRules;
  other.replace(other.find("\\at.exe"), 7, "\\net.exe");  // the first rule now names net.exe
  const sigma::RuleSet other_rules = compiled(other);
  const EventBatch batch = process_events(8);
  sigma::MatchScratch shared;
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(rules.match(batch[0], shared), std::vector<std::uint32_t>{0});  // at.exe
    EXPECT_EQ(other_rules.match(batch[0], shared), std::vector<std::uint32_t>{});
    EXPECT_EQ(rules.match(batch[1], shared), std::vector<std::uint32_t>{1});             // net use
    EXPECT_EQ(other_rules.match(batch[1], shared), (std::vector<std::uint32_t>{0, 1}));  // and net.exe
  }
}

TEST(MatchScratch, AnEmptyRuleSetMatchesNothing) {
  const sigma::RuleSet none;
  const EventBatch batch = process_events(1);
  sigma::MatchScratch scratch;
  EXPECT_TRUE(none.match(batch[0], scratch).empty());
  EXPECT_FALSE(none.may_match("Microsoft-Windows-Sysmon/Operational", "1"));
}

}  // namespace
}  // namespace ashiato::test
