// JSON indicator files: parsed with simdjson's DOM (indicator files are small next to logs), then
// read as STIX or MISP by their shape.
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

}  // namespace

void read_json_indicators(std::string_view text, ReaderContext& context) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto error = parser.parse(simdjson::padded_string(text)).get(root);
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
