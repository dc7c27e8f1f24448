// Search identifiers (maps AND-ed, lists OR-ed, keywords) and the condition grammar:
// or < and < not < "x of" < parentheses.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sigma/engine/detection.h"
#include "sigma_test_util.h"

namespace ashiato::sigma {
namespace {

using test_util::compile_detection;
using test_util::detection_matches;
using test_util::Fields;

// Identifiers a, b, c (each true when field A/B/C is "x") under `condition`.
Detection abc(const std::string& condition) {
  return compile_detection(
      "detection:\n"
      "  a:\n    A: x\n"
      "  b:\n    B: x\n"
      "  c:\n    C: x\n"
      "  condition: " +
      condition + "\n");
}

Fields abc_event(bool a, bool b, bool c) {
  Fields f;
  f.emplace_back("A", a ? "x" : "y");
  f.emplace_back("B", b ? "x" : "y");
  f.emplace_back("C", c ? "x" : "y");
  return f;
}

// Checks `condition` against all eight combinations of a, b, c.
void expect_truth_table(const std::string& condition, const std::function<bool(bool, bool, bool)>& expected) {
  const Detection d = abc(condition);
  for (int bits = 0; bits < 8; ++bits) {
    const bool a = bits & 1, b = bits & 2, c = bits & 4;
    EXPECT_EQ(detection_matches(d, abc_event(a, b, c)), expected(a, b, c))
        << "'" << condition << "' with a=" << a << " b=" << b << " c=" << c;
  }
}

TEST(ConditionGrammar, SingleIdentifier) {
  expect_truth_table("a", [](bool a, bool, bool) { return a; });
}

TEST(ConditionGrammar, AndBindsTighterThanOr) {
  expect_truth_table("a or b and c", [](bool a, bool b, bool c) { return a || (b && c); });
  expect_truth_table("a and b or c", [](bool a, bool b, bool c) { return (a && b) || c; });
}

TEST(ConditionGrammar, NotBindsTighterThanAnd) {
  expect_truth_table("not a and b", [](bool a, bool b, bool) { return !a && b; });
  expect_truth_table("not a or b", [](bool a, bool b, bool) { return !a || b; });
  expect_truth_table("a and not b and not c", [](bool a, bool b, bool c) { return a && !b && !c; });
  expect_truth_table("not not a", [](bool a, bool, bool) { return a; });
}

TEST(ConditionGrammar, Parentheses) {
  expect_truth_table("(a or b) and c", [](bool a, bool b, bool c) { return (a || b) && c; });
  expect_truth_table("not (a and b)", [](bool a, bool b, bool) { return !(a && b); });
  expect_truth_table("not (a or b) or c", [](bool a, bool b, bool c) { return !(a || b) || c; });
  expect_truth_table("((a))", [](bool a, bool, bool) { return a; });
  expect_truth_table("a and (b or (not c))", [](bool a, bool b, bool c) { return a && (b || !c); });
  expect_truth_table("(a)and(b)", [](bool a, bool b, bool) { return a && b; });
}

TEST(ConditionGrammar, ParseTreeShape) {
  const ConditionNode n = parse_condition("a or b and c", {"a", "b", "c"});
  ASSERT_EQ(n.kind, ConditionNode::Kind::kOr);
  ASSERT_EQ(n.children.size(), 2U);
  EXPECT_EQ(n.children[0].kind, ConditionNode::Kind::kIdentifier);
  ASSERT_EQ(n.children[1].kind, ConditionNode::Kind::kAnd);
  ASSERT_EQ(n.children[1].children.size(), 2U);
  EXPECT_EQ(n.children[1].children[0].identifiers, std::vector<std::uint32_t>{1});
  EXPECT_EQ(n.children[1].children[1].identifiers, std::vector<std::uint32_t>{2});

  const ConditionNode m = parse_condition("not a and b", {"a", "b"});
  ASSERT_EQ(m.kind, ConditionNode::Kind::kAnd);
  EXPECT_EQ(m.children[0].kind, ConditionNode::Kind::kNot);
}

TEST(ConditionGrammar, ConditionListIsOred) {
  const Detection d = compile_detection(
      "detection:\n"
      "  a:\n    A: x\n"
      "  b:\n    B: x\n"
      "  condition:\n    - a\n    - b\n");
  EXPECT_TRUE(detection_matches(d, {{"A", "x"}}));
  EXPECT_TRUE(detection_matches(d, {{"B", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"C", "x"}}));
}

TEST(ConditionGrammar, FoldedMultiLineCondition) {
  const Detection d = compile_detection(
      "detection:\n"
      "  a:\n    A: x\n"
      "  b:\n    B: x\n"
      "  condition: >\n"
      "    a\n"
      "    and not\n"
      "    b\n");
  EXPECT_TRUE(detection_matches(d, {{"A", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"A", "x"}, {"B", "x"}}));
}

// Identifiers sel_a, sel_b, selection, other (fields SA, SB, S, O equal "x").
Detection quantified(const std::string& condition) {
  return compile_detection(
      "detection:\n"
      "  sel_a:\n    SA: x\n"
      "  sel_b:\n    SB: x\n"
      "  selection:\n    S: x\n"
      "  other:\n    O: x\n"
      "  condition: " +
      condition + "\n");
}

TEST(ConditionQuantifiers, OneOfPattern) {
  const Detection d = quantified("1 of sel_*");
  EXPECT_TRUE(detection_matches(d, {{"SA", "x"}}));
  EXPECT_TRUE(detection_matches(d, {{"SB", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"S", "x"}}));  // 'selection' does not match 'sel_*'
  EXPECT_FALSE(detection_matches(d, {{"O", "x"}}));
}

TEST(ConditionQuantifiers, AnyOfIsOneOf) {
  const Detection d = quantified("any of sel_*");
  EXPECT_TRUE(detection_matches(d, {{"SB", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"O", "x"}}));
}

TEST(ConditionQuantifiers, AllOfPattern) {
  const Detection d = quantified("all of sel*");  // sel_a, sel_b, selection
  EXPECT_TRUE(detection_matches(d, {{"SA", "x"}, {"SB", "x"}, {"S", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"SA", "x"}, {"SB", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"SA", "x"}, {"S", "x"}}));
}

TEST(ConditionQuantifiers, PatternIsAFullMatch) {
  // 'sel' names the identifier 'sel' only; no prefix matching without a star.
  const Detection d = compile_detection(
      "detection:\n"
      "  sel:\n    S: x\n"
      "  sel_x:\n    X: x\n"
      "  condition: 1 of sel\n");
  EXPECT_TRUE(detection_matches(d, {{"S", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"X", "x"}}));
  // A star inside the pattern.
  const Detection e = quantified("1 of s*_b");
  EXPECT_TRUE(detection_matches(e, {{"SB", "x"}}));
  EXPECT_FALSE(detection_matches(e, {{"SA", "x"}}));
}

TEST(ConditionQuantifiers, NotOneOfFiltersIsDeMorgan) {
  const Detection d = compile_detection(
      "detection:\n"
      "  selection:\n    S: x\n"
      "  filter_a:\n    FA: x\n"
      "  filter_b:\n    FB: x\n"
      "  condition: selection and not 1 of filter_*\n");
  EXPECT_TRUE(detection_matches(d, {{"S", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"S", "x"}, {"FA", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"S", "x"}, {"FB", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"FA", "x"}}));
}

TEST(ConditionQuantifiers, QuantifierBindsTighterThanAndOr) {
  const Detection d = quantified("1 of sel_* and other");
  EXPECT_TRUE(detection_matches(d, {{"SA", "x"}, {"O", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"SA", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"O", "x"}}));
}

Detection with_underscore(const std::string& condition) {
  return compile_detection(
      "detection:\n"
      "  sel:\n    S: x\n"
      "  alt:\n    A: x\n"
      "  _gate:\n    G: x\n"
      "  condition: " +
      condition + "\n");
}

TEST(ConditionQuantifiers, ThemExcludesUnderscoreIdentifiers) {
  const Detection one = with_underscore("1 of them");
  EXPECT_TRUE(detection_matches(one, {{"S", "x"}}));
  EXPECT_TRUE(detection_matches(one, {{"A", "x"}}));
  EXPECT_FALSE(detection_matches(one, {{"G", "x"}}));

  const Detection all = with_underscore("all of them");
  EXPECT_TRUE(detection_matches(all, {{"S", "x"}, {"A", "x"}}));  // _gate not required
  EXPECT_FALSE(detection_matches(all, {{"S", "x"}, {"G", "x"}}));
}

TEST(ConditionQuantifiers, StarPatternExcludesUnderscoreIdentifiers) {
  const Detection d = with_underscore("1 of *");
  EXPECT_FALSE(detection_matches(d, {{"G", "x"}}));
  EXPECT_TRUE(detection_matches(d, {{"S", "x"}}));
}

TEST(ConditionQuantifiers, UnderscorePatternIncludesUnderscoreIdentifiers) {
  const Detection d = with_underscore("1 of _*");
  EXPECT_TRUE(detection_matches(d, {{"G", "x"}}));
  EXPECT_FALSE(detection_matches(d, {{"S", "x"}}));
  const Detection e = with_underscore("sel and _gate");  // named directly: always usable
  EXPECT_TRUE(detection_matches(e, {{"S", "x"}, {"G", "x"}}));
  EXPECT_FALSE(detection_matches(e, {{"S", "x"}}));
}

TEST(ConditionQuantifiers, AllOfOneListIdentifierIsStillAnOr) {
  // Quantifiers range over identifiers, never over list elements.
  const Detection kw = compile_detection(
      "detection:\n"
      "  keywords:\n    - foo\n    - bar\n"
      "  condition: all of keywords\n");
  EXPECT_TRUE(detection_matches(kw, {{"Msg", "only foo here"}}));
  EXPECT_TRUE(detection_matches(kw, {{"Msg", "only bar here"}}));
  EXPECT_FALSE(detection_matches(kw, {{"Msg", "neither"}}));

  const Detection maps = compile_detection(
      "detection:\n"
      "  sel:\n    - A: x\n    - B: x\n"
      "  condition: all of sel\n");
  EXPECT_TRUE(detection_matches(maps, {{"A", "x"}}));
  EXPECT_TRUE(detection_matches(maps, {{"B", "x"}}));
  EXPECT_FALSE(detection_matches(maps, {{"C", "x"}}));
}

TEST(ConditionErrors, UnknownIdentifier) {
  EXPECT_THROW(abc("a and d"), CompileError);
  EXPECT_THROW(abc("A"), CompileError);  // identifiers are case-sensitive
}

TEST(ConditionErrors, PatternMatchingNothing) {
  EXPECT_THROW(abc("1 of zzz*"), CompileError);
}

TEST(ConditionErrors, DeprecatedAggregations) {
  EXPECT_THROW(abc("a | count() > 5"), CompileError);
  EXPECT_THROW(abc("a | count(B) by C > 5"), CompileError);
  EXPECT_THROW(compile_detection("detection:\n"
                                 "  a:\n    A: x\n"
                                 "  timeframe: 5m\n"
                                 "  condition: a\n"),
               CompileError);
}

TEST(ConditionErrors, MalformedConditions) {
  for (const char* c : {"a and", "(a or b", "a or b)", "and a", "a b", "not", "1 of", "()", "''"}) {
    EXPECT_THROW(abc(c), CompileError) << c;
  }
}

TEST(ConditionErrors, MissingCondition) {
  EXPECT_THROW(compile_detection("detection:\n  a:\n    A: x\n"), CompileError);
}

TEST(ConditionErrors, EmptySearchIdentifier) {
  EXPECT_THROW(compile_detection("detection:\n  a:\n  condition: a\n"), CompileError);
}

// Search identifier shapes.

TEST(SigmaSearchIdentifier, MapEntriesAreAnded) {
  const Detection d = compile_detection(
      "detection:\n"
      "  sel:\n"
      "    Image|endswith: '\\cmd.exe'\n"
      "    CommandLine|contains: '/c'\n"
      "  condition: sel\n");
  EXPECT_TRUE(detection_matches(d, {{"Image", "C:\\Windows\\cmd.exe"}, {"CommandLine", "cmd /c dir"}}));
  EXPECT_FALSE(detection_matches(d, {{"Image", "C:\\Windows\\cmd.exe"}, {"CommandLine", "cmd /k dir"}}));
  EXPECT_FALSE(detection_matches(d, {{"Image", "C:\\x\\pwsh.exe"}, {"CommandLine", "cmd /c dir"}}));
}

TEST(SigmaSearchIdentifier, ListOfMapsIsOred) {
  const Detection d = compile_detection(
      "detection:\n"
      "  sel:\n"
      "    - Image|endswith: '\\cmd.exe'\n"
      "      CommandLine|contains: '/c'\n"
      "    - OriginalFileName: Cmd.Exe\n"
      "  condition: sel\n");
  EXPECT_TRUE(detection_matches(d, {{"Image", "C:\\cmd.exe"}, {"CommandLine", "/c x"}}));
  EXPECT_TRUE(detection_matches(d, {{"OriginalFileName", "cmd.exe"}}));
  EXPECT_FALSE(detection_matches(d, {{"Image", "C:\\cmd.exe"}}));
}

// Keywords: no field name, matched against every field value.

TEST(SigmaKeywords, PlainStringsAreCaseInsensitiveSubstringsOfAnyValue) {
  const Detection d = compile_detection(
      "detection:\n"
      "  keywords:\n"
      "    - 'mimikatz'\n"
      "    - 'sekurlsa::logonpasswords'\n"
      "  condition: keywords\n");
  EXPECT_TRUE(detection_matches(d, {{"Image", "x"}, {"CommandLine", "Invoke-MIMIKATZ.ps1"}}));
  EXPECT_TRUE(detection_matches(d, {{"ScriptBlockText", "x\nSekurlsa::LogonPasswords\ny"}}));
  EXPECT_FALSE(detection_matches(d, {{"CommandLine", "mimi katz"}}));
  EXPECT_FALSE(detection_matches(d, {}));
}

TEST(SigmaKeywords, FieldNamesAreNotSearched) {
  const Detection d = compile_detection(
      "detection:\n"
      "  keywords:\n    - mimikatz\n"
      "  condition: keywords\n");
  EXPECT_FALSE(detection_matches(d, {{"mimikatz", "x"}}));
}

TEST(SigmaKeywords, SingleScalarKeyword) {
  const Detection d = compile_detection(
      "detection:\n"
      "  keywords: 'rubeus'\n"
      "  condition: keywords\n");
  EXPECT_TRUE(detection_matches(d, {{"A", "x.Rubeus.exe"}}));
  EXPECT_FALSE(detection_matches(d, {{"A", "x"}}));
}

TEST(SigmaKeywords, AllModifierKeywordListRequiresEveryKeyword) {
  const Detection d = compile_detection(
      "detection:\n"
      "  keywords:\n"
      "    '|all':\n"
      "      - 'Remove-Item'\n"
      "      - 'ConsoleHost_history.txt'\n"
      "  condition: keywords\n");
  EXPECT_TRUE(detection_matches(d, {{"Payload", "remove-item (Get-PSReadlineOption).x\\ConsoleHost_history.txt"}}));
  EXPECT_TRUE(detection_matches(d, {{"A", "Remove-Item"}, {"B", "consolehost_history.txt"}}));  // across values
  EXPECT_FALSE(detection_matches(d, {{"Payload", "Remove-Item foo"}}));
}

TEST(SigmaKeywords, KeywordsCombineWithSelections) {
  const Detection d = compile_detection(
      "detection:\n"
      "  selection:\n    Channel: Security\n"
      "  keywords:\n    - evil\n"
      "  condition: selection and keywords\n");
  EXPECT_TRUE(detection_matches(d, {{"Channel", "Security"}, {"Data", "very EVIL thing"}}));
  EXPECT_FALSE(detection_matches(d, {{"Channel", "System"}, {"Data", "very EVIL thing"}}));
  EXPECT_FALSE(detection_matches(d, {{"Channel", "Security"}, {"Data", "nice"}}));
}

// The EventIDs a condition implies (used to index rules).

TEST(SigmaEventIds, ImpliedBySelectionAndNotFilter) {
  const Detection d = compile_detection(
      "detection:\n"
      "  selection:\n    EventID: 4624\n    LogonType: 3\n"
      "  filter:\n    EventID: 4625\n"
      "  condition: selection and not filter\n");
  const auto ids = d.required_event_ids(intern_field("EventID"));
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, std::vector<std::uint32_t>{4624});
}

TEST(SigmaEventIds, OrOfIdsAndListsUnite) {
  const Detection d = compile_detection(
      "detection:\n"
      "  a:\n    EventID: [4625, 4624]\n"
      "  b:\n    EventID: 4648\n"
      "  condition: a or b\n");
  const auto ids = d.required_event_ids(intern_field("EventID"));
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, (std::vector<std::uint32_t>{4624, 4625, 4648}));
}

