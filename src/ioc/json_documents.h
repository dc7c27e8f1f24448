// The JSON indicator formats, read from simdjson DOM elements: STIX 2.1 (stix_reader.cpp) and
// MISP events (misp_reader.cpp). json_reader.cpp parses the text and picks the format.
#pragma once
#include <simdjson.h>

#include <optional>
#include <string_view>

#include "ioc/reader_context.h"

namespace ashiato::ioc {

// A STIX bundle, or a single STIX object (it has a "type" and an "id" of the form "type--uuid").
bool is_stix_document(simdjson::dom::object object);
void read_stix_document(simdjson::dom::object object, ReaderContext& context);

// {"Event": {...}}, {"response": [{"Event": {...}}, ...]}, {"response": {"Attribute": [...]}}, or a
// bare event (an object with "Attribute" or "Object" arrays, or an "info" text).
bool is_misp_document(simdjson::dom::object object);
void read_misp_document(simdjson::dom::object object, ReaderContext& context);

// Helpers for both.
inline std::optional<std::string_view> string_field(simdjson::dom::object object, std::string_view key) {
  std::string_view value;
  if (object[key].get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}
inline std::optional<simdjson::dom::array> array_field(simdjson::dom::object object, std::string_view key) {
  simdjson::dom::array value;
  if (object[key].get_array().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}
inline std::optional<simdjson::dom::object> object_field(simdjson::dom::object object, std::string_view key) {
  simdjson::dom::object value;
  if (object[key].get_object().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

}  // namespace ashiato::ioc
