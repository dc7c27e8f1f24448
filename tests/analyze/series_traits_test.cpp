// A series' traits (analyze/beacon/series_traits.h): median sizes both ways and median interval,
// the interval histogram's bins at their edges, hours of the day, methods, calls by address, and
// user agents and shapes tallied by their text, most used first.
#include "analyze/beacon/series_traits.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace ashiato::analyze::beacon {
namespace {

constexpr std::uint32_t kT0 = 1433116800;  // 2015-06-01T00:00:00Z, hour 0
constexpr std::uint32_t kHour = 3600;

using Tally = std::vector<std::pair<std::string, std::uint64_t>>;

Sample sample(std::uint32_t time, std::uint32_t bytes = 400, std::uint32_t reply = 0) {
  Sample s;
  s.time = time;
  s.bytes = bytes;
  s.reply = reply;
  return s;
}

SeriesTraits traits_of(const std::vector<Sample>& samples, const Series& series = {}, const StringPool& strings = {}) {
  return series_traits(series, samples, strings);
}

TEST(SeriesTraits, NoSamplesNoTraits) {
  const SeriesTraits t = traits_of({});
  EXPECT_EQ(t.samples, 0U);
  EXPECT_EQ(t.request_bytes, 0);
  EXPECT_EQ(t.reply_bytes, 0);
  EXPECT_EQ(t.interval, 0);
  EXPECT_TRUE(t.agents.empty());
  EXPECT_TRUE(t.shapes.empty());
  for (auto n : t.hours) EXPECT_EQ(n, 0U);
  for (auto n : t.interval_bins) EXPECT_EQ(n, 0U);
}

TEST(SeriesTraits, MedianSizesOfOddAndEvenCounts) {
  EXPECT_EQ(traits_of({sample(kT0, 500), sample(kT0 + 1, 100), sample(kT0 + 2, 300)}).request_bytes, 300);
  EXPECT_EQ(
      traits_of({sample(kT0, 400), sample(kT0 + 1, 100), sample(kT0 + 2, 300), sample(kT0 + 3, 200)}).request_bytes,
      250);
  EXPECT_EQ(traits_of({sample(kT0, 7)}).request_bytes, 7);
}

TEST(SeriesTraits, ReplyMedianLeavesOutRecordsWithoutOne) {
  const SeriesTraits t =
      traits_of({sample(kT0, 400, 0), sample(kT0 + 1, 400, 80), sample(kT0 + 2, 400, 0), sample(kT0 + 3, 400, 20)});
  EXPECT_EQ(t.reply_bytes, 50);  // of 80 and 20
  EXPECT_EQ(traits_of({sample(kT0, 400, 0), sample(kT0 + 1, 400, 0)}).reply_bytes, 0);
}

TEST(SeriesTraits, IntervalsBetweenDistinctStarts) {
  // Two connections in the same second are one start: no zero interval.
  const SeriesTraits t = traits_of(
      {sample(kT0), sample(kT0), sample(kT0 + 600), sample(kT0 + 600), sample(kT0 + 1200), sample(kT0 + 1830)});
  EXPECT_EQ(t.interval, 600);  // of 600, 600, 630
  EXPECT_EQ(t.interval_bins[5], 2U);
  EXPECT_EQ(t.interval_bins[6], 1U);
  std::uint64_t binned = 0;
  for (auto n : t.interval_bins) binned += n;
  EXPECT_EQ(binned, 3U);
  EXPECT_EQ(t.samples, 6U);
}

TEST(SeriesTraits, IntervalBinsByTheirInclusiveUpperEdge) {
  const std::vector<std::uint32_t> gaps = {1, 10, 11, 30, 31, 60, 61, 600, 601, 86400, 86401, 200000};
  std::vector<Sample> samples{sample(kT0)};
  for (std::uint32_t g : gaps) samples.push_back(sample(samples.back().time + g));
  const SeriesTraits t = traits_of(samples);
  // 1 and 10 up to 10 s; 11 and 30 up to 30 s; 31 and 60 up to a minute; 61 up to 2 min; 600 up
  // to 10 min; 601 up to 30 min; 86400 up to a day; 86401 and 200000 longer.
  const std::array<std::uint64_t, kIntervalBinEdges.size() + 1> expected{2, 2, 2, 1, 0, 1, 1, 0, 0, 0, 1, 2};
  EXPECT_EQ(t.interval_bins, expected);
  EXPECT_EQ(t.interval, 60.5);  // of the twelve: (60 + 61) / 2
}

TEST(SeriesTraits, HoursOfTheDayInUtc) {
  const SeriesTraits t = traits_of({sample(kT0), sample(kT0 + 13 * kHour), sample(kT0 + 13 * kHour + 3599),
                                    sample(kT0 + 24 * kHour - 1), sample(kT0 + 25 * kHour)});
  std::array<std::uint64_t, 24> expected{};
  expected[0] = 1;
  expected[13] = 2;
  expected[23] = 1;
  expected[1] = 1;  // the next day's hour 1
  EXPECT_EQ(t.hours, expected);
}

TEST(SeriesTraits, MethodsCallsByAddressAndRefs) {
  std::vector<Sample> samples;
  for (Method m : {Method::kPost, Method::kPost, Method::kGet, Method::kNone, Method::kConnect, Method::kPost}) {
    Sample s = sample(kT0 + static_cast<std::uint32_t>(samples.size()) * 600);
    s.method = m;
    if (m == Method::kGet) s.flags = kDirectAddress;
    samples.push_back(s);
  }
  samples[0].flags = kDirectAddress;
  Series series;
  series.add_ref(SampleRef{kT0, 3, 17, 1700});
  const SeriesTraits t = traits_of(samples, series);
  EXPECT_EQ(t.methods[static_cast<std::size_t>(Method::kPost)], 3U);
  EXPECT_EQ(t.methods[static_cast<std::size_t>(Method::kGet)], 1U);
  EXPECT_EQ(t.methods[static_cast<std::size_t>(Method::kNone)], 1U);
  EXPECT_EQ(t.methods[static_cast<std::size_t>(Method::kConnect)], 1U);
  EXPECT_EQ(t.methods[static_cast<std::size_t>(Method::kHead)], 0U);
  EXPECT_EQ(t.direct_address, 2U);
  ASSERT_EQ(t.refs.size(), 1U);
  EXPECT_EQ(t.refs[0].record, 17U);
  EXPECT_EQ(t.refs[0].file, 3U);
}

TEST(SeriesTraits, UserAgentsAndShapesByTextMostUsedFirst) {
  const std::string ua1 = "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1)", ua2 = "curl/7.29.0", ua3 = "never used";
  const std::string shape1 = "/w/w/w.php?id=B", shape2 = "/";
  StringPool strings{{pool_hash(ua1), ua1},
                     {pool_hash(ua2), ua2},
                     {pool_hash(ua3), ua3},
                     {pool_hash(shape1), shape1},
                     {pool_hash(shape2), shape2}};
  Series series;
  series.agents = {pool_hash(ua1), pool_hash(ua2), pool_hash(ua3), 0x5eed};  // the last not in the pool
  series.shapes = {pool_hash(shape1), pool_hash(shape2)};
  const std::vector<std::pair<std::uint8_t, std::uint8_t>> slots = {
      {1, 0}, {1, 0}, {0, 0}, {kOtherSlot, 1}, {kOtherSlot, kNoSlot}, {kOtherSlot, kOtherSlot}, {3, 0}, {kNoSlot, 0}};
  std::vector<Sample> samples;
  for (const auto& [agent, shape] : slots) {
    Sample s = sample(kT0 + static_cast<std::uint32_t>(samples.size()));
    s.agent = agent;
    s.shape = shape;
    samples.push_back(s);
  }
  const SeriesTraits t = traits_of(samples, series, strings);
  // Ties by text, whatever the slots' order (which depends on the order files were read in);
  // unused slots are left out; samples with none are not counted.
  EXPECT_EQ(t.agents, (Tally{{"(other)", 3}, {ua2, 2}, {"(unknown)", 1}, {ua1, 1}}));
  EXPECT_EQ(t.shapes, (Tally{{shape1, 5}, {"(other)", 1}, {shape2, 1}}));
}

}  // namespace
}  // namespace ashiato::analyze::beacon
