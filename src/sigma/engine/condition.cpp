// Condition grammar (loosest to tightest): or < and < not < "x of" < parentheses.
#include <cctype>
#include <string_view>

#include "sigma/engine/detection.h"

namespace ashiato::sigma {
namespace {

class Parser {
 public:
  Parser(const std::string& text, const std::vector<std::string>& names) : names_(names) { tokenize(text); }

  ConditionNode parse() {
    if (tokens_.empty()) throw CompileError("empty condition");
    ConditionNode n = parse_or();
    if (pos_ != tokens_.size()) throw CompileError("unexpected '" + tokens_[pos_] + "' in condition");
    return n;
  }

 private:
  void tokenize(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
      const char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(' || c == ')') {
        tokens_.emplace_back(1, c);
        ++i;
      } else if (c == '|') {
        throw CompileError("aggregation ('|') in condition is deprecated Sigma syntax, not supported");
      } else {
        std::size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != '(' && s[j] != ')') ++j;
        tokens_.push_back(s.substr(i, j - i));
        i = j;
      }
    }
  }

  bool peek(const char* word) const { return pos_ < tokens_.size() && tokens_[pos_] == word; }

  ConditionNode parse_or() {
    ConditionNode left = parse_and();
    if (!peek("or")) return left;
    ConditionNode node{ConditionNode::Kind::kOr, {std::move(left)}, {}};
    while (peek("or")) {
      ++pos_;
      node.children.push_back(parse_and());
    }
    return node;
  }

  ConditionNode parse_and() {
    ConditionNode left = parse_not();
    if (!peek("and")) return left;
    ConditionNode node{ConditionNode::Kind::kAnd, {std::move(left)}, {}};
    while (peek("and")) {
      ++pos_;
      node.children.push_back(parse_not());
    }
    return node;
  }

  ConditionNode parse_not() {
    if (peek("not")) {
      ++pos_;
      return ConditionNode{ConditionNode::Kind::kNot, {parse_not()}, {}};
    }
    return parse_atom();
  }

  ConditionNode parse_atom() {
    if (pos_ >= tokens_.size()) throw CompileError("condition ends early");
    const std::string tok = tokens_[pos_++];
    if (tok == "(") {
      ConditionNode inner = parse_or();
      if (!peek(")")) throw CompileError("missing ')' in condition");
      ++pos_;
      return inner;
    }
    if ((tok == "1" || tok == "all" || tok == "any") && peek("of")) {
      ++pos_;
      if (pos_ >= tokens_.size()) throw CompileError("'of' without a pattern");
      const std::string pattern = tokens_[pos_++];
      ConditionNode node{tok == "all" ? ConditionNode::Kind::kAllOf : ConditionNode::Kind::kOneOf, {}, {}};
      node.identifiers = match_pattern(pattern);
      if (node.identifiers.empty()) throw CompileError("'" + tok + " of " + pattern + "' matches no search identifier");
      return node;
    }
    if (tok == ")" || tok == "and" || tok == "or" || tok == "of")
      throw CompileError("unexpected '" + tok + "' in condition");
    for (std::uint32_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == tok) return ConditionNode{ConditionNode::Kind::kIdentifier, {}, {i}};
    }
    throw CompileError("condition names unknown search identifier '" + tok + "'");
  }

  // Identifier patterns: '*' matches any run of characters, everything else itself; linear
  // backtracking to the last '*' (many stars cannot explode).
  static bool glob_match(std::string_view pattern, std::string_view name) {
    std::size_t pi = 0, ni = 0, star = std::string_view::npos, mark = 0;
    while (ni < name.size()) {
      if (pi < pattern.size() && pattern[pi] == '*') {
        star = pi++;
        mark = ni;
      } else if (pi < pattern.size() && pattern[pi] == name[ni]) {
        ++pi;
        ++ni;
      } else if (star != std::string_view::npos) {
        pi = star + 1;
        ni = ++mark;
      } else {
        return false;
      }
    }
    while (pi < pattern.size() && pattern[pi] == '*') ++pi;
    return pi == pattern.size();
  }

  std::vector<std::uint32_t> match_pattern(const std::string& pattern) const {
    std::vector<std::uint32_t> out;
    const bool them = pattern == "them";
    for (std::uint32_t i = 0; i < names_.size(); ++i) {
      // Identifiers starting with '_' are left out unless the pattern itself starts with '_'.
      if (!names_[i].empty() && names_[i][0] == '_' && (them || pattern[0] != '_')) continue;
      if (them || glob_match(pattern, names_[i])) out.push_back(i);
    }
    return out;
  }

  const std::vector<std::string>& names_;
  std::vector<std::string> tokens_;
  std::size_t pos_ = 0;
};

}  // namespace

ConditionNode parse_condition(const std::string& text, const std::vector<std::string>& names) {
  return Parser(text, names).parse();
}

}  // namespace ashiato::sigma
