// report.json from a small case built in memory (report/case_report.h): the document is valid
// JSON whatever the logs held, carries the case's facts as the analysis made them, and follows
// the report's language.
#include "report/case_report.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_support.h"

namespace ashiato::report {
namespace {

const Timestamp kT0 = Timestamp::from_unix_seconds(1433116800);  // 2015-06-01T00:00:00Z
constexpr std::int64_t kMinute = 60LL * 10'000'000;

cases::FindingRecord contact(std::int64_t minutes, std::uint64_t record) {
  cases::FindingRecord f;
  f.kind = FindingKind::kIndicator;
  f.level = Level::kHigh;
  f.rule_id = "www.tabi-navi.example.jp";
  f.title = "C2 communication";
  f.time = Timestamp{kT0.ticks + minutes * kMinute};
  f.host = "10.1.0.17";
  f.src_ip = "10.1.0.17";
  f.channel = "proxy";
  f.source_id = 1;
  f.evidence.push_back(EvidenceRef{"proxy/access.log", record, record * 100});
  return f;
}

struct Built {
  CaseReportInput input;
  analyze::CaseFacts facts;
};

Built small_case() {
  Built b;
  b.input.case_dir = "case-2015-042";
  b.input.runs = 1;
  cases::SourceRecord proxy;
  proxy.id = 1;
  proxy.path = "proxy/access.log";
  proxy.format = "squid";
  proxy.events = 1000;
  proxy.first_time = kT0;
  proxy.last_time = Timestamp{kT0.ticks + 120 * kMinute};
  b.input.sources = {proxy};
  b.input.indicators = {cases::IndicatorRecord{1, "domain", "www.tabi-navi.example.jp", "notice.txt:3", ""}};
  // A detection whose text comes from the logs: quotes, a terminal escape, a line break, markup.
  cases::FindingRecord hostile = contact(30, 7);
  hostile.kind = FindingKind::kSigma;
  hostile.level = Level::kMedium;
  hostile.rule_id = "00000000-0000-0000-0000-00000000000a";
  hostile.title = "User \"adm\x1b[2Jin\"\n</script><b>x</b>";
  b.input.findings = {contact(0, 1), contact(60, 2), hostile};
  b.input.attributions = {cases::AttributionRecord{"10.1.0.17", "PC-017", "tanaka", "", "dhcp", kT0,
                                                   Timestamp{kT0.ticks + 24 * 60 * kMinute}, 1, 1}};
  b.facts = analyze::analyse_case(b.input.sources, b.input.indicators, b.input.findings, b.input.attributions);
  return b;
}

// Parses the document with Python's json module (an independent parser) and prints `expression`
// of it (the parsed document is `r`).
std::string checked_with_python(const std::string& json, const std::string& expression) {
  const auto dir = test::temp_dir();
  std::ofstream(dir / "report.json", std::ios::binary) << json;
  std::ofstream(dir / "check.py") << "import json, sys\nr = json.load(open(sys.argv[1], encoding='utf-8'))\nprint("
                                  << expression << ")\n";
  std::string command("python3 '");  // appended: GCC 12's -Wrestrict misfires on "'" + s
  command.append((dir / "check.py").string()).append("' '").append((dir / "report.json").string()).append("'");
  std::string out;
  EXPECT_EQ(test::run_command(command, out), 0) << json.substr(0, 2000);
  return out;
}

TEST(CaseReport, CarriesTheFactsAsValidJson) {
  const Built b = small_case();
  const std::string json =
      case_report_json(b.input, b.facts, ReportLanguage{false, 9 * 60, "+09:00"}, Timestamp::from_unix_seconds(0));
  EXPECT_EQ(json.find('\x1b'), std::string::npos) << "control characters are escaped";
  EXPECT_NE(json.find("\\u001b"), std::string::npos);
  EXPECT_EQ(checked_with_python(json,
                                "r['lang'], r['summary']['infected_hosts'], r['summary']['c2_destinations'], "
                                "[h['name'] for h in r['hosts'] if h['status']=='infected'], "
                                "[c['indicator'] for c in r['c2']], r['case']['runs']"),
            "en 1 1 ['PC-017'] ['www.tabi-navi.example.jp'] 1\n");
  // The hostile title comes back exactly as it was.
  EXPECT_EQ(checked_with_python(json,
                                "any(t.get('title')=='User \"adm\\x1b[2Jin\"\\n</script><b>x</b>' "
                                "for t in r['timeline'])"),
            "True\n");
}

TEST(CaseReport, FollowsTheReportLanguage) {
  const Built b = small_case();
  const std::string ja =
      case_report_json(b.input, b.facts, ReportLanguage{true, 9 * 60, "+09:00"}, Timestamp::from_unix_seconds(0));
  EXPECT_EQ(checked_with_python(ja, "r['lang'], r['display_zone']"), "ja +09:00\n");
  EXPECT_NE(ja.find("感染"), std::string::npos) << "the headline and checklist are in Japanese";
}

}  // namespace
}  // namespace ashiato::report
