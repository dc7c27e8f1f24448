// Reading indicator files: STIX 2.1 JSON, MISP event JSON, CSV tables and plain lists, told apart
// by their content (never by file name). See docs/ioc.md for what each format yields.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "ioc/indicator.h"

namespace ashiato::ioc {

enum class IndicatorFileFormat { kText, kCsv, kJson };

// JSON if the text starts with '{' (or '[' followed by JSON), CSV if its first line that is no
// comment is a header naming a type or value column, plain text otherwise.
IndicatorFileFormat detect_indicator_format(std::string_view text);

// Reads one indicator file. Invalid entries are reported to `diagnostics` (file, "line N" or the
// STIX/MISP object as `where`, and why) and reading goes on; skipped types are tallied as one
// warning per type. Indicators come in file order, duplicates included.
// Throws std::runtime_error only if the file cannot be opened or read.
std::vector<Indicator> read_indicator_file(const std::string& path, Diagnostics& diagnostics);

// The same for text in memory; `source_name` stands for the path in sources and problems.
// UTF-8 (a BOM is skipped) or UTF-16 with a BOM; binary content is reported and not read.
std::vector<Indicator> parse_indicators(std::string_view text, const std::string& source_name,
                                        Diagnostics& diagnostics);

}  // namespace ashiato::ioc
