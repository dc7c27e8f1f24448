#include "core/timestamp.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace ashiato {
namespace {

TEST(Timestamp, FiletimeRendersAsEventViewerDoes) {
  // security.evtx record 1 (evtx crate snapshot): 2016-07-08T18:12:51.681640Z
  const auto t = parse_iso8601("2016-07-08T18:12:51.6816408Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(to_iso8601(*t, 6), "2016-07-08T18:12:51.681640Z");
  EXPECT_EQ(to_iso8601(*t, 7), "2016-07-08T18:12:51.6816408Z");
  EXPECT_EQ(to_iso8601(Timestamp::from_unix_seconds(0), 0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(Timestamp::from_unix_seconds(0).ticks, 116444736000000000LL);  // the well-known FILETIME epoch offset
}

TEST(Timestamp, ParsesZonesAndRejectsGarbage) {
  EXPECT_EQ(*parse_iso8601("2015-06-03T10:00:00+09:00"), *parse_iso8601("2015-06-03T01:00:00Z"));
  EXPECT_EQ(*parse_iso8601("2015-06-03"), *parse_iso8601("2015-06-03T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2015-13-03"));
  EXPECT_FALSE(parse_iso8601("yesterday"));
  EXPECT_FALSE(parse_iso8601("2015-06-03T10:00:00 junk"));
}

// The text of a time from its civil parts, formatted independently of append_iso8601.
std::string reference_text(Timestamp t, int digits) {
  const CivilTime c = to_civil(t);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf,
                        c.year >= 0 && c.year <= 9999 ? "%04d-%02d-%02dT%02d:%02d:%02d" : "%d-%02d-%02dT%02d:%02d:%02d",
                        c.year, c.month, c.day, c.hour, c.minute, c.second);
  std::string out(buf, static_cast<std::size_t>(n));
  if (digits > 0) {
    std::int64_t frac = c.fraction_ticks;
    for (int i = 7; i > digits; --i) frac /= 10;
    n = std::snprintf(buf, sizeof buf, ".%0*lld", digits, static_cast<long long>(frac));
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out + "Z";
}

// Times in runs on one day (the date text is kept from one to the next) and jumps between days,
// before 1601, after 9999 and around midnight, each with every number of digits.
TEST(Timestamp, TextOfTimesInAndAcrossDaysIsTheCivilTime) {
  std::mt19937_64 rng(7);
  std::vector<std::int64_t> ticks = {0,
                                     -1,
                                     1,
                                     864'000'000'000LL - 1,
                                     864'000'000'000LL,
                                     -864'000'000'000LL,
                                     2'650'467'743'999'999'999LL,
                                     2'650'467'744'000'000'000LL,
                                     -2'650'467'744'000'000'000LL};
  std::int64_t t = 130'000'000'000'000'000LL;  // 2012
  for (int i = 0; i < 20000; ++i) {
    t += static_cast<std::int64_t>(rng() % (i % 100 == 0 ? 3'000'000'000'000ULL : 600'000'000ULL));
    ticks.push_back(t);
    if (i % 1000 == 0) ticks.push_back(static_cast<std::int64_t>(rng()));  // anywhere, either sign
  }
  for (const std::int64_t x : ticks) {
    for (int digits = 0; digits <= 7; ++digits) {
      std::string text;
      append_iso8601(text, Timestamp{x}, digits);
      ASSERT_EQ(text, reference_text(Timestamp{x}, digits)) << x << " with " << digits << " digits";
    }
  }
}

}  // namespace
}  // namespace ashiato
