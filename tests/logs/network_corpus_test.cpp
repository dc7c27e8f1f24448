// Every file under corpora/network is read; each one either parses without a bad line, or its
// problems have a cause named here and checked against the file itself (documents that are not
// logs, Zeek test baselines whose time stamps btest masks, deliberately truncated files).
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "logs/text_log_reader.h"
#include "test_support.h"

namespace ashiato {
namespace {

std::string first_line(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

bool is_btest_baseline(const std::filesystem::path& p) {
  return first_line(p).rfind("### BTest baseline", 0) == 0;
}

// Why a file that is not a log is not one.
std::string not_a_log_cause(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  const std::string path = p.string();
  if (name == "README" || name.ends_with(".md") || name == "LICENSE" || name == "COPYING" || name == "CITATION") {
    return "documentation";
  }
  if (path.find("/md5sums/") != std::string::npos) return "checksum list";
  if (name.rfind("conn-summary.", 0) == 0) return "Zeek trace-summary report";
  if (path.find("test_data/text_file/") != std::string::npos && first_line(p).rfind("Lorem ipsum", 0) == 0) {
    return "prose (RITA's non-log test file)";
  }
  if (name == "feed.txt") return "threat intelligence list";
  if (name == "conn_top.log" && first_line(p).find('\t') != std::string::npos && first_line(p)[0] != '#') {
    return "Zeek rows whose headers were cut off";
  }
  if (is_btest_baseline(p)) return "btest baseline that is not a log (zeek-cut output, script output)";
  return "";
}

// Why a log has lines that do not parse; empty if the problems are not explained.
std::string bad_line_cause(const std::filesystem::path& p, const std::vector<Problem>& problems) {
  const std::string path = p.string();
  // btest replaces time stamps by X's, which leaves rows without a time (TSV) or invalid JSON.
  const std::string text = test::read_file(p);
  bool all_masked = true;
  for (const auto& pr : problems) {
    if (pr.reason.find("more lines do not parse") != std::string::npos) continue;  // the count after the examples
    const std::string line = text.substr(pr.offset, text.find('\n', pr.offset) - pr.offset);
    all_masked = all_masked && line.find("XXXXXXXXXX.XXXXXX") != std::string::npos;
  }
  if (is_btest_baseline(p) && all_masked) return "btest masks time stamps (ts XXXXXXXXXX.XXXXXX)";
  if (path.find("rita/test_data/truncated/") != std::string::npos && problems.size() == 1) {
    return "deliberately truncated last line";
  }
  if (path.find("rita/test_data/has_unknown_field/") != std::string::npos && problems.size() == 1 &&
      problems[0].where == "line 9") {
    return "first row one column short";
  }
  return "";
}

TEST(NetworkCorpus, EveryFileParsesOrFailsForANamedReason) {
  const auto root = test::corpus("network");
  std::map<std::string, std::size_t> formats, causes;
  std::uint64_t events = 0, bad = 0;
  std::size_t files = 0;
  for (const auto& p : test::files_under(root, "")) {
    SCOPED_TRACE(p.string());
    ++files;
    Diagnostics d;
    const auto clock = logs::LogClock::utc();
    logs::TextReadOptions options;
    options.clock = &clock;
    const auto stats = logs::read_text_log(
        p.string(), 0, options, [](const EventBatch&, std::uint64_t) {}, d);
    const auto problems = d.kept();
    if (stats.format.empty()) {
      const std::string cause = not_a_log_cause(p);
      EXPECT_FALSE(cause.empty()) << "unread for no known cause: " << (problems.empty() ? "" : problems[0].reason);
      ASSERT_EQ(problems.size(), 1U);
      EXPECT_TRUE(problems[0].reason.find("unknown log format") != std::string::npos ||
                  problems[0].reason.find("empty file") != std::string::npos)
          << problems[0].reason;
      causes["not a log: " + cause]++;
      continue;
    }
    formats[stats.format]++;
    events += stats.events;
    if (stats.bad_lines == 0) {
      EXPECT_EQ(d.errors(), 0U) << (problems.empty() ? "" : problems[0].reason);
      continue;
    }
    bad += stats.bad_lines;
    const std::string cause = bad_line_cause(p, problems);
    EXPECT_FALSE(cause.empty()) << stats.bad_lines << " bad lines, first: " << problems[0].where << " "
                                << problems[0].reason;
    causes["bad lines: " + cause]++;
  }
  for (const auto& [f, n] : formats) std::printf("  %-12s %zu files\n", f.c_str(), n);
  for (const auto& [c, n] : causes) std::printf("  %4zu  %s\n", n, c.c_str());
  std::printf("  %zu files, %llu events, %llu bad lines (all explained)\n", files,
              static_cast<unsigned long long>(events), static_cast<unsigned long long>(bad));
  EXPECT_GT(files, 1800U);
  EXPECT_GT(formats["zeek"], 1000U);
  EXPECT_GT(events, 300000U);
}

}  // namespace
}  // namespace ashiato
