#include "core/timestamp.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace ashiato {
namespace {

constexpr std::int64_t kTicksPerSecond = 10'000'000;
constexpr std::int64_t kTicksPerDay = kTicksPerSecond * 86'400;
// Days from 1601-01-01 to 1970-01-01.
constexpr std::int64_t kDaysFrom1601To1970 = 134'774;

// Howard Hinnant's civil-from-days algorithm, on days since 1970-01-01.
void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(year + (m <= 2 ? 1 : 0));
}

std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m > 2 ? m - 3 : m + 9) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool read_int(std::string_view& s, int width, int& value) {
  if (s.size() < static_cast<size_t>(width)) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + width, value);
  if (ec != std::errc() || p != s.data() + width) return false;
  s.remove_prefix(static_cast<size_t>(width));
  return true;
}

bool eat(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

Timestamp Timestamp::from_unix_seconds(std::int64_t seconds, std::int64_t nanos) {
  // Callers pass parsed, range-checked values; keep the arithmetic defined for any input anyway.
  constexpr std::int64_t kLimit = 900'000'000'000LL;  // ±28,000 years
  seconds = std::clamp(seconds, -kLimit, kLimit);
  return Timestamp{(seconds + kDaysFrom1601To1970 * 86'400) * kTicksPerSecond + nanos / 100};
}

CivilTime to_civil(Timestamp t) {
  std::int64_t days = t.ticks / kTicksPerDay;
  std::int64_t rest = t.ticks % kTicksPerDay;
  if (rest < 0) {
    rest += kTicksPerDay;
    --days;
  }
  CivilTime c{};
  civil_from_days(days - kDaysFrom1601To1970, c.year, c.month, c.day);
  const std::int64_t secs = rest / kTicksPerSecond;
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  c.fraction_ticks = rest % kTicksPerSecond;
  return c;
}

std::optional<Timestamp> from_civil(const CivilTime& c) {
  // Years a FILETIME can hold (1601..30827); anything else in a log is no time.
  if (c.year < 1601 || c.year > 30827 || c.fraction_ticks < 0 || c.fraction_ticks >= kTicksPerSecond) {
    return std::nullopt;
  }
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31 || c.hour < 0 || c.hour > 23 || c.minute < 0 ||
      c.minute > 59 || c.second < 0 || c.second > 60) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(c.year, c.month, c.day) + kDaysFrom1601To1970;
  return Timestamp{days * kTicksPerDay + (c.hour * 3600LL + c.minute * 60LL + c.second) * kTicksPerSecond +
                   c.fraction_ticks};
}

void append_iso8601(std::string& out, Timestamp t, int digits) {
  const CivilTime c = to_civil(t);
  char buf[40];
  char* p = buf;
  auto put = [&p](long long v, int width) {
    for (int i = width - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    p += width;
  };
  if (c.year < 0 || c.year > 9999) {
    p += std::snprintf(p, 12, "%d", c.year);  // outside ISO 8601's 4 digits: rare, exact
  } else {
    put(c.year, 4);
  }
  *p++ = '-';
  put(c.month, 2);
  *p++ = '-';
  put(c.day, 2);
  *p++ = 'T';
  put(c.hour, 2);
  *p++ = ':';
  put(c.minute, 2);
  *p++ = ':';
  put(c.second, 2);
  if (digits > 0) {
    std::int64_t frac = c.fraction_ticks;
    for (int i = 7; i > digits; --i) frac /= 10;
    *p++ = '.';
    put(frac, digits);
  }
  *p++ = 'Z';
  out.append(buf, static_cast<std::size_t>(p - buf));
}

std::string to_iso8601(Timestamp t, int digits) {
  std::string s;
  append_iso8601(s, t, digits);
  return s;
}

std::optional<Timestamp> parse_iso8601(std::string_view s) {
  CivilTime c{};
  if (!read_int(s, 4, c.year) || !eat(s, '-') || !read_int(s, 2, c.month) || !eat(s, '-') || !read_int(s, 2, c.day)) {
    return std::nullopt;
  }
  if (!s.empty() && (s.front() == 'T' || s.front() == ' ')) {
    s.remove_prefix(1);
    if (!read_int(s, 2, c.hour) || !eat(s, ':') || !read_int(s, 2, c.minute)) return std::nullopt;
    if (eat(s, ':')) {
      if (!read_int(s, 2, c.second)) return std::nullopt;
      if (eat(s, '.')) {
        std::int64_t scale = kTicksPerSecond / 10;
        size_t n = 0;
        while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
          c.fraction_ticks += (s[n] - '0') * scale;
          scale /= 10;
          ++n;
        }
        if (n == 0) return std::nullopt;
        s.remove_prefix(n);
      }
    }
  }
  std::int64_t offset_seconds = 0;
  if (eat(s, 'Z') || eat(s, 'z')) {
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    const int sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int hh = 0, mm = 0;
    if (!read_int(s, 2, hh)) return std::nullopt;
    eat(s, ':');
    if (!s.empty() && !read_int(s, 2, mm)) return std::nullopt;
    offset_seconds = sign * (hh * 3600LL + mm * 60LL);
  }
  if (!s.empty()) return std::nullopt;
  auto t = from_civil(c);
  if (!t) return std::nullopt;
  t->ticks -= offset_seconds * kTicksPerSecond;
  return t;
}

}  // namespace ashiato
