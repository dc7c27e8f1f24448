// Options for reading text logs, shared by the commands that read them: a forced format, the
// zone of local times, and extra field mappings.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "logs/log_clock.h"
#include "logs/text_log_reader.h"

namespace ashiato::cli {

struct LogOptions {
  std::string format;             // --log-format
  std::string zone = "local";     // --log-tz
  std::vector<std::string> maps;  // --map native=canonical[,native=canonical...]
};

void add_log_options(CLI::App& cmd, LogOptions& o);

// The reader options; `clock` must outlive them. Throws CLI::ValidationError on bad values.
logs::TextReadOptions text_read_options(const LogOptions& o, const logs::LogClock& clock);
logs::LogClock log_clock(const LogOptions& o);

}  // namespace ashiato::cli
