// The sweep's line prefilter may only skip lines in which no indicator can match. Checked on every
// text log of the network corpora with indicators taken from those logs themselves (request hosts
// and their parent domains, DNS names, addresses, /24 networks, URLs, host:port pairs): a sweep
// that parses every line and a sweep that parses only the lines the prefilter lets through must
// find exactly the same hits, while the prefilter leaves many lines unparsed.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "ioc/indicator.h"
#include "ioc/indicator_matcher.h"
#include "ioc/ip_address.h"
#include "ioc/line_prefilter.h"
#include "logs/canonical_fields.h"
#include "logs/text_log_reader.h"
#include "pipeline/sweep.h"
#include "test_support.h"

namespace ashiato {
namespace {

std::vector<std::string> network_logs() {
  std::vector<std::string> files;
  for (const auto& p : test::files_under(test::corpus("network"), "")) files.push_back(p.string());
  EXPECT_GT(files.size(), 1000U);
  return files;
}

// Distinct host names, addresses, URLs and host:port pairs the logs hold, in a stable order.
struct LogValues {
  std::set<std::string> names, addresses, urls, host_ports;
};

LogValues values_in(const std::vector<std::string>& files) {
  const auto& f = logs::canonical();
  LogValues values;
  std::mutex mutex;
  Diagnostics diagnostics;
  for (std::size_t id = 0; id < files.size(); ++id) {
    logs::read_text_log(
        files[id], static_cast<std::uint32_t>(id), logs::TextReadOptions{},
        [&](const EventBatch& batch, std::uint64_t) {
          std::lock_guard lock(mutex);
          for (std::uint32_t i = 0; i < batch.size(); ++i) {
            const Event e(&batch, i);
            for (FieldId field : {f.cs_host, f.query, f.dst_host}) {
              if (auto v = e.get(field); v && !v->empty()) values.names.emplace(*v);
            }
            for (FieldId field : {f.dst_ip, f.src_ip}) {
              if (auto v = e.get(field); v && !v->empty()) values.addresses.emplace(*v);
            }
            if (auto v = e.get(f.c_uri); v && v->starts_with("http")) values.urls.emplace(*v);
            auto host = e.get(f.cs_host), port = e.get(f.dst_port);
            if (host && port && !host->empty() && !port->empty()) {
              values.host_ports.emplace(std::string(*host) + ":" + std::string(*port));
            }
          }
        },
        diagnostics);
  }
  return values;
}

void add(std::vector<ioc::Indicator>& out, ioc::IndicatorType type, const std::string& value) {
  if (auto normal = ioc::normalise_value(type, value)) out.push_back(ioc::Indicator{type, *normal, "test", ""});
}

// Every `step`-th value of each kind, so that most lines of the corpus hold no indicator.
std::vector<ioc::Indicator> indicators_from(const LogValues& values, std::size_t step, bool with_ipv6) {
  std::vector<ioc::Indicator> out;
  std::size_t n = 0;
  for (const std::string& name : values.names) {
    if (n++ % step != 0) continue;
    add(out, ioc::IndicatorType::kDomain, name);
    // Its parent domain too: subdomains match on label boundaries.
    if (const auto dot = name.find('.'); dot != std::string::npos) {
      add(out, ioc::IndicatorType::kDomain, name.substr(dot + 1));
    }
  }
  n = 0;
  for (const std::string& text : values.addresses) {
    const auto address = ioc::parse_ip(text);
    if (!address || (address->v6 && !with_ipv6) || n++ % step != 0) continue;
    add(out, address->v6 ? ioc::IndicatorType::kIpv6 : ioc::IndicatorType::kIpv4, text);
    if (!address->v6 && n % 3 == 0) add(out, ioc::IndicatorType::kCidr, text + "/24");
  }
  n = 0;
  for (const std::string& url : values.urls) {
    if (n++ % 2 == 0) add(out, ioc::IndicatorType::kUrl, url);  // fewer of them in the logs
  }
  n = 0;
  for (const std::string& host_port : values.host_ports) {
    if (n++ % step == 0) add(out, ioc::IndicatorType::kHostPort, host_port);
  }
  return out;
}

using HitKey = std::tuple<std::uint32_t, std::uint64_t, std::uint32_t, std::string>;

struct SweepOutcome {
  std::vector<HitKey> hits;
  std::uint64_t unparsed = 0, events = 0;
};

SweepOutcome sweep(const std::vector<std::string>& files, const ioc::IndicatorMatcher& matcher,
                   const ioc::LinePrefilter* prefilter) {
  pipeline::SweepOptions options;
  options.lines = pipeline::LineSelection::kEveryLine;
  if (prefilter) {
    options.text.line_selector = [prefilter](std::string_view block, std::vector<std::size_t>& starts) {
      prefilter->select_lines(block, starts);
    };
  }
  Diagnostics diagnostics;
  const pipeline::SweepResult result = pipeline::sweep(files, matcher, options, diagnostics);
  SweepOutcome outcome;
  for (const auto& h : result.hits) {
    outcome.hits.emplace_back(h.source.file_id, h.source.record_id, h.indicator, h.field);
  }
  for (const auto& s : result.sources) {
    outcome.unparsed += s.unparsed_lines;
    outcome.events += s.events;
  }
  return outcome;
}

void expect_same_hits(const std::vector<std::string>& files, const std::vector<ioc::Indicator>& indicators,
                      bool expect_fast_path) {
  const ioc::IndicatorMatcher matcher(indicators);
  const ioc::LinePrefilter prefilter(matcher);
  ASSERT_TRUE(prefilter.usable());
  EXPECT_EQ(matcher.has(ioc::IndicatorType::kIpv6), !expect_fast_path);
  const SweepOutcome all = sweep(files, matcher, nullptr);
  const SweepOutcome filtered = sweep(files, matcher, &prefilter);
  EXPECT_EQ(all.unparsed, 0U);
  EXPECT_GT(all.hits.size(), 5000U);
  // Many lines need no parsing (a seventh of all names and their parent domains are indicators
  // here, so many still do), and those that were parsed give every hit.
  EXPECT_GT(filtered.unparsed, all.events / 4);
  ASSERT_EQ(filtered.hits.size(), all.hits.size());
  EXPECT_TRUE(filtered.hits == all.hits);
  // Each kind of indicator found something, so each was exercised.
  std::set<ioc::IndicatorType> found;
  for (const auto& h : all.hits) found.insert(matcher.indicators()[std::get<2>(h)].type);
  for (auto type : {ioc::IndicatorType::kDomain, ioc::IndicatorType::kIpv4, ioc::IndicatorType::kCidr,
                    ioc::IndicatorType::kUrl, ioc::IndicatorType::kHostPort}) {
    EXPECT_TRUE(found.count(type)) << ioc::type_name(type);
  }
  if (!expect_fast_path) {
    EXPECT_TRUE(found.count(ioc::IndicatorType::kIpv6));
  }
}

TEST(LinePrefilter, SkipsOnlyLinesWithoutHitsOnEveryNetworkLog) {
  const auto files = network_logs();
  const LogValues values = values_in(files);
  ASSERT_GT(values.names.size(), 1000U);
  ASSERT_GT(values.addresses.size(), 1000U);
  ASSERT_GT(values.urls.size(), 50U);
  // Names and IPv4 only: runs without a dot are never looked at.
  expect_same_hits(files, indicators_from(values, 7, false), true);
  // With IPv6 addresses every run is looked at.
  expect_same_hits(files, indicators_from(values, 7, true), false);
}

TEST(LinePrefilter, ReadsLinesTheWayTheyAreWritten) {
  const std::vector<ioc::Indicator> indicators{
      {ioc::IndicatorType::kDomain, "evil.example", "test", ""},
      {ioc::IndicatorType::kIpv4, "198.51.100.7", "test", ""},
      {ioc::IndicatorType::kUrl, "http://cdn.example.org/a", "test", ""},
  };
  const ioc::IndicatorMatcher matcher(indicators);
  const ioc::LinePrefilter prefilter(matcher);
  // Candidates in their written forms: upper case, trailing dot, port, a subdomain, IPv4-mapped.
  for (std::string_view line : {"GET http://WWW.EVIL.EXAMPLE./x 200", "CONNECT evil.example:443 -",
                                "q a.b.evil.example A", "src=::ffff:198.51.100.7 dst=10.0.0.1",
                                "GET http://cdn.example.org/b 404", "\"host\":\"evil\\u002eexample\""}) {
    EXPECT_TRUE(prefilter.may_match(line)) << line;
  }
  // Near misses: other labels, other numbers, a name inside a longer run.
  for (std::string_view line :
       {"GET http://notevil.example/x 200", "GET http://evil.example.com/ 200", "src=198.51.100.70 dst=10.0.0.1",
        "1700000000.008 evil.examples.txt", "GET http://example.org/a 200"}) {
    EXPECT_FALSE(prefilter.may_match(line)) << line;
  }
  // A name on the very last byte of a text that fills its 64-byte mask words exactly (the label's
  // end lies past the last word; found by fuzzing).
  for (std::size_t size : {64, 128, 4096}) {
    std::string line(size - std::string_view(" evil.example").size(), 'x');
    line += " evil.example";
    EXPECT_TRUE(prefilter.may_match(line)) << size;
  }
  // A line longer than the masked length goes the byte-by-byte way with the same answer.
  std::string long_line(5000, 'x');
  EXPECT_FALSE(prefilter.may_match(long_line));
  long_line += " evil.example";
  EXPECT_TRUE(prefilter.may_match(long_line));
}

TEST(LinePrefilter, PicksTheLinesOfABlockThatTheParserMustSee) {
  const std::vector<ioc::Indicator> indicators{{ioc::IndicatorType::kDomain, "evil.example", "test", ""}};
  const ioc::IndicatorMatcher matcher(indicators);
  const ioc::LinePrefilter prefilter(matcher);
  std::string block;
  std::vector<std::size_t> expected;
  auto add = [&](const std::string& line, bool picked) {
    if (picked) expected.push_back(block.size());
    block += line;
    block += '\n';
  };
  add("#Fields: date time cs-host", true);  // directives change how later lines parse
  add("2024-01-01 00:00:00 www.example.org", false);
  add("", true);    // empty: counted as such by the parser
  add("\r", true);  // empty in a CRLF file
  add("2024-01-01 00:00:01 WWW.EVIL.EXAMPLE", true);
  add("2024-01-01 00:00:02 evil.example.net", false);
  add("{\"host\":\"evil\\u002eexample\"}", true);  // an escape may hide a name
  // Lines around the edges of the 4 KB windows, and one longer than a window.
  for (int i = 0; i < 200; ++i) add("2024-01-01 00:00:03 host" + std::to_string(i) + ".example.org", false);
  add(std::string(6000, 'x') + " evil.example", true);
  add(std::string(6000, 'y'), false);
  add("#Remark: " + std::string(5000, 'z'), true);
  for (int i = 0; i < 200; ++i) {
    add("2024-01-01 00:00:04 a" + std::to_string(i) + (i % 41 == 0 ? ".evil.example" : ".example.org"), i % 41 == 0);
  }
  const std::vector<std::size_t>& want = expected;
  std::vector<std::size_t> starts;
  prefilter.select_lines(block, starts);
  EXPECT_EQ(starts, want);
  // The same through may_match, line by line (directive and empty lines aside).
  std::size_t at = 0;
  for (std::size_t picked = 0; at < block.size();) {
    const std::size_t end = block.find('\n', at);
    const std::string_view line = std::string_view(block).substr(at, end - at);
    const bool is_picked = picked < want.size() && want[picked] == at;
    if (is_picked) ++picked;
    if (!line.empty() && line != "\r" && line[0] != '#') {
      EXPECT_EQ(prefilter.may_match(line), is_picked) << at;
    }
    at = end + 1;
  }
}

TEST(LinePrefilter, WithHashIndicatorsEveryRunIsLookedAt) {
  const std::string md5 = "0c2674c3a97c53082187d930efb645c2";
  const std::vector<ioc::Indicator> indicators{{ioc::IndicatorType::kMd5, md5, "test", ""},
                                               {ioc::IndicatorType::kDomain, "evil.example", "test", ""}};
  const ioc::IndicatorMatcher matcher(indicators);
  const ioc::LinePrefilter prefilter(matcher);
  EXPECT_TRUE(prefilter.may_match("file=a.exe md5=" + md5 + " size=1"));
  EXPECT_TRUE(prefilter.may_match("host=evil.example"));
  EXPECT_TRUE(prefilter.may_match("host=www.example.org note=\\x2e"));  // an escape after a name
  EXPECT_FALSE(prefilter.may_match("file=a.exe md5=" + std::string(32, 'a') + " host=www.example.org"));
  std::vector<std::size_t> starts;
  prefilter.select_lines("x=1 y=2\n\nhost=evil.example\n", starts);
  EXPECT_EQ(starts, (std::vector<std::size_t>{8, 9}));
}

}  // namespace
}  // namespace ashiato
