// Writes a findings timeline as a terminal table, CSV, JSON lines or a JSON array.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"

namespace ashiato::report {

enum class FindingsFormat { kTable, kCsv, kJsonLines, kJson };

// Hands the formatted text to `write` in pieces of about a megabyte (a timeline of millions of
// findings is never held as one string); times are UTC ISO 8601.
void write_findings(const std::vector<Finding>& findings, FindingsFormat format, bool colour,
                    const std::function<void(std::string_view)>& write);
// The same as one string, for small timelines and documents that embed it.
std::string format_findings(const std::vector<Finding>& findings, FindingsFormat format, bool colour);

}  // namespace ashiato::report
