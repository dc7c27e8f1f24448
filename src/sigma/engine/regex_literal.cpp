#include "sigma/engine/regex_literal.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <vector>

#include "sigma/engine/string_pattern.h"

namespace ashiato::sigma {
namespace {

constexpr std::size_t kNone = std::string_view::npos;
constexpr std::size_t kMinLength = 2;

// Escapes of one letter that stand for a class or an assertion (no literal, nothing after them
// belongs to the escape). Other letter and digit escapes (\x41, \p{L}, \1, \k<n>, \Q) are not read.
bool is_simple_escape(char c) {
  for (char s : std::string_view("dDsSwWbBhHvVRXAzZGK")) {
    if (c == s) return true;
  }
  return false;
}

// Escapes of one letter that stand for one control character (no case, so folding keeps them).
std::optional<char> control_escape(char c) {
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'e': return '\x1b';
    case 'a': return '\a';
    default: return std::nullopt;
  }
}

// Index after the character class starting at `i` ('['), or kNone if unterminated.
std::size_t skip_class(std::string_view re, std::size_t i) {
  std::size_t j = i + 1;
  if (j < re.size() && re[j] == '^') ++j;
  if (j < re.size() && re[j] == ']') ++j;
  while (j < re.size() && re[j] != ']') {
    if (re[j] == '\\') {
      j += 2;
    } else if (re[j] == '[' && j + 1 < re.size() && re[j + 1] == ':') {
      const std::size_t end = re.find(":]", j + 2);
      if (end == kNone) return kNone;
      j = end + 2;
    } else {
      ++j;
    }
  }
  return j < re.size() ? j + 1 : kNone;
}

// Index after the group starting at `i` ('('), or kNone if unbalanced.
std::size_t skip_group(std::string_view re, std::size_t i) {
  int depth = 0;
  std::size_t j = i;
  while (j < re.size()) {
    if (re[j] == '\\') {
      j += 2;
    } else if (re[j] == '[') {
      j = skip_class(re, j);
      if (j == kNone) return kNone;
    } else if (re[j] == '(') {
      ++depth;
      ++j;
    } else if (re[j] == ')') {
      ++j;
      if (--depth == 0) return j;
    } else {
      ++j;
    }
  }
  return kNone;
}

bool is_quantifier_start(std::string_view re, std::size_t i) {
  return i < re.size() && (re[i] == '*' || re[i] == '+' || re[i] == '?' || re[i] == '{');
}

// Index after the quantifier at `i` (with a lazy or possessive suffix), or kNone if a brace is not
// a counted repetition (then it would be a literal brace: not read).
std::size_t skip_quantifier(std::string_view re, std::size_t i) {
  std::size_t j = i + 1;
  if (re[i] == '{') {
    while (j < re.size() && ((re[j] >= '0' && re[j] <= '9') || re[j] == ',')) ++j;
    if (j >= re.size() || re[j] != '}' || j == i + 1) return kNone;
    ++j;
  }
  if (j < re.size() && (re[j] == '?' || re[j] == '+')) ++j;
  return j;
}

// Inline option settings such as (?i) or (?x-s:...): whether one turns on caseless matching, and
// whether one turns on extended mode (whitespace and # change meaning: not read).
void inline_options(std::string_view re, bool& caseless, bool& extended) {
  for (std::size_t k = re.find("(?"); k != kNone; k = re.find("(?", k + 2)) {
    for (std::size_t j = k + 2; j < re.size() && re[j] != ')' && re[j] != ':' && re[j] != '-'; ++j) {
      if (re[j] == 'i') caseless = true;
      if (re[j] == 'x') extended = true;
      if (!is_ascii_alnum(re[j]) && re[j] != '^') break;
    }
  }
}

// The runs of literal characters the expression requires at top level, in order, ASCII-folded
// (see required_regex_literal for what ends a run); false when the expression is beyond this
// reading. Every character of every run stands for a character of its own in any match.
bool required_runs(std::string_view re, bool caseless, std::vector<std::string>& runs) {
  bool extended = false;
  inline_options(re, caseless, extended);
  if (extended) return false;
  std::string run;
  auto end_run = [&] {
    if (!run.empty()) runs.push_back(run);
    run.clear();
  };
  std::size_t i = 0;
  while (i < re.size()) {
    const char c = re[i];
    std::optional<char> literal;
    std::size_t next = i + 1;
    if (c == '\\') {
      if (i + 1 >= re.size()) return false;
      const char e = re[i + 1];
      next = i + 2;
      if (const auto control = control_escape(e)) {
        literal = control;
      } else if (is_ascii_alnum(e)) {
        if (!is_simple_escape(e)) return false;
        end_run();
      } else if (static_cast<unsigned char>(e) >= 0x80) {
        return false;
      } else {
        literal = e;
      }
    } else if (c == '[' || c == '(') {
      end_run();
      next = c == '[' ? skip_class(re, i) : skip_group(re, i);
      if (next == kNone) return false;
    } else if (c == '|' || c == ')') {
      return false;  // alternation at top level, or unbalanced
    } else if (c == '.' || c == '^' || c == '$') {
      end_run();
    } else if (is_quantifier_start(re, i)) {
      end_run();  // repeats a class, group or escape
      next = skip_quantifier(re, i);
      if (next == kNone) return false;
    } else {
      literal = c;
    }
    if (literal) {
      const auto u = static_cast<unsigned char>(*literal);
      const char f = fold(*literal);
      const bool optional = next < re.size() && (re[next] == '?' || re[next] == '*' || re[next] == '{');
      if (optional || u >= 0x80 || (caseless && (f == 'k' || f == 's'))) {
        end_run();
      } else {
        run.push_back(f);
      }
      if (is_quantifier_start(re, next)) {
        if (!optional) end_run();  // "a+": the a is there once, what follows may not be next to it
        next = skip_quantifier(re, next);
        if (next == kNone) return false;
      }
    }
    i = next;
  }
  end_run();
  return true;
}

}  // namespace

std::string required_regex_literal(std::string_view re, bool caseless) {
  std::vector<std::string> runs;
  if (!required_runs(re, caseless, runs)) return {};
  std::string best;
  for (const auto& run : runs) {
    if (run.size() > best.size()) best = run;
  }
  return best.size() >= kMinLength ? best : std::string{};
}

RequiredBytes required_regex_bytes(std::string_view re, bool caseless) {
  RequiredBytes out;
  std::vector<std::string> runs;
  if (!required_runs(re, caseless, runs)) return out;
  for (const auto& run : runs) {
    for (const char c : run) {
      if (is_ascii_letter(c)) continue;  // letters may match in either case: not counted
      auto it = std::find_if(out.counts.begin(), out.counts.end(), [c](const auto& p) { return p.first == c; });
      if (it == out.counts.end()) {
        out.counts.emplace_back(c, 1);
      } else {
        ++it->second;
      }
    }
  }
  return out;
}

bool RequiredBytes::met_by(std::string_view text) const {
  for (const auto& [byte, count] : counts) {
    const char* at = text.data();
    const char* const end = text.data() + text.size();
    for (std::uint32_t found = 0; found < count; ++found) {
      at = static_cast<const char*>(std::memchr(at, byte, static_cast<std::size_t>(end - at)));
      if (at == nullptr) return false;
      ++at;
    }
  }
  return true;
}

}  // namespace ashiato::sigma
