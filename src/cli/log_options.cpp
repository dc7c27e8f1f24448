#include "cli/log_options.h"

#include <stdexcept>

namespace ashiato::cli {

void add_log_options(CLI::App& cmd, LogOptions& o) {
  cmd.add_option("--log-format", o.format,
                 "Read text logs as this format instead of detecting it (" + logs::format_names() + ")");
  cmd.add_option("--log-tz", o.zone,
                 "Zone of text logs' local times: local (default), UTC, +09:00 or an IANA name like Asia/Tokyo")
      ->capture_default_str();
  cmd.add_option("--map", o.maps,
                 "Extra field mapping for CSV/TSV/JSONL logs: native=canonical[,...], e.g. clientip=src_ip")
      ->allow_extra_args(false);
}

logs::LogClock log_clock(const LogOptions& o) {
  try {
    return logs::LogClock::parse(o.zone);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError("--log-tz", e.what());
  }
}

logs::TextReadOptions text_read_options(const LogOptions& o, const logs::LogClock& clock) {
  logs::TextReadOptions options;
  if (!o.format.empty() && logs::find_format(o.format) == nullptr) {
    throw CLI::ValidationError("--log-format",
                               "unknown format '" + o.format + "' (known: " + logs::format_names() + ")");
  }
  options.format = o.format;
  options.clock = &clock;
  for (const std::string& spec : o.maps) {
    std::size_t start = 0;
    while (start <= spec.size()) {
      std::size_t comma = spec.find(',', start);
      std::string pair = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      std::size_t eq = pair.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
        throw CLI::ValidationError("--map", "expected native=canonical, got '" + pair + "'");
      }
      options.field_map.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return options;
}

}  // namespace ashiato::cli
