// The timeline spool (external merge sort of findings): over the real EVTX corpus with every
// SigmaHQ rule, a hunt whose findings spill to disk yields exactly the in-memory timeline.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "analyze/finding_spool.h"
#include "analyze/sigma_detector.h"
#include "pipeline/evidence_scan.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

const sigma::RuleSet& sigmahq_rules() {
  static const sigma::RuleSet set = [] {
    sigma::LoadResult loaded;
    const auto root = corpus("sigma");
    sigma::load_rule_paths({(root / "rules").string(), (root / "rules-emerging-threats").string(),
                            (root / "rules-threat-hunting").string()},
                           loaded);
    return sigma::RuleSet::compile(loaded, sigma::RuleSelection{}, {});
  }();
  return set;
}

std::vector<std::string> corpus_evtx() {
  std::vector<std::string> paths;
  for (const auto& p : files_under(corpora() / "evtx", ".evtx")) paths.push_back(p.string());
  return paths;
}

// The hunt's timeline over the corpus, files read in parallel, through `spool` (null: one that
// keeps everything in memory).
std::vector<Finding> hunt_corpus(analyze::FindingSpool* spool) {
  Diagnostics diagnostics;
  analyze::SigmaDetector sigma(sigmahq_rules());
  analyze::DetectorSet detectors;
  detectors.add(sigma);
  analyze::FindingSpool in_memory(analyze::FindingSpool::kUnbounded);
  pipeline::ScanOptions options;
  options.spool = spool != nullptr ? spool : &in_memory;
  pipeline::EvidenceScan scan(detectors, options);
  scan.scan(corpus_evtx(), diagnostics);
  scan.finish();
  std::vector<Finding> out;
  options.spool->drain([&](Finding& f) {
    if (sigma.shown(f)) out.push_back(std::move(f));
  });
  return out;
}

// Sequence numbers differ between the two paths (per-file bases with a spool); all else must not.
Finding without_sequence(Finding f) {
  f.sequence = 0;
  return f;
}

TEST(FindingSpool, SpilledHuntOfTheCorpusEqualsTheInMemoryTimeline) {
  const std::vector<Finding> in_memory = hunt_corpus(nullptr);
  ASSERT_GT(in_memory.size(), 5000U);  // the corpus holds thousands of detections
  analyze::FindingSpool spool(64 << 10);
  const std::vector<Finding> spilled = hunt_corpus(&spool);
  EXPECT_GT(spool.runs_written(), 20U);
  ASSERT_EQ(spilled.size(), in_memory.size());
  std::size_t different = 0;
  for (std::size_t i = 0; i < spilled.size(); ++i) {
    if (without_sequence(spilled[i]) != without_sequence(in_memory[i]) && ++different <= 3) {
      ADD_FAILURE() << "finding " << i << ": " << spilled[i].title << " " << spilled[i].primary().file << "#"
                    << spilled[i].primary().record << " vs " << in_memory[i].title << " " << in_memory[i].primary().file
                    << "#" << in_memory[i].primary().record;
    }
  }
  EXPECT_EQ(different, 0U);
  EXPECT_TRUE(std::is_sorted(spilled.begin(), spilled.end(),
                             [](const Finding& a, const Finding& b) { return a.time < b.time; }));
}

TEST(FindingSpool, ManyRunsAreMergedOnTheWayAndNothingIsLost) {
  std::vector<Finding> findings = hunt_corpus(nullptr);
  findings.resize(1000);
  // Shuffled deterministically, so that runs overlap in time.
  for (std::size_t i = 0; i < findings.size(); ++i) std::swap(findings[i], findings[(i * 7919) % findings.size()]);
  for (std::size_t i = 0; i < findings.size(); ++i) findings[i].sequence = i;
  analyze::FindingSpool spool(1);  // every batch becomes a run; past 64 runs they are merged
  for (const Finding& f : findings) {
    std::vector<Finding> one{f};
    spool.add(one);
    EXPECT_TRUE(one.empty());
  }
  EXPECT_EQ(spool.runs_written(), findings.size());
  EXPECT_EQ(spool.size(), findings.size());
  std::vector<Finding> out;
  spool.drain([&](Finding& f) { out.push_back(std::move(f)); });
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
  });
  EXPECT_EQ(out, findings);
  EXPECT_EQ(spool.size(), 0U);
}

TEST(FindingSpool, AFolderThatCannotHoldRunsIsAnErrorNamingIt) {
  analyze::FindingSpool spool(1, "/nonexistent/spool-folder");
  std::vector<Finding> findings(2);
  try {
    spool.add(findings);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/spool-folder"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ashiato::test
