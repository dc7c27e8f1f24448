// Sigma string values: case, wildcards, escaping, and how contains/startswith/endswith add
// wildcards to the token list (not to the text).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "sigma/engine/string_pattern.h"
#include "sigma_test_util.h"

namespace ashiato::sigma {
namespace {

using test_util::item_matches;

// Matches `value` with a pattern both ways StringMatcher offers; they must agree.
bool pattern_matches(std::string_view rule_value, std::string_view value, bool cased = false) {
  const StringMatcher m(parse_pattern(rule_value), cased);
  const bool plain = m.matches(value);
  const bool with_folded = m.matches(value, folded(value));
  EXPECT_EQ(plain, with_folded) << "'" << rule_value << "' vs '" << value << "'";
  return plain;
}

TEST(SigmaStrings, CaseInsensitiveByDefault) {
  EXPECT_TRUE(item_matches("CommandLine", "'Whoami /ALL'", {{"CommandLine", "whoami /all"}}));
  EXPECT_TRUE(item_matches("CommandLine", "'whoami /all'", {{"CommandLine", "WHOAMI /ALL"}}));
  EXPECT_TRUE(item_matches("CommandLine|contains", "'MiMiKaTz'", {{"CommandLine", "invoke-mimikatz.ps1"}}));
}

TEST(SigmaStrings, FoldingChangesOnlyAsciiUpperCaseLettersAtAnyLengthAndOffset) {
  // Every byte value, at every position of the 16-byte blocks and in the tail after them.
  std::string all;
  for (int round = 0; round < 3; ++round) {
    for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  }
  for (std::size_t start = 0; start < 17; ++start) {
    for (std::size_t length : {0, 1, 15, 16, 17, 31, 33, 255, 600}) {
      const std::string_view in = std::string_view(all).substr(start, length);
      std::string want;
      for (const char c : in) want.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
      std::string got = "prefix:";
      append_folded(got, in);
      ASSERT_EQ(got, "prefix:" + want) << "start " << start << ", length " << length;
      EXPECT_EQ(folded(in), want);
    }
  }
  EXPECT_EQ(folded("C:\\WINDOWS\\System32\\CMD.EXE /C Ümlaut"), "c:\\windows\\system32\\cmd.exe /c Ümlaut");
}

TEST(SigmaStrings, FoldedSearchFindsWhatSearchingTheFoldedTextFinds) {
  // Texts of a few letters (so that needles occur, partly, often), in mixed case and with bytes
  // of UTF-8, searched at every start and length around the 16-byte blocks, for needles of one to
  // twenty bytes: the answer must be std::string::find's over the folded text.
  const std::string alphabet = "aAbB\\.\xc3\x9c";
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1103515245U + 12345U; };
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t length = next() % 80;
    for (std::size_t i = 0; i < length; ++i) text.push_back(alphabet[(next() >> 8) % alphabet.size()]);
    std::string needle;
    const std::size_t needle_length = 1 + next() % 20;
    for (std::size_t i = 0; i < needle_length; ++i) needle.push_back(alphabet[(next() >> 8) % alphabet.size()]);
    needle = folded(needle);
    const std::string folded_text = folded(text);
    for (std::size_t start = 0; start <= text.size(); ++start) {
      const std::size_t want = folded_text.find(needle, start);
      ASSERT_EQ(find_folded(text, needle, start), want)
          << "text '" << text << "' from " << start << ", needle '" << needle << "'";
    }
  }
  const std::string path = "C:\\Windows\\Temp\\PERFC.DAT";
  EXPECT_EQ(find_folded(path, "\\perfc.dat"), 15U);
  EXPECT_EQ(find_folded(path, "\\perfc.dat "), std::string_view::npos);
  EXPECT_EQ(find_folded(path, ""), 0U);
}

