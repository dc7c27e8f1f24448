// Sigma string values: tokenised into literals and wildcards with Sigma's escaping rules, then
// compiled to the cheapest matcher (exact, prefix, suffix, contains, or a glob).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ashiato::sigma {

struct PatternToken {
  enum Kind { kLiteral, kAnyString, kAnyChar } kind;
  std::string text;  // kLiteral only
};
using Pattern = std::vector<PatternToken>;

// "\*" literal *, "\?" literal ?, "\\" literal \, a backslash before anything else stays.
Pattern parse_pattern(std::string_view value);
// A pattern of one literal (no wildcards).
Pattern literal_pattern(const std::string& value);
bool has_wildcards(const Pattern& p);
// Concatenated literal text (wildcards dropped); for encoders that need plain text.
std::string literal_text(const Pattern& p);
// Adds a leading / trailing "any string" token unless one is there.
void prepend_any(Pattern& p);
void append_any(Pattern& p);

// ASCII case folding, as Sigma backends compare (non-ASCII compares exactly).
inline char fold(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}
// ASCII classes, locale-independent (<cctype> follows the C locale).
inline bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_ascii_alnum(char c) {
  return is_ascii_letter(c) || (c >= '0' && c <= '9');
}
// Whether every byte of `text` is below 0x80.
bool is_ascii(std::string_view text);
std::string folded(std::string_view s);
// Appends the folded form of `s` to `out`, 16 bytes at a time where the machine allows: every
// value a rule set compares case-insensitively is folded once per event.
void append_folded(std::string& out, std::string_view s);
// Writes the folded form of `s` to `to` (room for s.size() bytes); returns the end.
char* fold_into(char* to, std::string_view s);
// Where `folded_needle` (already folded) first occurs in the folded form of `text` at or after
// `from`, or npos, as std::string_view::find would answer on the folded text; the text is folded
// as it is read, 16 positions at a time where the machine allows.
std::size_t find_folded(std::string_view text, std::string_view folded_needle, std::size_t from = 0);

// A wildcard pattern a character at a time, as glob matching reads it.
struct GlobUnit {
  enum Kind : std::uint8_t { kChar, kAnyChar, kAnyString } kind;
  char c;
};

class StringMatcher {
 public:
  StringMatcher(const Pattern& pattern, bool case_sensitive);
  bool matches(std::string_view value) const;
  // Same result, given the value's ASCII-folded form too (computed once per event value and
  // shared by every rule): comparisons become memcmp/memmem.
  bool matches(std::string_view raw, std::string_view folded) const;
  std::string describe() const;
  // A case-insensitive "*literal*" (what the literal prefilter answers alone); its folded literal.
  bool is_folded_contains() const { return shape_ == Shape::kContains && !cased_ && !needle_.empty(); }
  // Case-insensitive with a literal that must occur in the value for a match (equals,
  // startswith, endswith, contains: the one literal; a glob: its longest), so the prefilter can
  // rule it out.
  bool has_folded_literal() const { return !cased_ && !needle_.empty() && shape_ != Shape::kAny; }
  const std::string& needle() const { return needle_; }

 private:
  enum class Shape { kExact, kPrefix, kSuffix, kContains, kAny, kGlob } shape_;
  bool cased_;
  std::string needle_;          // folded unless cased; kGlob: its longest literal
  std::vector<GlobUnit> glob_;  // kGlob: folded literals unless cased; runs of '*' as one
};

}  // namespace ashiato::sigma
