// Tests of one event value against one rule value, one class per kind of Sigma value.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.h"
#include "sigma/engine/gapped_literals.h"
#include "sigma/engine/match_state.h"
#include "sigma/engine/regex_literal.h"
#include "sigma/engine/string_pattern.h"

namespace ashiato::sigma {

class ValueMatcher {
 public:
  virtual ~ValueMatcher() = default;
  // `state` gives access to the event's other fields (fieldref) and working memory (regex).
  virtual bool matches(std::string_view value, MatchState& state) const = 0;
  // With the value's ASCII-folded form at hand; string patterns use it.
  virtual bool matches(std::string_view value, std::string_view folded, MatchState& state) const {
    (void)folded;
    return matches(value, state);
  }
  // A folded literal that every value this matcher accepts contains (empty: none known); the
  // rule set registers it with its literal prefilter.
  virtual std::string required_literal() const { return {}; }
  // The literal prefilter's needle that must occur for this matcher to match, or -1; when
  // prefilter_decides(), its occurrence is the whole answer.
  std::int64_t prefilter_needle() const { return needle_; }
  void set_prefilter_needle(std::uint32_t id) { needle_ = id; }
  virtual bool prefilter_decides() const { return false; }
  // For a plain case-insensitive "contains literal" value: the folded literal, else nullptr.
  virtual const std::string* folded_contains_literal() const { return nullptr; }
  // Whether the answer depends on more than the value (fieldref reads another field).
  virtual bool reads_other_fields() const { return false; }

 private:
  std::int64_t needle_ = -1;
};

class PatternValue final : public ValueMatcher {
 public:
  PatternValue(const Pattern& p, bool cased) : m_(p, cased) {}
  bool matches(std::string_view v, MatchState&) const override { return m_.matches(v); }
  bool matches(std::string_view v, std::string_view folded, MatchState&) const override {
    return m_.matches(v, folded);
  }
  std::string required_literal() const override { return m_.has_folded_literal() ? m_.needle() : std::string{}; }
  bool prefilter_decides() const override { return m_.is_folded_contains(); }
  const std::string* folded_contains_literal() const override {
    return m_.is_folded_contains() ? &m_.needle() : nullptr;
  }
  const StringMatcher& matcher() const { return m_; }

 private:
  StringMatcher m_;
};

// Unanchored PCRE2 search; flags from the i/m/s modifiers. Throws std::invalid_argument on a bad
// expression (with PCRE2's message and offset).
class RegexValue final : public ValueMatcher {
 public:
  RegexValue(const std::string& expression, bool ignore_case, bool multiline, bool dotall);
  ~RegexValue() override;
  bool matches(std::string_view v, MatchState&) const override;
  std::string required_literal() const override { return literal_; }

 private:
  void* code_ = nullptr;                  // pcre2_code_8*
  std::string literal_;                   // see required_regex_literal
  RequiredBytes bytes_;                   // see required_regex_bytes
  std::optional<GappedLiterals> gapped_;  // for ASCII values, when the expression is one
};

// A number from the rule matches the event value numerically or as decimal text.
class NumberValue final : public ValueMatcher {
 public:
  explicit NumberValue(double n, std::string text) : number_(n), text_(std::move(text)) {}
  bool matches(std::string_view v, MatchState&) const override;

 private:
  double number_;
  std::string text_;
};

class BoolValue final : public ValueMatcher {
 public:
  explicit BoolValue(bool b) : b_(b) {}
  bool matches(std::string_view v, MatchState&) const override;

 private:
  bool b_;
};

class CidrValue final : public ValueMatcher {
 public:
  // Throws std::invalid_argument for a malformed network.
  explicit CidrValue(const std::string& network);
  bool matches(std::string_view v, MatchState&) const override;

 private:
  bool v6_ = false;
  std::array<std::uint8_t, 16> net_{};
  int prefix_ = 0;
};

enum class Comparison { kLt, kLte, kGt, kGte };
class CompareValue final : public ValueMatcher {
 public:
  CompareValue(Comparison op, double n) : op_(op), n_(n) {}
  bool matches(std::string_view v, MatchState&) const override;

 private:
  Comparison op_;
  double n_;
};

// fieldref: the value equals (or starts/ends with, contains) another field's value.
class FieldRefValue final : public ValueMatcher {
 public:
  enum class How { kEquals, kStartsWith, kEndsWith, kContains };
  FieldRefValue(FieldId other, How how, bool cased) : other_(other), how_(how), cased_(cased) {}
  bool matches(std::string_view v, MatchState& state) const override;
  // Case-insensitive: the value's folded form (the caller's, made once per event) against the
  // other value folded.
  bool matches(std::string_view v, std::string_view folded, MatchState& state) const override;
  bool reads_other_fields() const override { return true; }

 private:
  // How `value` relates to `other`, both as they are (cased) or both folded.
  bool related(std::string_view value, std::string_view other) const;

  FieldId other_;
  How how_;
  bool cased_;
};

// minute/hour/day/week/month/year of a timestamp value, compared with a number.
class TimePartValue final : public ValueMatcher {
 public:
  enum class Part { kMinute, kHour, kDay, kWeek, kMonth, kYear };
  TimePartValue(Part part, std::int64_t n) : part_(part), n_(n) {}
  bool matches(std::string_view v, MatchState&) const override;

 private:
  Part part_;
  std::int64_t n_;
};

// Parses decimal integers and decimals ("4688", "-1", "2.5"); nullopt for anything else.
std::optional<double> parse_number(std::string_view v);

}  // namespace ashiato::sigma
