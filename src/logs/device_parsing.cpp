#include "logs/device_parsing.h"

#include <cctype>

#include "logs/canonical_fields.h"

namespace ashiato::logs::device {

std::optional<SyslogHeader> syslog_envelope(std::string_view line, const FileContext& file) {
  auto h = parse_syslog_header(line, file);
  if (!h || !h->program.empty() || h->host.size() < 2 || h->host.back() != ':') return h;
  // No host: what was read as the host is the tag "program[pid]:", and the message follows it.
  std::string_view tag = h->host.substr(0, h->host.size() - 1);
  std::size_t bracket = tag.find('[');
  if (bracket != std::string_view::npos && tag.back() == ']') {
    h->program = tag.substr(0, bracket);
    h->pid = tag.substr(bracket + 1, tag.size() - bracket - 2);
  } else {
    h->program = tag;
  }
  std::size_t after = static_cast<std::size_t>(h->host.data() + h->host.size() - line.data());
  std::string_view message = line.substr(after);
  while (!message.empty() && message.front() == ' ') message.remove_prefix(1);
  h->message = message;
  h->host = {};
  return h;
}

void add_envelope(LineEvent& event, const SyslogHeader& header) {
  const auto& f = canonical();
  event.set_time(header.time);
  event.optional_field(f.device, header.host);
  event.optional_field(f.program, header.program);
}

std::optional<Timestamp> local_time(const FileContext& file, int year, int month, int day, int hour, int minute,
                                    int second, std::int64_t fraction_ticks) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  CivilTime c{year, month, day, hour, minute, second, fraction_ticks};
  return (file.clock ? *file.clock : LogClock::utc()).to_utc(c);
}

std::optional<int> small_number(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<ClockReading> parse_clock(std::string_view text) {
  std::size_t c1 = text.find(':');
  if (c1 == std::string_view::npos) return std::nullopt;
  std::size_t c2 = text.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return std::nullopt;
  std::string_view seconds = text.substr(c2 + 1);
  std::string_view fraction;
  if (std::size_t dot = seconds.find_first_of(".,"); dot != std::string_view::npos) {
    fraction = seconds.substr(dot + 1);
    seconds = seconds.substr(0, dot);
    if (fraction.empty()) return std::nullopt;
  }
  auto h = small_number(text.substr(0, c1), 2);
  auto m = small_number(text.substr(c1 + 1, c2 - c1 - 1), 2);
  auto s = small_number(seconds, 2);
  if (!h || !m || !s || c2 - c1 != 3 || seconds.size() != 2) return std::nullopt;
  ClockReading r{*h, *m, *s, 0};
  std::int64_t scale = 1'000'000;
  for (char c : fraction) {
    if (c < '0' || c > '9') return std::nullopt;
    r.fraction_ticks += (c - '0') * scale;
    scale /= 10;
  }
  return r;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool looks_like_mac(std::string_view text) {
  if (text.size() != 17) return false;
  char sep = text[2];
  if (sep != ':' && sep != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i % 3 == 2) {
      if (text[i] != sep) return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace ashiato::logs::device
