// The syslog envelope many device logs arrive in (iptables, Cisco ASA, dnsmasq, dhcpd, ...):
// "<PRI>Mmm dd hh:mm:ss host program[pid]: message" (RFC 3164, year inferred, zone from
// --log-tz), "<PRI>1 2024-01-02T03:04:05.000+09:00 host app procid msgid [sd] message" (RFC 5424)
// and the ISO-stamped variant of the first ("2024-01-02T03:04:05+09:00 host program: message").
#pragma once
#include <optional>
#include <string_view>

#include "core/timestamp.h"
#include "logs/line_format.h"

namespace ashiato::logs {

struct SyslogHeader {
  Timestamp time;
  std::string_view host;
  std::string_view program;  // tag without the [pid]; may be empty (e.g. Cisco "%ASA-..." messages)
  std::string_view pid;
  std::string_view message;  // the rest of the line
};

std::optional<SyslogHeader> parse_syslog_header(std::string_view line, const FileContext& file);

// Splits off the first space-separated token: returns it and advances `rest` past following spaces.
std::string_view next_token(std::string_view& rest);

}  // namespace ashiato::logs
