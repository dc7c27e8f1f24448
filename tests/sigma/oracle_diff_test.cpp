// Differential test against pySigma (SQLite backend run by Zircolite) over every EVTX in the
// corpus: oracle-pysigma-matches.tsv. Every (rule, file, record) found by one side only must be
// explained by a named cause, each checked by a predicate; what no predicate explains is listed
// here by hand with the reason, and any new difference fails the test.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "pipeline/hunt.h"
#include "sigma/engine/windows_logsource.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

using Key = std::tuple<std::string, std::string, std::uint64_t>;  // rule id, evtx path, EventRecordID

struct Side {
  std::set<Key> keys;
  std::map<Key, std::pair<std::string, std::string>> where;  // channel, event id
};

struct OracleRow {
  std::set<std::string> pipelines;
  std::string channel, event_id;
};

std::map<Key, OracleRow> read_oracle() {
  std::map<Key, OracleRow> rows;
  std::ifstream in(corpus("sigma/oracle-pysigma-matches.tsv"));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      f.push_back(line.substr(start, tab - start));
    f.push_back(line.substr(start));
    auto& row = rows[Key{f[0], f[4], std::stoull(f[5])}];
    row.pipelines.insert(f[3]);
    row.channel = f[6];
    row.event_id = f[7];
  }
  return rows;
}

// Rule ids the oracle could not convert or evaluate, from the tables in its README.
std::set<std::string> oracle_failed_rules() {
  const std::string readme = read_file(corpus("sigma/oracle-pysigma-README.md"));
  std::set<std::string> ids;
  const auto a = readme.find("### Rules that failed to convert");
  const auto b = readme.find("### Semantics and caveats");
  const std::string part = readme.substr(a, b - a);
  const std::regex row(R"(\n\| ([0-9a-f]{8}-[0-9a-f-]{27}) \|)");
  for (std::sregex_iterator it(part.begin(), part.end(), row), end; it != end; ++it) ids.insert((*it)[1].str());
  return ids;
}

Side hunt_corpus(const sigma::RuleSet& set, sigma::MatchSemantics semantics) {
  Side side;
  const auto root = corpora() / "evtx";
  for (const auto& path : files_under(root, ".evtx")) {
    Diagnostics d;
    pipeline::HuntOptions options;
    options.semantics = semantics;
    options.every_match = true;
    const auto findings = pipeline::hunt({path.string()}, set, d, options);
    const std::string rel = std::filesystem::relative(path, root).string();
    for (const auto& f : findings) {
      if (f.kind != FindingKind::kSigma) continue;
      Key k{f.rule_id, rel, f.primary().record};
      side.keys.insert(k);
      side.where[k] = {f.channel, f.event_id};
    }
  }
  return side;
}

bool in_gates(const sigma::Rule& rule, const std::string& channel, const std::string& event_id) {
  for (const auto& g : sigma::windows_gates(rule.logsource)) {
    const bool ch = std::find(g.channels.begin(), g.channels.end(), channel) != g.channels.end();
    const bool id =
        g.event_ids.empty() || std::find(g.event_ids.begin(), g.event_ids.end(),
                                         static_cast<std::uint32_t>(std::stoul(event_id))) != g.event_ids.end();
    if (ch && id) return true;
  }
  return false;
}

TEST(SigmaOracle, EveryDifferenceFromPySigmaHasANamedCause) {
  sigma::LoadResult loaded;
  const auto root = corpus("sigma");
  sigma::load_rule_paths(
      {(root / "rules").string(), (root / "rules-emerging-threats").string(), (root / "rules-threat-hunting").string()},
      loaded);
  const auto set = sigma::RuleSet::compile(loaded, sigma::RuleSelection{}, {});
  std::map<std::string, const sigma::Rule*> rules;
  for (const auto& r : set.rules()) rules[r.id] = &r;

  const Side ours = hunt_corpus(set, sigma::MatchSemantics::kSigma);
  const Side sql = hunt_corpus(set, sigma::MatchSemantics::kSqlNull);
  const auto oracle = read_oracle();
  const auto failed = oracle_failed_rules();
  ASSERT_EQ(failed.size(), 25U);  // 19 not converted + 6 not evaluable

  std::map<std::string, int> causes;
  std::map<std::string, int> unexplained_ours, unexplained_oracle;  // rule id -> count
  std::size_t agreed = 0;
  for (const Key& k : ours.keys) {
    if (oracle.count(k) != 0) {
      ++agreed;
      continue;
    }
    const auto& [rule_id, file, record] = k;
    const auto& [channel, event_id] = ours.where.at(k);
    if (sql.keys.count(k) == 0) {
      causes["oracle's SQL NULL logic: 'not' over an absent field is unknown, the specification says true"]++;
    } else if (failed.count(rule_id) != 0) {
      causes["rule the oracle could not convert or evaluate (keyword search, SQL error, placeholder)"]++;
    } else if ((channel == "Security" && (event_id == "4688" || event_id == "4657" || event_id == "5156")) ||
               channel == "Microsoft-Windows-Windows Defender/Operational") {
      causes
          ["ashiato maps more native fields/categories (4688 IntegrityLevel/User/ProcessId, 5156, Defender "
           "antivirus)"]++;
    } else {
      unexplained_ours[rule_id]++;
    }
  }
  for (const auto& [k, row] : oracle) {
    if (ours.keys.count(k) != 0) continue;
    const auto& rule_id = std::get<0>(k);
    auto it = rules.find(rule_id);
    if (row.pipelines == std::set<std::string>{"windows-audit+windows-logsources"} && it != rules.end() &&
        !in_gates(*it->second, row.channel, row.event_id)) {
      causes["oracle pipeline windows-audit puts no Channel/EventID condition on this category"]++;
    } else {
      unexplained_oracle[rule_id]++;
    }
  }
  for (const auto& [cause, n] : causes) std::printf("  %5d  %s\n", n, cause.c_str());
  std::printf("  %5zu  agreed\n", agreed);

  // Differences no predicate explains, each examined by hand:
  const std::map<std::string, int> expected_ours = {
      // Elevated System Shell Spawned: sysmon.evtx 1889/1891/1923/1926 and one more event carry
      // Image ...\cmd.exe, User "NT AUTHORITY\SYSTEM", LogonId 0x3e7 — every selection holds; the
      // oracle has no row for them.
      {"61065c72-5d7d-44ef-bf41-6a36684b545f", 5},
      // New BITS Job Created Via Bitsadmin: Bits-Client 3 with processPath ...\bitsadmin.exe.
      {"1ff315dc-2a3a-4b71-8dde-873818d25d39", 1},
      // Hacktool Execution - Imphash: Hashes contains IMPHASH=... of PPLdump (case-insensitive).
      {"24e3e58a-646b-4b50-adef-02ef935b9fc8", 2},
  };
  const std::map<std::string, int> expected_oracle = {};
  EXPECT_EQ(unexplained_ours, expected_ours);
  EXPECT_EQ(unexplained_oracle, expected_oracle);
  EXPECT_GE(agreed, 5400U);
}

}  // namespace
}  // namespace ashiato::test
