// Regular expressions of literals and `.*` gaps answered without PCRE2: which expressions are
// read so, and the same answer as PCRE2 (with the options RegexValue uses) on every subject of a
// large random sample, newlines and carriage returns included.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "sigma/engine/gapped_literals.h"

#include <gtest/gtest.h>
#include <pcre2.h>

#include <random>
#include <string>

#include "sigma/engine/string_pattern.h"

namespace ashiato::test {
namespace {

class Pcre2 {
 public:
  Pcre2(const std::string& expression, bool caseless, bool dotall) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    const std::uint32_t options =
        PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (caseless ? PCRE2_CASELESS : 0U) | (dotall ? PCRE2_DOTALL : 0U);
    code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(expression.data()), expression.size(), options, &error, &offset,
                          nullptr);
    data_ = pcre2_match_data_create(1, nullptr);
  }
  ~Pcre2() {
    pcre2_match_data_free(data_);
    pcre2_code_free(code_);
  }
  Pcre2(const Pcre2&) = delete;
  Pcre2& operator=(const Pcre2&) = delete;
  bool compiled() const { return code_ != nullptr; }
  bool matches(const std::string& s) const {
    return pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, data_, nullptr) >= 0;
  }

 private:
  pcre2_code* code_ = nullptr;
  pcre2_match_data* data_ = nullptr;
};

TEST(GappedLiterals, OnlyLiteralsWithGapsAreRead) {
  for (const char* expression : {R"(\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+)", R"(\{.*\{.*\{)",
                                 R"(\^.*\^)", "`.*`.*`.*`.*`", "cmd.*/c.*powershell", ".*?abc.*", "a-b.*c d"}) {
    EXPECT_TRUE(sigma::GappedLiterals::parse(expression, false, false)) << expression;
  }
  for (const char* expression : {"a.b", "a.+b", "ab?c", "a*b", "a{2}.*b", "(a).*b", "[ab].*c", "^a.*b", "a.*b$", "a|b",
                                 R"(\d.*a)", R"(a\.*b)", "(?i)a.*b", R"(\n.*a)", "a#b", "", ".*", "\xc3\xa9.*a"}) {
    EXPECT_FALSE(sigma::GappedLiterals::parse(expression, false, false)) << expression;
  }
}

TEST(GappedLiterals, SameAnswerAsPcre2OnRandomAsciiSubjects) {
  struct Case {
    const char* expression;
    bool caseless;
    bool dotall;
  };
  const Case cases[] = {
      {R"(\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+.*\+)", false, false},
      {R"(\+.*\+.*\+.*\+)", false, true},
      {"`.*`.*`", false, false},
      {"cmd.*/c.*powershell", false, false},
      {"cmd.*/c.*powershell", true, false},
      {"Ks.*?sK", true, false},
      {".*ab.*ba.*", false, false},
      {R"(a\.b.*\{\})", true, true},
  };
  std::mt19937 rng(20261201);
  static const char kAlphabet[] = "+`{}.ab/cmdCMDpowershellPOWERSHELLkKsS \n\r\t\0";
  const std::string alphabet(kAlphabet, sizeof kAlphabet - 1);  // the NUL included
  std::uint64_t matched = 0, compared = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expression);
    const auto gapped = sigma::GappedLiterals::parse(c.expression, c.caseless, c.dotall);
    ASSERT_TRUE(gapped);
    const Pcre2 pcre2(c.expression, c.caseless, c.dotall);
    ASSERT_TRUE(pcre2.compiled());
    for (int n = 0; n < 20000; ++n) {
      std::string subject;
      const std::size_t length = rng() % 80;
      for (std::size_t i = 0; i < length; ++i) subject.push_back(alphabet[rng() % alphabet.size()]);
      // Some subjects seeded with the expression's own literals, so that matches are common.
      if (n % 2 == 0) {
        for (const char ch : std::string(c.expression)) {
          if (ch != '.' && ch != '*' && ch != '?' && ch != '\\' && rng() % 3 != 0) {
            subject.insert(subject.begin() + static_cast<long>(rng() % (subject.size() + 1)), ch);
          }
        }
      }
      ASSERT_TRUE(sigma::is_ascii(subject));
      const bool expected = pcre2.matches(subject);
      ASSERT_EQ(gapped->matches(subject), expected) << "subject: " << subject;
      matched += expected ? 1 : 0;
      ++compared;
    }
  }
  // Both answers must be well represented for the comparison to mean something.
  EXPECT_GT(matched, compared / 20);
  EXPECT_LT(matched, compared - compared / 20);
}

TEST(GappedLiterals, AsciiIsTold) {
  EXPECT_TRUE(sigma::is_ascii(""));
  EXPECT_TRUE(sigma::is_ascii("plain text with\ttabs and a long tail of characters"));
  EXPECT_FALSE(sigma::is_ascii("caf\xc3\xa9"));
  EXPECT_FALSE(sigma::is_ascii(std::string(17, 'a') + "\x80"));
  std::string high_first(10, 'a');
  high_first[0] = '\xff';
  EXPECT_FALSE(sigma::is_ascii(high_first));
}

}  // namespace
}  // namespace ashiato::test
