// The self-contained HTML report: the page built from web/ with report.json embedded in it.
#pragma once
#include <string>
#include <string_view>

namespace ashiato::report {

// Returns report.html for the given report.json text (schema: docs/report-json.md). The page
// needs nothing else to open: its scripts and libraries are inlined at build time.
std::string render_html_report(std::string_view report_json);

// The JSON text made safe inside a <script> element: "</" becomes "<\/" and "<!--" becomes
// "\u003c!--". Both rewrites are JSON escapes, valid only inside strings, which is the only place
// where valid JSON can contain "<".
std::string escape_json_for_script(std::string_view json);

}  // namespace ashiato::report
