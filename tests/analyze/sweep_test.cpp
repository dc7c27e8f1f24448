// Indicator sweeps over RITA's missing_host capture (three days of rotated, gzip'd Zeek logs with
// a known HTTP beacon): the expected rows are counted here straight from the files with zlib and
// the #fields header, independently of ashiato's readers.
#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <string>
#include <vector>

#include "analyze/sweep_summary.h"
#include "ioc/indicator.h"
#include "ioc/indicator_matcher.h"
#include "pipeline/sweep.h"
#include "test_support.h"

namespace ashiato {
namespace {

constexpr const char* kBeaconAgent = "Modzilla/0.0001 (Atari 7800)";
constexpr const char* kSensor = "64.225.56.201";

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

// Rows of a gzip'd Zeek TSV log as column name → value.
std::vector<std::map<std::string, std::string>> zeek_rows(const std::filesystem::path& p) {
  gzFile f = gzopen(p.c_str(), "rb");
  EXPECT_NE(f, nullptr) << p;
  std::vector<std::map<std::string, std::string>> rows;
  if (f == nullptr) return rows;
  std::vector<std::string> fields;
  std::string line;
  char buf[1 << 16];
  while (gzgets(f, buf, sizeof buf) != nullptr) {
    line += buf;
    if (line.empty() || line.back() != '\n') continue;
    line.pop_back();
    if (line.rfind("#fields\t", 0) == 0) {
      fields = split_tabs(line.substr(8));
    } else if (!line.empty() && line[0] != '#') {
      auto values = split_tabs(line);
      std::map<std::string, std::string> row;
      for (std::size_t i = 0; i < values.size() && i < fields.size(); ++i) row[fields[i]] = values[i];
      rows.push_back(std::move(row));
    }
    line.clear();
  }
  gzclose(f);
  return rows;
}

std::string kind_of(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  return name.substr(0, name.find('.'));
}

pipeline::SweepResult sweep(const std::vector<ioc::Indicator>& indicators, const ioc::IndicatorMatcher& matcher,
                            Diagnostics& d) {
  (void)indicators;
  std::vector<std::string> files;
  for (const auto& p : test::files_under(test::corpus("network/rita/test_data/missing_host"), ".gz")) {
    files.push_back(p.string());
  }
  EXPECT_GT(files.size(), 1000U);
  return pipeline::sweep(files, matcher, pipeline::SweepOptions{}, d);
}

TEST(Sweep, RitaBeaconUserAgentFindsExactlyTheBeaconRows) {
  std::size_t expected = 0;
  for (const auto& p : test::files_under(test::corpus("network/rita/test_data/missing_host"), ".gz")) {
    if (kind_of(p) != "http") continue;
    for (const auto& row : zeek_rows(p)) expected += row.count("user_agent") && row.at("user_agent") == kBeaconAgent;
  }
  ASSERT_EQ(expected, 950U);  // the capture's README: the beacon's unique User-Agent

  std::vector<ioc::Indicator> indicators{ioc::Indicator{ioc::IndicatorType::kUserAgent, kBeaconAgent, "test", ""}};
  const ioc::IndicatorMatcher matcher(indicators);
  Diagnostics d;
  const auto result = sweep(indicators, matcher, d);
  EXPECT_EQ(result.hits.size(), expected);
  for (const auto& h : result.hits) {
    EXPECT_EQ(kind_of(result.sources[h.source.file_id].path), "http");
    EXPECT_EQ(h.field, "c-useragent");
    // The beacon's Host header is empty (the point of this capture): the destination is its address.
    EXPECT_EQ(h.dst, kSensor);
  }
  const auto summary = analyze::summarise(result.hits);
  ASSERT_EQ(summary.by_host.size(), 1U);
  EXPECT_EQ(summary.by_host[0].host, "73.54.23.243");  // README: all interesting traffic comes from here
  // No log of the capture may be unreadable or have lines that do not parse; the hourly
  // trace-summary reports (conn-summary.*) are text for people, not logs, and are reported as such.
  for (const auto& s : result.sources) {
    const bool report = s.path.find("/conn-summary.") != std::string::npos || s.path.ends_with("/README");
    EXPECT_EQ(s.format.empty(), report) << s.path;
    EXPECT_EQ(s.bad_records, 0U) << s.path;
  }
}

TEST(Sweep, RitaSensorAddressFindsEveryHttpAndConnRow) {
  std::map<std::string, std::size_t> expected;  // per log kind
  for (const auto& p : test::files_under(test::corpus("network/rita/test_data/missing_host"), ".gz")) {
    const std::string kind = kind_of(p);
    if (kind != "http" && kind != "conn") continue;
    for (const auto& row : zeek_rows(p)) {
      expected[kind] += row.at("id.orig_h") == kSensor || row.at("id.resp_h") == kSensor;
    }
  }
  ASSERT_GT(expected["http"], 10000U);
  ASSERT_GT(expected["conn"], 10000U);

  std::vector<ioc::Indicator> indicators{ioc::Indicator{ioc::IndicatorType::kIpv4, kSensor, "test", ""}};
  const ioc::IndicatorMatcher matcher(indicators);
  Diagnostics d;
  const auto result = sweep(indicators, matcher, d);
  std::map<std::string, std::size_t> found;
  for (const auto& h : result.hits) found[kind_of(result.sources[h.source.file_id].path)]++;
  EXPECT_EQ(found["http"], expected["http"]);
  EXPECT_EQ(found["conn"], expected["conn"]);
}

}  // namespace
}  // namespace ashiato
