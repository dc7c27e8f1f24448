#include "core/json_lines.h"

namespace ashiato {

std::vector<std::size_t> json_object_starts(std::string_view text) {
  std::vector<std::size_t> starts;
  for (std::size_t pos = 0; pos < text.size();) {
    if (text[pos] == '{') starts.push_back(pos);
    const std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return starts;
}

std::uint64_t LineCounter::line_at(std::size_t offset) {
  for (; counted_to_ < offset && counted_to_ < text_.size(); ++counted_to_) line_ += text_[counted_to_] == '\n' ? 1 : 0;
  return line_;
}

}  // namespace ashiato
