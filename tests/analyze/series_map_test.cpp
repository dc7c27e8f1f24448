// The beacon series map (analyze/beacon/series_map.h): every key found again after growth, the
// kind part of the key, arrival order, entries that never move, deep copies, moves that leave the
// source empty, and draining in order.
#include "analyze/beacon/series_map.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "analyze/beacon/series.h"

namespace ashiato::analyze::beacon {
namespace {

SeriesKey key_of(int i) {
  // Hosts and destinations repeat across keys, as in a proxy log; names longer than a short
  // string's inline buffer.
  return SeriesKey{"10.0." + std::to_string(i % 250) + "." + std::to_string(i % 7),
                   "host" + std::to_string(i / 3) + ".cdn.example.co.jp",
                   i % 2 == 0 ? SeriesKind::kFqdn : SeriesKind::kIp};
}

TEST(SeriesMap, EveryKeyIsFoundAgainAfterTheMapGrew) {
  SeriesMap map;
  constexpr int kKeys = 20000;
  for (int i = 0; i < kKeys; ++i) {
    auto [it, fresh] = map.try_emplace(key_of(i));
    ASSERT_TRUE(fresh) << i;
    it->second.connections = static_cast<std::uint64_t>(i) + 1;
  }
  EXPECT_EQ(map.size(), static_cast<std::size_t>(kKeys));
  for (int i = 0; i < kKeys; ++i) {
    const SeriesKey k = key_of(i);
    const auto it = map.find(SeriesKeyView{k.src, k.dst, k.kind});
    ASSERT_NE(it, map.end()) << i;
    EXPECT_EQ(it->first, k);
    EXPECT_EQ(it->second.connections, static_cast<std::uint64_t>(i) + 1);
    EXPECT_EQ(map.count(k), 1U);
    auto again = map.try_emplace(k);  // known: no new entry
    EXPECT_FALSE(again.second);
    EXPECT_EQ(again.first->second.connections, static_cast<std::uint64_t>(i) + 1);
  }
  EXPECT_EQ(map.size(), static_cast<std::size_t>(kKeys));
  // The same names under the other kind, or another host, are other series.
  const SeriesKey k = key_of(0);
  EXPECT_EQ(map.find(SeriesKeyView{k.src, k.dst, SeriesKind::kIp}), map.end());
  EXPECT_EQ(map.find(SeriesKeyView{"10.9.9.9", k.dst, k.kind}), map.end());
  EXPECT_EQ(map.count(SeriesKeyView{"", "", SeriesKind::kFqdn}), 0U);
  EXPECT_THROW(map.at(SeriesKeyView{"10.9.9.9", k.dst, k.kind}), std::out_of_range);
  EXPECT_EQ(map.at(k).connections, 1U);
}

TEST(SeriesMap, EntriesKeepTheirPlaceAndComeInArrivalOrder) {
  SeriesMap map;
  Series& first = map[key_of(0)];
  first.connections = 42;
  for (int i = 1; i < 5000; ++i) map[key_of(i)].connections = static_cast<std::uint64_t>(i);
  EXPECT_EQ(&map.at(key_of(0)), &first);  // never moved by growth
  EXPECT_EQ(first.connections, 42U);
  int i = 0;
  for (const auto& [key, series] : map) {
    EXPECT_EQ(key, key_of(i)) << i;
    ++i;
  }
  EXPECT_EQ(i, 5000);
}

TEST(SeriesMap, CopiesAreDeepAndMovesLeaveTheSourceEmpty) {
  SeriesMap map;
  for (int i = 0; i < 700; ++i) map[key_of(i)].samples.push_back(Sample{static_cast<std::uint32_t>(i)});
  SeriesMap copy = map;
  copy.at(key_of(5)).samples.clear();
  copy[key_of(100000)];
  EXPECT_EQ(map.at(key_of(5)).samples.size(), 1U);
  EXPECT_EQ(map.size(), 700U);
  EXPECT_EQ(copy.size(), 701U);
  SeriesMap moved = std::move(copy);
  EXPECT_EQ(moved.size(), 701U);
  EXPECT_EQ(copy.size(), 0U);  // NOLINT(bugprone-use-after-move): what a move leaves is the point
  EXPECT_TRUE(copy.empty());
  EXPECT_EQ(copy.begin(), copy.end());
  copy[key_of(1)].connections = 7;  // usable again
  EXPECT_EQ(copy.size(), 1U);
  SeriesMap assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.size(), 701U);
  EXPECT_EQ(moved.size(), 0U);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(assigned.at(key_of(699)).samples.at(0).time, 699U);
}

TEST(SeriesMap, DrainingHandsEveryEntryInOrderAndEmptiesTheMap) {
  SeriesMap map;
  map.reserve(1000);
  for (int i = 0; i < 1000; ++i) map[key_of(i)].connections = static_cast<std::uint64_t>(i);
  std::vector<std::pair<SeriesKey, std::uint64_t>> seen;
  map.drain([&](std::pair<SeriesKey, Series>& entry) { seen.emplace_back(entry.first, entry.second.connections); });
  ASSERT_EQ(seen.size(), 1000U);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(seen[static_cast<std::size_t>(i)].first, key_of(i));
    EXPECT_EQ(seen[static_cast<std::size_t>(i)].second, static_cast<std::uint64_t>(i));
  }
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.find(key_of(3)), map.end());
  map[key_of(3)].connections = 1;
  EXPECT_EQ(map.size(), 1U);
}

TEST(SeriesMap, MergingSetsAddsUpSharedSeriesAndKeepsTheOthers) {
  SeriesSet a, b;
  Sample s;
  s.time = 100;
  a.series[key_of(1)].add(s);
  a.series[key_of(2)].add(s);
  s.time = 200;
  b.series[key_of(2)].add(s);
  b.series[key_of(3)].add(s);
  a.merge(std::move(b));
  EXPECT_EQ(a.series.size(), 3U);
  EXPECT_EQ(a.series.at(key_of(2)).connections, 2U);
  EXPECT_EQ(a.series.at(key_of(2)).first, 100U);
  EXPECT_EQ(a.series.at(key_of(2)).last, 200U);
  EXPECT_EQ(a.series.at(key_of(3)).connections, 1U);
  EXPECT_TRUE(b.series.empty());  // NOLINT(bugprone-use-after-move)
  // Into an empty set: taken whole.
  SeriesSet empty;
  empty.merge(std::move(a));
  EXPECT_EQ(empty.series.size(), 3U);
  EXPECT_TRUE(a.series.empty());  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace ashiato::analyze::beacon
