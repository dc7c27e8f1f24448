// Beacon series as bytes (analyze/beacon/series_codec.h): every field back as it was (samples in
// time order, the evidence records' file replaced by the one given), and bytes it did not write —
// cut short anywhere, bytes flipped, trailing bytes, another format — refused with
// std::runtime_error, never a crash, a hang or another exception.
#include "analyze/beacon/series_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace ashiato::analyze::beacon {
namespace {

constexpr std::uint32_t kT0 = 1433116800;  // 2015-06-01T00:00:00Z

const std::string kUa = "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/7.0)";
const std::string kUa2 = "curl/7.29.0";
const std::string kShape = "/w/w/w.php?id=B";

const SeriesKey kName{"10.1.0.17", "c2.example.jp", SeriesKind::kFqdn};
const SeriesKey kAddress{"10.1.0.22", "203.0.113.10", SeriesKind::kIp};
const SeriesKey kV6{"fd00::17", "2001:db8::10", SeriesKind::kIp};
const SeriesKey kNoHost{"73.54.23.243", "64.225.56.201", SeriesKind::kIp};

// The format's leading bytes: an empty set is them and three zero counts.
std::string magic() {
  SeriesSet empty;
  const std::string bytes = encode_series(empty);
  return bytes.substr(0, bytes.size() - 3);
}

Sample sample(std::uint32_t time, std::uint32_t bytes, std::uint32_t reply, std::uint8_t agent, std::uint8_t shape,
              Method method, std::uint8_t flags, std::uint64_t session) {
  Sample s;
  s.time = time;
  s.bytes = bytes;
  s.reply = reply;
  s.agent = agent;
  s.shape = shape;
  s.method = method;
  s.flags = flags;
  s.session = session;
  return s;
}

// Two series of every kind of field, the samples of the first out of time order.
SeriesSet example_set() {
  SeriesSet set;
  set.strings[pool_hash(kUa)] = kUa;
  set.strings[pool_hash(kUa2)] = kUa2;
  set.strings[pool_hash(kShape)] = kShape;
  set.strings[pool_hash("")] = "";
  set.fqdn_sessions = {0x1234567890abcdefULL, 3, 0xffffffffffffffffULL};
  Series& s = set.series[kName];
  const std::uint8_t ua = s.agent_slot(pool_hash(kUa)), ua2 = s.agent_slot(pool_hash(kUa2));
  const std::uint8_t shape = s.shape_slot(pool_hash(kShape));
  s.add(sample(kT0 + 1200, 402, 198, ua, shape, Method::kPost, 0, 0x1234567890abcdefULL));
  s.add(sample(kT0, 400, 200, ua, shape, Method::kGet, kDirectAddress, 0));
  s.add(sample(kT0 + 600, 398, 0, ua2, kNoSlot, Method::kOther, 0, 3));
  s.add(sample(kT0 + 600, 0, 0, kOtherSlot, kOtherSlot, Method::kNone, 0, 0));  // same second as the one before
  s.add(sample(0xfffffff0U, 0xffffffffU, 0xffffffffU, kNoSlot, shape, Method::kPut, kDirectAddress, 1));
  s.connections = 1000;  // past the samples kept
  s.bytes = 123456789012ULL;
  s.duration = 12.375;
  s.server_ips = {"203.0.113.10", "2001:db8::10"};
  s.missing_host = 5;
  s.add_ref(SampleRef{kT0, 4, 7, 700});
  s.add_ref(SampleRef{kT0 + 600, 9, 1ULL << 40, 1ULL << 50});
  s.add_ref(SampleRef{kT0 + 1200, 4, 9, 900});
  Series& a = set.series[kAddress];
  for (std::uint32_t i = 0; i < 5; ++i) a.add(sample(kT0 + i * 611, 60 + i, 40, kNoSlot, kNoSlot, Method::kNone, 0, 0));
  a.duration = 0.5;
  a.add_ref(SampleRef{kT0, 5, 1, 0});
  Series& v6 = set.series[kV6];
  v6.add(sample(kT0 + 5, 1, 1, kNoSlot, kNoSlot, Method::kNone, 0, 0));
  // HTTP requests without a Host header to an address: counted, no sample of their own.
  set.series[kNoHost].missing_host = 950;
  return set;
}

void expect_same_samples(const std::vector<Sample>& got, std::vector<Sample> want) {
  std::stable_sort(want.begin(), want.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; });
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE("sample " + std::to_string(i));
    EXPECT_EQ(got[i].time, want[i].time);
    EXPECT_EQ(got[i].bytes, want[i].bytes);
    EXPECT_EQ(got[i].reply, want[i].reply);
    EXPECT_EQ(got[i].agent, want[i].agent);
    EXPECT_EQ(got[i].shape, want[i].shape);
    EXPECT_EQ(got[i].method, want[i].method);
    EXPECT_EQ(got[i].flags, want[i].flags);
    EXPECT_EQ(got[i].session, want[i].session);
  }
}

