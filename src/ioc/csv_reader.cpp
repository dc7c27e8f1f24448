// Indicator tables: CSV (or ';'/tab separated) with a header line. Three layouts:
//   - a type column and a value column ("type,value,comment", MISP's CSV export): each row's
//     type says how to read its value (typed_value.h), unknown types are tallied and skipped;
//   - columns named after a type ("md5,sha1,sha256", "SHA1,fileName,size"): every cell of such a
//     column is an indicator of that type;
//   - only a value column ("indicator,description"): each value's type is detected (classify).
// A comment-like column (comment, description, name, filename...) gives the label, a "to_ids"
// column the to_ids flag. Fields may be quoted with "" escapes and span lines (RFC 4180).
#include <algorithm>
#include <optional>

#include "ioc/reader_context.h"
#include "ioc/text_util.h"
#include "ioc/typed_value.h"

namespace ashiato::ioc {
namespace {

constexpr std::string_view kTypeColumns[] = {"type",     "indicator-type", "indicatortype",   "attribute-type",
                                             "ioc-type", "ioctype",        "observable-type", "data-type"};
constexpr std::string_view kValueColumns[] = {
    "value", "indicator", "ioc", "observable", "ioc-value", "indicator-value", "attribute-value", "observable-value"};
constexpr std::string_view kLabelColumns[] = {"comment", "comments", "description", "desc",       "note",
                                              "notes",   "context",  "label",       "info",       "title",
                                              "name",    "filename", "file-name",   "event-info", "tags"};

std::string column_name(std::string_view header) {
  std::string out = lowercase(trim(strip_wrapping(trim(header))));
  for (char& c : out) {
    if (c == '_' || c == ' ') c = '-';
  }
  return out;
}

template <std::size_t N>
bool one_of(const std::string& name, const std::string_view (&names)[N]) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// Reads one record starting at `pos`; fields are unquoted. `lines` counts the newlines consumed.
bool next_record(std::string_view text, std::size_t& pos, char delimiter, std::vector<std::string>& fields,
                 std::size_t& lines) {
  fields.clear();
  if (pos >= text.size()) return false;
  std::string field;
  bool quoted = false, was_quoted = false;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          field.push_back('"');
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++lines;
        field.push_back(c);
      }
    } else if (c == '"' && !was_quoted && trim(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (c == delimiter) {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n') {
      ++lines;
      break;
    } else if (c != '\r') {
      field.push_back(c);
    }
  }
  fields.push_back(std::move(field));
  return true;
}

bool is_comment_or_blank(std::string_view line) {
  line = trim(line);
  return line.empty() || line.front() == '#';
}

// The header line: first line that is neither blank nor a comment. Sets `pos` after it.
std::string_view header_line(std::string_view text, std::size_t& pos, std::size_t& line_number) {
  pos = 0;
  line_number = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    ++line_number;
    const std::size_t start = pos;
    pos = end + 1;
    if (!is_comment_or_blank(line)) {
      pos = start;
      return line;
    }
  }
  return {};
}

char detect_delimiter(std::string_view header) {
  char best = 0;
  long best_count = 0;
  for (char d : {',', ';', '\t'}) {
    const long n = std::count(header.begin(), header.end(), d);
    if (n > best_count) {
      best = d;
      best_count = n;
    }
  }
  return best;
}

struct Layout {
  char delimiter = ',';
  std::optional<std::size_t> type, value, label, to_ids;
  std::vector<std::size_t> typed;  // columns named after an indicator type
  std::vector<std::string> names;
  bool usable() const { return (type && value) || !typed.empty() || value; }
};

std::optional<Layout> layout_of(std::string_view header) {
  Layout layout;
  layout.delimiter = detect_delimiter(header);
  if (layout.delimiter == 0) return std::nullopt;
  std::vector<std::string> cells;
  std::size_t pos = 0, lines = 0;
  next_record(header, pos, layout.delimiter, cells, lines);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string name = column_name(cells[i]);
    layout.names.push_back(name);
    if (one_of(name, kTypeColumns) && !layout.type) {
      layout.type = i;
    } else if (one_of(name, kValueColumns) && !layout.value) {
      layout.value = i;
    } else if (one_of(name, kLabelColumns) && !layout.label) {
      layout.label = i;
    } else if (name == "to-ids" && !layout.to_ids) {
      layout.to_ids = i;
    } else if (is_indicator_type_name(name)) {
      layout.typed.push_back(i);
    }
  }
  if (!layout.usable()) return std::nullopt;
  return layout;
}

bool false_text(std::string_view s) {
  s = trim(s);
  return s == "0" || iequals(s, "false") || iequals(s, "no") || iequals(s, "n");
}

}  // namespace

bool looks_like_csv(std::string_view text) {
  std::size_t pos = 0, line_number = 0;
  return layout_of(header_line(text, pos, line_number)).has_value();
}

void read_csv_indicators(std::string_view text, ReaderContext& context) {
  std::size_t pos = 0, line_number = 0;
  const auto layout = layout_of(header_line(text, pos, line_number));
  if (!layout) return;
  std::vector<std::string> fields;
  std::size_t lines = 0;
  next_record(text, pos, layout->delimiter, fields, lines);  // the header
  line_number += lines;                                      // now the line the next record starts on
  auto cell = [&](std::optional<std::size_t> column) -> std::string_view {
    if (!column || *column >= fields.size()) return {};
    return trim(fields[*column]);
  };
  std::vector<Indicator> found;
  std::string why;
  while (true) {
    const std::size_t record_line = line_number;
    const std::size_t record_offset = pos;
    lines = 0;
    if (!next_record(text, pos, layout->delimiter, fields, lines)) break;
    line_number += lines;
    if (fields.size() == 1 && is_comment_or_blank(fields[0])) continue;
    const std::string where = "line " + std::to_string(record_line);
    found.clear();
    auto read_typed = [&](std::string_view type, std::string_view value) {
      if (value.empty()) return;
      switch (typed_indicators(type, value, found, why)) {
        case TypedStatus::kOk: break;
        case TypedStatus::kUnsupportedType:
          context.skip("CSV type '" + std::string(type) + "'", "not an indicator type ashiato matches");
          break;
        case TypedStatus::kInvalidValue: context.error(where, why, record_offset); break;
      }
    };
    if (layout->type && layout->value) {
      if (cell(layout->value).empty()) {
        context.error(where, "row without a value", record_offset);
        continue;
      }
      read_typed(cell(layout->type), cell(layout->value));
    } else if (!layout->typed.empty()) {
      for (std::size_t column : layout->typed) read_typed(layout->names[column], cell(column));
    } else {
      const std::string_view value = cell(layout->value);
      if (value.empty()) continue;
      if (auto indicator = classify(value)) {
        found.push_back(std::move(*indicator));
      } else {
        context.error(where, "not an indicator: '" + std::string(value.substr(0, 120)) + "'", record_offset);
      }
    }
    const std::string label(cell(layout->label));
    const bool to_ids = !layout->to_ids || !false_text(cell(layout->to_ids));
    for (Indicator& indicator : found) {
      indicator.source = context.source() + ":" + std::to_string(record_line);
      indicator.label = label;
      indicator.to_ids = to_ids;
      context.out().push_back(std::move(indicator));
    }
  }
}

}  // namespace ashiato::ioc