TEST(SigmaEventIds, AnyWhenABranchHasNoEventId) {
  const Detection d = compile_detection(
      "detection:\n"
      "  a:\n    EventID: 4624\n"
      "  b:\n    Image: x\n"
      "  condition: a or b\n");
  EXPECT_FALSE(d.required_event_ids(intern_field("EventID")).has_value());
  const Detection n = compile_detection(
      "detection:\n"
      "  a:\n    EventID: 4624\n"
      "  condition: not a\n");
  EXPECT_FALSE(n.required_event_ids(intern_field("EventID")).has_value());
  const Detection m = compile_detection(
      "detection:\n"
      "  a:\n    EventID|neq: 4624\n"
      "  condition: a\n");
  EXPECT_FALSE(m.required_event_ids(intern_field("EventID")).has_value());
}

}  // namespace
}  // namespace ashiato::sigma

namespace ashiato::sigma {
namespace {

// Found by fuzzing: patterns with many '*' took exponential time.
TEST(ConditionQuantifiers, ManyStarsMatchInLinearTime) {
  const std::vector<std::string> names = {"filter_optional_a", "selection"};
  const std::string stars(2000, '*');
  const auto node = parse_condition("1 of filter_" + stars + "a" + stars, names);
  ASSERT_EQ(node.identifiers.size(), 1U);
  EXPECT_EQ(node.identifiers[0], 0U);
  EXPECT_THROW(parse_condition("1 of filter_" + stars + "+" + stars + "b", names), CompileError);
}

TEST(SigmaStrings, ManyStarsInAValueMatchInLinearTime) {
  std::string pattern;
  for (int i = 0; i < 300; ++i) pattern += "*a";
  pattern += "*b";
  StringMatcher m(parse_pattern(pattern), false);
  EXPECT_FALSE(m.matches(std::string(5000, 'a')));
  EXPECT_TRUE(m.matches(std::string(5000, 'a') + "b"));
}

}  // namespace
}  // namespace ashiato::sigma
