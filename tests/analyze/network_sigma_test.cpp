// SigmaHQ's web rules (category webserver and proxy) on text logs: real attack traffic against
// Tomcat (evtx-attack-samples) and an IIS log of a Tunna tunnel, read in the same pass as EVTX.
#include <gtest/gtest.h>

#include <fstream>

#include "pipeline/hunt.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "test_support.h"

namespace ashiato {
namespace {

struct Hunt {
  sigma::LoadResult loaded;
  sigma::RuleSet set;
  pipeline::HuntTotals result;
  std::vector<Finding> findings;
  Diagnostics diagnostics;
};

void hunt(const std::string& rules, const std::vector<std::string>& files, Hunt& h) {
  sigma::load_rule_paths({test::corpus(rules).string()}, h.loaded);
  h.set = sigma::RuleSet::compile(h.loaded, sigma::RuleSelection{}, sigma::Placeholders{});
  h.result = pipeline::hunt(files, h.set, pipeline::HuntOptions{}, h.diagnostics,
                            [&h](Finding& f) { h.findings.push_back(std::move(f)); });
}

TEST(NetworkSigma, PathTraversalRuleOnARealTomcatAttackLog) {
  const auto log =
      test::corpus("evtx/evtx-attack-samples/Command and Control/web_attack_and_isp_webshell_localhost_access_log.txt");
  Hunt h;
  hunt("sigma/rules/web/webserver_generic", {log.string()}, h);
  EXPECT_EQ(h.diagnostics.errors(), 0U);
  ASSERT_EQ(h.result.sources.size(), 1U);
  EXPECT_EQ(h.result.sources[0].format, "apache");
  // Every line is an event (counted here from the file).
  std::ifstream in(log, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (!l.empty()) lines.push_back(l);
  }
  EXPECT_EQ(h.result.sources[0].events, lines.size());
  // The rule's cs-uri-query|contains strings, looked for in the query part of each request here.
  const std::vector<std::string> needles = {
      "../../../../../lib/password",       "../../../../windows/",   "../../../etc/", "..%252f..%252f..%252fetc%252f",
      "..%c0%af..%c0%af..%c0%afetc%c0%af", "%252e%252e%252fetc%252f"};
  std::size_t expected = 0;
  for (const auto& l : lines) {
    const std::size_t open = l.find(" \"");
    const std::size_t q = l.find('?', open);
    const std::size_t end = l.rfind(" HTTP/");
    if (open == std::string::npos || q == std::string::npos || end == std::string::npos || q > end) continue;
    const std::string query = l.substr(q + 1, end - q - 1);
    bool hit = false;
    for (const auto& n : needles) {
      std::string lower_query = query;
      for (char& c : lower_query) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      hit = hit || lower_query.find(n) != std::string::npos;
    }
    expected += hit;
  }
  std::size_t found = 0;
  for (const auto& f : h.findings) found += f.rule_id == "7745c2ea-24a5-4290-b680-04359cb84b35";
  EXPECT_GT(expected, 0U);
  EXPECT_EQ(found, expected);
  for (const auto& f : h.findings) {
    EXPECT_EQ(f.channel, "webserver");
    EXPECT_FALSE(f.host.empty());       // the client address
    EXPECT_GT(f.primary().record, 0U);  // the line number
  }
}

TEST(NetworkSigma, ProxyRuleOnASquidLine) {
  const auto dir = test::temp_dir();
  const auto log = dir / "access.log";
  std::ofstream(log)
      << "1773416922.391 104 10.1.1.5 58938 TCP_MISS/200 904 123 364 123 528 GET http://example.com/ 1.1 "
         "- HIER_DIRECT/203.0.113.10 80 text/html - - \"-\" \"Hello-World/1.0\" \"example.com\" \"-\" 53 -\n"
         "1773416923.391 104 10.1.1.6 58938 TCP_MISS/200 904 123 364 123 528 GET http://example.com/ 1.1 "
         "- HIER_DIRECT/203.0.113.10 80 text/html - - \"-\" \"curl/8.14.1\" \"example.com\" \"-\" 53 -\n";
  Hunt h;
  hunt("sigma/rules/web/proxy_generic", {log.string()}, h);
  EXPECT_EQ(h.diagnostics.errors(), 0U);
  std::vector<std::string> ids;
  for (const auto& f : h.findings) ids.push_back(f.rule_id + "@" + f.host);
  EXPECT_EQ(ids, std::vector<std::string>{"1712bafe-be05-4a0e-89d4-17a3ed151bf5@10.1.1.5"});
}

}  // namespace
}  // namespace ashiato
