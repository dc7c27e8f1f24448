// Rows of named columns written as an aligned terminal table, CSV, JSON lines or a JSON array —
// one writer for every listing the commands print (sweep hits, per-indicator and per-host
// summaries, sources).
#pragma once
#include <string>
#include <vector>

namespace ashiato::report {

enum class TableFormat { kText, kCsv, kJsonLines, kJson };

struct RecordTable {
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column: written as a JSON number (when the text is one)
  std::vector<std::vector<std::string>> rows;

  void add_column(std::string name, bool is_number = false) {
    columns.push_back(std::move(name));
    numeric.push_back(is_number);
  }
};

// Text: columns padded to their widest value, cut at `max_width` characters (with "…").
std::string format_table(const RecordTable& table, TableFormat format, std::size_t max_width = 60);
// One JSON array of objects, e.g. to nest a table inside a larger JSON document.
std::string table_json_array(const RecordTable& table);
// Quotes a CSV field when it needs it.
void append_csv_field(std::string& out, std::string_view s);

}  // namespace ashiato::report
