#include "ioc/indicator_matcher.h"

#include <algorithm>

#include "ioc/text_util.h"

namespace ashiato::ioc {
namespace {

// Longest names that lookups copy (lowercased) to the stack: DNS names have at most 253
// characters, e-mail addresses 320.
constexpr std::size_t kMaxHost = 253;
constexpr std::size_t kMaxEmail = 320;

// Lowercases `text` into `buffer` (of at least `capacity` bytes); empty view if it is longer.
std::string_view lower_into(std::string_view text, char* buffer, std::size_t capacity) {
  if (text.size() > capacity) return {};
  for (std::size_t i = 0; i < text.size(); ++i) buffer[i] = to_lower(text[i]);
  return {buffer, text.size()};
}

std::string_view without_trailing_dot(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return host;
}

bool could_be_ip(std::string_view host) {
  return !host.empty() && (host.front() == '[' || is_digit(host.front()) || host.find(':') != std::string_view::npos);
}

// True where normalise_value would return the value unchanged, cheaply decided for the types that
// lists hold by the ten thousand: lowercase names and hashes (nothing to refang, case or strip).
bool is_normal_form(const Indicator& indicator) {
  const std::string& v = indicator.value;
  switch (indicator.type) {
    case IndicatorType::kDomain:
      if (v.empty() || v.back() == '.') return false;
      return std::all_of(v.begin(), v.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '-' || c == '_';
      });
    case IndicatorType::kMd5:
    case IndicatorType::kSha1:
    case IndicatorType::kSha256:
      return std::all_of(v.begin(), v.end(), [](char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); });
    default: return false;
  }
}

}  // namespace

IndicatorMatcher::IndicatorMatcher(std::vector<Indicator> input) {
  // Duplicates are merged in place: the kept indicators move to the front of `input`, whose
  // storage then becomes indicators_ (lists of 100,000 indicators are common; copies cost).
  struct Key {
    IndicatorType type;
    std::string_view value;  // into input[], whose elements stay where they are from here on
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::string_view>{}(k.value) ^ (static_cast<std::size_t>(k.type) * 0x9E3779B97F4A7C15ULL);
    }
  };
  std::unordered_map<Key, std::size_t, KeyHash> seen;  // -> index of the kept indicator
  seen.reserve(input.size());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < input.size(); ++i) {
    Indicator& indicator = input[i];
    // Indicators made elsewhere than by the readers may not be in normal form yet.
    if (!is_normal_form(indicator)) {
      if (auto normal = normalise_value(indicator.type, indicator.value)) indicator.value = std::move(*normal);
    }
    const auto [it, inserted] = seen.try_emplace(Key{indicator.type, indicator.value}, kept);
    if (!inserted) {
      Indicator& first = input[it->second];
      first.occurrences += indicator.occurrences;
      first.to_ids = first.to_ids || indicator.to_ids;
      if (first.label.empty()) first.label = indicator.label;
      ++duplicates_;
      continue;
    }
    if (kept != i) {
      // The key must keep pointing at the value where it now lives.
      Indicator& slot = input[kept];
      slot = std::move(indicator);
      seen.erase(it);
      seen.emplace(Key{slot.type, slot.value}, kept);
    }
    ++kept;
  }
  seen.clear();
  input.resize(kept);
  indicators_ = std::move(input);
  std::vector<std::pair<IpNetwork, int>> networks;
  for (std::size_t i = 0; i < indicators_.size(); ++i) {
    const Indicator& indicator = indicators_[i];
    const int index = static_cast<int>(i);
    const std::string& value = indicator.value;
    bool indexed = true;
    switch (indicator.type) {
      case IndicatorType::kDomain: domains_.add(value, index); break;
      case IndicatorType::kUrl: urls_[std::string(url_host(value))].push_back(UrlEntry{value, index}); break;
      case IndicatorType::kIpv4:
      case IndicatorType::kIpv6:
        if (auto a = parse_ip(value)) {
          ips_.emplace(*a, index);
        } else {
          indexed = false;
        }
        break;
      case IndicatorType::kCidr:
        if (auto n = parse_cidr(value)) {
          networks.emplace_back(*n, index);
        } else {
          indexed = false;
        }
        break;
      case IndicatorType::kHostPort: {
        const auto colon = value.rfind(':');
        if (colon == std::string::npos) {
          indexed = false;
          break;
        }
        const std::string_view host = std::string_view(value).substr(0, colon);
        const auto port = static_cast<std::uint16_t>(std::stoul(value.substr(colon + 1)));
        if (auto a = parse_ip(host)) {
          ip_ports_[*a].push_back(PortEntry{port, index});
        } else {
          domain_ports_[std::string(host)].push_back(PortEntry{port, index});
        }
        break;
      }
      case IndicatorType::kMd5:
      case IndicatorType::kSha1:
      case IndicatorType::kSha256: hashes_.emplace(value, index); break;
      case IndicatorType::kUserAgent: user_agents_.emplace(value, index); break;
      case IndicatorType::kEmail: emails_.emplace(value, index); break;
    }
    if (indexed) types_ |= 1U << static_cast<unsigned>(indicator.type);
  }
  cidrs_ = CidrTable(networks);
  domains_.build();
  for (auto& [host, entries] : urls_) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const UrlEntry& a, const UrlEntry& b) { return a.url.size() > b.url.size(); });
  }
}

