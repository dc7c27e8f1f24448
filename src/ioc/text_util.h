// Small ASCII text helpers shared by the indicator readers; locale-independent on purpose
// (indicator values are ASCII by definition, and <cctype> depends on the C locale).
#pragma once
#include <string>
#include <string_view>

namespace ashiato::ioc {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_alnum(char c) {
  return is_digit(c) || is_alpha(c);
}
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
inline char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

// Removes quotes, backticks and brackets that wrap a whole token ("'evil.com'", "<evil.com>",
// "`1.2.3.4`", "[::1]"), as lists and prose put them around values.
inline std::string_view strip_wrapping(std::string_view s) {
  while (s.size() >= 2) {
    const char a = s.front(), b = s.back();
    const bool pair = (a == b && (a == '"' || a == '\'' || a == '`')) || (a == '<' && b == '>') ||
                      (a == '(' && b == ')') || (a == '[' && b == ']') || (a == '{' && b == '}');
    if (!pair) break;
    s = trim(s.substr(1, s.size() - 2));
  }
  return s;
}

}  // namespace ashiato::ioc
