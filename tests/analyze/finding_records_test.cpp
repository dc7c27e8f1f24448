// Packed findings (the timeline's storage): every field comes back as it went in, sequence
// numbers are given in record order, and keys sort by time then sequence.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "analyze/finding_records.h"
#include "pipeline/hunt.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

// Findings of a real hunt: SigmaHQ's process-creation rules over the corpus' EVTX samples.
std::vector<Finding> corpus_findings() {
  sigma::LoadResult loaded;
  sigma::load_rule_paths({corpus("sigma/rules/windows/process_creation").string()}, loaded);
  const sigma::RuleSet rules = sigma::RuleSet::compile(loaded, sigma::RuleSelection{}, {});
  Diagnostics diagnostics;
  std::vector<std::string> paths;
  for (const auto& p : files_under(corpus("evtx"), ".evtx")) paths.push_back(p.string());
  return pipeline::hunt(paths, rules, diagnostics);
}

// Fields at their edges: empty, long, bytes JSON and CSV would escape, the largest numbers.
std::vector<Finding> odd_findings() {
  Finding empty;
  Finding full;
  full.kind = FindingKind::kIndicator;
  full.level = Level::kCritical;
  full.title = std::string(5000, 'T');
  full.rule_id = "id";
  full.tags = {"", "attack.t1053.002", std::string("a\0b", 3)};
  full.time = Timestamp{std::numeric_limits<std::int64_t>::min()};
  full.host = "ホスト01";
  full.channel = "Microsoft-Windows-TaskScheduler/Operational";
  full.event_id = "106";
  full.details = std::string("line\nbreak \"quoted\" \\ \x01 end\0", 27);
  full.until = Timestamp{std::numeric_limits<std::int64_t>::max()};
  full.user = "CORP\\adm-tanaka";
  full.src_ip = "10.1.2.3";
  full.dst = "www.example.jp";
  // every byte of the record id different: a byte lost or swapped shows
  full.evidence = {
      EvidenceRef{"/evidence/a b/Security.evtx", 0x0123456789abcdefULL, std::numeric_limits<std::uint64_t>::max()},
      EvidenceRef{"", 0, 0}, EvidenceRef{"proxy.log.gz", 7, 0xfedcba9876543210ULL}};
  full.sequence = 12345;
  return {empty, full, empty};
}

std::vector<Finding> round_trip(const std::vector<Finding>& findings) {
  analyze::FindingRecords packed;
  for (const Finding& f : findings) packed.append(analyze::view_of(f));
  EXPECT_EQ(packed.size(), findings.size());
  std::vector<Finding> back;
  packed.unpack_all(back);
  return back;
}

TEST(FindingRecords, RealDetectionsComeBackFieldForField) {
  const std::vector<Finding> findings = corpus_findings();
  ASSERT_GT(findings.size(), 500U);
  EXPECT_EQ(round_trip(findings), findings);
}

TEST(FindingRecords, EmptyLongAndBinaryFieldsComeBackAsTheyWent) {
  const std::vector<Finding> findings = odd_findings();
  EXPECT_EQ(round_trip(findings), findings);
  EXPECT_EQ(analyze::to_finding(analyze::view_of(findings[1])), findings[1]);
}

TEST(FindingRecords, NumberingFollowsRecordOrderAndKeysSortByTimeThenSequence) {
  std::vector<Finding> findings = odd_findings();
  findings[0].time = Timestamp{300};
  findings[1].time = Timestamp{100};
  findings[2].time = Timestamp{300};
  analyze::FindingRecords packed;
  for (const Finding& f : findings) packed.append(analyze::view_of(f));
  std::uint64_t next = 40;
  packed.number(next);
  EXPECT_EQ(next, 43U);
  std::vector<analyze::FindingRecords::Key> keys = packed.keys();
  ASSERT_EQ(keys.size(), 3U);
  EXPECT_EQ(keys[0].sequence, 40U);
  EXPECT_EQ(keys[2].sequence, 42U);
  std::sort(keys.begin(), keys.end());
  std::vector<std::uint64_t> order(keys.size());
  std::transform(keys.begin(), keys.end(), order.begin(), [](const auto& k) { return k.sequence; });
  EXPECT_EQ(order, (std::vector<std::uint64_t>{41, 40, 42}));
  Finding f;
  analyze::FindingRecords::unpack(analyze::FindingRecords::record_at(packed.bytes(), keys[0].at), f);
  EXPECT_EQ(f.title, findings[1].title);
  EXPECT_EQ(f.sequence, 41U);
}

TEST(FindingRecords, TakingMovesEveryRecordAndLeavesTheOtherEmpty) {
  const std::vector<Finding> findings = odd_findings();
  analyze::FindingRecords a, b;
  a.append(analyze::view_of(findings[0]));
  b.append(analyze::view_of(findings[1]));
  b.append(analyze::view_of(findings[2]));
  a.take(b);
  EXPECT_TRUE(b.empty());
  EXPECT_TRUE(b.bytes().empty());
  std::vector<Finding> back;
  a.unpack_all(back);
  EXPECT_EQ(back, findings);
  analyze::FindingRecords c;
  c.take(a);  // into an empty one
  EXPECT_EQ(c.size(), 3U);
  EXPECT_TRUE(a.empty());
}

TEST(FindingRecords, ARecordCutShortIsAnErrorNotAReadPastItsEnd) {
  analyze::FindingRecords packed;
  packed.append(analyze::view_of(odd_findings()[1]));
  const std::string_view whole = analyze::FindingRecords::record_at(packed.bytes(), 0);
  Finding f;
  EXPECT_THROW(analyze::FindingRecords::unpack(whole.substr(0, whole.size() - 1), f), std::runtime_error);
  EXPECT_THROW(analyze::FindingRecords::unpack(whole.substr(0, 40), f), std::runtime_error);
  // A finding with nothing in it: the head (46 bytes), ten empty strings, the tag count and the
  // count of further evidence last.
  analyze::FindingRecords empty;
  empty.append(analyze::view_of(Finding{}));
  const std::string record(analyze::FindingRecords::record_at(empty.bytes(), 0));
  ASSERT_EQ(record.size(), 46U + 10 * 4 + 4 + 4);
  for (const std::size_t count_at : {record.size() - 8, record.size() - 4}) {
    std::string bad = record;
    bad.replace(count_at, 4, "\xff\xff\xff\xff");  // four billion tags or references that are not there
    EXPECT_THROW(analyze::FindingRecords::unpack(bad, f), std::runtime_error);
  }
  std::string unknown_kind = record;
  unknown_kind[44] = '\x7f';
  EXPECT_THROW(analyze::FindingRecords::unpack(unknown_kind, f), std::runtime_error);
}

}  // namespace
}  // namespace ashiato::test
