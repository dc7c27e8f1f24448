// Answers remembered per field value (value_memo.h) must be the answers matching works out
// afresh: a rule set matching a long run of events with one scratch (memo warm) is compared with
// a new rule set and scratch for every event (memo empty), over repeated, multi-valued, too long and never repeated
// values, fieldref (which reads another field) and a memo that outgrows its limits.
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

using sigma::test_util::Fields;

const char* const kRules = R"(title: Image list
id: 00000000-0000-0000-0000-000000000001
logsource: {product: windows, service: application}
detection:
  selection:
    Image|endswith: ['\a.exe', '\b.exe']
  filter:
    CommandLine|contains: ' -safe'
  condition: selection and not filter
level: high
---
title: Runs itself
id: 00000000-0000-0000-0000-000000000002
logsource: {product: windows, service: application}
detection:
  selection:
    Image|fieldref: ParentImage
  condition: selection
level: high
---
title: Encoded
id: 00000000-0000-0000-0000-000000000003
logsource: {product: windows, service: application}
detection:
  selection:
    CommandLine|re: '(?i)-e(nc)?\s+[a-z0-9+/]{8}'
  condition: selection
level: high
---
title: Temp data
id: 00000000-0000-0000-0000-000000000004
logsource: {product: windows, service: application}
detection:
  selection:
    Data|contains|all: ['temp', '.ps1']
  condition: selection
level: high
---
title: Image pattern
id: 00000000-0000-0000-0000-000000000005
logsource: {product: windows, service: application}
detection:
  selection:
    Image|re: '\\[ab]\.exe$'
  condition: selection
level: high
)";

sigma::RuleSet compiled(const std::string& text) {
  return sigma::test_util::compiled_rules(text);
}

// One scratch for the whole test program, as a thread that matches event after event keeps one:
// its memos carry answers from one call to the next.
sigma::MatchScratch& long_lived_scratch() {
  static sigma::MatchScratch scratch;
  return scratch;
}

std::vector<std::string> matching_ids(const sigma::RuleSet& set, const Fields& fields) {
  return sigma::test_util::matching_rule_ids(set, "Application", "1", fields, long_lived_scratch());
}

// With a new scratch (nothing remembered) and a new rule set.
std::vector<std::string> matching_ids_afresh(const Fields& fields) {
  return sigma::test_util::matching_rule_ids(compiled(kRules), "Application", "1", fields);
}

// Each event matched by one long-lived rule set (first, all events in a row, so that its memo
// stays warm) and then by a new rule set each; returns how many matched.
std::size_t expect_same_answers(const std::vector<Fields>& events) {
  std::vector<std::vector<std::string>> remembered;
  {
    const sigma::RuleSet warm = compiled(kRules);
    for (const Fields& e : events) remembered.push_back(matching_ids(warm, e));
  }
  std::size_t matched = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(remembered[i], matching_ids_afresh(events[i])) << "event " << i;
    matched += remembered[i].empty() ? 0 : 1;
  }
  return matched;
}

TEST(ValueMemo, RepeatedValuesGetTheAnswersMatchingWorksOutAfresh) {
  const std::string long_path = "C:\\" + std::string(2000, 'x') + "\\a.exe";  // too long to keep
  const std::vector<Fields> shapes = {
      {{"Image", "C:\\t\\a.exe"}, {"ParentImage", "C:\\t\\a.exe"}, {"CommandLine", "a.exe -enc SQBFAFgAKAA="}},
      {{"Image", "C:\\t\\a.exe"}, {"ParentImage", "C:\\t\\p.exe"}, {"CommandLine", "a.exe -safe"}},
      {{"Image", "C:\\T\\A.EXE"}, {"ParentImage", "C:\\t\\a.exe"}, {"CommandLine", "A.EXE"}},
      // Image twice: the answer over both values is not one value's answer
      {{"Image", "C:\\t\\z.exe"}, {"Image", "C:\\t\\b.exe"}, {"CommandLine", "x"}},
      {{"Image", "C:\\t\\z.exe"}, {"CommandLine", "x"}},
      {{"Image", long_path}, {"ParentImage", long_path}, {"CommandLine", "y"}},
      {{"Data", "C:\\Temp\\run.ps1"}, {"Data", "x"}},
      {{"Data", "C:\\Temp\\run.ps1"}},
      // contains|all over a repeated field: each literal may be in another value
      {{"Data", "C:\\Temp"}, {"Data", "run.ps1"}},
      {{"Image", ""}, {"CommandLine", ""}},
      // A literal twice in one value and again in the next: each value's own list of literals
      // must hold it (the value is known from the event before and first scanned here).
      {{"Data", "temp.ps1"}},
      {{"Data", "C:\\Temp\\temp.ps1"}, {"Data", "temp.ps1"}},
      {{"Data", "temp.ps1"}},
  };
  std::vector<Fields> events;
  for (int round = 0; round < 3; ++round) events.insert(events.end(), shapes.begin(), shapes.end());
  // Eleven of the thirteen shapes match something (not the fifth and the tenth), in each round.
  EXPECT_EQ(expect_same_answers(events), 33U);
}

