// The literal a regular expression requires (for the literal prefilter): what is read and what
// is refused, each case checked against PCRE2 itself on a subject the expression matches.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <gtest/gtest.h>
#include <pcre2.h>

#include <utility>
#include <vector>

#include "sigma/engine/regex_literal.h"
#include "sigma/engine/string_pattern.h"

namespace ashiato::test {
namespace {

bool pcre2_matches(const std::string& expression, bool caseless, const std::string& subject) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(expression.data()), expression.size(),
                    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (caseless ? PCRE2_CASELESS : 0U), &error, &offset, nullptr);
  if (code == nullptr) return false;
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, data, nullptr);
  pcre2_match_data_free(data);
  pcre2_code_free(code);
  return rc >= 0;
}

struct Case {
  const char* expression;
  bool caseless;
  const char* literal;  // expected
  const char* subject;  // matched by the expression: the literal must occur in its folded form
};

TEST(RegexLiteral, RequiredLiteralsAreFoundAndAlwaysInTheMatchedText) {
  const Case cases[] = {
      {R"(ipconfig\s+/all)", false, "ipconfig", "C:\\> ipconfig   /all"},
      {R"(net\s+config)", false, "config", "net  config"},
      {R"(\.exe$)", false, ".exe", "evil.exe"},
      {"ab?cdef", false, "cdef", "acdef"},
      {"x*abcd", false, "abcd", "abcd"},
      {"abc{2}defg", false, "defg", "abccdefg"},
      {"abc{0}defg", false, "defg", "abdefg"},
      {"abc+def", false, "abc", "abcccdef"},
      {"(abc|xyz)defg", false, "defg", "xyzdefg"},
      {"(?:evil)?loader", false, "loader", "loader"},
      {"a[bc]defgh", false, "defgh", "acdefgh"},
      {"ABC", false, "abc", "ABC"},
      {"(?i)abc", false, "abc", "aBc"},
      {"powershell", true, "power", "POWER\u017FHELL"},  // caseless s matches LONG S
      {"(?i)desktop", false, "top", "DES\u212ATOP"},     // caseless k matches KELVIN SIGN
      {"caf\xc3\xa9"
       "abc",
       false, "caf",
       "caf\xc3\xa9"
       "abc"},
      {R"(\\temp\\[a-z]+\.dll)", false, "\\temp\\", "C:\\temp\\x.dll"},
      {"abc.*def", false, "abc", "abc--def"},
      {"ab\\b.cde", false, "cde", "ab cde"},
      // Escapes of control characters are those characters (SigmaHQ's LNK padding rule).
      {R"(\n\n\n\n\n\n)", false, "\n\n\n\n\n\n", "cmd\n\n\n\n\n\n\n/c"},
      {R"(a\tb\r\nc\f\e\a)", false, "a\tb\r\nc\f\x1b\a", "-a\tb\r\nc\f\x1b\a-"},
      // Two characters are enough (Invoke-Obfuscation's `&&`, a caseless s ending the run).
      {"(?i)(?:set).*&&\\s?set.*", false, "&&", "SET x&& set y"},
      {R"(\w+`(?:\w+|-|.)`[\w+|\s])", false, "`", "IN`V`oke"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expression);
    ASSERT_TRUE(pcre2_matches(c.expression, c.caseless, c.subject)) << "case's subject does not match";
    const std::string literal = sigma::required_regex_literal(c.expression, c.caseless);
    EXPECT_EQ(literal, std::string(c.literal).size() >= 2 ? c.literal : "");
    EXPECT_NE(sigma::folded(c.subject).find(literal), std::string::npos);
  }
}

