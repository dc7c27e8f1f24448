// Beacon analysis over real Zeek logs: RITA's own "missing_host" dataset (three days of a sensor's
// logs, in which 73.54.23.243 beacons to 64.225.56.201 over HTTP without a Host header every 200 to
// 350 seconds, next to an SSH session open the whole time and Internet background noise).
#include "pipeline/beacons.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "test_support.h"

namespace ashiato::pipeline {
namespace {

using analyze::beacon::BeaconResult;
using analyze::beacon::SeriesKind;

TEST(Beacons, RitasMissingHostDatasetNamesItsBeacon) {
  Diagnostics diagnostics;
  const BeaconsResult r = beacons(test::rita_missing_host_connection_logs(), BeaconsOptions{}, diagnostics);
  EXPECT_EQ(diagnostics.errors(), 0U);
  ASSERT_FALSE(r.series.empty());
  const auto beacon = std::find_if(r.series.begin(), r.series.end(), [](const BeaconResult& s) {
    return s.key.src == "73.54.23.243" && s.key.dst == "64.225.56.201";
  });
  ASSERT_NE(beacon, r.series.end());
  EXPECT_EQ(beacon->key.kind, SeriesKind::kIp);  // no Host header: the session's conn record counts
  // The requests without a Host header make no FQDN series of their own.
  EXPECT_EQ(std::count_if(r.series.begin(), r.series.end(),
                          [](const BeaconResult& s) { return s.key.src == "73.54.23.243"; }),
            1);
  // One sample per TCP session: the 951 conn records of the pair, not also the 950 HTTP requests
  // on them (RITA excludes requests without a Host header from the series and flags the pair).
  EXPECT_EQ(beacon->connections, 951U);
  EXPECT_EQ(beacon->missing_host, 950U);
  EXPECT_TRUE(std::any_of(beacon->modifiers.begin(), beacon->modifiers.end(),
                          [](const auto& m) { return m.name == "missing_host_header" && m.value == 0.10; }));
  ASSERT_TRUE(beacon->best);
  // Every 200–350 s around the clock: regular intervals, every hour of the window filled, the
  // whole day covered; a beacon by RITA's measure (above its 0.7 "low" threshold).
  EXPECT_GE(beacon->best->timestamp.score, 0.9);
  EXPECT_EQ(beacon->best->histogram.total_bars, 24);
  EXPECT_DOUBLE_EQ(beacon->best->duration.score, 1);
  EXPECT_GE(beacon->best->score, 0.8);
  ASSERT_TRUE(beacon->span);
  EXPECT_GE(beacon->span->score, 0.8);
  // Three days of evidence: the best window is one of its 24-hour windows, dated.
  EXPECT_EQ(beacon->window_to - beacon->window_from, 86400U);
  EXPECT_GE(r.evidence_to - r.evidence_from, 2U * 86400);
  // Sorted by best score.
  EXPECT_TRUE(std::is_sorted(r.series.begin(), r.series.end(), [](const BeaconResult& a, const BeaconResult& b) {
    return (a.best ? a.best->score : -1) > (b.best ? b.best->score : -1);
  }));
}

// RITA's own results on this dataset (activecm/rita integration/missing_host_test.go, which imports
// these same logs): over the last 24 hours 73.54.23.243 -> 64.225.56.201 has 331 connections, a
// beacon score of 0.963, a long-connection score of 0.8 (the SSH session open the whole time, in
// open_conn logs only), and a final score of 0.9: that plus the missing Host header (+0.10), the
// rare User-Agent "Modzilla/0.0001 (Atari 7800)" (+0.15) and its prevalence (every host talks to
// it: -0.15).
TEST(Beacons, RitasMissingHostScoresAsRitaPublishesThem) {
  std::vector<std::string> logs = test::rita_missing_host_connection_logs();
  for (const auto& f : test::files_under(test::corpus("network/rita/test_data/missing_host"), ".gz")) {
    if (f.filename().string().starts_with("open_conn.")) logs.push_back(f.string());
  }
  Diagnostics diagnostics;
  const BeaconsResult r = beacons(logs, BeaconsOptions{}, diagnostics);
  EXPECT_EQ(diagnostics.errors(), 0U);
  const auto beacon = std::find_if(r.series.begin(), r.series.end(), [](const BeaconResult& s) {
    return s.key.src == "73.54.23.243" && s.key.dst == "64.225.56.201";
  });
  ASSERT_NE(beacon, r.series.end());
  // RITA's window: from max(ts) - 24 h to max(ts) (GetBeaconMinMaxTimestamps: 1713657591..1713743991).
  EXPECT_EQ(r.evidence_to, 1713743991U);
  ASSERT_TRUE(beacon->latest);
  EXPECT_EQ(beacon->latest_connections, 331U);
  EXPECT_NEAR(beacon->latest->score, 0.963, 0.0005);
  EXPECT_NEAR(beacon->long_connection_score, 0.8, 0.0005);
  EXPECT_NEAR(beacon->final_score, 0.9, 0.0005);
  std::vector<std::pair<std::string, double>> modifiers;
  for (const auto& m : beacon->modifiers) modifiers.emplace_back(m.name, m.value);
  std::sort(modifiers.begin(), modifiers.end());
  EXPECT_EQ(modifiers, (std::vector<std::pair<std::string, double>>{
                           {"missing_host_header", 0.10}, {"prevalence", -0.15}, {"rare_signature", 0.15}}));
  // The open SSH session's longest reported duration (270,001.33 s) is in the pair's duration;
  // RITA adds the closed connections of its window (270,036.63 s in all), ashiato those of the
  // whole evidence.
  EXPECT_GT(beacon->duration, 270036.63);
  EXPECT_LT(beacon->duration, 270001.34 + 102.27);
}

// A Squid native log line: time, elapsed ms, client, code/status, bytes, method, URL, user,
// hierarchy/server, type.
std::string squid_line(double time, int elapsed_ms, const std::string& method, const std::string& url) {
  char line[256];
  std::snprintf(line, sizeof line, "%.3f %6d 10.1.2.3 TCP_MISS/200 512 %s %s - HIER_DIRECT/198.51.100.7 text/html\n",
                time, elapsed_ms, method.c_str(), url.c_str());
  return line;
}

BeaconsResult beacons_of(const std::string& log) {
  const auto path = test::temp_dir() / "access.log";
  std::ofstream(path) << log;
  Diagnostics diagnostics;
  BeaconsOptions options;
  options.beacon.keep_unscored = true;
  BeaconsResult r = beacons({path.string()}, options, diagnostics);
  EXPECT_EQ(diagnostics.errors(), 0U);
  return r;
}

// Squid logs a request's elapsed time in milliseconds: not a connection's duration, so no long
// connection (5 s a request were once summed as seconds: long_conn 0.478). Its pseudo-requests for
// failed transactions went nowhere: no series named "error".
TEST(Beacons, ProxyElapsedTimeIsNoLongConnectionAndErrorLinesNoSeries) {
  std::string log;
  for (int i = 0; i < 8; ++i) {
    log += squid_line(1700000000.0 + i * 100, 5000, "GET", "http://c2.example.jp/a.php");
    log += squid_line(1700000001.0 + i * 100, 0, "NONE", "error:transaction-end-before-headers");
  }
  const BeaconsResult r = beacons_of(log);
  ASSERT_EQ(r.series.size(), 1U);
  EXPECT_EQ(r.series[0].key.dst, "c2.example.jp");
  EXPECT_EQ(r.series[0].connections, 8U);
  EXPECT_EQ(r.series[0].duration, 0);
  EXPECT_EQ(r.series[0].long_connection_score, 0);
}

// A strobe is one connection a second in a 24-hour window: a request every 4 s for five days
// (21,600 a day, 108,000 in all) is none, and its whole span is scored.
TEST(Beacons, ManyConnectionsOverTheSpanAreNoStrobe) {
  std::string log;
  log.reserve(108000 * 110);
  for (int i = 0; i < 108000; ++i) log += squid_line(1700000000.0 + i * 4, 20, "GET", "http://poll.example.com/");
  const BeaconsResult r = beacons_of(log);
  ASSERT_EQ(r.series.size(), 1U);
  EXPECT_FALSE(r.series[0].strobe);
  EXPECT_TRUE(r.series[0].span);
  ASSERT_TRUE(r.series[0].best);
  // A day's 21,600, plus those of the hour the window starts in (RITA reads whole hours).
  EXPECT_GE(r.series[0].window_connections, 21600U);
  EXPECT_LT(r.series[0].window_connections, 21600U + 900);
}

}  // namespace
}  // namespace ashiato::pipeline
