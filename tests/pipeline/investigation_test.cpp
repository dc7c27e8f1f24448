// The investigate pipeline as a library, on the demo incident (written by the demo library, the
// same bytes every run, with a ground truth): what the case holds, and a detector added from
// outside (as docs/architecture.md's example does) reaching the case and the report without any
// change to the scan loop.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analyze/detector.h"
#include "case/case_store.h"
#include "demo/demo_case.h"
#include "pipeline/case_candidates.h"
#include "pipeline/indicators.h"
#include "pipeline/investigation.h"
#include "sigma/rule_loader.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

// The docs' example detector: scheduled tasks registered through Security 4698, one finding per
// task, and a count of every event it was shown (to check the scan's contract).
class TaskRegistrationDetector : public analyze::Detector {
 public:
  std::string_view name() const override { return "task-registration"; }
  bool wants_all() const override { return false; }
  bool wants(std::string_view /*channel*/, std::string_view event_id) const override { return event_id == "4698"; }

  std::unique_ptr<analyze::EventRun> start_run(const analyze::FileScan& /*file*/) const override {
    return std::make_unique<Run>();
  }
  void end_run(analyze::EventRun& run, analyze::FileScan& file) const override {
    auto& r = static_cast<Run&>(run);
    for (const Finding& f : r.found) file.findings.append(analyze::view_of(f));
    facts<TaskCount>(file).tasks += r.found.size();
    r.found.clear();
  }
  void end_scan(std::vector<Finding>& findings) override {
    Finding f;
    f.kind = FindingKind::kAnalysis;
    f.level = Level::kInformational;
    f.rule_id = "task-registration-summary";
    f.title = "Scheduled tasks registered: " + std::to_string(tasks_seen_);
    findings.push_back(f);
  }
  void end_file(analyze::FileScan& file) override {
    if (const auto* count = facts<TaskCount>(static_cast<const analyze::FileScan&>(file))) tasks_seen_ += count->tasks;
  }
  std::uint64_t tasks_seen() const { return tasks_seen_; }

 private:
  struct TaskCount : analyze::DetectorFacts {
    std::uint64_t tasks = 0;
  };
  struct Run : analyze::EventRun {
    std::string origin;
    std::vector<Finding> found;
    void begin(std::string_view o) override { origin = o; }
    void observe(const Event& e) override {
      static const FieldId event_id = intern_field("EventID");
      static const FieldId task = intern_field("TaskName");
      static const FieldId computer = intern_field("Computer");
      if (e.get(event_id).value_or("") != "4698") return;
      Finding f;
      f.kind = FindingKind::kAnalysis;
      f.level = Level::kMedium;
      f.rule_id = "task-registration";
      f.title = "Task registered: " + std::string(e.get(task).value_or("?"));
      f.time = e.time();
      f.host = e.get(computer).value_or("");
      f.event_id = "4698";
      f.evidence.push_back(EvidenceRef{origin, e.source().record_id, e.source().offset});
      found.push_back(std::move(f));
    }
  };
  std::uint64_t tasks_seen_ = 0;  // over every file, from each file's facts
};

class InvestigationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Written once for the suite (temp_dir() needs a running test); CTest runs each test in a
    // process of its own, in parallel: one folder per process.
    demo_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                      ("ashiato-test-InvestigationTest-demo-" + std::to_string(::getpid())));
    std::filesystem::remove_all(*demo_);
    demo::write_demo_case(demo_->string());
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*demo_);
    delete demo_;
  }

  pipeline::InvestigationInput input(const std::string& case_name) {
    pipeline::InvestigationInput in;
    in.case_dir = (*demo_ / case_name).string();
    Diagnostics d;
    in.indicators = pipeline::load_indicators({{}, {(*demo_ / "notice.txt").string()}}, d).indicators;
    EXPECT_FALSE(in.indicators.empty());
    for (const char* folder : {"proxy", "firewall", "dhcp", "evtx"}) {
      for (const auto& p : files_under(*demo_ / folder, "")) in.evidence.push_back(p.string());
    }
    std::sort(in.evidence.begin(), in.evidence.end());
    sigma::load_rule_paths({std::string(ASHIATO_SOURCE_DIR) + "/rules"}, loaded_);
    rules_ = sigma::RuleSet::compile(loaded_, sigma::RuleSelection{}, {});
    in.rules = &rules_;
    in.japanese = false;
    return in;
  }

  static std::filesystem::path* demo_;
  sigma::LoadResult loaded_;
  sigma::RuleSet rules_;
};
std::filesystem::path* InvestigationTest::demo_ = nullptr;

