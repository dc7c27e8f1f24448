// Rule files: multi-document streams, rule collections (action: global / reset / repeat), and
// rejection of documents that are not valid rules (the load goes on).
#include "sigma/rule_loader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "sigma/engine/detection.h"
#include "sigma_test_util.h"
#include "test_support.h"

namespace ashiato::sigma {
namespace {

LoadResult load(const std::string& text) {
  LoadResult out;
  load_rule_text(text, "rules.yml", out);
  return out;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char kGoodRule[] =
    "title: Whoami\n"
    "id: 2f0a2c9e-7b3b-4e38-9d3e-1c2f5b8a9d01\n"
    "status: test\n"
    "level: high\n"
    "tags:\n  - attack.discovery\n  - attack.t1033\n"
    "logsource:\n  category: process_creation\n  product: windows\n"
    "detection:\n  selection:\n    Image|endswith: '\\whoami.exe'\n  condition: selection\n";

TEST(RuleLoader, SingleRuleMetadata) {
  const LoadResult r = load(kGoodRule);
  ASSERT_EQ(r.rules.size(), 1U);
  EXPECT_TRUE(r.rejected.empty());
  const Rule& rule = r.rules[0];
  EXPECT_EQ(rule.kind, RuleKind::kDetection);
  EXPECT_EQ(rule.file, "rules.yml");
  EXPECT_EQ(rule.title, "Whoami");
  EXPECT_EQ(rule.id, "2f0a2c9e-7b3b-4e38-9d3e-1c2f5b8a9d01");
  EXPECT_EQ(rule.status, "test");
  EXPECT_EQ(rule.level, "high");
  EXPECT_EQ(rule.tags, (std::vector<std::string>{"attack.discovery", "attack.t1033"}));
  EXPECT_EQ(rule.attack_tags, rule.tags);
  EXPECT_EQ(rule.logsource.category, "process_creation");
  EXPECT_EQ(rule.logsource.product, "windows");
  EXPECT_EQ(rule.detection.kind, YamlValue::Kind::kMap);
  EXPECT_NE(rule.detection.find("condition"), nullptr);
}

TEST(RuleLoader, MultiDocumentFile) {
  const LoadResult r = load(
      "title: One\n"
      "logsource:\n  product: windows\n"
      "detection:\n  a:\n    A: x\n  condition: a\n"
      "---\n"
      "title: Two\n"
      "logsource:\n  service: security\n"
      "detection:\n  b:\n    B: x\n  condition: b\n"
      "---\n");  // trailing empty document
  ASSERT_EQ(r.rules.size(), 2U);
  EXPECT_TRUE(r.rejected.empty());
  EXPECT_EQ(r.rules[0].title, "One");
  EXPECT_EQ(r.rules[1].title, "Two");
  EXPECT_EQ(r.rules[0].line, 1);
  EXPECT_EQ(r.rules[1].line, 9);
  EXPECT_EQ(r.rules[1].logsource.service, "security");
}

TEST(RuleLoader, GlobalIsMergedIntoLaterRules) {
  const LoadResult r = load(
      "action: global\n"
      "title: Suspicious thing\n"
      "status: experimental\n"
      "logsource:\n  product: windows\n"
      "detection:\n"
      "  filter:\n    User: SYSTEM\n"
      "  condition: selection and not filter\n"
      "---\n"
      "logsource:\n  service: security\n"
      "detection:\n  selection:\n    EventID: 4624\n"
      "---\n"
      "logsource:\n  service: system\n"
      "detection:\n  selection:\n    EventID: 7045\n");
  ASSERT_EQ(r.rules.size(), 2U) << (r.rejected.empty() ? "" : r.rejected[0].reason);
  EXPECT_TRUE(r.rejected.empty());
  for (const Rule& rule : r.rules) {
    EXPECT_EQ(rule.title, "Suspicious thing");
    EXPECT_EQ(rule.status, "experimental");
    EXPECT_EQ(rule.logsource.product, "windows");  // maps merge recursively
    EXPECT_NE(rule.detection.find("filter"), nullptr);
    EXPECT_NE(rule.detection.find("selection"), nullptr);
    EXPECT_NE(rule.detection.find("condition"), nullptr);
  }
  EXPECT_EQ(r.rules[0].logsource.service, "security");
  EXPECT_EQ(r.rules[1].logsource.service, "system");

  // The merged detection compiles and behaves as one.
  const Detection d = Detection::compile(r.rules[0].detection, CompileContext{});
  EXPECT_TRUE(test_util::detection_matches(d, {{"EventID", "4624"}, {"User", "bob"}}));
  EXPECT_FALSE(test_util::detection_matches(d, {{"EventID", "4624"}, {"User", "system"}}));
  EXPECT_FALSE(test_util::detection_matches(d, {{"EventID", "4625"}, {"User", "bob"}}));
}

// BUG: pySigma merges a rule with the template as deep_dict_update(rule, global): the template's
// scalars and lists overwrite the rule's (reference §1, "template scalars and lists overwrite the
// rule's"). ashiato merges the other way round, so the rule's own value wins. Expected level "high"
// and the template's tags; actual "low" and the rule's tags.
TEST(RuleLoader, GlobalScalarsAndListsOverwriteTheRules) {
  const LoadResult r = load(
      "action: global\n"
      "level: high\n"
      "tags:\n  - from.global\n"
      "logsource:\n  product: windows\n"
      "---\n"
      "title: Rule\n"
      "level: low\n"
      "tags:\n  - from.rule\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  ASSERT_EQ(r.rules.size(), 1U);
  EXPECT_EQ(r.rules[0].level, "high");
  EXPECT_EQ(r.rules[0].tags, std::vector<std::string>{"from.global"});
  EXPECT_TRUE(r.rules[0].attack_tags.empty());  // findings carry only ATT&CK tags
}

TEST(RuleLoader, SecondGlobalReplacesTheFirst) {
  const LoadResult r = load(
      "action: global\n"
      "status: test\n"
      "logsource:\n  product: windows\n"
      "---\n"
      "action: global\n"
      "logsource:\n  product: linux\n"
      "---\n"
      "title: Rule\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  ASSERT_EQ(r.rules.size(), 1U);
  EXPECT_EQ(r.rules[0].logsource.product, "linux");
  EXPECT_EQ(r.rules[0].status, "");
}

TEST(RuleLoader, ResetClearsTheGlobal) {
  const LoadResult r = load(
      "action: global\n"
      "logsource:\n  product: windows\n"
      "---\n"
      "title: With template\n"
      "detection:\n  a:\n    A: x\n  condition: a\n"
      "---\n"
      "action: reset\n"
      "---\n"
      "title: Without template\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  ASSERT_EQ(r.rules.size(), 1U);
  EXPECT_EQ(r.rules[0].title, "With template");
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_EQ(r.rejected[0].title, "Without template");
  EXPECT_TRUE(has(r.rejected[0].reason, "logsource")) << r.rejected[0].reason;
}

TEST(RuleLoader, RepeatEmitsThePreviousRuleWithChanges) {
  const LoadResult r = load(
      "title: Service install\n"
      "logsource:\n  product: windows\n  service: system\n"
      "detection:\n  selection:\n    EventID: 7045\n  condition: selection\n"
      "---\n"
      "action: repeat\n"
      "logsource:\n  service: security\n"
      "detection:\n  selection:\n    EventID: 4697\n");
  ASSERT_EQ(r.rules.size(), 2U);
  EXPECT_TRUE(r.rejected.empty());
  EXPECT_EQ(r.rules[0].logsource.service, "system");
  EXPECT_EQ(r.rules[1].title, "Service install");
  EXPECT_EQ(r.rules[1].logsource.product, "windows");
  EXPECT_EQ(r.rules[1].logsource.service, "security");
  const Detection first = Detection::compile(r.rules[0].detection, CompileContext{});
  const Detection second = Detection::compile(r.rules[1].detection, CompileContext{});
  EXPECT_TRUE(test_util::detection_matches(first, {{"EventID", "7045"}}));
  EXPECT_FALSE(test_util::detection_matches(first, {{"EventID", "4697"}}));
  EXPECT_TRUE(test_util::detection_matches(second, {{"EventID", "4697"}}));
  EXPECT_FALSE(test_util::detection_matches(second, {{"EventID", "7045"}}));
}

TEST(RuleLoader, RepeatWithoutPreviousRuleIsRejected) {
  const LoadResult r = load(
      "action: repeat\n"
      "title: x\n");
  EXPECT_TRUE(r.rules.empty());
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_TRUE(has(r.rejected[0].reason, "repeat")) << r.rejected[0].reason;
}

TEST(RuleLoader, UnknownActionIsRejected) {
  const LoadResult r = load(std::string("action: frobnicate\n") + kGoodRule);
  EXPECT_TRUE(r.rules.empty());
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_TRUE(has(r.rejected[0].reason, "frobnicate")) << r.rejected[0].reason;
}

TEST(RuleLoader, CorrelationsAndFiltersAreNotMergedWithTheGlobal) {
  const LoadResult r = load(
      "action: global\n"
      "level: high\n"
      "logsource:\n  product: windows\n"
      "---\n"
      "title: Many failures\n"
      "correlation:\n  type: event_count\n  rules: [x]\n  timespan: 5m\n"
      "  condition:\n    gte: 10\n"
      "---\n"
      "title: Exclude admins\n"
      "logsource:\n  product: windows\n"
      "filter:\n  rules: [x]\n  sel:\n    User: admin\n  condition: not sel\n");
  ASSERT_EQ(r.rules.size(), 2U) << (r.rejected.empty() ? "" : r.rejected[0].reason);
  EXPECT_EQ(r.rules[0].kind, RuleKind::kCorrelation);
  EXPECT_EQ(r.rules[0].level, "");
  EXPECT_EQ(r.rules[0].logsource.product, "");
  EXPECT_EQ(r.rules[1].kind, RuleKind::kFilter);
  EXPECT_EQ(r.rules[1].level, "");
}

TEST(RuleLoader, MissingTitleIsRejected) {
  const LoadResult r = load(
      "logsource:\n  product: windows\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  EXPECT_TRUE(r.rules.empty());
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_TRUE(has(r.rejected[0].reason, "title")) << r.rejected[0].reason;
  EXPECT_EQ(r.rejected[0].file, "rules.yml");
  EXPECT_EQ(r.rejected[0].line, 1);
}

TEST(RuleLoader, MissingLogsourceIsRejected) {
  const LoadResult r = load(
      "title: No logsource\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  EXPECT_TRUE(r.rules.empty());
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_EQ(r.rejected[0].title, "No logsource");
  EXPECT_TRUE(has(r.rejected[0].reason, "logsource")) << r.rejected[0].reason;
}

TEST(RuleLoader, LogsourceWithoutCategoryProductOrServiceIsRejected) {
  const LoadResult r = load(
      "title: Vague\n"
      "logsource:\n  definition: something\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  EXPECT_TRUE(r.rules.empty());
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_TRUE(has(r.rejected[0].reason, "logsource")) << r.rejected[0].reason;
}

TEST(RuleLoader, MissingDetectionIsRejected) {
  const LoadResult r = load(
      "title: No detection\n"
      "logsource:\n  product: windows\n");
  EXPECT_TRUE(r.rules.empty());
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_TRUE(has(r.rejected[0].reason, "detection")) << r.rejected[0].reason;
}

TEST(RuleLoader, DetectionWithoutConditionIsRejected) {
  const LoadResult r = load(
      "title: No condition\n"
      "logsource:\n  product: windows\n"
      "detection:\n  a:\n    A: x\n");
  EXPECT_TRUE(r.rules.empty());
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_TRUE(has(r.rejected[0].reason, "condition")) << r.rejected[0].reason;
}

TEST(RuleLoader, NonUuidIdIsRejected) {
  for (const char* id : {"1234", "not-a-uuid", "2f0a2c9e-7b3b-4e38-9d3e-1c2f5b8a9d0",
                         "2f0a2c9e-7b3b-4e38-9d3e-1c2f5b8a9d0g", "2f0a2c9e7b3b-4e38-9d3e-1c2f5b8a9d01a"}) {
    const LoadResult r = load(std::string("title: Bad id\nid: ") + id +
                              "\nlogsource:\n  product: windows\n"
                              "detection:\n  a:\n    A: x\n  condition: a\n");
    EXPECT_TRUE(r.rules.empty()) << id;
    ASSERT_EQ(r.rejected.size(), 1U) << id;
    EXPECT_TRUE(has(r.rejected[0].reason, "UUID")) << r.rejected[0].reason;
  }
}

TEST(RuleLoader, UppercaseUuidIsAccepted) {
  const LoadResult r = load(
      "title: Upper\n"
      "id: 2F0A2C9E-7B3B-4E38-9D3E-1C2F5B8A9D01\n"
      "logsource:\n  product: windows\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  EXPECT_EQ(r.rules.size(), 1U);
}

TEST(RuleLoader, UnknownLevelIsRejected) {
  const LoadResult r = load(
      "title: Level\n"
      "level: severe\n"
      "logsource:\n  product: windows\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  EXPECT_TRUE(r.rules.empty());
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_TRUE(has(r.rejected[0].reason, "level")) << r.rejected[0].reason;
}

TEST(RuleLoader, DocumentThatIsNotAMappingIsRejected) {
  const LoadResult r = load("- a\n- b\n");
  EXPECT_TRUE(r.rules.empty());
  EXPECT_EQ(r.rejected.size(), 1U);
}

TEST(RuleLoader, LoadContinuesAfterABadDocument) {
  const LoadResult r = load(
      "title: First\n"
      "logsource:\n  product: windows\n"
      "detection:\n  a:\n    A: x\n  condition: a\n"
      "---\n"
      "description: no title here\n"
      "logsource:\n  product: windows\n"
      "detection:\n  a:\n    A: x\n  condition: a\n"
      "---\n"
      "title: Third\n"
      "logsource:\n  product: windows\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  ASSERT_EQ(r.rules.size(), 2U);
  EXPECT_EQ(r.rules[0].title, "First");
  EXPECT_EQ(r.rules[1].title, "Third");
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_EQ(r.rejected[0].line, 9);  // where the bad document starts
  EXPECT_TRUE(has(r.rejected[0].reason, "title")) << r.rejected[0].reason;
}

TEST(RuleLoader, YamlErrorRejectsTheFileWithItsLine) {
  const LoadResult r = load(
      "title: Dup\n"
      "logsource:\n  product: windows\n"
      "title: Dup again\n"
      "detection:\n  a:\n    A: x\n  condition: a\n");
  EXPECT_TRUE(r.rules.empty());
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_EQ(r.rejected[0].line, 4);
  EXPECT_TRUE(has(r.rejected[0].reason, "YAML")) << r.rejected[0].reason;
}

TEST(RuleLoader, LoadRulePathsReadsFoldersRecursivelyAndReportsMissingPaths) {
  const auto dir = ashiato::test::temp_dir();
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(dir / "b.yml") << kGoodRule;
  std::ofstream(dir / "sub" / "a.yaml") << "title: Broken\n";
  std::ofstream(dir / "notes.txt") << "not a rule";
  LoadResult r;
  load_rule_paths({dir.string(), (dir / "missing.yml").string()}, r);
  EXPECT_EQ(r.files, 2U);
  ASSERT_EQ(r.rules.size(), 1U);
  EXPECT_EQ(r.rules[0].title, "Whoami");
  ASSERT_EQ(r.rejected.size(), 2U);
  bool missing_reported = false, broken_reported = false;
  for (const Rejection& rej : r.rejected) {
    if (has(rej.file, "missing.yml")) missing_reported = true;
    if (has(rej.file, "a.yaml")) broken_reported = true;
  }
  EXPECT_TRUE(missing_reported);
  EXPECT_TRUE(broken_reported);
}

}  // namespace
}  // namespace ashiato::sigma

namespace ashiato::sigma {
namespace {

// Nine levels of anchors, each a list of ten aliases of the one before: 720 bytes that expand
// to 10^9 values, used in a detection value (the "billion laughs" of YAML).
std::string alias_bomb_rule() {
  std::string text =
      "title: Laughs\n"
      "logsource:\n  category: process_creation\n  product: windows\n"
      "x0: &a0 [l, l, l, l, l, l, l, l, l, l]\n";
  for (int level = 1; level <= 9; ++level) {
    const std::string n = std::to_string(level), before = std::to_string(level - 1);
    text.append("x").append(n).append(": &a").append(n).append(" [");
    for (int i = 0; i < 10; ++i) text.append(i > 0 ? ", *a" : "*a").append(before);
    text.append("]\n");
  }
  text.append("detection:\n  selection:\n    CommandLine|contains: *a9\n  condition: selection\n");
  return text;
}

TEST(RuleLoader, AnAliasBombIsRejectedWithItsPositionAndTheFilesOtherRulesLoad) {
  const std::string bomb = alias_bomb_rule();
  ASSERT_LT(bomb.size(), 800U);
  const LoadResult r = load(std::string(kGoodRule) + "---\n" + bomb + "---\n" + kGoodRule);
  EXPECT_EQ(r.rules.size(), 2U);
  ASSERT_EQ(r.rejected.size(), 1U);
  EXPECT_EQ(r.rejected[0].file, "rules.yml");
  EXPECT_GT(r.rejected[0].line, 10);  // in the second document, where the expansion passes the limit
  EXPECT_TRUE(has(r.rejected[0].reason, "alias")) << r.rejected[0].reason;
}

TEST(RuleLoader, ParsingAnAliasBombAloneIsAnError) {
  EXPECT_THROW(parse_yaml_documents(alias_bomb_rule()), YamlError);
  // Anchors used within the budget still expand as YAML says.
  const auto docs = parse_yaml_documents("a: &x [1, 2]\nb: [*x, *x]\n");
  ASSERT_EQ(docs.size(), 1U);
  EXPECT_EQ(docs[0].find("b")->items.size(), 2U);
  EXPECT_EQ(docs[0].find("b")->items[1].items.size(), 2U);
}

}  // namespace
}  // namespace ashiato::sigma
