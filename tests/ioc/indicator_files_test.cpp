// The indicator file formats on small hand-written files: plain lists, CSV, MISP and STIX JSON.
#include "ioc/indicator_files.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_support.h"

namespace ashiato::ioc {
namespace {

struct Read {
  std::vector<Indicator> indicators;
  std::vector<Problem> problems;
  std::size_t errors = 0, warnings = 0;

  // "type value" per indicator.
  std::vector<std::string> values() const {
    std::vector<std::string> out;
    for (const auto& i : indicators) out.push_back(std::string(type_name(i.type)) + " " + i.value);
    return out;
  }
  std::string problem_text() const {
    std::string out;
    for (const auto& p : problems) out += describe(p) + "\n";
    return out;
  }
};

Read parse(std::string_view text, const std::string& name = "iocs.txt") {
  Diagnostics d;
  Read r;
  r.indicators = parse_indicators(text, name, d);
  r.problems = d.kept();
  r.errors = d.errors();
  r.warnings = d.warnings();
  return r;
}

using Lines = std::vector<std::string>;

TEST(IocFiles, DetectsFormatFromContent) {
  EXPECT_EQ(detect_indicator_format("{\"type\": \"bundle\"}"), IndicatorFileFormat::kJson);
  EXPECT_EQ(detect_indicator_format("  \n[{\"Event\": {}}]"), IndicatorFileFormat::kJson);
  EXPECT_EQ(detect_indicator_format("[2001:db8::1]:443\n"), IndicatorFileFormat::kText);
  EXPECT_EQ(detect_indicator_format("[.]evil.com\n"), IndicatorFileFormat::kText);
  EXPECT_EQ(detect_indicator_format("# list\ntype,value\ndomain,evil.com\n"), IndicatorFileFormat::kCsv);
  EXPECT_EQ(detect_indicator_format("md5, sha1\n"), IndicatorFileFormat::kCsv);
  EXPECT_EQ(detect_indicator_format("evil.com,1.2.3.4\n"), IndicatorFileFormat::kText);
  EXPECT_EQ(detect_indicator_format("d41d8cd98f00b204e9800998ecf8427e;comment\n"), IndicatorFileFormat::kText);
}

TEST(IocFiles, PlainTextLists) {
  const auto r = parse(
      "# LOKI style header\n"
      "#\n"
      "\n"
      "# Operation X\n"
      "evil.com\n"
      "hxxp://1.2.3[.]4/gate.php   first stage C2\n"
      "\n"
      "d41d8cd98f00b204e9800998ecf8427e;DEEP PANDA http://goo.gl/x - a.exe\n"
      "10.0.0.1, 10.0.0.2 | evil.net  // shared hosting\n"
      "176.123.5.126;65\n"
      "  - `bad[.]example[.]org`\n"
      "0.0.0.0 blocked.example.com\r\n"
      "evil2.com # inline comment\n"
      "// slash comment\n"
      "user[@]evil[.]com\n");
  EXPECT_EQ(r.values(),
            (Lines{"domain evil.com", "url http://1.2.3.4/gate.php", "md5 d41d8cd98f00b204e9800998ecf8427e",
                   "ipv4 10.0.0.1", "ipv4 10.0.0.2", "domain evil.net", "ipv4 176.123.5.126", "domain bad.example.org",
                   "domain blocked.example.com", "domain evil2.com", "email user@evil.com"}));
  EXPECT_EQ(r.errors + r.warnings, 0U) << r.problem_text();
  ASSERT_EQ(r.indicators.size(), 11U);
  EXPECT_EQ(r.indicators[0].source, "iocs.txt:5");
  EXPECT_EQ(r.indicators[0].label, "Operation X");  // the comment line above
  EXPECT_EQ(r.indicators[1].label, "first stage C2");
  EXPECT_EQ(r.indicators[2].label, "DEEP PANDA http://goo.gl/x - a.exe");  // no URL taken from a comment
  EXPECT_EQ(r.indicators[3].label, "shared hosting");
  EXPECT_EQ(r.indicators[6].label, "");  // a LOKI score is no label; the blank line ended the section
  EXPECT_EQ(r.indicators[9].label, "inline comment");
  EXPECT_EQ(r.indicators[9].source, "iocs.txt:13");
  EXPECT_TRUE(r.indicators[0].to_ids);
  // A URL at the end of a sentence leaves the sentence's punctuation behind.
  EXPECT_EQ(parse("hxxp://evil[.]com/a.\nhttp://evil.com/b/(x)\n").values(),
            (Lines{"url http://evil.com/a", "url http://evil.com/b/(x)"}));
}

TEST(IocFiles, PlainTextProblemsHaveLineAndOffset) {
  const auto r =
      parse("evil.com\nnot an indicator line\n1.2.3.999\nf0295f2e46cebffaf7892a5b33ba54122781c20bs\nok.net\n");
  EXPECT_EQ(r.values(), (Lines{"domain evil.com", "domain ok.net"}));
  ASSERT_EQ(r.errors, 3U);
  EXPECT_EQ(r.problems[0].file, "iocs.txt");
  EXPECT_EQ(r.problems[0].where, "line 2");
  EXPECT_EQ(r.problems[0].offset, 9U);
  EXPECT_EQ(r.problems[0].reason, "not an indicator: 'not'");
  EXPECT_EQ(r.problems[1].where, "line 3");
  EXPECT_EQ(r.problems[1].reason, "not a valid IPv4 address: '1.2.3.999'");
  EXPECT_EQ(r.problems[2].where, "line 4");
  EXPECT_NE(r.problems[2].reason.find("malformed hash of 41 characters"), std::string::npos);
}

TEST(IocFiles, CsvWithTypeAndValueColumns) {
  const auto r = parse(
      "uuid,event_id,category,type,value,comment,to_ids\n"
      "u1,1,Network activity,domain,Evil.com,\"C2, first stage\",1\n"
      "u2,1,Network activity,ip-dst|port,1.2.3.4|8080,,0\n"
      "u3,1,Other,text,hello,,0\n"
      "u4,1,Other,text,again,,0\n"
      "u5,1,Payload delivery,md5,xyz,,1\n"
      "u6,1,Network activity,url,\"http://evil.com/a,b\n"
      "continued\",multi-line value,1\n"
      "u7,1,Network activity,domain|ip,evil.org|5.6.7.8,,1\n",
      "misp.csv");
  EXPECT_EQ(r.values(), (Lines{"domain evil.com", "host:port 1.2.3.4:8080", "url http://evil.com/a,b%0Acontinued",
                               "domain evil.org", "ipv4 5.6.7.8"}));
  ASSERT_EQ(r.indicators.size(), 5U);
  EXPECT_EQ(r.indicators[0].label, "C2, first stage");
  EXPECT_EQ(r.indicators[0].source, "misp.csv:2");
  EXPECT_FALSE(r.indicators[1].to_ids);
  EXPECT_EQ(r.indicators[3].source, "misp.csv:9");  // the record after the two-line one
  EXPECT_EQ(r.errors, 1U);
  EXPECT_EQ(r.warnings, 1U);  // both "text" rows in one warning
  EXPECT_NE(r.problem_text().find("line 6"), std::string::npos) << r.problem_text();
  EXPECT_NE(r.problem_text().find("CSV type 'text': 2 skipped"), std::string::npos) << r.problem_text();
}

TEST(IocFiles, CsvWithTypedColumns) {
  const auto r = parse(
      "SHA1;fileName;size\n"
      "2a030cc6d84d5785f5e84d0f5888a411d4b06d01;soft.exe;45568\n"
      ";empty.exe;1\n"
      "2abae839362edfe52d9ebe282fb61113d22b331F;sttager.exe;20480\n",
      "hashes.csv");
  EXPECT_EQ(r.values(),
            (Lines{"sha1 2a030cc6d84d5785f5e84d0f5888a411d4b06d01", "sha1 2abae839362edfe52d9ebe282fb61113d22b331f"}));
  EXPECT_EQ(r.indicators[0].label, "soft.exe");
  EXPECT_EQ(r.errors + r.warnings, 0U) << r.problem_text();

  const auto two = parse("indicator\tdescription\nevil.com\tc2\n1.2.3.4\tc2\nnonsense\tx\n");
  EXPECT_EQ(two.values(), (Lines{"domain evil.com", "ipv4 1.2.3.4"}));
  EXPECT_EQ(two.errors, 1U);
}

TEST(IocFiles, MispEventShapes) {
  const std::string attributes = R"("Attribute": [
      {"type": "domain", "value": "Evil.com", "uuid": "a-1", "to_ids": true, "comment": "c2"},
      {"type": "ip-dst", "value": "1.2.3.4", "uuid": "a-2", "to_ids": false},
      {"type": "text", "value": "hello", "uuid": "a-3"},
      {"type": "text", "value": "again", "uuid": "a-4"},
      {"type": "link", "value": "https://blog.example/report", "uuid": "a-5"},
      {"type": "sha1", "value": "not a hash", "uuid": "a-6"},
      {"type": "md5", "value": "d41d8cd98f00b204e9800998ecf8427e", "uuid": "a-7", "deleted": true},
      {"type": "uri", "value": "/gate.php", "uuid": "a-8"},
      {"type": "domain|ip", "value": "x.evil.com|5.6.7.8", "uuid": "a-9", "to_ids": "0"}
    ],
    "Object": [{"name": "file", "Attribute": [
      {"type": "filename|sha256", "value": "dropper.exe|E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
       "uuid": "o-1"},
      {"type": "filename", "value": "dropper.exe", "uuid": "o-2"}]}],
    "ShadowAttribute": [{"type": "domain", "value": "proposal.com"}])";
  const Lines expected = {"domain evil.com", "ipv4 1.2.3.4", "domain x.evil.com", "ipv4 5.6.7.8",
                          "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"};
  for (const std::string& text :
       {"{\"Event\": {\"info\": \"Op X\", " + attributes + "}}",
        "{\"response\": [{\"Event\": {\"info\": \"Op X\", " + attributes + "}}]}",
        "{\"info\": \"Op X\", " + attributes + "}", "[{\"Event\": {\"info\": \"Op X\", " + attributes + "}}]"}) {
    const auto r = parse(text, "event.json");
    EXPECT_EQ(r.values(), expected);
    ASSERT_EQ(r.indicators.size(), expected.size());
    EXPECT_EQ(r.indicators[0].source, "event.json#a-1");
    EXPECT_EQ(r.indicators[0].label, "Op X / c2");
    EXPECT_TRUE(r.indicators[0].to_ids);
    EXPECT_FALSE(r.indicators[1].to_ids);
    EXPECT_FALSE(r.indicators[3].to_ids);
    EXPECT_EQ(r.indicators[4].label, "Op X / dropper.exe");
    EXPECT_EQ(r.errors, 1U) << r.problem_text();  // the sha1 that is none
    EXPECT_NE(r.problem_text().find("attribute a-6: not a valid SHA-1 hash"), std::string::npos) << r.problem_text();
    // One warning per skipped type, not per attribute: text (2), link, filename, deleted, path-only uri.
    EXPECT_EQ(r.warnings, 5U) << r.problem_text();
    EXPECT_NE(r.problem_text().find("MISP attribute type 'text': 2 skipped"), std::string::npos);
    EXPECT_NE(r.problem_text().find("MISP attribute type 'link': 1 skipped (a link to a report"), std::string::npos);
  }
}

