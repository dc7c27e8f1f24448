// Correlation rules on real data (a password spray) and on logs written with exact content.
#include <gtest/gtest.h>

#include <set>

#include "evtx/evtx_writer.h"
#include "evtx/record_capture.h"
#include "pipeline/hunt.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

// The timeline kept in memory; checked to be identical when every finding goes through a spool
// file of its own (what `hunt` does past its memory budget).
std::vector<Finding> hunt(const std::string& rules_yaml, const std::vector<std::string>& files) {
  sigma::LoadResult loaded;
  sigma::load_rule_text(rules_yaml, "inline.yml", loaded);
  const auto set = sigma::RuleSet::compile(loaded, sigma::RuleSelection{}, {});
  EXPECT_TRUE(loaded.rejected.empty()) << loaded.rejected.front().reason;
  auto run = [&](std::size_t memory) {
    Diagnostics d;
    pipeline::HuntOptions options;
    options.timeline_memory = memory;
    return pipeline::hunt(files, set, d, options);
  };
  const std::vector<Finding> in_memory = run(analyze::FindingSpool::kUnbounded);
  EXPECT_EQ(run(1), in_memory);
  return in_memory;
}

std::vector<Finding> of_kind(const std::vector<Finding>& all, const std::string& title) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.title == title) out.push_back(f);
  }
  return out;
}

const char* kBase = R"(title: Explicit credential logon
id: 5d2a3c0e-1111-4b7a-9c3e-000000000001
name: explicit_logon
logsource: {product: windows, service: security}
detection:
    selection:
        EventID: 4648
    condition: selection
level: low
)";

TEST(SigmaCorrelation, ValueCountFindsThePasswordSprayOnRealData) {
  const std::string file = corpus("evtx/deepbluecli/password-spray.evtx").string();
  const std::string rules = std::string(kBase) + R"(---
title: Spray
id: 5d2a3c0e-1111-4b7a-9c3e-000000000002
correlation:
    type: value_count
    rules: [explicit_logon]
    group-by: [SubjectUserName]
    timespan: 1h
    condition: {gte: 10, field: TargetUserName}
level: high
)";
  const auto findings = hunt(rules, {file});
  const auto spray = of_kind(findings, "Spray");
  ASSERT_EQ(spray.size(), 1U);
  // Independently: the distinct TargetUserName of 4648 events by that subject.
  Diagnostics d;
  std::set<std::string> targets;
  std::string subject;
  for (const auto& r : capture_records(file, d)) {
    if (field(r, "EventID") != "4648") continue;
    targets.insert(field(r, "TargetUserName"));
    subject = field(r, "SubjectUserName");
  }
  EXPECT_NE(spray[0].details.find("count: " + std::to_string(targets.size())), std::string::npos) << spray[0].details;
  EXPECT_NE(spray[0].details.find("SubjectUserName: " + subject), std::string::npos);
  // generate: false (the default) hides the base rule's own matches.
  EXPECT_TRUE(of_kind(findings, "Explicit credential logon").empty());
}

TEST(SigmaCorrelation, EventCountUsesASlidingWindowAndGenerateKeepsBaseMatches) {
  const std::string file = corpus("evtx/deepbluecli/password-spray.evtx").string();
  Diagnostics d;
  std::size_t base_events = 0;
  for (const auto& r : capture_records(file, d)) base_events += field(r, "EventID") == "4648" ? 1 : 0;
  const std::string rules = std::string(kBase) + R"(---
title: Burst
id: 5d2a3c0e-1111-4b7a-9c3e-000000000003
correlation:
    type: event_count
    rules: [explicit_logon]
    group-by: [SubjectUserName]
    timespan: 5m
    condition: {gte: 50}
    generate: true
level: medium
)";
  const auto findings = hunt(rules, {file});
  ASSERT_EQ(of_kind(findings, "Burst").size(), 1U);
  EXPECT_NE(of_kind(findings, "Burst")[0].details.find("count: " + std::to_string(base_events)), std::string::npos);
  EXPECT_EQ(of_kind(findings, "Explicit credential logon").size(), base_events);
}

// Writes Security events: (seconds after 09:00, EventID, user field name, user).
std::string write_log(const std::filesystem::path& dir,
                      const std::vector<std::tuple<int, int, std::string, std::string>>& events) {
  const auto path = (dir / "security.evtx").string();
  evtx::EvtxWriter w(path);
  for (const auto& [seconds, id, field_name, user] : events) {
    evtx::WriterEvent e;
    e.provider_name = "Microsoft-Windows-Security-Auditing";
    e.event_id = static_cast<std::uint16_t>(id);
    e.time = *parse_iso8601("2015-06-03T09:00:00Z");
    e.time.ticks += seconds * 10'000'000LL;
    e.channel = "Security";
    e.computer = "DC01";
    e.data = {{field_name, user}, {"IpAddress", "192.168.10.23"}};
    w.write(e);
  }
  w.close();
  return path;
}

