// Indicators of compromise: their types, and the normal form every indicator is kept in so that a
// value written as "hxxp://EVIL[.]com:80/a#x" in one file and "http://evil.com/a" in a log compare
// equal. Readers of indicator files (indicator_files.h) and the matcher (indicator_matcher.h) both
// build on the functions here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.h"

namespace ashiato::ioc {

enum class IndicatorType { kDomain, kUrl, kIpv4, kIpv6, kCidr, kHostPort, kMd5, kSha1, kSha256, kUserAgent, kEmail };
inline constexpr int kIndicatorTypeCount = 11;

// "domain", "url", "ipv4", "ipv6", "cidr", "host:port", "md5", "sha1", "sha256", "user-agent", "email"
std::string_view type_name(IndicatorType type);
// The inverse of type_name (exact names only; see typed_value.h for the names other tools use).
std::optional<IndicatorType> type_from_name(std::string_view name);

struct Indicator {
  IndicatorType type = IndicatorType::kDomain;
  // Normal form: refanged; domain lowercase without trailing dot; URL as normalise_url gives it;
  // IPs canonical (IPv6 per RFC 5952); CIDR "net/len" with host bits cleared; hashes lowercase;
  // host:port as "host:port" ("[v6]:port" for IPv6); e-mail lowercase.
  std::string value;
  // Where it came from: "path:line" for text and CSV, "path#<STIX id or MISP attribute uuid>" for JSON.
  std::string source;
  // Context from the file: STIX indicator name, MISP event info and attribute comment, a CSV
  // comment column, a text comment.
  std::string label;
  std::optional<Timestamp> valid_from, valid_until;  // STIX validity window (UTC)
  // MISP's to_ids flag: false marks attributes their author did not mean for detection (context,
  // or known false positives). Such indicators are read all the same; callers decide.
  bool to_ids = true;
  // How many times the same (type, value) occurred in the input; IndicatorMatcher merges duplicates.
  std::uint32_t occurrences = 1;
};

// Undoes the usual defanging: hxxp/hxxps/fxp schemes, [.] (.) {.} [dot] (dot) {dot}, [:] [://] [/],
// [@] (@) [at] (at), full-width dots between ASCII letters or digits. Brackets may hold spaces and
// the word forms are case-insensitive; spaces around a bracketed dot or at are dropped
// ("evil [dot] com" is "evil.com").
std::string refang(std::string_view text);
// Whether refang() changes `text`.
bool is_defanged(std::string_view text);
// refang() without a copy when there is nothing to undo: returns `text`, or the refanged text
// kept in `storage` (lists of 100,000 plain names are common).
std::string_view refanged(std::string_view text, std::string& storage);

// The type and normal form of one token of free text (refanged first). Recognised, in this order:
// URLs (a scheme, or host[:port]/path), e-mail addresses, MD5/SHA-1/SHA-256 hex, IPv4, CIDR,
// host:port, IPv6, domains. Stricter than the typed normalisers below so that prose does not turn
// into indicators: a domain needs a top-level label of letters (or xn--), and names ending in a
// common file extension that is no top-level domain (".exe", ".dll", ".txt"...) are no domains.
// nullopt if the token is no indicator. User-agents are never guessed from free text.
std::optional<Indicator> classify(std::string_view token);

// Lowercase scheme and host, default port dropped (80 for http, 443 for https), percent-encoding
// of unreserved characters decoded and of the others uppercased, bytes outside printable ASCII
// percent-encoded, "/" for an empty path, the #fragment dropped. A URL without a scheme is taken as
// http. nullopt without a valid host.
std::optional<std::string> normalise_url(std::string_view url);
// The same into `out` (cleared first), reusing its capacity: the matcher's allocation-free path.
bool normalise_url_into(std::string_view url, std::string& out);
// Lowercase, trailing dot stripped, a leading "*." stripped (a domain indicator covers its
// subdomains anyway). Labels of 1-63 characters of letters, digits, '-' and '_' (seen in real
// names), at least two labels, not all-numeric at the top. Internationalised names must be given
// in their xn-- form.
std::optional<std::string> normalise_domain(std::string_view host);
// Lowercase; "Name <addr>" and "mailto:" forms accepted; the domain must pass normalise_domain.
std::optional<std::string> normalise_email(std::string_view address);
// "host:port" with a domain or IPv4 host, or "[v6]:port"; port 1-65535.
std::optional<std::string> normalise_host_port(std::string_view text);

// Normal form of `value` as an indicator of `type`; nullopt if it is not one. IPv4 and IPv6
// accept only their own family; CIDR accepts "addr/len".
std::optional<std::string> normalise_value(IndicatorType type, std::string_view value);

// The host of a URL as written (no normalisation), without userinfo, port or IPv6 brackets;
// empty if there is none. For callers that look up a URL's host with IndicatorMatcher::match_host.
std::string_view url_host(std::string_view url);

}  // namespace ashiato::ioc
