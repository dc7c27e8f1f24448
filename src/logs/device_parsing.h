// Helpers the network-device and server formats share (iptables, FortiGate, Palo Alto, Cisco ASA,
// BIND, Windows DNS, dnsmasq, ISC dhcpd, Windows DHCP): the syslog envelope as daemons write it,
// local wall-clock times through --log-tz, and the small token tests their detectors use.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
#include "logs/line_format.h"
#include "logs/syslog_header.h"

namespace ashiato::logs::device {

// parse_syslog_header, plus the form a daemon writes to a file of its own ("Jan  2 03:04:05
// dnsmasq[12]: message", no host): there the tag would otherwise be taken for the host.
std::optional<SyslogHeader> syslog_envelope(std::string_view line, const FileContext& file);
// Sets time, host and program of the event from the envelope.
void add_envelope(LineEvent& event, const SyslogHeader& header);

// A wall-clock reading in the zone named by --log-tz (UTC when none was given).
std::optional<Timestamp> local_time(const FileContext& file, int year, int month, int day, int hour, int minute,
                                    int second, std::int64_t fraction_ticks = 0);

struct ClockReading {
  int hour = 0, minute = 0, second = 0;
  std::int64_t fraction_ticks = 0;  // 100 ns units
};
// "h:mm:ss", "hh:mm:ss" or "hh:mm:ss.fff" (any number of fraction digits).
std::optional<ClockReading> parse_clock(std::string_view text);
// A number of at most `max_digits` digits.
std::optional<int> small_number(std::string_view text, std::size_t max_digits);

bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
// "00:11:22:33:44:55" or "00-11-22-33-44-55".
bool looks_like_mac(std::string_view text);
// True if more than half of the lines (and at least one) satisfy `fits`.
template <typename Fits>
bool most_lines(const std::vector<std::string_view>& head, Fits&& fits) {
  std::size_t hits = 0;
  for (std::string_view line : head) {
    if (fits(line)) ++hits;
  }
  return hits > 0 && hits * 2 > head.size();
}

}  // namespace ashiato::logs::device