void expect_same_series(const Series& got, const Series& want, std::uint32_t file) {
  EXPECT_EQ(got.connections, want.connections);
  EXPECT_EQ(got.bytes, want.bytes);
  EXPECT_EQ(got.first, want.first);
  EXPECT_EQ(got.last, want.last);
  EXPECT_EQ(got.duration, want.duration);  // exactly: stored as its bits
  EXPECT_EQ(got.missing_host, want.missing_host);
  EXPECT_EQ(got.server_ips, want.server_ips);
  EXPECT_EQ(got.agents, want.agents);
  EXPECT_EQ(got.shapes, want.shapes);
  ASSERT_EQ(got.refs.size(), want.refs.size());
  for (std::size_t i = 0; i < got.refs.size(); ++i) {
    EXPECT_EQ(got.refs[i].time, want.refs[i].time);
    EXPECT_EQ(got.refs[i].record, want.refs[i].record);
    EXPECT_EQ(got.refs[i].offset, want.refs[i].offset);
    EXPECT_EQ(got.refs[i].file, file);
  }
  expect_same_samples(got.samples, want.samples);
}

TEST(SeriesCodec, RoundTripOfEveryField) {
  const SeriesSet original = example_set();
  SeriesSet copy = example_set();
  const std::string bytes = encode_series(copy);
  const SeriesSet back = decode_series(bytes, 42);
  EXPECT_EQ(back.strings, original.strings);
  EXPECT_EQ(back.fqdn_sessions, original.fqdn_sessions);
  ASSERT_EQ(back.series.size(), original.series.size());
  for (const auto& [key, series] : original.series) {
    SCOPED_TRACE(key.src + " -> " + key.dst);
    ASSERT_EQ(back.series.count(key), 1U);
    expect_same_series(back.series.at(key), series, 42);
  }
}

TEST(SeriesCodec, EncodingSortsTheSamplesByTime) {
  SeriesSet set = example_set();
  encode_series(set);
  const auto& samples = set.series.at(kName).samples;
  EXPECT_TRUE(
      std::is_sorted(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; }));
  // Of the same second, in the order they were added.
  EXPECT_EQ(samples[1].bytes, 398U);
  EXPECT_EQ(samples[2].bytes, 0U);
}

TEST(SeriesCodec, AnEmptySet) {
  SeriesSet empty;
  const std::string bytes = encode_series(empty);
  EXPECT_EQ(bytes, magic() + std::string(3, '\0'));
  EXPECT_GE(magic().size(), 4U);
  const SeriesSet back = decode_series(bytes, 1);
  EXPECT_TRUE(back.series.empty());
  EXPECT_TRUE(back.strings.empty());
  EXPECT_TRUE(back.fqdn_sessions.empty());
}

TEST(SeriesCodec, SamplesTakeAFewBytesEach) {
  SeriesSet set;
  Series& s = set.series[kAddress];
  for (std::uint32_t i = 0; i < 1000; ++i)
    s.add(sample(kT0 + i * 600, 400, 200, kNoSlot, kNoSlot, Method::kNone, 0, 0));
  // delta 2 bytes, sizes 2 + 2, four single bytes: 10 a sample instead of 24 in memory.
  EXPECT_LE(encode_series(set).size(), 1000U * 10 + 100);
}

TEST(SeriesCodec, FifteenSlotsAndTenAddressesRoundTrip) {
  SeriesSet set;
  Series& s = set.series[kName];
  for (std::uint64_t h = 1; h <= kMaxSlots; ++h) {
    s.add(sample(kT0 + static_cast<std::uint32_t>(h), 1, 0, s.agent_slot(h * 7), s.shape_slot(h * 11), Method::kGet, 0,
                 0));
  }
  for (int i = 0; i < static_cast<int>(kMaxServerIps); ++i) s.server_ips.push_back("198.51.100." + std::to_string(i));
  const Series want = s;
  const SeriesSet back = decode_series(encode_series(set), 1);
  expect_same_series(back.series.at(kName), want, 1);
}

TEST(SeriesCodec, MoreAddressesThanKeptDecodeToTheFirstTen) {
  SeriesSet set;
  Series& s = set.series[kName];
  for (std::uint32_t i = 0; i < 5; ++i) s.add(sample(kT0 + i * 600, 400, 200, kNoSlot, kNoSlot, Method::kGet, 0, 0));
  // A writer may hold more addresses than kept (the codec stores what it is given).
  for (int i = 0; i <= static_cast<int>(kMaxServerIps); ++i) s.server_ips.push_back("198.51.100." + std::to_string(i));
  Series want = s;
  want.server_ips.resize(kMaxServerIps);
  SeriesSet back;
  ASSERT_NO_THROW(back = decode_series(encode_series(set), 1));
  ASSERT_EQ(back.series.count(kName), 1U);
  expect_same_series(back.series.at(kName), want, 1);
}