TEST(IocFiles, StixBundle) {
  const auto r = parse(R"({"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--1", "name": "C2", "pattern_type": "stix",
     "pattern": "[domain-name:value = 'Evil.com' OR ipv4-addr:value = '198.51.100.0/24'] AND [file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
     "valid_from": "2020-01-02T03:04:05Z", "valid_until": "2021-01-01T00:00:00.000Z"},
    {"type": "indicator", "id": "indicator--2", "pattern": "[network-traffic:dst_ref.value = '2001:db8::1' AND network-traffic:dst_port = 443]"},
    {"type": "indicator", "id": "indicator--3", "pattern_type": "yara", "pattern": "rule x { condition: true }"},
    {"type": "indicator", "id": "indicator--4", "pattern": "[file:name = 'x.exe']"},
    {"type": "indicator", "id": "indicator--5", "pattern": "[url:value = 'http://x.com/'", "valid_from": "soon"},
    {"type": "indicator", "id": "indicator--6", "revoked": true, "pattern": "[domain-name:value = 'old.com']"},
    {"type": "indicator", "id": "indicator--7", "pattern": "[email-addr:value IN ('a@evil.com', 'b@evil.com') OR url:value = 'nonsense value']"},
    {"type": "url", "id": "url--1", "value": "HTTP://Evil.com:80/x"},
    {"type": "file", "id": "file--1", "name": "a.exe", "hashes": {"MD5": "D41D8CD98F00B204E9800998ECF8427E", "SHA-512": "00"}},
    {"type": "malware", "id": "malware--1", "name": "x"}
  ]})",
                       "bundle.json");
  EXPECT_EQ(r.values(), (Lines{"domain evil.com", "cidr 198.51.100.0/24",
                               "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                               "ipv6 2001:db8::1", "email a@evil.com", "email b@evil.com", "url http://evil.com/x",
                               "md5 d41d8cd98f00b204e9800998ecf8427e"}));
  ASSERT_EQ(r.indicators.size(), 8U);
  EXPECT_EQ(r.indicators[0].source, "bundle.json#indicator--1");
  EXPECT_EQ(r.indicators[0].label, "C2");
  ASSERT_TRUE(r.indicators[0].valid_from && r.indicators[0].valid_until);
  EXPECT_EQ(to_iso8601(*r.indicators[0].valid_from, 0), "2020-01-02T03:04:05Z");
  EXPECT_EQ(to_iso8601(*r.indicators[2].valid_until, 0), "2021-01-01T00:00:00Z");
  EXPECT_FALSE(r.indicators[3].valid_from);
  EXPECT_EQ(r.indicators[6].source, "bundle.json#url--1");
  EXPECT_EQ(r.indicators[7].label, "a.exe");
  // Errors: the unterminated pattern, the invalid URL value. Warnings: the yara pattern, no
  // matchable comparison, the bad valid_from, the revoked indicator.
  EXPECT_EQ(r.errors, 2U) << r.problem_text();
  EXPECT_EQ(r.warnings, 4U) << r.problem_text();
  EXPECT_NE(r.problem_text().find("indicator--3: pattern type 'yara' is not read"), std::string::npos);
  EXPECT_NE(r.problem_text().find("indicator--5: pattern: unbalanced brackets"), std::string::npos);
  EXPECT_NE(r.problem_text().find("indicator--7: not a valid URL: 'nonsense value'"), std::string::npos);
}

