// Beacon series (analyze/beacon/series.h): samples added and counted past the cap, user agent and
// URL shape slots (15 per series, the rest "other"), the earliest evidence records kept, and
// series merged across runs and files with their slots renumbered.
#include "analyze/beacon/series.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyze/beacon/series_traits.h"

namespace ashiato::analyze::beacon {
namespace {

constexpr std::uint32_t kT0 = 1433116800;  // 2015-06-01T00:00:00Z

Sample sample(std::uint32_t time, std::uint32_t bytes = 400, std::uint8_t agent = kNoSlot,
              std::uint8_t shape = kNoSlot) {
  Sample s;
  s.time = time;
  s.bytes = bytes;
  s.agent = agent;
  s.shape = shape;
  return s;
}

SampleRef ref(std::uint32_t time, std::uint32_t file = 1, std::uint64_t record = 0) {
  return SampleRef{time, file, record, record * 100};
}

std::vector<std::uint32_t> ref_times(const Series& s) {
  std::vector<std::uint32_t> out;
  for (const SampleRef& r : s.refs) out.push_back(r.time);
  return out;
}

TEST(Methods, ParsedAndNamed) {
  EXPECT_EQ(parse_method("GET"), Method::kGet);
  EXPECT_EQ(parse_method("POST"), Method::kPost);
  EXPECT_EQ(parse_method("CONNECT"), Method::kConnect);
  EXPECT_EQ(parse_method("HEAD"), Method::kHead);
  EXPECT_EQ(parse_method("PUT"), Method::kPut);
  EXPECT_EQ(parse_method("PROPFIND"), Method::kOther);
  EXPECT_EQ(parse_method("-"), Method::kNone);
  EXPECT_EQ(parse_method(""), Method::kNone);
  EXPECT_EQ(method_name(Method::kPost), "POST");
  EXPECT_EQ(method_name(Method::kOther), "other");
  EXPECT_EQ(method_name(Method::kNone), "");
  for (std::size_t m = 1; m + 1 < kMethodCount; ++m) {
    EXPECT_EQ(parse_method(method_name(static_cast<Method>(m))), static_cast<Method>(m));
  }
}

TEST(PoolHash, NeverZeroAndStable) {
  EXPECT_NE(pool_hash(""), 0U);
  EXPECT_NE(pool_hash("Mozilla/5.0"), 0U);
  EXPECT_EQ(pool_hash("Mozilla/5.0"), pool_hash(std::string("Mozilla/") + "5.0"));
  EXPECT_NE(pool_hash("Mozilla/5.0"), pool_hash("Mozilla/4.0"));
}

TEST(Series, AddCountsEveryConnection) {
  Series s;
  s.add(sample(kT0 + 600, 400));
  s.add(sample(kT0, 410));  // out of order: first moves back
  s.add(sample(kT0 + 1200, 390));
  EXPECT_EQ(s.connections, 3U);
  EXPECT_EQ(s.bytes, 1200U);
  EXPECT_EQ(s.first, kT0);
  EXPECT_EQ(s.last, kT0 + 1200);
  ASSERT_EQ(s.samples.size(), 3U);
  EXPECT_EQ(s.samples[0].time, kT0 + 600);  // kept in the order added
}

TEST(Series, ATimeOfZeroIsStillAConnection) {
  Series s;
  s.add(sample(0, 1));
  s.add(sample(5, 1));
  EXPECT_EQ(s.first, 0U);
  EXPECT_EQ(s.last, 5U);
}

TEST(Series, PastTheSampleCapConnectionsAreCountedNotKept) {
  Series s;
  const std::size_t n = kMaxSamplesPerSeries + 5;
  for (std::size_t i = 0; i < n; ++i) s.add(sample(kT0 + static_cast<std::uint32_t>(i), 2));
  EXPECT_EQ(s.samples.size(), kMaxSamplesPerSeries);
  EXPECT_EQ(s.connections, n);
  EXPECT_EQ(s.bytes, 2 * n);
  EXPECT_EQ(s.last, kT0 + n - 1);  // the span still covers what was not kept
}

TEST(Series, SlotsOfUserAgentsAndShapes) {
  Series s;
  EXPECT_EQ(s.agent_slot(101), 0);
  EXPECT_EQ(s.agent_slot(102), 1);
  EXPECT_EQ(s.agent_slot(101), 0);
  EXPECT_EQ(s.shape_slot(102), 0);  // shapes have their own slots
  EXPECT_EQ(s.agents.size(), 2U);
  for (std::uint64_t h = 103; h < 103 + kMaxSlots - 2; ++h) s.agent_slot(h);
  EXPECT_EQ(s.agents.size(), kMaxSlots);
  // Full: a new one is "other" and is not kept; known ones keep their slots.
  EXPECT_EQ(s.agent_slot(999), kOtherSlot);
  EXPECT_EQ(s.agents.size(), kMaxSlots);
  EXPECT_EQ(s.agent_slot(102), 1);
  EXPECT_EQ(static_cast<std::size_t>(s.agent_slot(103 + kMaxSlots - 3)), kMaxSlots - 1);
}

TEST(Series, RefsKeepTheEarliestSortedByTime) {
  Series s;
  for (std::uint32_t t : {50U, 40U, 30U, 20U, 10U}) s.add_ref(ref(kT0 + t));
  EXPECT_EQ(ref_times(s), (std::vector<std::uint32_t>{kT0 + 10, kT0 + 20, kT0 + 30}));
  s.add_ref(ref(kT0 + 60));        // later than all kept
  s.add_ref(ref(kT0 + 30, 9, 9));  // as late as the latest kept: not taken
  EXPECT_EQ(ref_times(s), (std::vector<std::uint32_t>{kT0 + 10, kT0 + 20, kT0 + 30}));
  EXPECT_EQ(s.refs[2].file, 1U);
  s.add_ref(ref(kT0 + 25, 2, 7));
  EXPECT_EQ(ref_times(s), (std::vector<std::uint32_t>{kT0 + 10, kT0 + 20, kT0 + 25}));
  EXPECT_EQ(s.refs[2].file, 2U);
  EXPECT_EQ(s.refs[2].record, 7U);
  EXPECT_EQ(s.refs[2].offset, 700U);
  // Of the same second: by file, then record.
  Series t;
  t.add_ref(ref(kT0, 2, 1));
  t.add_ref(ref(kT0, 1, 9));
  t.add_ref(ref(kT0, 1, 3));
  ASSERT_EQ(t.refs.size(), 3U);
  EXPECT_EQ(t.refs[0].file, 1U);
  EXPECT_EQ(t.refs[0].record, 3U);
  EXPECT_EQ(t.refs[1].record, 9U);
  EXPECT_EQ(t.refs[2].file, 2U);
}

TEST(Series, RefsDoNotDependOnTheOrderTheyCameIn) {
  // Two records in the same second among the earliest: which is kept must not depend on the
  // order files and runs are merged in (evidence records are cited in reports).
  const std::vector<SampleRef> refs = {ref(kT0 + 5, 1, 1), ref(kT0 + 10, 1, 2), ref(kT0 + 20, 1, 3),
                                       ref(kT0 + 20, 1, 4)};
  Series forward, backward;
  for (const SampleRef& r : refs) forward.add_ref(r);
  for (auto it = refs.rbegin(); it != refs.rend(); ++it) backward.add_ref(*it);
  ASSERT_EQ(forward.refs.size(), kMaxRefs);
  ASSERT_EQ(backward.refs.size(), kMaxRefs);
  for (std::size_t i = 0; i < kMaxRefs; ++i) {
    EXPECT_EQ(forward.refs[i].time, backward.refs[i].time) << i;
    EXPECT_EQ(forward.refs[i].record, backward.refs[i].record) << i;
  }
}

TEST(SeriesMerge, SumsAndSpan) {
  Series a, b;
  a.add(sample(kT0 + 100, 10));
  a.add(sample(kT0 + 200, 20));
  a.duration = 1.5;
  b.add(sample(kT0 + 50, 30));
  b.add(sample(kT0 + 300, 40));
  b.add(sample(kT0 + 150, 50));
  b.duration = 2.25;
  a.merge(std::move(b));
  EXPECT_EQ(a.connections, 5U);
  EXPECT_EQ(a.bytes, 150U);
  EXPECT_EQ(a.first, kT0 + 50);
  EXPECT_EQ(a.last, kT0 + 300);
  EXPECT_DOUBLE_EQ(a.duration, 3.75);
  ASSERT_EQ(a.samples.size(), 5U);
  EXPECT_EQ(a.samples[2].time, kT0 + 50);  // appended after this series' own
  EXPECT_EQ(a.samples[4].time, kT0 + 150);
}

TEST(SeriesMerge, IntoAnEmptySeriesAndOfAnEmptySeries) {
  Series empty, b;
  b.add(sample(kT0 + 500, 7));
  b.add(sample(kT0 + 900, 8));
  b.server_ips = {"203.0.113.10"};
  b.agent_slot(42);
  b.add_ref(ref(kT0 + 500));
  empty.merge(std::move(b));
  EXPECT_EQ(empty.connections, 2U);
  EXPECT_EQ(empty.first, kT0 + 500);  // not 0: the empty series had no span
  EXPECT_EQ(empty.last, kT0 + 900);
  EXPECT_EQ(empty.server_ips, (std::vector<std::string>{"203.0.113.10"}));
  EXPECT_EQ(empty.agents, (std::vector<std::uint64_t>{42}));
  EXPECT_EQ(empty.refs.size(), 1U);
  const Series before = empty;
  empty.merge(Series{});
  EXPECT_EQ(empty.connections, before.connections);
  EXPECT_EQ(empty.first, before.first);
  EXPECT_EQ(empty.last, before.last);
  EXPECT_EQ(empty.samples.size(), before.samples.size());
}

TEST(SeriesMerge, RequestsWithoutAHostHeaderAddUpWithoutConnections) {
  // A Zeek HTTP request without a Host header counts against its address pair, no sample.
  Series a, b, c;
  a.missing_host = 3;
  b.missing_host = 4;
  a.merge(std::move(b));
  EXPECT_EQ(a.missing_host, 7U);
  EXPECT_EQ(a.connections, 0U);
  c.add(sample(kT0));
  c.missing_host = 1;
  a.merge(std::move(c));
  EXPECT_EQ(a.missing_host, 8U);
  EXPECT_EQ(a.connections, 1U);
  EXPECT_EQ(a.first, kT0);
}

TEST(SeriesMerge, SlotsAreRenumberedIntoThisSeries) {
  constexpr std::uint64_t kUaA = 0xA1, kUaB = 0xB1, kUaC = 0xC1, kShapeX = 0x51, kShapeY = 0x61;
  Series a, b;
  a.add(sample(kT0, 1, a.agent_slot(kUaA), a.shape_slot(kShapeX)));
  a.add(sample(kT0 + 1, 1, a.agent_slot(kUaB), kNoSlot));
  // b's slots: UA-B is 0 and UA-C is 1 there; shape Y is 0, X is 1.
  b.add(sample(kT0 + 2, 1, b.agent_slot(kUaB), b.shape_slot(kShapeY)));
  b.add(sample(kT0 + 3, 1, b.agent_slot(kUaC), b.shape_slot(kShapeX)));
  b.add(sample(kT0 + 4, 1, kOtherSlot, kNoSlot));
  a.merge(std::move(b));
  EXPECT_EQ(a.agents, (std::vector<std::uint64_t>{kUaA, kUaB, kUaC}));
  EXPECT_EQ(a.shapes, (std::vector<std::uint64_t>{kShapeX, kShapeY}));
  ASSERT_EQ(a.samples.size(), 5U);
  EXPECT_EQ(a.agents[a.samples[2].agent], kUaB);
  EXPECT_EQ(a.shapes[a.samples[2].shape], kShapeY);
  EXPECT_EQ(a.agents[a.samples[3].agent], kUaC);
  EXPECT_EQ(a.shapes[a.samples[3].shape], kShapeX);
  EXPECT_EQ(a.samples[4].agent, kOtherSlot);  // "other" and "none" stay as they are
  EXPECT_EQ(a.samples[4].shape, kNoSlot);
  EXPECT_EQ(a.samples[1].shape, kNoSlot);
}

TEST(SeriesMerge, PastFifteenSlotsTheOtherSeriesAgentsAreOther) {
  Series a, b;
  for (std::uint64_t h = 1; h <= kMaxSlots; ++h) a.add(sample(kT0, 1, a.agent_slot(h)));
  ASSERT_EQ(a.agents.size(), kMaxSlots);
  b.add(sample(kT0 + 1, 1, b.agent_slot(1000)));  // new: no room left
  b.add(sample(kT0 + 2, 1, b.agent_slot(4)));     // known: a's slot 3
  b.add(sample(kT0 + 3, 1, b.agent_slot(1000)));
  a.merge(std::move(b));
  EXPECT_EQ(a.agents.size(), kMaxSlots);
  ASSERT_EQ(a.samples.size(), kMaxSlots + 3);
  EXPECT_EQ(a.samples[kMaxSlots].agent, kOtherSlot);
  EXPECT_EQ(a.samples[kMaxSlots + 1].agent, 3);
  EXPECT_EQ(a.samples[kMaxSlots + 2].agent, kOtherSlot);
}

TEST(SeriesMerge, ServerAddressesOnceAndAtMostTen) {
  Series a, b;
  a.add(sample(kT0));
  b.add(sample(kT0 + 1));
  a.server_ips = {"203.0.113.1", "203.0.113.2"};
  for (int i = 2; i <= 12; ++i) b.server_ips.push_back("203.0.113." + std::to_string(i));
  a.merge(std::move(b));
  ASSERT_EQ(a.server_ips.size(), kMaxServerIps);
  EXPECT_EQ(a.server_ips[0], "203.0.113.1");
  EXPECT_EQ(a.server_ips[1], "203.0.113.2");
  EXPECT_EQ(a.server_ips[2], "203.0.113.3");
  EXPECT_EQ(a.server_ips[9], "203.0.113.10");
}

TEST(SeriesMerge, RefsKeepTheEarliestOfBoth) {
  Series a, b;
  a.add(sample(kT0 + 20));
  b.add(sample(kT0 + 5));
  for (std::uint32_t t : {20U, 40U, 60U}) a.add_ref(ref(kT0 + t, 1, t));
  for (std::uint32_t t : {5U, 50U, 30U}) b.add_ref(ref(kT0 + t, 2, t));
  a.merge(std::move(b));
  EXPECT_EQ(ref_times(a), (std::vector<std::uint32_t>{kT0 + 5, kT0 + 20, kT0 + 30}));
  EXPECT_EQ(a.refs[0].file, 2U);
  EXPECT_EQ(a.refs[1].file, 1U);
  EXPECT_EQ(a.refs[2].file, 2U);
}

TEST(SeriesMerge, SamplesPastTheCapAreCountedNotKept) {
  Series a, b;
  for (std::size_t i = 0; i + 1 < kMaxSamplesPerSeries; ++i) a.add(sample(kT0 + static_cast<std::uint32_t>(i % 86400)));
  for (std::uint32_t i = 0; i < 3; ++i) b.add(sample(kT0 + 90000 + i, 9));
  a.merge(std::move(b));
  EXPECT_EQ(a.samples.size(), kMaxSamplesPerSeries);
  EXPECT_EQ(a.samples.back().time, kT0 + 90000);  // the first of b's fitted
  EXPECT_EQ(a.connections, kMaxSamplesPerSeries + 2);
  EXPECT_EQ(a.last, kT0 + 90002);
}

TEST(SeriesSetMerge, NewSeriesMovedKnownOnesMergedStringsAndSessionsJoined) {
  const std::string ua1 = "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1)";
  const std::string ua2 = "curl/7.29.0";
  const SeriesKey shared{"10.1.0.17", "c2.example.jp", SeriesKind::kFqdn};
  const SeriesKey only_a{"10.1.0.17", "www.example.com", SeriesKind::kFqdn};
  const SeriesKey only_b{"10.1.0.22", "203.0.113.10", SeriesKind::kIp};
  SeriesSet a, b;
  a.strings[pool_hash(ua1)] = ua1;
  b.strings[pool_hash(ua2)] = ua2;
  b.strings[pool_hash(ua1)] = ua1;
  {
    Series& s = a.series[shared];
    s.add(sample(kT0, 400, s.agent_slot(pool_hash(ua1))));
    a.series[only_a].add(sample(kT0 + 5));
  }
  {
    Series& s = b.series[shared];
    // In b, ua2 took slot 0 and ua1 slot 1.
    s.add(sample(kT0 + 600, 400, s.agent_slot(pool_hash(ua2))));
    s.add(sample(kT0 + 1200, 400, s.agent_slot(pool_hash(ua1))));
    s.add(sample(kT0 + 1800, 400, s.agent_slot(pool_hash(ua1))));
    b.series[only_b].add(sample(kT0 + 7));
  }
  a.fqdn_sessions = {11, 12};
  b.fqdn_sessions = {13};
  a.merge(std::move(b));
  EXPECT_TRUE(b.series.empty());
  EXPECT_TRUE(b.fqdn_sessions.empty());
  EXPECT_TRUE(b.strings.empty());
  ASSERT_EQ(a.series.size(), 3U);
  EXPECT_EQ(a.series.at(only_a).connections, 1U);
  EXPECT_EQ(a.series.at(only_b).connections, 1U);
  EXPECT_EQ(a.fqdn_sessions, (std::vector<std::uint64_t>{11, 12, 13}));
  EXPECT_EQ(a.strings.size(), 2U);
  const Series& s = a.series.at(shared);
  EXPECT_EQ(s.connections, 4U);
  EXPECT_EQ(s.first, kT0);
  EXPECT_EQ(s.last, kT0 + 1800);
  // The user agents counted by their text after the merge: ua1 three times, ua2 once.
  const SeriesTraits t = series_traits(s, s.samples, a.strings);
  ASSERT_EQ(t.agents.size(), 2U);
  EXPECT_EQ(t.agents[0], (std::pair<std::string, std::uint64_t>{ua1, 3}));
  EXPECT_EQ(t.agents[1], (std::pair<std::string, std::uint64_t>{ua2, 1}));
}

TEST(SeriesSetMerge, OfTheSameKeyOfAnotherKindAreTwoSeries) {
  SeriesSet a, b;
  a.series[SeriesKey{"10.1.0.17", "203.0.113.10", SeriesKind::kFqdn}].add(sample(kT0));
  b.series[SeriesKey{"10.1.0.17", "203.0.113.10", SeriesKind::kIp}].add(sample(kT0));
  a.merge(std::move(b));
  EXPECT_EQ(a.series.size(), 2U);
}

}  // namespace
}  // namespace ashiato::analyze::beacon
