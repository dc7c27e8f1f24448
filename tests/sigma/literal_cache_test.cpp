// The literal database cache: a hunt over the real corpus gives the same findings with databases
// compiled, written to the cache, read back, and after cache files are damaged (then rebuilt).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "pipeline/hunt.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

sigma::RuleSet compile_sigmahq(const std::string& cache_dir) {
  const char* before = std::getenv("ASHIATO_CACHE_DIR");
  const std::string saved = before != nullptr ? before : "";
  ::setenv("ASHIATO_CACHE_DIR", cache_dir.c_str(), 1);
  sigma::LoadResult loaded;
  const auto root = corpus("sigma");
  sigma::load_rule_paths(
      {(root / "rules").string(), (root / "rules-emerging-threats").string(), (root / "rules-threat-hunting").string()},
      loaded);
  sigma::RuleSet set = sigma::RuleSet::compile(loaded, sigma::RuleSelection{}, {});
  if (before != nullptr) {
    ::setenv("ASHIATO_CACHE_DIR", saved.c_str(), 1);
  } else {
    ::unsetenv("ASHIATO_CACHE_DIR");
  }
  return set;
}

std::vector<Finding> hunt_corpus(const sigma::RuleSet& set) {
  std::vector<std::string> paths;
  for (const auto& path : files_under(corpora() / "evtx", ".evtx")) paths.push_back(path.string());
  Diagnostics d;
  return pipeline::hunt(paths, set, d);
}

TEST(LiteralCache, CachedAndRebuiltDatabasesHuntTheCorpusAlike) {
  const auto dir = temp_dir();
  const sigma::RuleSet uncached = compile_sigmahq("off");
  EXPECT_EQ(uncached.summary().literal_databases_cached, 0U);
  const std::vector<Finding> expected = hunt_corpus(uncached);
  ASSERT_GT(expected.size(), 5000U);

  const sigma::RuleSet first = compile_sigmahq(dir.string());
  EXPECT_EQ(first.summary().literal_databases_cached, 0U);
  const auto stored = files_under(dir, ".db");
  ASSERT_GE(stored.size(), 10U);  // CommandLine, Image, ParentImage, ... each with hundreds of literals

  const sigma::RuleSet second = compile_sigmahq(dir.string());
  EXPECT_EQ(second.summary().literal_databases_cached, stored.size());
  EXPECT_EQ(hunt_corpus(second), expected);

  // One file cut short, one overwritten with other bytes: both are compiled again (and stored).
  std::filesystem::resize_file(stored[0], std::filesystem::file_size(stored[0]) / 2);
  std::ofstream(stored[1], std::ios::binary | std::ios::trunc) << "not a database";
  const sigma::RuleSet damaged = compile_sigmahq(dir.string());
  EXPECT_EQ(damaged.summary().literal_databases_cached, stored.size() - 2);
  EXPECT_EQ(hunt_corpus(damaged), expected);
  EXPECT_EQ(compile_sigmahq(dir.string()).summary().literal_databases_cached, stored.size());
}

}  // namespace
}  // namespace ashiato::test
