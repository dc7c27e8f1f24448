// SigmaHQ's regression tests: for every test folder, the named rule fires on its EVTX (exactly
// match_count times where info.yml gives it).
#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "evtx/record_capture.h"
#include "pipeline/hunt.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

struct RegressionCase {
  std::string info;
  std::string rule_id;
  std::string evtx;
  int match_count = -1;  // -1: at least one
};

std::vector<RegressionCase> read_cases() {
  std::vector<RegressionCase> cases;
  const auto root = corpus("sigma");
  for (const auto& info : files_under(root / "regression_data", ".yml")) {
    if (info.filename() != "info.yml") continue;
    const auto docs = sigma::parse_yaml_documents(read_file(info));
    const auto& d = docs.at(0);
    const sigma::YamlValue* meta = d.find("rule_metadata");
    const sigma::YamlValue* tests = d.find("regression_tests_info");
    if (meta == nullptr || tests == nullptr) continue;
    for (const auto& t : tests->items) {
      if (t.find("type") == nullptr || t.find("type")->scalar_text() != "evtx") continue;
      RegressionCase c;
      c.info = info.string();
      c.rule_id = meta->items.at(0).find("id")->scalar_text();
      c.evtx = (root / t.find("path")->scalar_text()).string();
      if (const auto* mc = t.find("match_count")) c.match_count = static_cast<int>(mc->integer);
      cases.push_back(c);
    }
  }
  return cases;
}

// Four info.yml files give match_count 1 (or 2) for an EVTX that holds more events satisfying
// the rule. Each is checked here independently of the engine: the number of events whose field
// contains (or ends with) one of the rule's literals must equal what the engine found.
struct Undercount {
  std::string rule_id;
  std::string field;
  std::vector<std::string> needles;
  bool suffix;
};

const std::vector<Undercount>& undercounts() {
  static const std::vector<Undercount> u = {
      {"0b9ad457-2554-44c1-82c2-d56a99c42377", "TargetFilename", {"\\AppData\\Roaming\\AnyDesk\\user.conf"}, false},
      {"8fbf3271-1ef6-4e94-8210-03c2317947f6",
       "TargetFilename",
       {"\\procdump.exe", "\\procdump64.exe", "\\procdump64a.exe"},
       true},
      {"45e112d0-7759-4c2a-aa36-9f8fb79d3393", "TargetObject", {"\\ZoneMap\\Domains\\"}, false},
      {"c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e", "TargetObject", {"\\LanmanServer\\Parameters\\AutoShare"}, false},
  };
  return u;
}

long independent_count(const std::string& evtx, const Undercount& u) {
  Diagnostics d;
  long n = 0;
  for (const auto& r : capture_records(evtx, d)) {
    const std::string v = field(r, u.field);
    for (const auto& needle : u.needles) {
      const bool hit =
          u.suffix ? v.size() >= needle.size() && v.compare(v.size() - needle.size(), needle.size(), needle) == 0
                   : v.find(needle) != std::string::npos;
      if (hit) {
        ++n;
        break;
      }
    }
  }
  return n;
}

TEST(SigmaRegression, EveryNamedRuleFiresOnItsEvtx) {
  const auto cases = read_cases();
  ASSERT_GE(cases.size(), 160U);  // 167 test folders in this copy
  sigma::LoadResult loaded;
  const auto root = corpus("sigma");
  sigma::load_rule_paths(
      {(root / "rules").string(), (root / "rules-emerging-threats").string(), (root / "rules-threat-hunting").string(),
       (root / "rules-placeholder").string(), (root / "rules-compliance").string()},
      loaded);
  std::vector<std::string> ids;
  for (const auto& c : cases) ids.push_back(c.rule_id);
  sigma::RuleSelection only;
  only.rule_ids = ids;
  const auto set = sigma::RuleSet::compile(loaded, only, {});
  int checked = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.info);
    Diagnostics d;
    pipeline::HuntOptions options;
    options.every_match = true;
    const auto findings = pipeline::hunt({c.evtx}, set, d, options);
    const auto hits =
        std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule_id == c.rule_id; });
    const auto under = std::find_if(undercounts().begin(), undercounts().end(),
                                    [&](const Undercount& u) { return u.rule_id == c.rule_id; });
    if (under != undercounts().end()) {
      EXPECT_GT(hits, c.match_count);
      EXPECT_EQ(hits, independent_count(c.evtx, *under)) << "rule " << c.rule_id;
    } else if (c.match_count >= 0) {
      EXPECT_EQ(hits, c.match_count) << "rule " << c.rule_id;
    } else {
      EXPECT_GE(hits, 1) << "rule " << c.rule_id;
    }
    EXPECT_EQ(d.errors(), 0U);
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(cases.size()));
}

}  // namespace
}  // namespace ashiato::test
