// The case store: its schema, resuming (a file already stored is recognised by content), the
// dedup of findings, and findings coming back as they went in (kind, level, tags, several
// evidence references).
#include <gtest/gtest.h>

#include <filesystem>

#include "case/case_store.h"
#include "case/sqlite_db.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

cases::FindingRecord finding(const std::string& rule, std::uint64_t record) {
  cases::FindingRecord f;
  f.kind = FindingKind::kSigma;
  f.level = Level::kHigh;
  f.title = "Remote Task Registered With at.exe";
  f.rule_id = rule;
  f.tags = {"attack.execution", "attack.t1053.002"};
  f.time = Timestamp{130777706201200000};
  f.host = "FS01.corp.example.co.jp";
  f.user = "adm-tanaka";
  f.channel = "Security";
  f.event_id = "4698";
  f.details = "TaskName: \\At1";
  f.evidence.push_back(EvidenceRef{"FS01/Security.evtx", record, 4096 + record});
  return f;
}

cases::SourceRecord source(const std::string& path, const std::string& sha256) {
  cases::SourceRecord s;
  s.path = path;
  s.sha256 = sha256;
  s.format = "evtx";
  s.size = 1000;
  s.events = 10;
  return s;
}

TEST(CaseStore, NewCaseHasTheSchemaAndVersion) {
  const auto dir = temp_dir() / "case-schema";
  {
    cases::CaseStore store(dir.string());
    EXPECT_EQ(store.meta("schema_version"), std::to_string(cases::kSchemaVersion));
    EXPECT_FALSE(store.meta("created").empty());
  }
  cases::SqliteDb db((dir / "case.sqlite").string());
  for (const char* table :
       {"meta", "runs", "sources", "indicators", "findings", "finding_evidence", "attributions", "hosts", "accounts"}) {
    cases::Statement s(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
    s.bind(1, std::string(table));
    ASSERT_TRUE(s.step());
    EXPECT_EQ(s.integer(0), 1) << table;
  }
}

TEST(CaseStore, ACaseOfANewerSchemaIsRefused) {
  const auto dir = temp_dir() / "case-newer";
  { cases::CaseStore(dir.string()).set_meta("schema_version", std::to_string(cases::kSchemaVersion + 1)); }
  EXPECT_THROW(cases::CaseStore{dir.string()}, std::runtime_error);
}

TEST(CaseStore, StoredFileIsRecognisedByContentAndFindingsAreNotStoredTwice) {
  const auto dir = temp_dir() / "case-resume";
  cases::CaseStore store(dir.string());
  EXPECT_FALSE(store.completed_source("aa11"));
  store.add_source_results(source("FS01/Security.evtx", "aa11"), {finding("r1", 7), finding("r2", 7)}, {});
  // The same content under another path (a copy), re-read: known, and its findings deduplicated.
  ASSERT_TRUE(store.completed_source("aa11"));
  EXPECT_EQ(store.completed_source("aa11")->path, "FS01/Security.evtx");
  store.add_source_results(source("copy/Security.evtx", "aa11"), {finding("r1", 7), finding("r1", 8)}, {});
  const auto findings = store.findings();
  ASSERT_EQ(findings.size(), 3U);  // r1#7, r2#7, r1#8
  EXPECT_EQ(store.sources().size(), 2U);
  // Reopened, the case holds the same.
  cases::CaseStore reopened(dir.string());
  EXPECT_EQ(reopened.findings().size(), 3U);
}

TEST(CaseStore, FindingsComeBackTypedWithEveryEvidenceReference) {
  const auto dir = temp_dir() / "case-roundtrip";
  cases::CaseStore store(dir.string());
  cases::FindingRecord f = finding("r1", 7);
  f.kind = FindingKind::kAnalysis;
  f.level = Level::kCritical;
  f.evidence.push_back(EvidenceRef{"PC-017/Security.evtx", 99, 123456});
  f.evidence.push_back(EvidenceRef{"proxy/access.log", 1234, 56789});
  cases::FindingRecord untagged = finding("r2", 8);
  untagged.tags.clear();
  untagged.level = Level::kNone;
  store.add_source_results(source("FS01/Security.evtx", "bb22"), {f, untagged}, {});
  const auto back = store.findings();
  ASSERT_EQ(back.size(), 2U);
  const auto& g = back[0].rule_id == "r1" ? back[0] : back[1];
  const auto& h = back[0].rule_id == "r1" ? back[1] : back[0];
  EXPECT_EQ(g.kind, FindingKind::kAnalysis);
  EXPECT_EQ(g.level, Level::kCritical);
  EXPECT_EQ(g.tags, f.tags);
  EXPECT_EQ(g.evidence, f.evidence);  // the first names the source the finding is stored with
  EXPECT_EQ(g.user, "adm-tanaka");
  EXPECT_TRUE(h.tags.empty());
  EXPECT_EQ(h.level, Level::kNone);
  ASSERT_EQ(h.evidence.size(), 1U);
  EXPECT_EQ(h.record(), 8U);
  EXPECT_EQ(h.offset(), 4104U);
}

TEST(CaseStore, KindAndLevelNamesAreTheOnesOutputsUse) {
  for (const auto kind :
       {FindingKind::kSigma, FindingKind::kSigmaCorrelation, FindingKind::kIndicator, FindingKind::kAnalysis}) {
    EXPECT_EQ(parse_kind(kind_name(kind)), kind);
  }
  EXPECT_EQ(kind_name(FindingKind::kIndicator), "ioc");
  EXPECT_EQ(kind_name(FindingKind::kSigmaCorrelation), "sigma-correlation");
  for (const char* level : {"informational", "low", "medium", "high", "critical"}) {
    EXPECT_EQ(level_name(parse_level(level)), level);
  }
  EXPECT_EQ(parse_level("High"), Level::kNone);  // Sigma's names are lower case
  EXPECT_EQ(level_name(Level::kNone), "");
  EXPECT_FALSE(parse_kind("beacon"));
}

}  // namespace
}  // namespace ashiato::test
