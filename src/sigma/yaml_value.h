// YAML documents as PyYAML (YAML 1.1) types them, parsed with libyaml (PyYAML's own C parser): plain scalars become
// null, bool, int or float by YAML 1.1's resolver; quoted scalars stay strings. Maps keep their order; duplicate keys
// are an error, as in pySigma's loader.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ashiato::sigma {

struct YamlError : std::runtime_error {
  YamlError(int at_line, const std::string& why) : std::runtime_error(why), line(at_line) {}
  int line;  // 1-based; 0 when unknown
};

struct YamlEntry;

struct YamlValue {
  enum class Kind { kNull, kBool, kInt, kFloat, kString, kList, kMap };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;  // the scalar as written (for strings: the value)
  std::vector<YamlValue> items;
  std::vector<YamlEntry> entries;  // map entries in order
  int line = 0;                    // 1-based

  bool is_scalar() const { return kind != Kind::kList && kind != Kind::kMap; }
  const YamlValue* find(std::string_view key) const;
  // The scalar as a string ("" for null); lists and maps give "".
  std::string scalar_text() const;
  // A scalar or a list of scalars as strings (a null scalar gives none; list items that are
  // not scalars are left out): the shape of tags, references, rule lists.
  std::vector<std::string> scalars() const;
};

struct YamlEntry {
  YamlEntry(std::string key, YamlValue value) : first(std::move(key)), second(std::move(value)) {}
  std::string first;
  YamlValue second;
};

// Parses every document of a YAML stream. Throws YamlError. A document whose aliases expand
// past 200,000 nodes (an alias bomb) is an error too; with `skipped`, such documents are left
// out and their errors appended there, and the other documents are returned.
std::vector<YamlValue> parse_yaml_documents(const std::string& text, std::vector<YamlError>* skipped = nullptr);

// Resolves a plain scalar the way PyYAML's YAML 1.1 resolver does.
YamlValue resolve_plain_scalar(const std::string& text);

}  // namespace ashiato::sigma
