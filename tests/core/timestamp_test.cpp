#include "core/timestamp.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ashiato