TEST(SigmaStrings, CasedModifierIsCaseSensitive) {
  EXPECT_TRUE(item_matches("Image|cased", "'Whoami.exe'", {{"Image", "Whoami.exe"}}));
  EXPECT_FALSE(item_matches("Image|cased", "'Whoami.exe'", {{"Image", "whoami.exe"}}));
  EXPECT_TRUE(item_matches("Image|endswith|cased", "'\\Evil.EXE'", {{"Image", "C:\\x\\Evil.EXE"}}));
  EXPECT_FALSE(item_matches("Image|endswith|cased", "'\\Evil.EXE'", {{"Image", "C:\\x\\evil.exe"}}));
}

TEST(SigmaStrings, PlainValueMustEqualTheWholeValue) {
  EXPECT_TRUE(item_matches("Image", "whoami.exe", {{"Image", "whoami.exe"}}));
  EXPECT_FALSE(item_matches("Image", "whoami.exe", {{"Image", "C:\\Windows\\whoami.exe"}}));
  EXPECT_FALSE(item_matches("Image", "whoami", {{"Image", "whoami.exe"}}));
  EXPECT_FALSE(item_matches("Image", "whoami.exe", {{"Image", ""}}));
}

TEST(SigmaStrings, FieldMustBePresent) {
  EXPECT_FALSE(item_matches("Image", "whoami.exe", {{"OtherField", "whoami.exe"}}));
  EXPECT_FALSE(item_matches("Image|contains", "who", {}));
}

TEST(SigmaStrings, StarMatchesAnySequence) {
  EXPECT_TRUE(item_matches("Image", "'*\\whoami.exe'", {{"Image", "C:\\Windows\\System32\\whoami.exe"}}));
  EXPECT_TRUE(item_matches("F", "'a*c'", {{"F", "abc"}}));
  EXPECT_TRUE(item_matches("F", "'a*c'", {{"F", "ac"}}));
  EXPECT_TRUE(item_matches("F", "'a*b*c'", {{"F", "aXXbYYbZZc"}}));
  EXPECT_FALSE(item_matches("F", "'a*c'", {{"F", "abd"}}));
  EXPECT_FALSE(item_matches("F", "'a*c'", {{"F", "xabc"}}));
  EXPECT_TRUE(item_matches("F", "'*'", {{"F", ""}}));
}

TEST(SigmaStrings, StarMatchesAcrossNewlines) {
  const std::string script = "line1\r\nline2\nline3";
  EXPECT_TRUE(item_matches("ScriptBlockText", "'line1*line3'", {{"ScriptBlockText", script}}));
  EXPECT_TRUE(item_matches("ScriptBlockText|contains", "'1*line3'", {{"ScriptBlockText", script}}));
  EXPECT_TRUE(item_matches("ScriptBlockText|contains|all", "['line1', 'line3']", {{"ScriptBlockText", script}}));
}

TEST(SigmaStrings, QuestionMarkMatchesExactlyOneCharacter) {
  EXPECT_TRUE(item_matches("F", "'who?mi'", {{"F", "whoami"}}));
  EXPECT_TRUE(item_matches("F", "'who?mi'", {{"F", "WHOXMI"}}));
  EXPECT_FALSE(item_matches("F", "'who?mi'", {{"F", "whomi"}}));
  EXPECT_FALSE(item_matches("F", "'who?mi'", {{"F", "whoaami"}}));
  EXPECT_TRUE(item_matches("F", "'?\?'", {{"F", "ab"}}));
  EXPECT_FALSE(item_matches("F", "'?\?'", {{"F", "abc"}}));
}

TEST(SigmaStrings, QuestionMarkMatchesOneMultibyteCharacter) {
  EXPECT_TRUE(item_matches("F", "'caf?'", {{"F", "caf\xC3\xA9"}}));                     // café
  EXPECT_TRUE(item_matches("F", "'?.txt'", {{"F", "\xE6\xA8\x99.txt"}}));               // 標.txt
  EXPECT_FALSE(item_matches("F", "'?.txt'", {{"F", "\xE6\xA8\x99\xE7\x9A\x84.txt"}}));  // two characters
}

