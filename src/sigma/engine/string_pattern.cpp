#include "sigma/engine/string_pattern.h"

#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ashiato::sigma {
namespace {

void add_literal(Pattern& p, std::string_view text) {
  if (text.empty()) return;
  if (!p.empty() && p.back().kind == PatternToken::kLiteral) {
    p.back().text.append(text);
  } else {
    p.push_back(PatternToken{PatternToken::kLiteral, std::string(text)});
  }
}

bool equal_folded(const char* a, const char* b, std::size_t n, bool cased) {
  if (cased) return std::memcmp(a, b, n) == 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (fold(a[i]) != b[i]) return false;
  }
  return true;
}

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 6) return 2;
  if ((lead >> 4) == 14) return 3;
  if ((lead >> 3) == 30) return 4;
  return 1;
}

// Wildcard match in O(len(pattern) x len(value)) at worst: on a mismatch only the last '*' is
// retried one character further (patterns with many stars cannot explode; found by fuzzing).
bool glob(const std::vector<GlobUnit>& units, std::string_view s, bool cased) {
  using Unit = GlobUnit;
  std::size_t pi = 0, si = 0, star = std::string::npos, mark = 0;
  while (si < s.size()) {
    if (pi < units.size() && units[pi].kind == Unit::kChar && (cased ? s[si] : fold(s[si])) == units[pi].c) {
      ++pi;
      ++si;
    } else if (pi < units.size() && units[pi].kind == Unit::kAnyChar) {
      ++pi;
      si += utf8_length(static_cast<unsigned char>(s[si]));
    } else if (pi < units.size() && units[pi].kind == Unit::kAnyString) {
      star = pi++;
      mark = si;
    } else if (star != std::string::npos) {
      pi = star + 1;
      mark += utf8_length(static_cast<unsigned char>(s[mark]));
      si = mark;
    } else {
      return false;
    }
  }
  if (si > s.size()) return false;
  while (pi < units.size() && units[pi].kind == Unit::kAnyString) ++pi;
  return pi == units.size();
}

#if defined(__SSE2__)
// fold() of 16 bytes. Signed compares: bytes of 0x80 and above (UTF-8) are negative, hence never
// upper case.
__m128i fold16(__m128i x) {
  const __m128i upper =
      _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)), _mm_cmpgt_epi8(_mm_set1_epi8('Z' + 1), x));
  return _mm_add_epi8(x, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
}
#endif

}  // namespace

std::string folded(std::string_view s) {
  std::string out;
  append_folded(out, s);
  return out;
}

void append_folded(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  out.resize(start + s.size());
  fold_into(out.data() + start, s);
}

char* fold_into(char* to, std::string_view s) {
  const char* from = s.data();
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to + i), fold16(x));
  }
#endif
  for (; i < s.size(); ++i) to[i] = fold(from[i]);
  return to + s.size();
}

std::size_t find_folded(std::string_view text, std::string_view folded_needle, std::size_t from) {
  const std::size_t m = folded_needle.size();
  if (from > text.size() || text.size() - from < m) return std::string_view::npos;
  if (m == 0) return from;
  const std::size_t last_start = text.size() - m;
  std::size_t at = from;
#if defined(__SSE2__)
  // Candidates are where the needle's first and last bytes both match (16 starts at once); only
  // those are compared in full.
  const __m128i first = _mm_set1_epi8(folded_needle.front());
  const __m128i last = _mm_set1_epi8(folded_needle.back());
  for (; at + 15 <= last_start; at += 16) {  // the 16 starts at .. at + 15 all fit
    const char* p = text.data() + at;
    const __m128i at_first = fold16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    const __m128i at_last = fold16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + m - 1)));
    auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(at_first, first), _mm_cmpeq_epi8(at_last, last))));
    while (mask != 0) {
      const std::size_t start = at + static_cast<std::size_t>(__builtin_ctz(mask));
      if (equal_folded(text.data() + start + 1, folded_needle.data() + 1, m - 1, false)) return start;
      mask &= mask - 1;
    }
  }
#endif
  for (; at <= last_start; ++at) {
    if (equal_folded(text.data() + at, folded_needle.data(), m, false)) return at;
  }
  return std::string_view::npos;
}

Pattern parse_pattern(std::string_view v) {
  Pattern p;
  std::string literal;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '\\') {
      if (i + 1 < v.size() && (v[i + 1] == '*' || v[i + 1] == '?' || v[i + 1] == '\\')) {
        literal.push_back(v[i + 1]);
        ++i;
      } else {
        literal.push_back('\\');  // before any other char, and a trailing one, stays literal
      }
    } else if (c == '*' || c == '?') {
      add_literal(p, literal);
      literal.clear();
      p.push_back(PatternToken{c == '*' ? PatternToken::kAnyString : PatternToken::kAnyChar, {}});
    } else {
      literal.push_back(c);
    }
  }
  add_literal(p, literal);
  return p;
}

