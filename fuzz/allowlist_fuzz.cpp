// Fuzzes the beacon allowlist reader: whatever the text, no crash, every line it refuses is
// reported, and every entry it takes is then allowed (a domain with its subdomains, an address).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "analyze/beacon/allowlist.h"
#include "ioc/ip_address.h"
#include "ioc/text_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ashiato;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  analyze::beacon::Allowlist list;
  Diagnostics problems(1'000'000);
  list.load_text(text, "fuzz.txt", problems);
  std::size_t refused = 0;
  for (std::size_t offset = 0; offset < text.size();) {
    const std::size_t end = std::min(text.find('\n', offset), text.size());
    std::string_view line = text.substr(offset, end - offset);
    offset = end + 1;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (ioc::trim(line).empty()) continue;
    analyze::beacon::Allowlist one;
    if (!one.add(line)) {
      ++refused;
      continue;
    }
    std::string entry = ioc::lowercase(ioc::trim(line));
    if (entry.rfind("*.", 0) == 0) entry.erase(0, 2);
    while (!entry.empty() && entry.back() == '.') entry.pop_back();
    if (ioc::parse_cidr(entry) && !ioc::parse_ip(entry)) continue;  // a network: its first address may differ
    if (!list.allowed(entry) || (!ioc::parse_ip(entry) && !list.allowed("sub." + entry))) std::abort();
  }
  if (problems.errors() != refused) std::abort();
  return 0;
}
