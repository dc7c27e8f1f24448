// Indicators from the notification itself: the free text a coordination centre sends ("your
// address 192.0.2.10 communicated with hxxp://www.example-shop[.]jp/... between 2015-06-01 10:00
// and 2015-06-05 18:00 JST"), in Japanese or English, defanged or not. Extracts the C2 hosts,
// URLs, IPs, hashes and e-mail addresses, tells the organisation's own addresses apart from the
// C2's by the words around them, and reads the time window.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/indicator.h"

namespace ashiato::ioc {

struct Notice {
  std::vector<Indicator> indicators;       // source: "path:line"
  std::vector<std::string> own_addresses;  // the organisation's addresses named as the traffic's source
  std::optional<Timestamp> from, to;       // earliest and latest date-time in the text
};

// `default_offset_minutes`: the zone of date-times the text gives without one (JST/+09:00/UTC
// written next to a time are understood).
Notice read_notice(std::string_view text, const std::string& source, int default_offset_minutes);

}  // namespace ashiato::ioc