TEST(SigmaStrings, EscapedStarAndQuestionMarkAreLiteral) {
  EXPECT_TRUE(item_matches("F", "'a\\*b'", {{"F", "a*b"}}));
  EXPECT_FALSE(item_matches("F", "'a\\*b'", {{"F", "axb"}}));
  EXPECT_TRUE(item_matches("F", "'what\\?'", {{"F", "what?"}}));
  EXPECT_FALSE(item_matches("F", "'what\\?'", {{"F", "whatx"}}));
}

TEST(SigmaStrings, DoubleBackslashIsOneBackslash) {
  EXPECT_TRUE(item_matches("F", "'C:\\\\Temp'", {{"F", "C:\\Temp"}}));
  EXPECT_FALSE(item_matches("F", "'C:\\\\Temp'", {{"F", "C:\\\\Temp"}}));
}

TEST(SigmaStrings, BackslashBeforeOrdinaryCharacterIsLiteral) {
  EXPECT_TRUE(item_matches("Image", "'C:\\Windows\\System32\\cmd.exe'", {{"Image", "C:\\Windows\\System32\\cmd.exe"}}));
  EXPECT_FALSE(item_matches("Image", "'C:\\Windows\\System32\\cmd.exe'", {{"Image", "C:Windows/System32/cmd.exe"}}));
}

TEST(SigmaStrings, BackslashStarVersusDoubleBackslashStar) {
  // '\*' is a literal star; '\\*' is a backslash followed by a wildcard.
  EXPECT_FALSE(item_matches("F", "'C:\\Windows\\*'", {{"F", "C:\\Windows\\System32"}}));
  EXPECT_TRUE(item_matches("F", "'C:\\Windows\\*'", {{"F", "C:\\Windows*"}}));
  EXPECT_TRUE(item_matches("F", "'C:\\Windows\\\\*'", {{"F", "C:\\Windows\\System32"}}));
  EXPECT_FALSE(item_matches("F", "'C:\\Windows\\\\*'", {{"F", "C:\\WindowsSystem32"}}));
  // '\\\*' is a backslash, then a literal star.
  EXPECT_TRUE(item_matches("F", "'a\\\\\\*'", {{"F", "a\\*"}}));
  EXPECT_FALSE(item_matches("F", "'a\\\\\\*'", {{"F", "a\\xyz"}}));
}

TEST(SigmaStrings, TrailingBackslashIsLiteral) {
  EXPECT_TRUE(item_matches("F", "'C:\\Temp\\'", {{"F", "C:\\Temp\\"}}));
  EXPECT_FALSE(item_matches("F", "'C:\\Temp\\'", {{"F", "C:\\Temp"}}));
}

TEST(SigmaStrings, TrailingBackslashDoesNotEscapeTheWildcardContainsAdds) {
  EXPECT_TRUE(item_matches("Image|contains", "'\\Desktop\\'", {{"Image", "C:\\Users\\x\\Desktop\\file.exe"}}));
  EXPECT_FALSE(item_matches("Image|contains", "'\\Desktop\\'", {{"Image", "C:\\Users\\x\\Desktop.exe"}}));
  EXPECT_TRUE(item_matches("Image|startswith", "'C:\\Users\\'", {{"Image", "C:\\Users\\bob\\a.exe"}}));
  EXPECT_TRUE(item_matches("TargetFilename|endswith", "'\\Temp\\'", {{"TargetFilename", "C:\\Windows\\Temp\\"}}));
  EXPECT_FALSE(item_matches("TargetFilename|endswith", "'\\Temp\\'", {{"TargetFilename", "C:\\Windows\\Temp\\x"}}));
}