TEST(RegexLiteral, ExpressionsBeyondTheConservativeReadingGiveNothing) {
  for (const char* expression :
       {"abc|defgh", R"(\x41BCDEF)", R"(\x{41}BCDEF)", R"(\p{L}abcdef)", R"(a\Qb.cdef\E)", "(?x)abc def",
        R"((abc)\1defg)", "^[A-Za-z0-9]{16}$", "abc)", "(abc", "[abc", "abc{x}", "a", "a.b.c", R"(abc\)"}) {
    EXPECT_EQ(sigma::required_regex_literal(expression, false), "") << expression;
  }
}

TEST(RegexLiteral, GlobsOfTokensRequireTheirLongestLiteral) {
  const sigma::StringMatcher m(sigma::parse_pattern("*whoami*>*"), false);
  EXPECT_TRUE(m.has_folded_literal());
  EXPECT_EQ(m.needle(), "whoami");
  const sigma::StringMatcher cased(sigma::parse_pattern("*WhoAmI*>*"), true);
  EXPECT_FALSE(cased.has_folded_literal());
  const sigma::StringMatcher any(sigma::parse_pattern("*"), false);
  EXPECT_FALSE(any.has_folded_literal());
}

struct BytesCase {
  const char* expression;
  bool caseless;
  std::vector<std::pair<char, std::uint32_t>> counts;  // expected
  const char* subject;                                 // matched by the expression
  const char* short_subject;                           // one required byte short: cannot match
};

TEST(RegexLiteral, RequiredBytesAreCountedAndEveryMatchHoldsThem) {
  const BytesCase cases[] = {
      // SigmaHQ's PowerShell special characters rule: fourteen '+' anywhere on a line.
      {R"(\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+)",
       false,
       {{'+', 14}},
       "a+b+c+d+e+f+g+h+i+j+k+l+m+n+o",
       "a+b+c+d+e+f+g+h+i+j+k+l+m+n"},
      {R"(\^.*\^.*\^.*\^.*\^)", false, {{'^', 5}}, "c^m^d^.^e^xe", "c^m^d^.^exe"},
      {R"(\w+`(?:\w+|-|.)`[\w+|\s])", false, {{'`', 2}}, "IN`V`oke", "IN`Voke"},
      {R"(\\[a-zA-Z0-9]{1,32}\.[a-zA-Z0-9]{1,6}\.[ "']{1})", false, {{'\\', 1}, {'.', 2}}, "\\x.y. ", "\\x.y "},
      // Letters are left out (either case may match); a quantified or optional literal counts once or not at all.
      {"(?i)a-b-c", false, {{'-', 2}}, "A-B-C", "A-BC"},
      {"x-+y-?z-*w", false, {{'-', 1}}, "x-yzw", "xyzw"},
      {R"(\$\{`?e`?n`?v`?:`?p`?a`?t`?h`?\})",
       true,
       {{'$', 1}, {'{', 1}, {':', 1}, {'}', 1}},
       "${e`nv:path}",
       "${env:path"},
  };
  for (const BytesCase& c : cases) {
    SCOPED_TRACE(c.expression);
    ASSERT_TRUE(pcre2_matches(c.expression, c.caseless, c.subject)) << "case's subject does not match";
    ASSERT_FALSE(pcre2_matches(c.expression, c.caseless, c.short_subject)) << "case's short subject matches";
    const sigma::RequiredBytes bytes = sigma::required_regex_bytes(c.expression, c.caseless);
    EXPECT_EQ(bytes.counts, c.counts);
    EXPECT_TRUE(bytes.met_by(c.subject));
    EXPECT_FALSE(bytes.met_by(c.short_subject));
  }
}

TEST(RegexLiteral, ExpressionsBeyondTheConservativeReadingRequireNoBytes) {
  for (const char* expression : {"a+b|c+d", R"((a+b)\1+)", "(?x)a + b", "[+][+]", "(\\+)+", "a\\+?b", "+{2}"}) {
    EXPECT_TRUE(sigma::required_regex_bytes(expression, false).empty()) << expression;
  }
  EXPECT_TRUE(sigma::RequiredBytes{}.met_by(""));
}

}  // namespace
}  // namespace ashiato::test
