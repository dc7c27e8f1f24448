// A cheap test of a raw log line before it is parsed: can any indicator match in it at all? A
// domain, URL host, host:port host or e-mail domain can only match a field that appears verbatim
// in the line, inside a run of host-name characters; an address or a hash likewise. So the line's
// runs are looked up (suffixes on label boundaries, addresses exactly or by CIDR) and a line
// without any candidate need not be parsed. It never rejects a line that could match (for formats
// whose host fields are verbatim); it lets through a few that do not, which parsing then settles.
//
// Most lines of a proxy log hold a time, addresses, a URL, a user and a MIME type, and nearly
// every run in them can be ruled out without hashing: only runs with a dot can be names or IPv4
// addresses, a name only matches if its last label is the last label of some indicator (a handful
// of top-level domains), and numbers only matter if there are address indicators.
#pragma once
#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ioc/domain_table.h"
#include "ioc/indicator_matcher.h"
#include "ioc/ip_address.h"
#include "ioc/line_masks.h"
#include "ioc/top_labels.h"

namespace ashiato::ioc {

class LinePrefilter {
 public:
  // `matcher` must outlive the prefilter. Disabled (usable() false) when some indicator cannot be
  // tested this way (User-Agents, URLs whose host is neither an address nor a domain name).
  explicit LinePrefilter(const IndicatorMatcher& matcher);
  bool usable() const { return usable_; }
  bool may_match(std::string_view line) const;
  // The same for every line of `block` (lines end with '\n'): appends, in order, the start
  // offsets of the lines that may match, and of those the parser must see anyway (empty lines,
  // '#' header and directive lines). Faster than a call per line: one pass builds the masks of
  // many lines at once.
  void select_lines(std::string_view block, std::vector<std::size_t>& starts) const;

 private:
  // The first byte at or after `from` (a line start) of the text behind `masks` that makes its line
  // a candidate, or text.size().
  std::size_t first_candidate(std::string_view text, const LineMasks& masks, std::size_t from) const;
  // The name run ending at byte `end`.
  bool name_end_may_match(std::string_view text, const LineMasks& masks, std::size_t end) const;
  // Byte by byte over every run: lines too long for LineMasks, and indicator sets with hashes or
  // IPv6 addresses (runs without dots).
  bool scan_every_run(std::string_view line) const;
  bool run_may_match(std::string_view run) const;
  // A colon-free piece of a run that holds a dot: a name or an IPv4 address.
  bool dotted_piece_may_match(std::string_view piece) const;
  bool address_may_match(std::string_view text) const;
  // The last character of a name or address candidate (before a trailing dot): cheap first test.
  bool may_end_a_candidate(char c) const { return top_labels_.may_end_with(c) || (ipv4_ && c >= '0' && c <= '9'); }

  const IndicatorMatcher& matcher_;  // domains, addresses, networks and hashes
  bool usable_ = true;
  bool names_ = false, ipv4_ = false, ipv6_ = false, hashes_ = false;
  DomainTable other_names_;                                 // hosts of URL and host:port indicators, e-mail domains
  std::unordered_set<IpAddress, IpAddressHash> other_ips_;  // address hosts of URL and host:port indicators
  TopLabels top_labels_;                                    // last labels of every name above
  // The bytes may_end_a_candidate() accepts, and '.', for LineMasks; unset if a non-ASCII byte
  // would be one of them.
  ByteSet name_end_bytes_;
  bool name_end_bytes_usable_ = false;
};

}  // namespace ashiato::ioc
