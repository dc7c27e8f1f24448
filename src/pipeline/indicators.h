// The indicators of an investigation or sweep, from indicator files (plain lists, CSV, STIX 2.1,
// MISP) and from notices (a coordination centre's free text), read the same way by every command.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "ioc/indicator.h"

namespace ashiato::pipeline {

// The zone of a notice's date-times that state none, unless the command is told otherwise: a
// notice from JPCERT/CC writes Japan time.
inline constexpr int kDefaultNoticeOffsetMinutes = 9 * 60;

struct NoticeRead {
  std::string path;
  std::size_t indicators = 0;
  std::optional<Timestamp> from, to;       // the window the notice names
  std::vector<std::string> own_addresses;  // the organisation's addresses it names
};

struct IndicatorSources {
  std::vector<std::string> files;    // --ioc
  std::vector<std::string> notices;  // --notice
  int notice_offset_minutes = kDefaultNoticeOffsetMinutes;
};

struct LoadedIndicators {
  std::vector<ioc::Indicator> indicators;  // files' first, then notices', in the order given
  std::vector<NoticeRead> notices;
};

// Problems within files go to `diagnostics`; throws std::runtime_error naming the file when one
// cannot be read at all.
LoadedIndicators load_indicators(const IndicatorSources& sources, Diagnostics& diagnostics);

}  // namespace ashiato::pipeline
