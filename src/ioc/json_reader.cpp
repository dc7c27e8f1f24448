// JSON indicator files: parsed with simdjson's DOM (indicator files are small next to logs), then
// read as STIX or MISP by their shape.
#include "core/json_lines.h"
#include "ioc/json_documents.h"
#include "ioc/text_util.h"

namespace ashiato::ioc {
namespace {

// Hand-edited exports sometimes keep a comma before '}' or ']' (one of ESET's MISP events does).
// Returns the text without such commas, strings left alone; empty if there was none.
std::string without_trailing_commas(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false, changed = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out.push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == ',') {
      std::size_t j = i + 1;
      while (j < text.size() && is_space(text[j])) ++j;
      if (j < text.size() && (text[j] == '}' || text[j] == ']')) {
        changed = true;
        continue;
      }
    }
    out.push_back(c);
  }
  return changed ? out : std::string();
}

void read_value(simdjson::dom::element element, ReaderContext& context, bool top) {
  simdjson::dom::object object;
  if (element.get_object().get(object) == simdjson::SUCCESS) {
    if (is_stix_document(object)) {
      read_stix_document(object, context);
    } else if (is_misp_document(object)) {
      read_misp_document(object, context);
    } else {
      context.error("", "JSON that is neither STIX 2 (a bundle or an object with a type and an id) nor a MISP event");
    }
    return;
  }
  simdjson::dom::array array;
  if (top && element.get_array().get(array) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : array) read_value(item, context, false);
    return;
  }
  context.error("", "JSON whose top level is neither an object nor an array of objects");
}

// JSON lines of STIX objects or MISP events: each line read on its own, a bad one reported with
// its line and offset and the reading resumed at the next (core/json_lines.h).
bool read_json_lines(std::string_view text, simdjson::dom::parser& parser, ReaderContext& context) {
  const std::vector<std::size_t> starts = json_object_starts(text);
  if (starts.size() < 2 || text.find_first_not_of(" \t\r\n") != starts[0]) return false;
  const simdjson::padded_string padded(text);
  LineCounter lines(text);
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : text.size();
    simdjson::dom::element object;
    if (auto error = parser.parse(padded.data() + starts[k], end - starts[k], false).get(object); error) {
      context.error("line " + std::to_string(lines.line_at(starts[k])),
                    std::string("invalid JSON: ") + simdjson::error_message(error) + "; skipped to the next line",
                    starts[k]);
      continue;
    }
    read_value(object, context, false);
  }
  return true;
}

}  // namespace

void read_json_indicators(std::string_view text, ReaderContext& context) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto error = parser.parse(simdjson::padded_string(text)).get(root);
  if (error && read_json_lines(text, parser, context)) return;
  if (error) {
    const std::string repaired = without_trailing_commas(text);
    if (repaired.empty() || parser.parse(simdjson::padded_string(repaired)).get(root) != simdjson::SUCCESS) {
      context.error("", std::string("invalid JSON: ") + simdjson::error_message(error));
      return;
    }
    context.warning("", "invalid JSON (a comma before '}' or ']'); read with those commas removed");
  }
  read_value(root, context, true);
}

}  // namespace ashiato::ioc
