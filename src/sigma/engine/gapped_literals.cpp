#include "sigma/engine/gapped_literals.h"

#include <cstring>

#include "sigma/engine/string_pattern.h"

namespace ashiato::sigma {
namespace {

bool is_metacharacter(char c) {
  return std::strchr("\\^$.|?*+()[]{}", c) != nullptr;
}

}  // namespace

std::optional<GappedLiterals> GappedLiterals::parse(std::string_view re, bool caseless, bool dotall) {
  GappedLiterals out;
  out.caseless_ = caseless;
  out.dotall_ = dotall;
  std::string literal;
  std::size_t i = 0;
  while (i < re.size()) {
    const char c = re[i];
    if (c == '.') {  // a gap: `.*` or `.*?`
      if (i + 1 >= re.size() || re[i + 1] != '*') return std::nullopt;
      i += 2;
      if (i < re.size() && re[i] == '?') ++i;
      if (!literal.empty()) out.literals_.push_back(std::move(literal));
      literal.clear();
      continue;
    }
    char ch = c;
    if (c == '\\') {
      if (i + 1 >= re.size()) return std::nullopt;
      ch = re[i + 1];
      if (is_ascii_alnum(ch) || ch == ' ' || static_cast<unsigned char>(ch) >= 0x80) return std::nullopt;
      i += 2;
    } else {
      if (is_metacharacter(c) || c == '#' || static_cast<unsigned char>(c) >= 0x80 || c < 0x20) return std::nullopt;
      ++i;
    }
    // A quantifier after the literal character changes what it means.
    if (i < re.size() && (re[i] == '?' || re[i] == '*' || re[i] == '+' || re[i] == '{')) return std::nullopt;
    literal.push_back(caseless ? fold(ch) : ch);
  }
  if (!literal.empty()) out.literals_.push_back(std::move(literal));
  if (out.literals_.empty()) return std::nullopt;
  return out;
}

bool GappedLiterals::matches(std::string_view subject) const {
  std::string folded_subject;
  if (caseless_) {
    append_folded(folded_subject, subject);
    subject = folded_subject;
  }
  std::size_t line = 0;
  while (line <= subject.size()) {
    const std::size_t newline = dotall_ ? std::string_view::npos : subject.find('\n', line);
    const std::size_t line_end = newline == std::string_view::npos ? subject.size() : newline;
    const std::string_view text = subject.substr(line, line_end - line);
    std::size_t at = 0;
    bool all = true;
    for (const std::string& literal : literals_) {
      // The earliest occurrence after the previous literal leaves the most room for the next.
      const std::size_t found = text.find(literal, at);
      if (found == std::string_view::npos) {
        all = false;
        break;
      }
      at = found + literal.size();
    }
    if (all) return true;
    if (newline == std::string_view::npos) break;
    line = newline + 1;
  }
  return false;
}

}  // namespace ashiato::sigma
