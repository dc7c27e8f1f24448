// Well-known services whose periodic traffic is not a C2: update checks, telemetry, time,
// certificate revocation, collaboration suites. A shipped list (data/beacon-allowlist.txt) the
// user may edit or extend: one domain per line (it and its subdomains), "*.domain" the same, an
// address or CIDR; '#' starts a comment. They still show in `ashiato beacons`; they are never
// named C2 candidates.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "ioc/ip_address.h"

namespace ashiato::analyze::beacon {

class Allowlist {
 public:
  // Adds a file's entries; unreadable files and lines that are neither a domain nor an address are
  // reported with their line and skipped.
  void load(const std::string& path, Diagnostics& diagnostics);
  // The same for a list's text; `name` names it in problems.
  void load_text(std::string_view text, const std::string& name, Diagnostics& diagnostics);
  // Adds one entry; false when it is neither a domain nor an address.
  bool add(std::string_view entry);
  bool allowed(std::string_view destination) const;
  std::size_t size() const { return domains_.size() + networks_.size(); }

 private:
  std::vector<std::string> domains_;  // lower case, sorted after load
  std::vector<ioc::IpNetwork> networks_;
};

// The shipped list: ASHIATO_ALLOWLIST when set, else the source tree's data/beacon-allowlist.txt.
std::string default_allowlist_path();

}  // namespace ashiato::analyze::beacon
