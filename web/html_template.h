// The HTML report page (web/report.html with every script inlined), compiled into the program so
// that ashiato writes a self-contained report.html without reading anything at run time.
#pragma once
#include <string_view>

namespace ashiato::report {

// The page; report.json goes where kReportJsonPlaceholder stands (exactly once, inside the
// <script type="application/json" id="report-data"> element).
std::string_view html_template();

inline constexpr std::string_view kReportJsonPlaceholder = "@ASHIATO_REPORT_JSON@";

}  // namespace ashiato::report