TEST(IocFiles, StixSingleObject) {
  const auto r = parse(R"({"type": "indicator", "id": "indicator--9", "pattern": "[ipv4-addr:value = '10.0.0.1']"})");
  EXPECT_EQ(r.values(), Lines{"ipv4 10.0.0.1"});
}

TEST(IocFiles, BrokenAndForeignJson) {
  // A comma before '}' or ']' (seen in a published MISP event): read, with a warning.
  const auto commas = parse(R"({"Event": {"info": "x", "Attribute": [{"type": "domain", "value": "a.com",},],}})");
  EXPECT_EQ(commas.values(), Lines{"domain a.com"});
  EXPECT_EQ(commas.errors, 0U);
  EXPECT_EQ(commas.warnings, 1U);
  // A comma inside a string stays.
  const auto in_string = parse(R"({"Event": {"info": "x,}", "Attribute": [{"type": "domain", "value": "b.com"}],}})");
  EXPECT_EQ(in_string.values(), Lines{"domain b.com"});
  EXPECT_EQ(in_string.indicators[0].label, "x,}");

  const auto broken = parse("{\"Event\": {\"Attribute\": [");
  EXPECT_TRUE(broken.indicators.empty());
  EXPECT_EQ(broken.errors, 1U);
  EXPECT_EQ(broken.problems[0].reason.substr(0, 13), "invalid JSON:");

  const auto foreign = parse(R"({"$schema": "x", "type": "object", "properties": {}})");
  EXPECT_TRUE(foreign.indicators.empty());
  ASSERT_EQ(foreign.errors, 1U);
  EXPECT_NE(foreign.problems[0].reason.find("neither STIX 2"), std::string::npos);
}

