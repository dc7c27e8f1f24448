#include "analyze/beacon/allowlist.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "ioc/text_util.h"

namespace ashiato::analyze::beacon {
namespace {

bool domain_like(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.find('.') == std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
}

}  // namespace

bool Allowlist::add(std::string_view entry) {
  std::string e = ioc::lowercase(ioc::trim(entry));
  if (e.rfind("*.", 0) == 0) e.erase(0, 2);
  while (!e.empty() && e.back() == '.') e.pop_back();
  if (const auto address = ioc::parse_ip(e)) {
    networks_.push_back(ioc::IpNetwork{*address, address->bits()});
    return true;
  }
  if (const auto network = ioc::parse_cidr(e)) {
    networks_.push_back(*network);
    return true;
  }
  if (!domain_like(e)) return false;
  domains_.insert(std::lower_bound(domains_.begin(), domains_.end(), e), e);
  return true;
}

void Allowlist::load(const std::string& path, Diagnostics& diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.report(Problem{path, 0, "", "cannot open the allowlist"});
    return;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  load_text(text, path, diagnostics);
}

void Allowlist::load_text(std::string_view text, const std::string& name, Diagnostics& diagnostics) {
  std::size_t offset = 0;
  for (std::size_t n = 1; offset < text.size(); ++n) {
    const std::size_t end = std::min(text.find('\n', offset), text.size());
    std::string_view line = text.substr(offset, end - offset);
    const std::uint64_t at = offset;
    offset = end + 1;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (ioc::trim(line).empty()) continue;
    if (!add(line)) {
      diagnostics.report(Problem{name, at, "line " + std::to_string(n),
                                 "neither a domain nor an address: " + std::string(ioc::trim(line))});
    }
  }
}

bool Allowlist::allowed(std::string_view destination) const {
  if (const auto address = ioc::parse_ip(destination)) {
    return std::any_of(networks_.begin(), networks_.end(),
                       [&](const ioc::IpNetwork& n) { return n.contains(*address); });
  }
  std::string name = ioc::lowercase(destination);
  while (!name.empty() && name.back() == '.') name.pop_back();
  // The name, then each parent domain.
  for (std::string_view rest = name;;) {
    if (std::binary_search(domains_.begin(), domains_.end(), rest)) return true;
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos) return false;
    rest.remove_prefix(dot + 1);
  }
}

std::string default_allowlist_path() {
  if (const char* env = std::getenv("ASHIATO_ALLOWLIST"); env != nullptr && *env != '\0') return env;
  return ASHIATO_ALLOWLIST_FILE;
}

}  // namespace ashiato::analyze::beacon
