#include "pipeline/indicators.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "ioc/indicator_files.h"
#include "ioc/notice.h"

namespace ashiato::pipeline {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void append(std::vector<ioc::Indicator>& to, std::vector<ioc::Indicator>&& more) {
  if (to.empty()) {
    to = std::move(more);  // one list is the usual case: no copy of 100,000 indicators
  } else {
    to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
}

}  // namespace

LoadedIndicators load_indicators(const IndicatorSources& sources, Diagnostics& diagnostics) {
  LoadedIndicators out;
  for (const std::string& path : sources.files) append(out.indicators, ioc::read_indicator_file(path, diagnostics));
  for (const std::string& path : sources.notices) {
    ioc::Notice notice = ioc::read_notice(read_text(path), path, sources.notice_offset_minutes);
    out.notices.push_back(NoticeRead{path, notice.indicators.size(), notice.from, notice.to, notice.own_addresses});
    append(out.indicators, std::move(notice.indicators));
  }
  return out;
}

}  // namespace ashiato::pipeline
