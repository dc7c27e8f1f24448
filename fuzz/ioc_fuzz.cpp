// Fuzzes indicator parsing (plain lists, CSV, STIX 2.1, MISP) and the matcher built from what
// was parsed, looked up with pieces of the same input; and checks that JSON lines resynchronise:
// whatever one line holds, the good lines around it are still read.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
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
  // The input as one line of a JSON-lines feed (control bytes, NUL among them, as spaces: a file
  // with NULs is refused whole as binary, which is another matter).
  std::string line(text);
  std::replace_if(
      line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }, ' ');
  if (!line.empty() && line.front() == '{') {
    const std::string feed =
        R"({"type": "indicator", "id": "indicator--1", "pattern": "[ipv4-addr:value = '10.0.0.1']"})"
        "\n" +
        line + "\n" +
        R"({"type": "indicator", "id": "indicator--2", "pattern": "[domain-name:value = 'evil.example']"})";
    Diagnostics feed_problems(10);
    const auto read = ioc::parse_indicators(feed, "fuzz.json", feed_problems);
    const auto has = [&](std::string_view v) {
      return std::any_of(read.begin(), read.end(), [&](const ioc::Indicator& i) { return i.value == v; });
    };
    if (!has("10.0.0.1") || !has("evil.example")) std::abort();  // a line hid its neighbours
  }
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
