#include "sigma/engine/value_matchers.h"

#include "sigma/engine/regex_literal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <pcre2.h>

#include <cctype>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "core/timestamp.h"

namespace ashiato::sigma {

std::optional<double> parse_number(std::string_view v) {
  // Decimal text only: an optional sign, digits, an optional fraction (no inf, nan, hex).
  std::string_view digits = v;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  if (digits.empty() || !(std::isdigit(static_cast<unsigned char>(digits[0])) || digits[0] == '.')) return std::nullopt;
  double d = 0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), d, std::chars_format::fixed);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
  return v[0] == '-' ? -d : d;
}

RegexValue::RegexValue(const std::string& expression, bool ignore_case, bool multiline, bool dotall) {
  std::uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
  if (ignore_case) options |= PCRE2_CASELESS;
  if (multiline) options |= PCRE2_MULTILINE;
  if (dotall) options |= PCRE2_DOTALL;
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(expression.data()), expression.size(), options, &error,
                                   &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    throw std::invalid_argument("invalid regular expression at offset " + std::to_string(offset) + ": " +
                                reinterpret_cast<const char*>(message));
  }
  literal_ = required_regex_literal(expression, ignore_case);
  bytes_ = required_regex_bytes(expression, ignore_case);
  gapped_ = GappedLiterals::parse(expression, ignore_case, dotall);
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if JIT is unavailable
  code_ = code;
}

RegexValue::~RegexValue() {
  pcre2_code_free(static_cast<pcre2_code*>(code_));
}

bool RegexValue::matches(std::string_view v, MatchState& state) const {
  if (!bytes_.met_by(v)) return false;
  if (gapped_ && is_ascii(v)) return gapped_->matches(v);
  const int rc = pcre2_match(static_cast<pcre2_code*>(code_), reinterpret_cast<PCRE2_SPTR>(v.data()), v.size(), 0, 0,
                             state.regex_match_data(), nullptr);
  return rc >= 0;
}

bool NumberValue::matches(std::string_view v, MatchState&) const {
  if (v.size() == text_.size() && std::memcmp(v.data(), text_.data(), v.size()) == 0) return true;
  const auto n = parse_number(v);
  return n && *n == number_;
}

bool BoolValue::matches(std::string_view v, MatchState&) const {
  const std::string_view want = b_ ? "true" : "false";
  if (v.size() != want.size()) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (fold(v[i]) != want[i]) return false;
  }
  return true;
}

CidrValue::CidrValue(const std::string& network) {
  const auto slash = network.find('/');
  const std::string address = network.substr(0, slash);
  v6_ = address.find(':') != std::string::npos;
  if (inet_pton(v6_ ? AF_INET6 : AF_INET, address.c_str(), net_.data()) != 1) {
    throw std::invalid_argument("invalid CIDR network '" + network + "'");
  }
  const int max = v6_ ? 128 : 32;
  prefix_ = max;
  if (slash != std::string::npos) {
    const std::string bits = network.substr(slash + 1);
    const auto r = std::from_chars(bits.data(), bits.data() + bits.size(), prefix_);
    if (r.ec != std::errc() || r.ptr != bits.data() + bits.size() || prefix_ < 0 || prefix_ > max) {
      throw std::invalid_argument("invalid CIDR prefix in '" + network + "'");
    }
  }
}

bool CidrValue::matches(std::string_view v, MatchState&) const {
  if (v.empty() || v.size() > 64) return false;
  char text[65];
  std::memcpy(text, v.data(), v.size());
  text[v.size()] = '\0';
  std::array<std::uint8_t, 16> ip{};
  if (inet_pton(v6_ ? AF_INET6 : AF_INET, text, ip.data()) != 1) return false;
  int bits = prefix_;
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xFF : static_cast<std::uint8_t>(0xFF << (8 - bits));
    if ((ip[i] & mask) != (net_[i] & mask)) return false;
  }
  return true;
}

bool CompareValue::matches(std::string_view v, MatchState&) const {
  const auto n = parse_number(v);
  if (!n) return false;
  switch (op_) {
    case Comparison::kLt: return *n < n_;
    case Comparison::kLte: return *n <= n_;
    case Comparison::kGt: return *n > n_;
    case Comparison::kGte: return *n >= n_;
  }
  return false;
}

// The other field's value is the literal of the comparison (wildcard characters in it are plain
// text), compared as a pattern of that one literal would be; without building one per event.
bool FieldRefValue::matches(std::string_view v, MatchState& state) const {
  if (cased_) return matches(v, v, state);
  const std::string folded_v = folded(v);
  return matches(v, folded_v, state);
}

bool FieldRefValue::matches(std::string_view v, std::string_view folded_v, MatchState& state) const {
  const auto other = state.event().get(other_);
  if (!other) return false;
  if (cased_) return related(v, *other);
  // fieldref is rare in rules: a copy per comparison costs nothing worth keeping memory for.
  return related(folded_v, folded(*other));
}

bool FieldRefValue::related(std::string_view value, std::string_view other) const {
  switch (how_) {
    case How::kEquals: return value == other;
    case How::kStartsWith: return value.starts_with(other);
    case How::kEndsWith: return value.ends_with(other);
    case How::kContains:
      return other.empty() || ::memmem(value.data(), value.size(), other.data(), other.size()) != nullptr;
  }
  return false;
}

bool TimePartValue::matches(std::string_view v, MatchState&) const {
  const auto t = parse_iso8601(v.size() > 19 && v[10] == ' ' ? std::string(v).replace(10, 1, "T") : std::string(v));
  if (!t) return false;
  const CivilTime c = to_civil(*t);
  std::int64_t part = 0;
  switch (part_) {
    case Part::kMinute: part = c.minute; break;
    case Part::kHour: part = c.hour; break;
    case Part::kDay: part = c.day; break;
    case Part::kMonth: part = c.month; break;
    case Part::kYear: part = c.year; break;
    case Part::kWeek: {  // ISO 8601 week number (weeks start on Monday; week 1 holds a Thursday)
      const std::int64_t day = t->ticks / (10'000'000LL * 86'400);  // days since 1601-01-01, a Monday
      const int weekday = static_cast<int>(day % 7);                // 0 = Monday
      const std::int64_t thursday = day - weekday + 3;              // this ISO week's Thursday
      CivilTime th = to_civil(Timestamp{thursday * 10'000'000LL * 86'400});
      CivilTime jan1{th.year, 1, 1, 0, 0, 0, 0};
      const std::int64_t first = from_civil(jan1)->ticks / (10'000'000LL * 86'400);
      part = (thursday - first) / 7 + 1;
      break;
    }
  }
  return part == n_;
}

}  // namespace ashiato::sigma
