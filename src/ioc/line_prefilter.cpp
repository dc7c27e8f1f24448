#include "ioc/line_prefilter.h"

#include <array>

namespace ashiato::ioc {
namespace {

// Characters of host names, IPv4/IPv6 literals and hex hashes.
constexpr std::array<bool, 256> run_characters() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  t['.'] = t['-'] = t['_'] = t[':'] = true;
  return t;
}
constexpr auto kRun = run_characters();

bool is_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

}  // namespace

LinePrefilter::LinePrefilter(const std::vector<Indicator>& indicators) {
  std::vector<Indicator> probe;
  auto add = [&](IndicatorType type, std::string_view value) {
    Indicator i;
    i.type = type;
    i.value = std::string(value);
    probe.push_back(std::move(i));
  };
  for (const Indicator& i : indicators) {
    switch (i.type) {
      case IndicatorType::kDomain:
      case IndicatorType::kIpv4:
      case IndicatorType::kIpv6:
      case IndicatorType::kCidr: add(i.type, i.value); break;
      case IndicatorType::kUrl: {
        const std::string_view host = url_host(i.value);
        if (auto c = classify(host)) add(c->type, c->value);
        break;
      }
      case IndicatorType::kHostPort: {
        std::string_view host = std::string_view(i.value).substr(0, i.value.rfind(':'));
        if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
        if (auto c = classify(host)) add(c->type, c->value);
        break;
      }
      case IndicatorType::kEmail: add(IndicatorType::kDomain, i.value.substr(i.value.find('@') + 1)); break;
      case IndicatorType::kMd5:
      case IndicatorType::kSha1:
      case IndicatorType::kSha256:
        hashes_ = true;
        add(i.type, i.value);
        break;
      case IndicatorType::kUserAgent: usable_ = false; break;
    }
  }
  probe_ = std::make_unique<IndicatorMatcher>(std::move(probe));
}

bool LinePrefilter::run_may_match(std::string_view run) const {
  if (hashes_ && (run.size() == 32 || run.size() == 40 || run.size() == 64) && is_hex(run) &&
      probe_->match_hash(run) >= 0) {
    return true;
  }
  const bool dot = run.find('.') != std::string_view::npos;
  const std::size_t colon = run.find(':');
  if (!dot && colon == std::string_view::npos) return false;
  if (probe_->match_host(run) >= 0) return true;  // a name, an IPv4 or a whole IPv6 literal
  if (colon == std::string_view::npos) return false;
  // "host:port", "scheme:…", "[v6]:port" pieces: names and IPv4 addresses between the colons.
  std::size_t start = 0;
  while (start <= run.size()) {
    const std::size_t end = std::min(run.find(':', start), run.size());
    const std::string_view piece = run.substr(start, end - start);
    if (piece.find('.') != std::string_view::npos && probe_->match_host(piece) >= 0) return true;
    start = end + 1;
  }
  return false;
}

bool LinePrefilter::may_match(std::string_view line) const {
  // Escapes (JSON "\u002e", Zeek "\x2e") could spell a name that the raw text does not show.
  if (line.find('\\') != std::string_view::npos) return true;
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  const std::size_t n = line.size();
  std::size_t i = 0;
  while (i < n) {
    while (i < n && !kRun[p[i]]) ++i;
    const std::size_t start = i;
    while (i < n && kRun[p[i]]) ++i;
    if (i - start >= 3 && run_may_match(line.substr(start, i - start))) return true;
  }
  return false;
}

}  // namespace ashiato::ioc
