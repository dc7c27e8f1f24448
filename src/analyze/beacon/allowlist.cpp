#include "analyze/beacon/allowlist.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

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
  std::ifstream in(path);
  if (!in) {
    diagnostics.report(Problem{path, 0, "", "cannot open the allowlist"});
    return;
  }
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (const std::size_t hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    if (ioc::trim(line).empty()) continue;
    if (!add(line)) {
      diagnostics.report(Problem{path, 0, "line " + std::to_string(n),
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
