#include "report/html_report.h"

#include <stdexcept>

#include "web/html_template.h"

namespace ashiato::report {

std::string escape_json_for_script(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 64);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c != '<') {
      out += c;
    } else if (json.substr(i + 1, 1) == "/") {
      // "</script" in a hostile log line would end the data element and start markup.
      out += "<\\/";
      ++i;
    } else if (json.substr(i + 1, 3) == "!--") {
      // "<!--" followed by "<script" makes the parser ignore the element's real end tag.
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_html_report(std::string_view report_json) {
  const std::string_view page = html_template();
  const std::size_t at = page.find(kReportJsonPlaceholder);
  // The build checks that the placeholder is there; its absence is a broken build, not bad input.
  if (at == std::string_view::npos) throw std::logic_error("HTML report template has no report data placeholder");
  const std::string json = escape_json_for_script(report_json);
  std::string html;
  html.reserve(page.size() + json.size());
  html.append(page.substr(0, at));
  html.append(json);
  html.append(page.substr(at + kReportJsonPlaceholder.size()));
  return html;
}

}  // namespace ashiato::report