TEST_F(InvestigationTest, FindsTheDemosInfectedHostsAndStoresEveryFileOnce) {
  Diagnostics d;
  pipeline::InvestigationInput in = input("case-plain");
  const auto result = pipeline::investigate(in, d);
  EXPECT_EQ(d.errors(), 0U);
  EXPECT_EQ(result.files_read, in.evidence.size());
  std::set<std::string> infected;
  for (const auto& h : result.facts.hosts) {
    if (h.status == "infected") infected.insert(h.name);
  }
  // ground-truth.json: PC-017, PC-085 and PC-042 beacon; PC-063 visits the site once.
  EXPECT_EQ(infected, (std::set<std::string>{"PC-017", "PC-042", "PC-085"}));
  const auto suspect = std::find_if(result.facts.hosts.begin(), result.facts.hosts.end(),
                                    [](const auto& h) { return h.name == "PC-063"; });
  ASSERT_NE(suspect, result.facts.hosts.end());
  EXPECT_EQ(suspect->status, "suspect");

  // Run again: every file is already in the case; nothing is added twice.
  cases::CaseStore store(in.case_dir);
  const auto findings_before = store.findings().size();
  const auto again = pipeline::investigate(in, d);
  EXPECT_EQ(again.files_skipped, in.evidence.size());
  EXPECT_EQ(again.files_read, 0U);
  EXPECT_EQ(store.findings().size(), findings_before);
  EXPECT_EQ(store.sources().size(), in.evidence.size());
}

TEST_F(InvestigationTest, ADetectorAddedFromOutsideReachesTheCaseAndTheReport) {
  TaskRegistrationDetector tasks;
  Diagnostics d;
  pipeline::InvestigationInput in = input("case-extra");
  in.extra_detectors.push_back(&tasks);
  pipeline::investigate(in, d);
  cases::CaseStore store(in.case_dir);
  std::vector<cases::FindingRecord> registered;
  std::size_t summaries = 0;
  for (const auto& f : store.findings()) {
    if (f.rule_id == "task-registration") registered.push_back(f);
    if (f.rule_id == "task-registration-summary") ++summaries;
  }
  // The attacker's `at` job on FS01 (ground truth: task \At1) is registered through 4698.
  ASSERT_FALSE(registered.empty());
  EXPECT_TRUE(std::any_of(registered.begin(), registered.end(), [](const auto& f) {
    return f.title.find("At1") != std::string::npos && f.host.rfind("FS01", 0) == 0;
  }));
  for (const auto& f : registered) {
    EXPECT_EQ(f.kind, FindingKind::kAnalysis);
    EXPECT_NE(f.source_id, 0);  // stored with the file it came from
    EXPECT_GT(f.record(), 0U);
  }
  EXPECT_EQ(summaries, 1U);  // end of scan, across files
  EXPECT_EQ(tasks.tasks_seen(), registered.size());
  std::ifstream report(in.case_dir + "/report.json");
  std::stringstream text;
  text << report.rdbuf();
  EXPECT_NE(text.str().find("Task registered: "), std::string::npos);
}

TEST_F(InvestigationTest, StoredSeriesThatCannotBeReadAreReportedAndTheRestStillNameTheCandidate) {
  Diagnostics d;
  pipeline::InvestigationInput in = input("case-broken-series");
  pipeline::investigate(in, d);
  EXPECT_EQ(d.errors(), 0U);
  cases::CaseStore store(in.case_dir);
  // A source whose stored series are cut short (a case written by a crashed run, a damaged disk).
  cases::SourceRecord broken;
  broken.path = "/evidence/proxy/broken.log";
  broken.sha256 = std::string(64, 'b');
  broken.format = "squid";
  store.add_source_results(broken, {}, {}, {cases::SourceData{pipeline::kBeaconSeriesData, "ASB3\x05"}});
  analyze::beacon::Allowlist allowlist;
  allowlist.load(analyze::beacon::default_allowlist_path(), d);
  Diagnostics problems;
  const auto candidates = pipeline::update_case_candidates(store, allowlist, problems);
  ASSERT_EQ(problems.errors(), 1U);
  const Problem reported = problems.kept().front();
  EXPECT_EQ(reported.file, broken.path);
  EXPECT_NE(reported.reason.find("stored beacon series"), std::string::npos) << reported.reason;
  // ground-truth.json "similar_c2": still found from the sources that could be read.
  std::set<std::string> destinations;
  for (const auto& c : candidates) destinations.insert(c.destination);
  EXPECT_EQ(destinations, (std::set<std::string>{"www.arima-onsen.example.jp"}));
}

}  // namespace
}  // namespace ashiato::test
