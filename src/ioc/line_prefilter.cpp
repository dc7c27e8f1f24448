#include "ioc/line_prefilter.h"

#include <algorithm>
#include <array>

#include "ioc/line_masks.h"
#include "ioc/text_util.h"

namespace ashiato::ioc {
namespace {

// Characters of host names, IPv4/IPv6 literals and hex hashes, for the byte-by-byte scan (the
// masks leave ':' out of names; here it joins IPv6 literals and host:port into one run).
constexpr std::array<bool, 256> run_characters() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  t['.'] = t['-'] = t['_'] = t[':'] = true;
  return t;
}
constexpr auto kRun = run_characters();

// Runs shorter than this ("a.b") are no host name an indicator can have.
constexpr std::size_t kShortestRun = 3;

bool is_hex(std::string_view s) {
  for (char c : s) {
    if (hex_digit(c) < 0) return false;
  }
  return true;
}

}  // namespace

LinePrefilter::LinePrefilter(const IndicatorMatcher& matcher) : matcher_(matcher) {
  // The host of a URL or host:port indicator, or an e-mail domain: looked up like a domain or an
  // address indicator of its own.
  auto add_host = [&](std::string_view host) {
    if (auto address = parse_ip(host)) {
      (address->v6 && !unmap_ipv4(*address) ? ipv6_ : ipv4_) = true;
      if (auto v4 = unmap_ipv4(*address)) address = v4;
      other_ips_.insert(*address);
    } else if (auto name = normalise_domain(host)) {
      names_ = true;
      other_names_.add(*name, 0);
      top_labels_.add_name_of(*name);
    } else {
      usable_ = false;  // a single-label host ("intranet"): not worth a special case
    }
  };
  for (const Indicator& i : matcher.indicators()) {
    switch (i.type) {
      case IndicatorType::kDomain:
        names_ = true;
        top_labels_.add_name_of(i.value);
        break;
      case IndicatorType::kIpv4: ipv4_ = true; break;
      case IndicatorType::kIpv6: ipv6_ = true; break;
      case IndicatorType::kCidr: (i.value.find(':') != std::string::npos ? ipv6_ : ipv4_) = true; break;
      case IndicatorType::kUrl: add_host(url_host(i.value)); break;
      case IndicatorType::kHostPort: {
        std::string_view host = std::string_view(i.value).substr(0, i.value.rfind(':'));
        if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
        add_host(host);
        break;
      }
      case IndicatorType::kEmail: add_host(std::string_view(i.value).substr(i.value.find('@') + 1)); break;
      case IndicatorType::kMd5:
      case IndicatorType::kSha1:
      case IndicatorType::kSha256: hashes_ = true; break;
      case IndicatorType::kUserAgent: usable_ = false; break;
    }
  }
  other_names_.build();
  // The same first test name_end_may_match() makes, as a set LineMasks tests 32 bytes at a time.
  name_end_bytes_usable_ = true;
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (c != '.' && !may_end_a_candidate(c)) continue;
    if (b >= 0x80) name_end_bytes_usable_ = false;
    name_end_bytes_.add(static_cast<unsigned char>(b));
  }
}

bool LinePrefilter::address_may_match(std::string_view text) const {
  auto address = parse_ip(text);
  if (!address) return false;
  if (matcher_.match_ip(*address) >= 0) return true;
  if (other_ips_.empty()) return false;
  if (auto v4 = unmap_ipv4(*address)) address = v4;
  return other_ips_.count(*address) != 0;
}

bool LinePrefilter::dotted_piece_may_match(std::string_view piece) const {
  if (piece.back() == '.') piece.remove_suffix(1);  // "evil.com." is evil.com
  // The last label, from the end (labels are short; no call of rfind per run).
  std::size_t dot = piece.size();
  bool digits = true;
  while (dot > 0 && piece[dot - 1] != '.') digits = is_digit(piece[--dot]) && digits;
  if (dot == 0) return false;  // every indicator name has two labels at least
  const std::string_view last = piece.substr(dot);
  // No name indicator ends in a number (normalise_domain): digits can only end an IPv4 address.
  if (digits) return ipv4_ && address_may_match(piece);
  if (!names_ || !top_labels_.contains(last)) return false;
  return matcher_.match_domain(piece) >= 0 || other_names_.match(piece) >= 0;
}

