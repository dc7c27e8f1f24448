// Writes a findings timeline as a terminal table, CSV, JSON lines or a JSON array.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "report/record_table.h"

namespace ashiato::report {

enum class FindingsFormat { kTable, kCsv, kJsonLines, kJson };

// Formats findings one at a time and hands the text to `write` in pieces of about a megabyte (a
// timeline of millions of findings is never held as one string); times are UTC ISO 8601. The
// table shows control and invisible characters (core/visible_text.h); CSV cells are neutralised
// unless `cells` says raw (see CsvCells).
class FindingsWriter {
 public:
  FindingsWriter(FindingsFormat format, bool colour, std::function<void(std::string_view)> write,
                 CsvCells cells = CsvCells::kNeutralised);
  void add(const Finding& f);
  // Writes the rest (and a JSON array's end); call once after the last finding.
  void finish();

 private:
  void flush_if_full();

  FindingsFormat format_;
  bool colour_;
  CsvCells cells_;
  std::function<void(std::string_view)> write_;
  std::string out_;
  std::uint64_t count_ = 0;
};

// All of `findings` through a FindingsWriter.
void write_findings(const std::vector<Finding>& findings, FindingsFormat format, bool colour,
                    const std::function<void(std::string_view)>& write, CsvCells cells = CsvCells::kNeutralised);
// The same as one string, for small timelines and documents that embed it.
std::string format_findings(const std::vector<Finding>& findings, FindingsFormat format, bool colour);

}  // namespace ashiato::report
