#include "logs/syslog_header.h"

#include <cctype>

namespace ashiato::logs {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// "Mmm dd hh:mm:ss" (day space-padded) at the start of `s`; consumes it.
std::optional<Timestamp> bsd_stamp(std::string_view& s, const FileContext& file) {
  if (s.size() < 15 || s[3] != ' ') return std::nullopt;
  int month = month_from_name(s.substr(0, 3));
  if (month == 0) return std::nullopt;
  std::string_view day_text = s.substr(4, 2);
  if (day_text[0] == ' ') day_text.remove_prefix(1);
  std::string_view clock = s.substr(7, 8);
  if (s[6] != ' ' || !all_digits(day_text) || clock[2] != ':' || clock[5] != ':' || !all_digits(clock.substr(0, 2)) ||
      !all_digits(clock.substr(3, 2)) || !all_digits(clock.substr(6, 2))) {
    return std::nullopt;
  }
  std::size_t used = 15;
  std::int64_t fraction = 0;
  if (s.size() > used && s[used] == '.') {  // rsyslog high-precision variant "hh:mm:ss.mmm"
    std::size_t end = used + 1;
    std::int64_t scale = 10'000'000;
    while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) {
      scale /= 10;
      fraction += (s[end] - '0') * scale;
      ++end;
    }
    used = end;
  }
  CivilTime c{0,
              month,
              to_int(day_text),
              to_int(clock.substr(0, 2)),
              to_int(clock.substr(3, 2)),
              to_int(clock.substr(6, 2)),
              fraction};
  c.year = (file.clock ? *file.clock : LogClock::utc()).infer_year(month, c.day, file.modified);
  auto t = (file.clock ? *file.clock : LogClock::utc()).to_utc(c);
  if (!t) return std::nullopt;
  s.remove_prefix(used);
  return t;
}

// An ISO 8601 stamp as the first token; without a zone it is local time.
std::optional<Timestamp> iso_stamp(std::string_view& s, const FileContext& file) {
  std::string_view rest = s;
  std::string_view token = next_token(rest);
  if (token.size() < 19 || token[4] != '-' || token[10] != 'T') return std::nullopt;
  bool zoned = token.back() == 'Z' || token.find_first_of("+-", 19) != std::string_view::npos;
  auto t = parse_iso8601(token);
  if (!t) return std::nullopt;
  if (!zoned && file.clock) {
    t = file.clock->to_utc(to_civil(*t));
    if (!t) return std::nullopt;
  }
  s = rest;
  return t;
}

}  // namespace

std::string_view next_token(std::string_view& rest) {
  std::size_t end = rest.find(' ');
  std::string_view token = rest.substr(0, end);
  if (end == std::string_view::npos) {
    rest = rest.substr(rest.size());  // empty, but still pointing into the line
    return token;
  }
  std::size_t next = end;
  while (next < rest.size() && rest[next] == ' ') ++next;
  rest.remove_prefix(next);
  return token;
}

std::optional<SyslogHeader> parse_syslog_header(std::string_view line, const FileContext& file) {
  std::string_view s = line;
  bool rfc5424 = false;
  if (!s.empty() && s[0] == '<') {
    std::size_t close = s.find('>');
    if (close == std::string_view::npos || close > 4 || !all_digits(s.substr(1, close - 1))) return std::nullopt;
    s.remove_prefix(close + 1);
    if (s.size() > 2 && s[0] == '1' && s[1] == ' ') {
      rfc5424 = true;
      s.remove_prefix(2);
    }
  }
  SyslogHeader h;
  if (auto t = bsd_stamp(s, file)) {
    h.time = *t;
  } else if (auto t2 = iso_stamp(s, file)) {
    h.time = *t2;
  } else {
    return std::nullopt;
  }
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  if (rfc5424) {
    h.host = next_token(s);
    h.program = next_token(s);
    h.pid = next_token(s);
    next_token(s);                    // msgid
    if (!s.empty() && s[0] == '[') {  // structured data: skip balanced [..] groups
      std::size_t i = 0;
      while (i < s.size() && s[i] == '[') {
        bool quoted = false;
        for (++i; i < s.size(); ++i) {
          if (s[i] == '\\') {
            ++i;
          } else if (s[i] == '"') {
            quoted = !quoted;
          } else if (s[i] == ']' && !quoted) {
            ++i;
            break;
          }
        }
      }
      s.remove_prefix(i);
    } else {
      next_token(s);  // "-": no structured data
    }
    while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
    if (h.pid == "-") h.pid = {};
    if (h.program == "-") h.program = {};
    h.message = s;
    return h;
  }
  // Cisco devices log "%ASA-6-302013: ..." right after the stamp (no host) or after the host.
  if (!s.empty() && s[0] == '%') {
    h.message = s;
    return h;
  }
  h.host = next_token(s);
  if (!s.empty() && s[0] == '%') {
    h.message = s;
    return h;
  }
  // The tag ends at ':' (program[pid]: message); some messages have no tag at all.
  std::size_t colon = s.find(": ");
  std::size_t space = s.find(' ');
  if (colon != std::string_view::npos && (space == std::string_view::npos || colon < space || s[colon - 1] == ']')) {
    std::string_view tag = s.substr(0, colon);
    if (tag.size() < 64) {
      std::size_t bracket = tag.find('[');
      if (bracket != std::string_view::npos && tag.back() == ']') {
        h.program = tag.substr(0, bracket);
        h.pid = tag.substr(bracket + 1, tag.size() - bracket - 2);
      } else {
        h.program = tag;
      }
      s.remove_prefix(colon + 2);
    }
  } else if (!s.empty() && s.back() == ':' && space == std::string_view::npos) {
    h.program = s.substr(0, s.size() - 1);
    s = {};
  }
  h.message = s;
  return h;
}

}  // namespace ashiato::logs
