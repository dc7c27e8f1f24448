// Renders a report.json into report.html without the rest of ashiato, so that the browser test
// of the HTML report (report_browser.sh) does not depend on a whole investigation.
//
//   render_report_fixture REPORT.json OUT.html
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "report/html_report.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: render_report_fixture REPORT.json OUT.html\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "render_report_fixture: cannot read " << argv[1] << "\n";
    return 1;
  }
  const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out << ashiato::report::render_html_report(json);
  out.close();
  if (!out) {
    std::cerr << "render_report_fixture: cannot write " << argv[2] << "\n";
    return 1;
  }
  return 0;
}
