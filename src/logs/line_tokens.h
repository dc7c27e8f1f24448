// Small tokenisers the line formats share: space-separated fields with "quoted" and [bracketed]
// values, CSV fields with quote doubling, key=value pairs, numbers and URL parts. All return views
// into the line; nothing allocates.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
#include "logs/line_format.h"

namespace ashiato::logs {

// Splits on runs of spaces; a token starting with '"' runs to the matching '"' (backslash escapes)
// and is returned without the quotes; "[...]" likewise without the brackets when `brackets`.
// Returns false if a quote is not closed.
bool split_spaced(std::string_view line, std::vector<std::string_view>& out, bool brackets = false);
// Splits one CSV record (RFC 4180 quotes, no embedded newlines) on `separator`. Values come
// without their enclosing quotes; doubled quotes inside stay doubled (see unquote_csv).
bool split_csv(std::string_view line, char separator, std::vector<std::string_view>& out);
// True if the field was quoted and contains doubled quotes that need undoubling.
bool csv_needs_unquote(std::string_view field);
std::string unquote_csv(std::string_view field);
// key=value pairs separated by spaces (FortiGate style); values may be "quoted".
bool split_key_values(std::string_view text, std::vector<std::pair<std::string_view, std::string_view>>& out);

bool all_digits(std::string_view s);
std::optional<std::uint64_t> parse_uint(std::string_view s);
// "1157689312.049" → time.
std::optional<Timestamp> parse_epoch(std::string_view s);
bool looks_like_ipv4(std::string_view s);
bool looks_like_ip(std::string_view s);  // IPv4 or IPv6 (loosely: hex digits and colons)

// The parts of a URL (or a CONNECT "host:port") for the proxy fields.
struct UrlParts {
  std::string_view host;
  std::string_view port;
  std::string_view path;       // from the first '/' up to '?' (may be empty)
  std::string_view query;      // after '?', without it
  std::string_view extension;  // of the last path segment, without the dot
};
UrlParts split_url(std::string_view url);
// Adds c-uri, cs-host, c-uri-stem, c-uri-query, c-uri-extension (and dst_port from an explicit
// port) for a URL found in the line.
void add_url_fields(LineEvent& event, std::string_view url);

}  // namespace ashiato::logs
