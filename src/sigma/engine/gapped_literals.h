// Regular expressions that are only literals with `.*` between them, such as SigmaHQ's
// '\+.*\+.*…\+' (fourteen '+' on one line: obfuscated PowerShell), answered by looking for each
// literal after the last one on each line. PCRE2 backtracks through every way of placing the
// gaps instead: 330,000–700,000 cycles a call on PowerShell command lines with many '+', 60 % of
// all time in regular expressions hunting the corpus' events (1 GB of them, one thread: hunt
// 1.73 -> 1.61 s).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ashiato::sigma {

class GappedLiterals {
 public:
  // The expression read as literals and gaps: printable ASCII characters other than
  // metacharacters, punctuation escaped with a backslash, and `.*` or `.*?` between them (also
  // first and last); nullopt for anything else (classes, groups, anchors, other escapes and
  // quantifiers, inline options). `caseless`: the i modifier; `dotall`: '.' matches a newline too.
  static std::optional<GappedLiterals> parse(std::string_view expression, bool caseless, bool dotall);
  // PCRE2's answer for a subject of ASCII characters: whether one line (the whole subject with
  // `dotall`) holds the literals in order without overlapping, ASCII case folded when caseless.
  // Callers ask PCRE2 about other subjects: there an invalid UTF-8 sequence is a barrier, and a
  // caseless k or s also matches KELVIN SIGN or LONG S.
  bool matches(std::string_view ascii_subject) const;

 private:
  std::vector<std::string> literals_;  // folded when caseless
  bool caseless_ = false;
  bool dotall_ = false;
};

}  // namespace ashiato::sigma