TEST(ValueMemo, FieldsWhoseValuesNeverRepeatStayCorrect) {
  // More than the 512 lookups after which a field of new values is left out of the memo.
  std::vector<Fields> events;
  std::size_t expected = 0;
  for (int i = 0; i < 700; ++i) {
    const bool encoded = i % 7 == 0;
    expected += encoded ? 1 : 0;
    events.push_back({{"Image", "C:\\t\\n" + std::to_string(i) + ".exe"},
                      {"CommandLine", std::to_string(i) + (encoded ? " -e QUJDREVGR0g=" : " -x")}});
  }
  EXPECT_EQ(expect_same_answers(events), expected);
}

TEST(ValueMemo, AMemoThatOutgrowsItsLimitsStartsAfresh) {
  // 70,000 distinct values seen twice each: past the 65,536 entries a scratch keeps.
  const sigma::RuleSet set = compiled(kRules);
  std::size_t matched = 0, expected = 0;
  for (int i = 0; i < 70000; ++i) {
    const std::string image = "C:\\t\\" + std::to_string(i) + (i % 3 == 0 ? "\\a.exe" : "\\c.exe");
    expected += i % 3 == 0 ? 4 : 0;  // two rules, twice
    for (int twice = 0; twice < 2; ++twice) matched += matching_ids(set, {{"Image", image}}).size();
  }
  EXPECT_EQ(matched, expected);
}

// kRules with the image names of rules 1 and 5 changed: other answers about the same values.
std::string other_rules() {
  std::string other = kRules;
  other.replace(other.find("\\b.exe"), 6, "\\q.exe");
  other.replace(other.find("\\a.exe"), 6, "\\r.exe");
  other.replace(other.find("[ab]"), 4, "[qr]");
  return other;
}

const std::vector<std::string> kImageRules{"00000000-0000-0000-0000-000000000001",
                                           "00000000-0000-0000-0000-000000000005"};

TEST(ValueMemo, ANewRuleSetDoesNotInheritTheLastOnesAnswers) {
  const Fields event{{"Image", "C:\\t\\a.exe"}, {"CommandLine", "a.exe"}};
  {
    const sigma::RuleSet first = compiled(kRules);
    EXPECT_EQ(matching_ids(first, event), kImageRules);
  }
  // Same field, other answer; its prefilter and items may sit where the last ones were.
  const sigma::RuleSet second = compiled(other_rules());
  EXPECT_TRUE(matching_ids(second, event).empty());
}

TEST(ValueMemo, RuleSetsTakingTurnsOnOneThreadKeepTheirOwnAnswers) {
  // Six rule sets (more than the four memos a scratch keeps), each asked about the same values in
  // turn, three times over.
  std::vector<sigma::RuleSet> sets;
  for (int i = 0; i < 6; ++i) sets.push_back(compiled(i % 2 == 0 ? kRules : other_rules()));
  const Fields a{{"Image", "C:\\t\\a.exe"}, {"CommandLine", "a.exe"}};
  const Fields r{{"Image", "C:\\t\\r.exe"}, {"CommandLine", "r.exe"}};
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < sets.size(); ++i) {
      const bool original = i % 2 == 0;
      EXPECT_EQ(matching_ids(sets[i], a), original ? kImageRules : std::vector<std::string>{}) << i;
      EXPECT_EQ(matching_ids(sets[i], r), original ? std::vector<std::string>{} : kImageRules) << i;
    }
  }
}

}  // namespace
}  // namespace ashiato::test
