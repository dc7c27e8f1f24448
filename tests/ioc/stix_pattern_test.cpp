// Reading the comparisons out of STIX 2.1 patterns (the examples are the specification's).
#include "ioc/stix_pattern.h"

#include <gtest/gtest.h>

namespace ashiato::ioc {
namespace {

// "path op value|value" per comparison, "!" before negated operators; or "error: ...".
std::vector<std::string> read(std::string_view pattern) {
  std::vector<StixComparison> out;
  std::string error;
  if (!parse_stix_pattern(pattern, out, error)) return {"error: " + error};
  std::vector<std::string> text;
  for (const auto& c : out) {
    std::string line = c.path + " " + (c.negated ? "!" : "") + c.op;
    for (std::size_t i = 0; i < c.values.size(); ++i) line += (i == 0 ? " " : "|") + c.values[i];
    text.push_back(line);
  }
  return text;
}

using Lines = std::vector<std::string>;

TEST(IocStixPattern, SingleComparisons) {
  EXPECT_EQ(read("[domain-name:value = 'evil.com']"), Lines{"domain-name:value = evil.com"});
  EXPECT_EQ(read("[ ipv4-addr:value = '10.0.0.0' ]"), Lines{"ipv4-addr:value = 10.0.0.0"});
  EXPECT_EQ(read("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']"),
            Lines{"file:hashes.'SHA-256' = aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"});
  EXPECT_EQ(read("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"),
            Lines{"file:hashes.MD5 = d41d8cd98f00b204e9800998ecf8427e"});
  EXPECT_EQ(read("[url:value == 'http://x/']"), Lines{"url:value = http://x/"});
}

TEST(IocStixPattern, BooleanStructureIsSkipped) {
  EXPECT_EQ(read("[domain-name:value = 'a.com' OR ipv4-addr:value = '1.2.3.4']"),
            (Lines{"domain-name:value = a.com", "ipv4-addr:value = 1.2.3.4"}));
  EXPECT_EQ(read("[network-traffic:dst_ref.value = '203.0.113.1' AND network-traffic:dst_port = 443]"),
            (Lines{"network-traffic:dst_ref.value = 203.0.113.1", "network-traffic:dst_port = 443"}));
  EXPECT_EQ(read("([a:x = '1'] AND [b:y = '2']) OR ([c:z != 3] FOLLOWEDBY [d:w = true])"),
            (Lines{"a:x = 1", "b:y = 2", "c:z != 3", "d:w = true"}));
  EXPECT_EQ(read("[file:name = 'x.exe'] REPEATS 5 TIMES WITHIN 30 SECONDS"), Lines{"file:name = x.exe"});
  EXPECT_EQ(read("[ipv4-addr:value = '1.2.3.4'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'"),
            Lines{"ipv4-addr:value = 1.2.3.4"});
}

TEST(IocStixPattern, OperatorsSetsAndEscapes) {
  EXPECT_EQ(read("[ipv4-addr:value IN ('1.2.3.4', '5.6.7.8')]"), Lines{"ipv4-addr:value IN 1.2.3.4|5.6.7.8"});
  EXPECT_EQ(read("[ipv4-addr:value ISSUBSET '198.51.100.0/24']"), Lines{"ipv4-addr:value ISSUBSET 198.51.100.0/24"});
  EXPECT_EQ(read("[domain-name:value NOT = 'good.com']"), Lines{"domain-name:value != good.com"});
  EXPECT_EQ(read("[file:name MATCHES '^Final Report.+\\\\.exe$']"), Lines{"file:name MATCHES ^Final Report.+\\.exe$"});
  EXPECT_EQ(read("[file:name = 'it\\'s.exe']"), Lines{"file:name = it's.exe"});
  EXPECT_EQ(read("[email-message:body_multipart[*].body_raw_ref.name LIKE '%.exe']"),
            Lines{"email-message:body_multipart[*].body_raw_ref.name LIKE %.exe"});
  EXPECT_EQ(read("[EXISTS windows-registry-key:values]"), Lines{"windows-registry-key:values EXISTS"});
  EXPECT_EQ(read("[file:size >= 1024 AND file:size < -5]"), (Lines{"file:size >= 1024", "file:size < -5"}));
  EXPECT_EQ(read("[artifact:payload_bin = b'aGVsbG8=' OR file:hashes.'SHA-1' = h'ff00']"),
            (Lines{"artifact:payload_bin = aGVsbG8=", "file:hashes.'SHA-1' = ff00"}));
}

TEST(IocStixPattern, Errors) {
  for (const char* bad : {"[domain-name:value = 'evil.com'", "domain-name:value = 'evil.com']",
                          "[domain-name:value = 'evil.com]", "[domain-name:value 'evil.com']", "[domain-name:value =]",
                          "[a:b IN ('x', 'y']", "[EXISTS]", "[a:b = 'x'] ! [c:d = 'y']", "[a:b = 'x' ; ]"}) {
    const auto lines = read(bad);
    ASSERT_EQ(lines.size(), 1U) << bad;
    EXPECT_EQ(lines[0].substr(0, 7), "error: ") << bad;
  }
  EXPECT_EQ(read(""), Lines{});
}

}  // namespace
}  // namespace ashiato::ioc
