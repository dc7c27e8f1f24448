// Fuzzes the sweep's line prefilter and checks it against itself. The first line of the input
// lists indicators (names and IPv4 addresses, as an indicator file would; a few fixed ones are
// always there), the rest is a block of log lines. Checked:
//   - the bit-mask path agrees with the byte-by-byte path on every line without that hash (the
//     second prefilter has one more indicator, a hash, which sends it down the byte-by-byte path);
//   - select_lines picks exactly the lines may_match accepts, plus empty and '#' lines.
// A disagreement aborts, so the fuzzer reports it with the input.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/indicator.h"
#include "ioc/indicator_matcher.h"
#include "ioc/line_prefilter.h"

namespace {

constexpr std::string_view kHash = "5d41402abc4b2a76b9719d911017c592";

std::vector<ashiato::ioc::Indicator> indicators_from(std::string_view line) {
  using ashiato::ioc::Indicator;
  using ashiato::ioc::IndicatorType;
  std::vector<Indicator> out{{IndicatorType::kDomain, "evil.example", "fuzz", ""},
                             {IndicatorType::kDomain, "a.b.c.example.org", "fuzz", ""},
                             {IndicatorType::kIpv4, "198.51.100.7", "fuzz", ""},
                             {IndicatorType::kCidr, "10.1.0.0/16", "fuzz", ""}};
  std::size_t pos = 0;
  while (pos < line.size() && out.size() < 64) {
    const std::size_t end = std::min(line.find(' ', pos), line.size());
    if (auto indicator = ashiato::ioc::classify(line.substr(pos, end - pos))) {
      const auto type = indicator->type;
      if (type == IndicatorType::kDomain || type == IndicatorType::kIpv4 || type == IndicatorType::kCidr ||
          (type == IndicatorType::kUrl && indicator->value.find('[') == std::string::npos)) {
        indicator->source = "fuzz";
        out.push_back(std::move(*indicator));
      }
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ashiato::ioc;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t first_end = std::min(text.find('\n'), text.size());
  const std::string_view block = first_end < text.size() ? text.substr(first_end + 1) : std::string_view();
  std::vector<Indicator> indicators = indicators_from(text.substr(0, first_end));
  const IndicatorMatcher masked_matcher(indicators);
  const LinePrefilter masked(masked_matcher);
  indicators.push_back(Indicator{IndicatorType::kMd5, std::string(kHash), "fuzz", ""});
  const IndicatorMatcher every_run_matcher(indicators);
  const LinePrefilter every_run(every_run_matcher);
  if (!masked.usable() || !every_run.usable()) return 0;  // an IPv6 URL host or the like

  std::vector<std::size_t> picked;
  masked.select_lines(block, picked);
  std::vector<std::size_t> expected;
  for (std::size_t at = 0; at < block.size();) {
    const std::size_t end = std::min(block.find('\n', at), block.size());
    const std::string_view line = block.substr(at, end - at);
    const bool may = masked.may_match(line);
    // Lines holding the extra hash (in any case) differ by design.
    std::string lower(line);
    for (char& c : lower) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    if (lower.find(kHash) == std::string::npos && may != every_run.may_match(line)) std::abort();
    if (line.empty() || line == "\r" || line[0] == '#' || may) expected.push_back(at);
    at = end + 1;
  }
  if (picked != expected) std::abort();
  return 0;
}
