#include "ioc/indicator_files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/utf16.h"
#include "ioc/reader_context.h"
#include "ioc/text_util.h"

namespace ashiato::ioc {
namespace {

// UTF-16 text (Windows editors write it) as UTF-8; empty if `text` has no UTF-16 BOM.
std::string from_utf16(std::string_view text) {
  const bool le = text.size() >= 2 && text[0] == '\xFF' && text[1] == '\xFE';
  const bool be = text.size() >= 2 && text[0] == '\xFE' && text[1] == '\xFF';
  if (!le && !be) return {};
  std::string units(text.substr(2, (text.size() - 2) / 2 * 2));
  if (be) {
    for (std::size_t i = 0; i + 1 < units.size(); i += 2) std::swap(units[i], units[i + 1]);
  }
  std::string out;
  append_utf16le(out, reinterpret_cast<const std::uint8_t*>(units.data()), units.size() / 2);
  return out;
}

}  // namespace

IndicatorFileFormat detect_indicator_format(std::string_view text) {
  const std::string_view t = trim(text);
  if (!t.empty() && t.front() == '{') return IndicatorFileFormat::kJson;
  if (t.size() >= 2 && t.front() == '[') {
    // "[" also starts defanged or bracketed plain entries ("[2001:db8::1]:443"): JSON only if
    // an object, a string, another array or the end follows.
    const std::string_view rest = trim(t.substr(1));
    if (!rest.empty() && (rest.front() == '{' || rest.front() == '"' || rest.front() == '[' || rest.front() == ']')) {
      return IndicatorFileFormat::kJson;
    }
  }
  if (looks_like_csv(text)) return IndicatorFileFormat::kCsv;
  return IndicatorFileFormat::kText;
}

std::vector<Indicator> parse_indicators(std::string_view text, const std::string& source_name,
                                        Diagnostics& diagnostics) {
  std::vector<Indicator> out;
  ReaderContext context(source_name, diagnostics, out);
  const std::string utf8 = from_utf16(text);
  if (!utf8.empty()) text = utf8;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (text.substr(0, 4096).find('\0') != std::string_view::npos) {
    context.error("", "binary content, not an indicator file");
    return out;
  }
  switch (detect_indicator_format(text)) {
    case IndicatorFileFormat::kJson: read_json_indicators(text, context); break;
    case IndicatorFileFormat::kCsv: read_csv_indicators(text, context); break;
    case IndicatorFileFormat::kText: read_text_indicators(text, context); break;
  }
  context.flush_skipped();
  return out;
}

std::vector<Indicator> read_indicator_file(const std::string& path, Diagnostics& diagnostics) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw std::runtime_error("cannot read " + path + ": a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  const std::string text = buffer.str();
  return parse_indicators(text, path, diagnostics);
}

}  // namespace ashiato::ioc