const char* kLogonRules = R"(title: Failed logon
id: 6d2a3c0e-1111-4b7a-9c3e-000000000001
name: failed_logon
logsource: {product: windows, service: security}
detection:
    selection: {EventID: 4625}
    condition: selection
level: low
---
title: Successful logon
id: 6d2a3c0e-1111-4b7a-9c3e-000000000002
name: successful_logon
logsource: {product: windows, service: security}
detection:
    selection: {EventID: 4624}
    condition: selection
level: low
---
title: Many failed logons
id: 6d2a3c0e-1111-4b7a-9c3e-000000000003
name: many_failed
correlation:
    type: event_count
    rules: [failed_logon]
    group-by: [User]
    aliases:
        User: {failed_logon: TargetUserName}
    timespan: 5m
    condition: {gte: 3}
level: medium
---
title: Failed logons then success
id: 6d2a3c0e-1111-4b7a-9c3e-000000000004
correlation:
    type: temporal_ordered
    rules: [many_failed, successful_logon]
    group-by: [User]
    aliases:
        User: {many_failed: User, successful_logon: SubjectUserName}
    timespan: 10m
level: high
)";

TEST(SigmaCorrelation, ChainedTemporalOrderedWithAliases) {
  const auto dir = temp_dir();
  // Failures for adm-tanaka 4 minutes apart: no fixed 5-minute bucket holds three, a sliding
  // window does. Then a success (its user in SubjectUserName: the alias joins the names).
  const auto file = write_log(dir, {{0, 4625, "TargetUserName", "adm-tanaka"},
                                    {240, 4625, "TargetUserName", "adm-tanaka"},
                                    {290, 4625, "TargetUserName", "adm-tanaka"},
                                    {300, 4625, "TargetUserName", "user001"},
                                    {420, 4624, "SubjectUserName", "adm-tanaka"},
                                    {430, 4624, "SubjectUserName", "user001"}});
  const auto findings = hunt(kLogonRules, {file});
  const auto many = of_kind(findings, "Many failed logons");
  ASSERT_EQ(many.size(), 1U);
  EXPECT_NE(many[0].details.find("User: adm-tanaka"), std::string::npos);
  const auto chain = of_kind(findings, "Failed logons then success");
  ASSERT_EQ(chain.size(), 1U);
  EXPECT_NE(chain[0].details.find("User: adm-tanaka"), std::string::npos);
  EXPECT_EQ(to_iso8601(chain[0].time, 0), "2015-06-03T09:07:00Z");
}

TEST(SigmaCorrelation, OrderMattersForTemporalOrderedButNotForTemporal) {
  const auto dir = temp_dir();
  // Success first, failures after: temporal_ordered must not fire; temporal does.
  const auto file = write_log(dir, {{0, 4624, "SubjectUserName", "adm-tanaka"},
                                    {10, 4625, "TargetUserName", "adm-tanaka"},
                                    {20, 4625, "TargetUserName", "adm-tanaka"},
                                    {30, 4625, "TargetUserName", "adm-tanaka"}});
  std::string rules = kLogonRules;
  EXPECT_TRUE(of_kind(hunt(rules, {file}), "Failed logons then success").empty());
  const auto at = rules.find("type: temporal_ordered");
  rules.replace(at, std::string("type: temporal_ordered").size(), "type: temporal");
  EXPECT_EQ(of_kind(hunt(rules, {file}), "Failed logons then success").size(), 1U);
}

TEST(SigmaCorrelation, BrokenCorrelationsAreRejectedWithReasons) {
  sigma::LoadResult loaded;
  sigma::load_rule_text(std::string(kBase) + R"(---
title: Unknown reference
correlation: {type: event_count, rules: [nope], timespan: 5m, condition: {gte: 2}}
---
title: Bad timespan
correlation: {type: event_count, rules: [explicit_logon], timespan: 5x, condition: {gte: 2}}
---
title: Value count without field
correlation: {type: value_count, rules: [explicit_logon], timespan: 5m, condition: {gte: 2}}
)",
                        "inline.yml", loaded);
  sigma::RuleSet::compile(loaded, sigma::RuleSelection{}, {});
  ASSERT_EQ(loaded.rejected.size(), 3U);
  EXPECT_NE(loaded.rejected[0].reason.find("unknown rule 'nope'"), std::string::npos);
  EXPECT_NE(loaded.rejected[1].reason.find("timespan"), std::string::npos);
  EXPECT_NE(loaded.rejected[2].reason.find("field"), std::string::npos);
}

}  // namespace
}  // namespace ashiato::test
