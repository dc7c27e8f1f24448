// Writes a findings timeline as a terminal table, CSV, JSON lines or a JSON array.
#pragma once
#include <string>
#include <vector>

#include "core/finding.h"

namespace ashiato::report {

enum class FindingsFormat { kTable, kCsv, kJsonLines, kJson };

// Returns the formatted text; times are UTC ISO 8601.
std::string format_findings(const std::vector<Finding>& findings, FindingsFormat format, bool colour);

}  // namespace ashiato::report