int IndicatorMatcher::match_host(std::string_view host) const {
  host = trim(host);
  if (could_be_ip(host)) {
    if (auto a = parse_ip(host)) return match_ip(*a);
  }
  return domains_.match(host);
}

int IndicatorMatcher::match_host_port(std::string_view host, std::uint16_t port) const {
  host = trim(host);
  auto find_port = [port](const std::vector<PortEntry>& entries) {
    for (const PortEntry& e : entries) {
      if (e.port == port) return e.index;
    }
    return -1;
  };
  if (could_be_ip(host)) {
    if (auto a = parse_ip(host)) {
      if (auto v4 = unmap_ipv4(*a)) a = v4;
      const auto it = ip_ports_.find(*a);
      return it == ip_ports_.end() ? -1 : find_port(it->second);
    }
  }
  if (domain_ports_.empty()) return -1;
  char buffer[kMaxHost];
  std::string_view name = lower_into(without_trailing_dot(host), buffer, sizeof buffer);
  while (!name.empty()) {
    if (auto it = domain_ports_.find(name); it != domain_ports_.end()) {
      if (const int index = find_port(it->second); index >= 0) return index;
    }
    const auto dot = name.find('.');
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  return -1;
}

int IndicatorMatcher::match_url(std::string_view url) const {
  if (urls_.empty()) return -1;
  // Reused per thread: normalising allocates only while the buffer grows to the longest URL.
  thread_local std::string normal;
  if (!normalise_url_into(url, normal)) return -1;
  const auto it = urls_.find(url_host(normal));
  if (it == urls_.end()) return -1;
  for (const UrlEntry& entry : it->second) {
    if (std::string_view(normal).starts_with(entry.url)) return entry.index;
  }
  return -1;
}

int IndicatorMatcher::match_ip(std::string_view ip) const {
  auto a = parse_ip(trim(ip));
  return a ? match_ip(*a) : -1;
}

int IndicatorMatcher::match_ip(const IpAddress& ip) const {
  IpAddress a = ip;
  if (auto v4 = unmap_ipv4(a)) a = *v4;
  if (const auto it = ips_.find(a); it != ips_.end()) return it->second;
  return cidrs_.find(a);
}

int IndicatorMatcher::match_hash(std::string_view hex) const {
  hex = trim(hex);
  if (hex.size() != 32 && hex.size() != 40 && hex.size() != 64) return -1;
  char buffer[64];
  const auto it = hashes_.find(lower_into(hex, buffer, sizeof buffer));
  return it == hashes_.end() ? -1 : it->second;
}

int IndicatorMatcher::match_user_agent(std::string_view user_agent) const {
  const auto it = user_agents_.find(user_agent);
  return it == user_agents_.end() ? -1 : it->second;
}

int IndicatorMatcher::match_email(std::string_view address) const {
  if (emails_.empty()) return -1;
  address = trim(address);
  if (const auto open = address.rfind('<'); open != std::string_view::npos) {
    const auto close = address.find('>', open);
    address =
        trim(address.substr(open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1));
  }
  if (address.size() > 7 && iequals(address.substr(0, 7), "mailto:")) address.remove_prefix(7);
  char buffer[kMaxEmail];
  const std::string_view lowered = lower_into(address, buffer, sizeof buffer);
  if (lowered.empty()) return -1;
  const auto it = emails_.find(lowered);
  return it == emails_.end() ? -1 : it->second;
}

}  // namespace ashiato::ioc
