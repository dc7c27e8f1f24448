#include "ioc/stix_pattern.h"

#include "ioc/text_util.h"

namespace ashiato::ioc {
namespace {

enum class Tok { kOpen, kClose, kParenOpen, kParenClose, kComma, kString, kLiteral, kWord, kOperator, kEnd };

struct Token {
  Tok kind;
  std::string text;
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  // false with `error` set on a bad character or an unterminated string.
  bool next(Token& t, std::string& error) {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
    t.text.clear();
    if (pos_ >= s_.size()) {
      t.kind = Tok::kEnd;
      return true;
    }
    const char c = s_[pos_];
    switch (c) {
      case '[': return single(t, Tok::kOpen);
      case ']': return single(t, Tok::kClose);
      case '(': return single(t, Tok::kParenOpen);
      case ')': return single(t, Tok::kParenClose);
      case ',': return single(t, Tok::kComma);
      case '\'': t.kind = Tok::kString; return quoted(t.text, error);
      case '=':
      case '!':
      case '<':
      case '>': return op(t, error);
      default: break;
    }
    // Typed literals: t'2016-01-01T00:00:00Z', h'ff00', b'aGVsbG8='.
    if ((c == 't' || c == 'h' || c == 'b') && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\'') {
      ++pos_;
      t.kind = Tok::kLiteral;
      return quoted(t.text, error);
    }
    if (is_digit(c) || c == '-' || c == '+') {
      t.kind = Tok::kLiteral;
      while (pos_ < s_.size() && (is_alnum(s_[pos_]) || s_[pos_] == '.' || s_[pos_] == '-' || s_[pos_] == '+')) {
        t.text.push_back(s_[pos_++]);
      }
      return true;
    }
    if (is_alpha(c) || c == '_') return word(t, error);
    error = "unexpected character '" + std::string(1, c) + "' at " + std::to_string(pos_);
    return false;
  }

 private:
  bool single(Token& t, Tok kind) {
    t.kind = kind;
    t.text.assign(1, s_[pos_++]);
    return true;
  }

  bool op(Token& t, std::string& error) {
    t.kind = Tok::kOperator;
    t.text.push_back(s_[pos_++]);
    if (pos_ < s_.size() && s_[pos_] == '=') t.text.push_back(s_[pos_++]);
    if (t.text == "!") {
      error = "'!' without '='";
      return false;
    }
    if (t.text == "==") t.text = "=";
    return true;
  }

  // A string literal: backslash escapes only \' and \\ (STIX 2.1 section 9.2).
  bool quoted(std::string& out, std::string& error) {
    const std::size_t start = pos_++;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '\\' && pos_ < s_.size()) {
        out.push_back(s_[pos_++]);
      } else if (c == '\'') {
        return true;
      } else {
        out.push_back(c);
      }
    }
    error = "unterminated string starting at " + std::to_string(start);
    return false;
  }

  // Keywords and object paths. A path runs on through '.', ':', '-', quoted components
  // (hashes.'SHA-256') and list indexes ([*], [0]) written without spaces.
  bool word(Token& t, std::string& error) {
    t.kind = Tok::kWord;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (is_alnum(c) || c == '_' || c == '-' || c == ':' || c == '.') {
        t.text.push_back(c);
        ++pos_;
      } else if (c == '\'' && !t.text.empty() && t.text.back() == '.') {
        t.text.push_back('\'');
        std::string inner;
        if (!quoted(inner, error)) return false;
        t.text.append(inner);
        t.text.push_back('\'');
      } else if (c == '[' && t.text.find(':') != std::string::npos) {
        const auto close = s_.find(']', pos_);
        if (close == std::string_view::npos || close - pos_ > 12) break;
        t.text.append(s_.substr(pos_, close - pos_ + 1));
        pos_ = close + 1;
      } else {
        break;
      }
    }
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

bool is_word_operator(const std::string& w) {
  return w == "IN" || w == "LIKE" || w == "MATCHES" || w == "ISSUBSET" || w == "ISSUPERSET";
}

}  // namespace

bool parse_stix_pattern(std::string_view pattern, std::vector<StixComparison>& out, std::string& error) {
  Lexer lexer(pattern);
  Token t;
  int brackets = 0, parens = 0;
  bool exists = false;  // EXISTS precedes its path
  auto advance = [&]() { return lexer.next(t, error); };
  if (!advance()) return false;
  while (t.kind != Tok::kEnd) {
    switch (t.kind) {
      case Tok::kOpen: ++brackets; break;
      case Tok::kClose:
        if (--brackets < 0) {
          error = "']' without '['";
          return false;
        }
        break;
      case Tok::kParenOpen: ++parens; break;
      case Tok::kParenClose:
        if (--parens < 0) {
          error = "')' without '('";
          return false;
        }
        break;
      default: break;
    }
    if (t.kind == Tok::kWord && t.text == "EXISTS") {
      exists = true;
      if (!advance()) return false;
      continue;
    }
    if (t.kind != Tok::kWord || t.text.find(':') == std::string::npos) {
      if (!advance()) return false;
      continue;
    }
    StixComparison c;
    c.path = t.text;
    if (exists) {
      c.op = "EXISTS";
      exists = false;
      out.push_back(std::move(c));
      if (!advance()) return false;
      continue;
    }
    if (!advance()) return false;
    if (t.kind == Tok::kWord && t.text == "NOT") {
      c.negated = true;
      if (!advance()) return false;
    }
    if (t.kind == Tok::kOperator || (t.kind == Tok::kWord && is_word_operator(t.text))) {
      c.op = t.text;
    } else {
      error = "no comparison operator after " + c.path;
      return false;
    }
    if (!advance()) return false;
    if (t.kind == Tok::kString || t.kind == Tok::kLiteral ||
        (t.kind == Tok::kWord && (t.text == "true" || t.text == "false"))) {
      c.values.push_back(t.text);
    } else if (t.kind == Tok::kParenOpen) {
      // A set: ('a', 'b', ...)
      while (true) {
        if (!advance()) return false;
        if (t.kind == Tok::kString || t.kind == Tok::kLiteral) {
          c.values.push_back(t.text);
        } else if (t.kind == Tok::kParenClose) {
          break;
        } else if (t.kind != Tok::kComma) {
          error = "unexpected '" + t.text + "' in the set after " + c.path;
          return false;
        }
      }
    } else {
      error = "no value after " + c.path + " " + c.op;
      return false;
    }
    out.push_back(std::move(c));
    if (!advance()) return false;
  }
  if (brackets != 0 || parens != 0) {
    error = "unbalanced brackets or parentheses";
    return false;
  }
  if (exists) {
    error = "EXISTS without an object path";
    return false;
  }
  return true;
}

}  // namespace ashiato::ioc