TEST(SigmaStrings, ParsePatternTokens) {
  const Pattern p = parse_pattern("a\\*b*c?\\\\d\\e\\");
  ASSERT_EQ(p.size(), 5U);
  EXPECT_EQ(p[0].kind, PatternToken::kLiteral);
  EXPECT_EQ(p[0].text, "a*b");
  EXPECT_EQ(p[1].kind, PatternToken::kAnyString);
  EXPECT_EQ(p[2].kind, PatternToken::kLiteral);
  EXPECT_EQ(p[2].text, "c");
  EXPECT_EQ(p[3].kind, PatternToken::kAnyChar);
  EXPECT_EQ(p[4].kind, PatternToken::kLiteral);
  EXPECT_EQ(p[4].text, "\\d\\e\\");
  EXPECT_TRUE(has_wildcards(p));
  EXPECT_FALSE(has_wildcards(parse_pattern("a\\*b")));
  EXPECT_EQ(literal_text(parse_pattern("a*b")), "ab");
}

TEST(SigmaStrings, PrependAndAppendAnyAddOneStarToken) {
  Pattern p = parse_pattern("abc\\");
  prepend_any(p);
  append_any(p);
  ASSERT_EQ(p.size(), 3U);
  EXPECT_EQ(p[0].kind, PatternToken::kAnyString);
  EXPECT_EQ(p[1].text, "abc\\");
  EXPECT_EQ(p[2].kind, PatternToken::kAnyString);
  // Already there: nothing added.
  Pattern q = parse_pattern("*abc*");
  prepend_any(q);
  append_any(q);
  EXPECT_EQ(q.size(), 3U);
}

TEST(SigmaStrings, ContainsWithExplicitStarsDoesNotDoubleThem) {
  EXPECT_TRUE(item_matches("F|contains", "'*abc*'", {{"F", "xxabcxx"}}));
  EXPECT_TRUE(item_matches("F|startswith", "'abc*'", {{"F", "abcdef"}}));
  EXPECT_TRUE(item_matches("F|endswith", "'*def'", {{"F", "abcdef"}}));
}

TEST(SigmaStrings, StringMatcherShapes) {
  EXPECT_EQ(StringMatcher(parse_pattern("AbC"), false).describe(), "equals 'abc'");
  EXPECT_EQ(StringMatcher(parse_pattern("AbC"), true).describe(), "equals 'AbC'");
  EXPECT_EQ(StringMatcher(parse_pattern("abc*"), false).describe(), "startswith 'abc'");
  EXPECT_EQ(StringMatcher(parse_pattern("*abc"), false).describe(), "endswith 'abc'");
  EXPECT_EQ(StringMatcher(parse_pattern("*abc*"), false).describe(), "contains 'abc'");
}

TEST(SigmaStrings, StringMatcherFoldedAndPlainPathsAgree) {
  EXPECT_TRUE(pattern_matches("A*B?c", "axxbyC"));
  EXPECT_FALSE(pattern_matches("A*B?c", "axxbyCd"));
  EXPECT_TRUE(pattern_matches("*PowerShell*", "c:\\windows\\POWERSHELL.exe"));
  EXPECT_TRUE(pattern_matches("cmd*", "CMD.EXE"));
  EXPECT_TRUE(pattern_matches("*.EXE", "cmd.exe"));
  EXPECT_FALSE(pattern_matches("*.EXE", "cmd.exe", true));
  EXPECT_TRUE(pattern_matches("*a*a*a*b", "aaaaaaaaaaaab"));
  EXPECT_FALSE(pattern_matches("*a*a*a*b", "aaaaaaaaaaaa"));
  EXPECT_TRUE(pattern_matches("", ""));
  EXPECT_FALSE(pattern_matches("", "x"));
}

TEST(SigmaStrings, EmptyStringValueMatchesOnlyEmptyValue) {
  EXPECT_TRUE(item_matches("F", "''", {{"F", ""}}));
  EXPECT_FALSE(item_matches("F", "''", {{"F", " "}}));
  EXPECT_FALSE(item_matches("F", "''", {}));
}

TEST(SigmaStrings, PercentWithoutExpandIsLiteral) {
  EXPECT_TRUE(item_matches("F", "'%windir%\\x.exe'", {{"F", "%WINDIR%\\x.exe"}}));
  EXPECT_FALSE(item_matches("F", "'%windir%\\x.exe'", {{"F", "C:\\Windows\\x.exe"}}));
}

}  // namespace
}  // namespace ashiato::sigma