// JSON lines of STIX objects (a feed's export): a bad line is reported with its line and offset,
// and the lines after it are still read.
TEST(IocFiles, JsonLinesResumeAfterABadLine) {
  const std::string first =
      R"({"type": "indicator", "id": "indicator--1", "pattern": "[ipv4-addr:value = '10.0.0.1']"})";
  const std::string bad = R"({"type": broken})";
  const std::string third =
      R"({"type": "indicator", "id": "indicator--2", "pattern": "[domain-name:value = 'evil.example']"})";
  const auto r = parse(first + "\n" + bad + "\n" + third + "\n", "feed.json");
  EXPECT_EQ(r.values(), (Lines{"ipv4 10.0.0.1", "domain evil.example"}));
  ASSERT_EQ(r.errors, 1U) << r.problem_text();
  EXPECT_EQ(r.problems[0].where, "line 2");
  EXPECT_EQ(r.problems[0].offset, first.size() + 1);
}

TEST(IocFiles, EncodingsAndBinary) {
  // UTF-8 with BOM, UTF-16LE and UTF-16BE with BOM.
  EXPECT_EQ(parse("\xEF\xBB\xBF"
                  "evil.com\n")
                .values(),
            Lines{"domain evil.com"});
  std::string le = "\xFF\xFE", be = "\xFE\xFF";
  for (char c : std::string("evil.com\r\n1.2.3.4\r\n")) {
    le += c;
    le += '\0';
    be += '\0';
    be += c;
  }
  EXPECT_EQ(parse(le).values(), (Lines{"domain evil.com", "ipv4 1.2.3.4"}));
  EXPECT_EQ(parse(be).values(), (Lines{"domain evil.com", "ipv4 1.2.3.4"}));
  const auto binary = parse(std::string("MZ\x90\0\x03\0\0\0evil.com", 16));
  EXPECT_TRUE(binary.indicators.empty());
  EXPECT_EQ(binary.errors, 1U);
  EXPECT_TRUE(parse("").indicators.empty());
  EXPECT_EQ(parse("").errors, 0U);
}

TEST(IocFiles, ReadIndicatorFile) {
  const auto dir = test::temp_dir();
  const auto path = (dir / "list.txt").string();
  std::ofstream(path) << "evil.com\n";
  Diagnostics d;
  const auto indicators = read_indicator_file(path, d);
  ASSERT_EQ(indicators.size(), 1U);
  EXPECT_EQ(indicators[0].source, path + ":1");
  EXPECT_THROW(read_indicator_file((dir / "missing.txt").string(), d), std::runtime_error);
  EXPECT_THROW(read_indicator_file(dir.string(), d), std::runtime_error);
  EXPECT_EQ(d.errors(), 0U);
}

}  // namespace
}  // namespace ashiato::ioc