Pattern literal_pattern(const std::string& value) {
  Pattern p;
  add_literal(p, value);
  return p;
}

bool has_wildcards(const Pattern& p) {
  for (const auto& t : p) {
    if (t.kind != PatternToken::kLiteral) return true;
  }
  return false;
}

std::string literal_text(const Pattern& p) {
  std::string s;
  for (const auto& t : p) s += t.text;
  return s;
}

void prepend_any(Pattern& p) {
  if (p.empty() || p.front().kind != PatternToken::kAnyString)
    p.insert(p.begin(), PatternToken{PatternToken::kAnyString, {}});
}

void append_any(Pattern& p) {
  if (p.empty() || p.back().kind != PatternToken::kAnyString) p.push_back(PatternToken{PatternToken::kAnyString, {}});
}

StringMatcher::StringMatcher(const Pattern& pattern, bool case_sensitive)
    : shape_(Shape::kGlob), cased_(case_sensitive) {
  Pattern p = pattern;
  if (!cased_) {
    for (auto& t : p) t.text = folded(t.text);
  }
  const auto lit = [&](std::size_t i) { return i < p.size() && p[i].kind == PatternToken::kLiteral; };
  const auto star = [&](std::size_t i) { return i < p.size() && p[i].kind == PatternToken::kAnyString; };
  if (p.empty()) {
    shape_ = Shape::kExact;
  } else if (p.size() == 1 && lit(0)) {
    shape_ = Shape::kExact;
    needle_ = p[0].text;
  } else if (p.size() == 1 && star(0)) {
    shape_ = Shape::kAny;
  } else if (p.size() == 2 && lit(0) && star(1)) {
    shape_ = Shape::kPrefix;
    needle_ = p[0].text;
  } else if (p.size() == 2 && star(0) && lit(1)) {
    shape_ = Shape::kSuffix;
    needle_ = p[1].text;
  } else if (p.size() == 3 && star(0) && lit(1) && star(2)) {
    shape_ = Shape::kContains;
    needle_ = p[1].text;
  } else {
    for (const auto& t : p) {
      if (t.kind == PatternToken::kLiteral && t.text.size() > needle_.size()) needle_ = t.text;
    }
    for (const auto& t : p) {
      if (t.kind == PatternToken::kLiteral) {
        for (char c : t.text) glob_.push_back(GlobUnit{GlobUnit::kChar, c});
      } else if (t.kind == PatternToken::kAnyChar) {
        glob_.push_back(GlobUnit{GlobUnit::kAnyChar, 0});
      } else if (glob_.empty() || glob_.back().kind != GlobUnit::kAnyString) {
        glob_.push_back(GlobUnit{GlobUnit::kAnyString, 0});
      }
    }
  }
}

bool StringMatcher::matches(std::string_view v) const {
  switch (shape_) {
    case Shape::kExact: return v.size() == needle_.size() && equal_folded(v.data(), needle_.data(), v.size(), cased_);
    case Shape::kPrefix:
      return v.size() >= needle_.size() && equal_folded(v.data(), needle_.data(), needle_.size(), cased_);
    case Shape::kSuffix:
      return v.size() >= needle_.size() &&
             equal_folded(v.data() + v.size() - needle_.size(), needle_.data(), needle_.size(), cased_);
    case Shape::kContains: return (cased_ ? v.find(needle_) : find_folded(v, needle_)) != std::string_view::npos;
    case Shape::kAny: return true;
    case Shape::kGlob: return glob(glob_, v, cased_);
  }
  return false;
}

bool StringMatcher::matches(std::string_view raw, std::string_view folded) const {
  const std::string_view v = cased_ ? raw : folded;
  switch (shape_) {
    case Shape::kExact: return v.size() == needle_.size() && std::memcmp(v.data(), needle_.data(), v.size()) == 0;
    case Shape::kPrefix:
      return v.size() >= needle_.size() && std::memcmp(v.data(), needle_.data(), needle_.size()) == 0;
    case Shape::kSuffix:
      return v.size() >= needle_.size() &&
             std::memcmp(v.data() + v.size() - needle_.size(), needle_.data(), needle_.size()) == 0;
    case Shape::kContains: return ::memmem(v.data(), v.size(), needle_.data(), needle_.size()) != nullptr;
    case Shape::kAny: return true;
    case Shape::kGlob: return glob(glob_, v, true);
  }
  return false;
}

std::string StringMatcher::describe() const {
  static const char* names[] = {"equals", "startswith", "endswith", "contains", "any", "glob"};
  return std::string(names[static_cast<int>(shape_)]) + " '" + needle_ + "'";
}

bool is_ascii(std::string_view text) {
  std::uint64_t any = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    any |= word;
  }
  for (; i < text.size(); ++i) any |= static_cast<unsigned char>(text[i]);
  return (any & 0x8080808080808080ULL) == 0;
}

}  // namespace ashiato::sigma