bool LinePrefilter::run_may_match(std::string_view run) const {
  if (hashes_ && (run.size() == 32 || run.size() == 40 || run.size() == 64) && is_hex(run) &&
      matcher_.match_hash(run) >= 0) {
    return true;
  }
  const std::size_t colon = run.find(':');
  if (colon != std::string_view::npos && ipv6_ && address_may_match(run)) return true;  // a whole IPv6 literal
  // "host:port", "scheme:…", "::ffff:1.2.3.4" pieces: names and IPv4 addresses between the colons.
  std::size_t start = 0;
  while (start < run.size()) {
    const std::size_t end = std::min(run.find(':', start), run.size());
    const std::string_view piece = run.substr(start, end - start);
    if (piece.size() >= kShortestRun && piece.find('.') != std::string_view::npos && dotted_piece_may_match(piece)) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

bool LinePrefilter::scan_every_run(std::string_view line) const {
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  const std::size_t n = line.size();
  std::size_t i = 0;
  while (i < n) {
    while (i < n && !kRun[p[i]]) ++i;
    const std::size_t start = i;
    while (i < n && kRun[p[i]]) ++i;
    if (i - start >= kShortestRun && run_may_match(line.substr(start, i - start))) return true;
  }
  return false;
}

bool LinePrefilter::name_end_may_match(std::string_view text, const LineMasks& masks, std::size_t end) const {
  // Names and IPv4 addresses end with a character that the last label of some indicator ends
  // with (or a digit): most runs of a line (numbers, words, file names) stop here.
  const char last = text[end];
  if (last != '.' && !may_end_a_candidate(last)) return false;
  const std::size_t start = masks.name_start(end);
  if (end + 1 - start < kShortestRun) return false;
  return dotted_piece_may_match(text.substr(start, end + 1 - start));
}

std::size_t LinePrefilter::first_candidate(std::string_view text, const LineMasks& masks, std::size_t from) const {
  if (hashes_ || ipv6_) {
    // Every run, byte by byte: lines with a candidate or forcing their parsing.
    for (std::size_t line = from; line < text.size();) {
      const std::size_t end = masks.line_end(line);
      // The line's '\n' included: an empty line's mark is there.
      const std::size_t limit = std::min(end + 1, text.size());
      if (masks.next_forcing(line, limit) < limit || scan_every_run(text.substr(line, end - line))) return line;
      line = end + 1;
    }
    return text.size();
  }
  for (std::size_t mark = masks.next_mark(from); mark < text.size(); mark = masks.next_mark(mark + 1)) {
    if (masks.is_forcing(mark) || name_end_may_match(text, masks, mark)) return mark;
  }
  return text.size();
}

bool LinePrefilter::may_match(std::string_view line) const {
  if (line.size() > LineMasks::kMaxText) {
    if (line.find('\\') != std::string_view::npos) return true;
    return scan_every_run(line);
  }
  LineMasks masks;
  masks.build(line, name_end_bytes_usable_ ? &name_end_bytes_ : nullptr);
  return first_candidate(line, masks, 0) < line.size();
}

void LinePrefilter::select_lines(std::string_view block, std::vector<std::size_t>& starts) const {
  LineMasks masks;
  std::size_t pos = 0;
  while (pos < block.size()) {
    // A window of whole lines, as many as fit in the masks.
    std::string_view window = block.substr(pos, LineMasks::kMaxText);
    if (pos + window.size() < block.size()) {
      const std::size_t last_newline = window.rfind('\n');
      if (last_newline == std::string_view::npos) {
        // One line longer than the window: on its own.
        const std::size_t end = std::min(block.find('\n', pos), block.size());
        if (block[pos] == '#' || may_match(block.substr(pos, end - pos))) starts.push_back(pos);
        pos = end + 1;
        continue;
      }
      window = window.substr(0, last_newline + 1);
    }
    masks.build(window, name_end_bytes_usable_ ? &name_end_bytes_ : nullptr);
    // From each candidate to the start of its line, then on after the line's end.
    for (std::size_t at = first_candidate(window, masks, 0); at < window.size();) {
      starts.push_back(pos + masks.line_start(at));
      at = first_candidate(window, masks, masks.line_end(at) + 1);
    }
    pos += window.size();
  }
}

}  // namespace ashiato::ioc