TEST(SeriesCodec, ManyRefsDecodeToTheEarliest) {
  SeriesSet set;
  Series& s = set.series[kName];
  s.add(sample(kT0, 1, 0, kNoSlot, kNoSlot, Method::kGet, 0, 0));
  // A writer may hold more refs than kept (the codec stores what it is given).
  s.refs = {SampleRef{kT0 + 30, 1, 3, 0}, SampleRef{kT0 + 10, 1, 1, 0}, SampleRef{kT0 + 20, 1, 2, 0},
            SampleRef{kT0 + 5, 1, 0, 0}};
  const SeriesSet back = decode_series(encode_series(set), 8);
  const auto& refs = back.series.at(kName).refs;
  ASSERT_EQ(refs.size(), kMaxRefs);
  // The earliest kMaxRefs, sorted by time, as Series keeps them.
  EXPECT_EQ(refs[0].time, kT0 + 5);
  EXPECT_EQ(refs[1].time, kT0 + 10);
  EXPECT_EQ(refs[2].time, kT0 + 20);
}

void expect_refused(std::string_view bytes, const std::string& what) {
  try {
    decode_series(bytes, 1);
    ADD_FAILURE() << what << ": decoded without an error";
  } catch (const std::runtime_error&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": " << e.what() << " is not a std::runtime_error";
  }
}

TEST(SeriesCodec, OtherFormatsAndTrailingBytesAreRefused) {
  expect_refused("", "empty");
  expect_refused(magic().substr(0, magic().size() - 1), "part of the magic");
  std::string other_version = magic();
  other_version.back() = static_cast<char>(other_version.back() + 1);
  expect_refused(other_version + std::string(3, '\0'), "another version");
  expect_refused(std::string("XXXX") + std::string(3, '\0'), "another format");
  expect_refused(magic(), "the magic alone");
  SeriesSet set = example_set();
  const std::string bytes = encode_series(set);
  expect_refused(bytes + '\0', "a trailing byte");
  expect_refused(bytes + bytes.substr(4), "the content twice");
}

TEST(SeriesCodec, EveryTruncationIsRefused) {
  SeriesSet set = example_set();
  const std::string bytes = encode_series(set);
  ASSERT_GT(bytes.size(), 200U);
  for (std::size_t n = 0; n < bytes.size(); ++n)
    expect_refused(std::string_view(bytes).substr(0, n), "cut to " + std::to_string(n));
}

// Decoded or refused with std::runtime_error; a decoded set must hold together (slots within the
// series' lists, counts within their caps).
void expect_decoded_or_refused(const std::string& bytes, const std::string& what) {
  try {
    const SeriesSet back = decode_series(bytes, 1);
    for (const auto& [key, s] : back.series) {
      EXPECT_LE(s.agents.size(), kMaxSlots) << what;
      EXPECT_LE(s.shapes.size(), kMaxSlots) << what;
      EXPECT_LE(s.refs.size(), kMaxRefs) << what;
      EXPECT_LE(s.server_ips.size(), kMaxServerIps) << what;
      EXPECT_LE(s.samples.size(), kMaxSamplesPerSeries) << what;
      for (const Sample& x : s.samples) {
        EXPECT_TRUE(x.agent < s.agents.size() || x.agent == kNoSlot || x.agent == kOtherSlot) << what;
        EXPECT_TRUE(x.shape < s.shapes.size() || x.shape == kNoSlot || x.shape == kOtherSlot) << what;
        EXPECT_LT(static_cast<std::size_t>(x.method), kMethodCount) << what;
      }
    }
  } catch (const std::runtime_error&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": " << e.what() << " is not a std::runtime_error";
  }
}

TEST(SeriesCodec, FlippedBytesAreDecodedOrRefused) {
  SeriesSet set = example_set();
  const std::string bytes = encode_series(set);
  std::mt19937 random(20150601);
  std::uniform_int_distribution<std::size_t> position(magic().size(), bytes.size() - 1);
  std::uniform_int_distribution<int> mask(1, 255);
  for (int round = 0; round < 400; ++round) {
    std::string damaged = bytes;
    const int flips = 1 + round % 4;
    std::string what = "round " + std::to_string(round) + ":";
    for (int f = 0; f < flips; ++f) {
      const std::size_t at = position(random);
      damaged[at] = static_cast<char>(damaged[at] ^ mask(random));
      what += ' ' + std::to_string(at);
    }
    expect_decoded_or_refused(damaged, what);
  }
  // Every single byte set to 0x00, 0x7f, 0x80 and 0xff in turn.
  for (std::size_t at = magic().size(); at < bytes.size(); ++at) {
    for (char value : {'\x00', '\x7f', '\x80', '\xff'}) {
      std::string damaged = bytes;
      damaged[at] = value;
      expect_decoded_or_refused(damaged, "byte " + std::to_string(at));
    }
  }
}

TEST(SeriesCodec, HugeCountsAreRefusedWithoutAllocating) {
  // The magic, then a string count of 2^64 - 1 as a varint.
  std::string bytes = magic();
  for (int i = 0; i < 9; ++i) bytes += '\xff';
  bytes += '\x01';
  expect_refused(bytes, "a string count of 2^64 - 1");
  std::string too_long = magic();
  for (int i = 0; i < 11; ++i) too_long += '\x80';
  too_long += '\x00';
  expect_refused(too_long, "a varint of 12 bytes");
}

}  // namespace
}  // namespace ashiato::analyze::beacon
