// A cheap test of a raw log line before it is parsed: can any indicator match in it at all? A
// domain, URL host, host:port host or e-mail domain can only match a field that appears verbatim
// in the line, inside a run of host-name characters; an address or a hash likewise. So the line's
// runs are looked up (suffixes on label boundaries, addresses exactly or by CIDR) and a line
// without any candidate need not be parsed. It never rejects a line that could match (for formats
// whose host fields are verbatim); it lets through a few that do not, which parsing then settles.
#pragma once
#include <memory>
#include <string_view>
#include <vector>

#include "ioc/indicator.h"
#include "ioc/indicator_matcher.h"

namespace ashiato::ioc {

class LinePrefilter {
 public:
  // Disabled (usable() false) when some indicator cannot be tested this way (User-Agents).
  explicit LinePrefilter(const std::vector<Indicator>& indicators);
  bool usable() const { return usable_; }
  bool may_match(std::string_view line) const;

 private:
  bool run_may_match(std::string_view run) const;

  bool usable_ = true;
  bool hashes_ = false;
  std::unique_ptr<IndicatorMatcher> probe_;  // names, addresses and hashes that can occur verbatim
};

}  // namespace ashiato::ioc
