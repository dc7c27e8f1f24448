// Fuzzes indicator parsing (plain lists, CSV, STIX 2.1, MISP) and the matcher built from what
// was parsed, looked up with pieces of the same input.
#include <cstdint>
#include <string>
#include <string_view>

#include "ioc/indicator_files.h"
#include "ioc/indicator_matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ashiato;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Diagnostics diagnostics(10);
  auto indicators = ioc::parse_indicators(text, "fuzz.txt", diagnostics);
  const ioc::IndicatorMatcher matcher(std::move(indicators));
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find_first_of(" \n\t,", pos);
    std::string_view token = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    matcher.match_host(token);
    matcher.match_url(token);
    matcher.match_ip(token);
    matcher.match_hash(token);
    matcher.match_user_agent(token);
    matcher.match_email(token);
    matcher.match_host_port(token, 443);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return 0;
}
