// Similar communications (analyze/beacon/similar_communications.h): series built as the beacon
// detector builds them — an implant's calls to its confirmed C2 and to a second C2, a poller used
// by every PC, an unlike poller, an allowlisted service, address series from the PC and from a
// proxy — scored with score_all, then compared. Only the second C2 is a candidate; each other
// case is checked against a control in which the one thing that keeps it out is taken away.
#include "analyze/beacon/similar_communications.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "analyze/beacon/request_shape.h"

namespace ashiato::analyze::beacon {
namespace {

constexpr std::uint32_t kT0 = 1433116800;  // 2015-06-01T00:00:00Z
constexpr std::uint32_t kTwoDays = 2 * 86400;

const std::string kHostA = "10.1.0.17", kHostB = "10.1.0.22", kHostC = "10.1.0.31", kHostD = "10.1.0.40";
const std::string kProxy = "10.0.0.8";
const std::string kC2 = "c2.example.jp", kC2Address = "203.0.113.10";
const std::string kSecondC2 = "other.example.jp", kSecondC2Address = "198.51.100.20";
const std::string kPoller = "notify.saas.example.com", kWeather = "weather.example.net";
const std::string kAllowlisted = "settings-win.data.microsoft.com";
// The implant's User-Agent copies a browser's; the second C2's implant build uses another.
const std::string kBrowserUa = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)";
const std::string kOtherUa = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)";

struct Traffic {
  std::string src, dst;
  SeriesKind kind = SeriesKind::kFqdn;
  std::uint32_t interval = 600, jitter = 30;  // seconds, ± jitter
  std::uint32_t request = 400, reply = 200, size_jitter = 3;
  std::string agent;              // empty: the log has none
  std::string path, query;        // empty path: no URL (a firewall or conn record)
  bool encoded_query = false;     // the query's id a fresh base64 blob each time
  std::vector<Method> methods{};  // cycled; empty: the log has none
  std::vector<std::string> server_ips{};
  unsigned seed = 1;
};

const std::vector<Method> kImplantMethods{Method::kPost, Method::kPost, Method::kPost, Method::kGet};

std::string blob(std::mt19937& random) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<int> pick(0, 61);
  std::string out = "x1";  // a letter and a digit, whatever the draw
  for (int i = 0; i < 22; ++i) out += alphabet[pick(random)];
  return out;
}

// Two days of connections as the detector records them (see beacon_detector.cpp).
void add_traffic(SeriesSet& set, const Traffic& t) {
  std::mt19937 random(t.seed);
  std::uniform_int_distribution<int> jitter(-static_cast<int>(t.jitter), static_cast<int>(t.jitter));
  std::uniform_int_distribution<int> size(-static_cast<int>(t.size_jitter), static_cast<int>(t.size_jitter));
  Series& series = set.series[SeriesKey{t.src, t.dst, t.kind}];
  std::uint32_t record = 0;
  for (std::uint32_t base = kT0 + 17; base < kT0 + kTwoDays; base += t.interval) {
    Sample s;
    s.time = static_cast<std::uint32_t>(static_cast<int>(base) + jitter(random));
    s.bytes = static_cast<std::uint32_t>(static_cast<int>(t.request) + size(random));
    s.reply = static_cast<std::uint32_t>(static_cast<int>(t.reply) + size(random));
    if (!t.methods.empty()) s.method = t.methods[record % t.methods.size()];
    if (!t.agent.empty()) {
      const std::uint64_t h = pool_hash(t.agent);
      set.strings.try_emplace(h, t.agent);
      s.agent = series.agent_slot(h);
    }
    if (!t.path.empty()) {
      const std::string shape =
          request_shape(t.path, t.encoded_query ? std::string("id=").append(blob(random)) : t.query);
      const std::uint64_t h = pool_hash(shape);
      set.strings.try_emplace(h, shape);
      s.shape = series.shape_slot(h);
    }
    series.add(s);
    series.add_ref(SampleRef{s.time, 1, record, record * 300});
    ++record;
  }
  for (const auto& ip : t.server_ips) series.server_ips.push_back(ip);
}

// The implant's traffic from `src` to `dst`.
Traffic implant(const std::string& src, const std::string& dst, const std::string& agent, unsigned seed) {
  Traffic t;
  t.src = src;
  t.dst = dst;
  t.agent = agent;
  t.path = "/wp-includes/js/news.php";
  t.encoded_query = true;
  t.methods = kImplantMethods;
  t.seed = seed;
  return t;
}

// An address series from a firewall or Zeek conn log: times and sizes only.
Traffic address_series(const std::string& src, const std::string& address, unsigned seed) {
  Traffic t;
  t.src = src;
  t.dst = address;
  t.kind = SeriesKind::kIp;
  t.seed = seed;
  return t;
}

struct Scenario {
  bool second_c2 = true;
  bool second_c2_addresses = true;  // its name series knows its server address
  bool poller = true, weather = true, allowlisted = true;
  bool direct_from_b = false, through_proxy = false;
};

SeriesSet build(const Scenario& sc) {
  SeriesSet set;
  Traffic c2 = implant(kHostA, kC2, kBrowserUa, 1);
  c2.server_ips = {kC2Address};
  add_traffic(set, c2);
  add_traffic(set, address_series(kHostA, kC2Address, 2));  // its conn records
  if (sc.second_c2) {
    Traffic second = implant(kHostB, kSecondC2, kOtherUa, 3);
    if (sc.second_c2_addresses) second.server_ips = {kSecondC2Address};
    add_traffic(set, second);
  }
  if (sc.direct_from_b) add_traffic(set, address_series(kHostB, kSecondC2Address, 4));
  if (sc.through_proxy) add_traffic(set, address_series(kProxy, kSecondC2Address, 5));
  if (sc.poller) {
    // A web application open in every PC's browser: it polls every minute with a PHP endpoint
    // and a token much like the implant's, in the same browser's User-Agent.
    for (int i = 1; i <= 20; ++i) {
      Traffic t = implant("10.1.1." + std::to_string(i), kPoller, kBrowserUa, 100 + i);
      t.interval = 60;
      t.jitter = 2;
      add_traffic(set, t);
    }
  }
  if (sc.weather) {
    // One PC's weather widget: hourly, small GETs of a JSON API, large replies.
    Traffic t;
    t.src = kHostD;
    t.dst = kWeather;
    t.interval = 3600;
    t.jitter = 1;
    t.request = 90;
    t.reply = 5200;
    t.agent = "WeatherBar/2.1 (Windows)";
    t.path = "/api/v2/forecast";
    t.query = "city=tokyo&units=metric";
    t.methods = {Method::kGet};
    t.seed = 6;
    add_traffic(set, t);
  }
  if (sc.allowlisted) add_traffic(set, implant(kHostC, kAllowlisted, kBrowserUa, 7));
  return set;
}

std::vector<BeaconResult> scored(const Scenario& sc) {
  SeriesSet set = build(sc);
  BeaconOptions options;
  options.keep_unscored = true;  // as the case analysis scores
  return score_all(set, options).results;
}

bool confirmed(const BeaconResult& r) {
  return r.key.dst == kC2;
}

const Allowlist& shipped_allowlist() {
  static const Allowlist list = [] {
    Allowlist l;
    Diagnostics diagnostics;
    l.load(std::string(ASHIATO_SOURCE_DIR).append("/data/beacon-allowlist.txt"), diagnostics);
    EXPECT_EQ(diagnostics.errors(), 0U);
    return l;
  }();
  return list;
}

const Candidate* find(const std::vector<Candidate>& candidates, const std::string& destination) {
  for (const auto& c : candidates) {
    if (c.destination == destination) return &c;
  }
  return nullptr;
}

const BeaconResult* result(const std::vector<BeaconResult>& results, const std::string& src, const std::string& dst) {
  for (const auto& r : results) {
    if (r.key.src == src && r.key.dst == dst) return &r;
  }
  return nullptr;
}

std::set<std::string> matched_names(const Candidate& c) {
  std::set<std::string> names;
  for (const auto& m : c.matched) names.insert(m.feature);
  return names;
}

std::string destinations(const std::vector<Candidate>& candidates) {
  std::string out;
  for (const auto& c : candidates) out.append(c.destination).append(" ");
  return out;
}

TEST(SimilarCommunications, TheSecondC2IsACandidateOfItsOneHost) {
  const auto results = scored(Scenario{});
  const auto candidates = find_candidates(results, confirmed, shipped_allowlist());
  ASSERT_EQ(candidates.size(), 1U) << destinations(candidates);
  const Candidate& c = candidates[0];
  EXPECT_EQ(c.destination, kSecondC2);
  EXPECT_EQ(c.kind, SeriesKind::kFqdn);
  EXPECT_EQ(c.sources, (std::vector<std::string>{kHostB}));
  EXPECT_EQ(c.addresses, (std::vector<std::string>{kSecondC2Address}));
  EXPECT_TRUE(c.relays.empty());
  EXPECT_FALSE(c.direct_attempts);
  EXPECT_EQ(c.like, kC2);
  EXPECT_EQ(c.agents, (std::vector<std::string>{kOtherUa}));
  // Everything alike but the User-Agent.
  EXPECT_EQ(matched_names(c),
            (std::set<std::string>{"method", "url_shape", "request_size", "reply_size", "interval", "time_of_day"}));
  for (const auto& m : c.matched) {
    EXPECT_GE(m.similarity, 0.5) << m.feature;
    if (m.feature == "url_shape") {
      EXPECT_EQ(m.detail, "/w/w/w.php?id=B");
    }
    if (m.feature == "method") {
      EXPECT_EQ(m.detail, "GET POST");
    }
  }
  EXPECT_GE(c.similarity, 0.7);
  EXPECT_LT(c.similarity, 0.85);  // the User-Agent differs
  const BeaconResult* second = result(results, kHostB, kSecondC2);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(second->best);
  EXPECT_DOUBLE_EQ(c.beacon_score, second->best->score);
  EXPECT_GE(c.beacon_score, 0.8);
  EXPECT_EQ(c.connections, second->connections);
  EXPECT_EQ(c.first, second->first);
  EXPECT_EQ(c.last, second->last);
  EXPECT_NEAR(c.interval, 600, 30);
  EXPECT_EQ(c.interval_bins[5] + c.interval_bins[6], c.connections - 1);  // 9 to 11 minutes apart
  // 1 (B) of 24 hosts: A, B, C, D and the poller's 20.
  EXPECT_EQ(c.hosts_total, 24U);
  EXPECT_DOUBLE_EQ(c.score, round3(0.55 * c.similarity + 0.3 * c.beacon_score + 0.15 * (1 - 1.0 / 24)));
  ASSERT_FALSE(c.refs.empty());
  EXPECT_EQ(c.refs[0].time, second->first);
  // Why, in words: the C2 it is like and what matched.
  EXPECT_NE(c.reason.find("like the C2 c2.example.jp"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("URL shape /w/w/w.php?id=B"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("rhythm ~10 min"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("from 1 of 24 internal hosts"), std::string::npos) << c.reason;
  EXPECT_EQ(c.reason.find("User-Agent"), std::string::npos) << c.reason;
}

TEST(SimilarCommunications, TheConfirmedC2AndItsAddressAreNoCandidates) {
  const auto candidates = find_candidates(scored(Scenario{}), confirmed, shipped_allowlist());
  EXPECT_EQ(find(candidates, kC2), nullptr);
  EXPECT_EQ(find(candidates, kC2Address), nullptr);
}

TEST(SimilarCommunications, APollerOfEveryPcIsNoCandidate) {
  const auto results = scored(Scenario{});
  EXPECT_EQ(find(find_candidates(results, confirmed, shipped_allowlist()), kPoller), nullptr);
  // Control: it beacons and looks like the implant; only its prevalence keeps it out.
  CandidateOptions everyone_rare;
  everyone_rare.common_hosts = 1000;
  const auto without_prevalence = find_candidates(results, confirmed, shipped_allowlist(), everyone_rare);
  const Candidate* poller = find(without_prevalence, kPoller);
  ASSERT_NE(poller, nullptr) << destinations(without_prevalence);
  EXPECT_EQ(poller->sources.size(), 20U);
  // Common needs both: many hosts, and a share of all of them (20 of 24 is under 90 %).
  CandidateOptions share;
  share.common_share = 0.9;
  EXPECT_NE(find(find_candidates(results, confirmed, shipped_allowlist(), share), kPoller), nullptr);
}

TEST(SimilarCommunications, AnUnlikePollerOfOnePcIsNoCandidate) {
  const auto results = scored(Scenario{});
  EXPECT_EQ(find(find_candidates(results, confirmed, shipped_allowlist()), kWeather), nullptr);
  // It beacons as well as the implant and is as rare: only its fingerprint differs.
  const BeaconResult* weather = result(results, kHostD, kWeather);
  const BeaconResult* c2 = result(results, kHostA, kC2);
  ASSERT_NE(weather, nullptr);
  ASSERT_NE(c2, nullptr);
  ASSERT_TRUE(weather->best);
  EXPECT_GE(weather->best->score, 0.5);
  const Similarity s = compare_traits(weather->traits, false, c2->traits, false);
  EXPECT_LT(s.score, 0.3);
  for (const auto& f : s.features) {
    if (f.feature != "time_of_day") {
      EXPECT_LT(f.similarity, 0.5) << f.feature;
    }
  }
  // Control: with no bar on similarity it would be one.
  CandidateOptions anything;
  anything.min_similarity = 0;
  EXPECT_NE(find(find_candidates(results, confirmed, shipped_allowlist(), anything), kWeather), nullptr);
}

TEST(SimilarCommunications, AnAllowlistedServiceIsNoCandidateEvenWithTheImplantsTraffic) {
  const auto results = scored(Scenario{});
  EXPECT_EQ(find(find_candidates(results, confirmed, shipped_allowlist()), kAllowlisted), nullptr);
  // Control: without the allowlist its traffic, the implant's own, makes it one.
  const auto unlisted = find_candidates(results, confirmed, Allowlist{});
  const Candidate* c = find(unlisted, kAllowlisted);
  ASSERT_NE(c, nullptr) << destinations(unlisted);
  EXPECT_GE(c->similarity, 0.95);
  EXPECT_TRUE(matched_names(*c).count("user_agent") > 0);
}

TEST(SimilarCommunications, WithoutAConfirmedC2ThereAreNoCandidates) {
  const auto results = scored(Scenario{});
  EXPECT_TRUE(find_candidates(
                  results, [](const BeaconResult&) { return false; }, shipped_allowlist())
                  .empty());
  EXPECT_TRUE(find_candidates({}, confirmed, shipped_allowlist()).empty());
  // Control: the same series with the C2 confirmed.
  EXPECT_FALSE(find_candidates(results, confirmed, shipped_allowlist()).empty());
}

TEST(SimilarCommunications, TheCandidatesHostCallingItsAddressIsADirectAttemptNotACandidate) {
  Scenario sc;
  sc.direct_from_b = true;
  const auto results = scored(sc);
  const auto candidates = find_candidates(results, confirmed, shipped_allowlist());
  EXPECT_EQ(find(candidates, kSecondC2Address), nullptr) << destinations(candidates);
  const Candidate* c = find(candidates, kSecondC2);
  ASSERT_NE(c, nullptr) << destinations(candidates);
  EXPECT_TRUE(c->direct_attempts);
  EXPECT_TRUE(c->relays.empty());
  EXPECT_EQ(c->sources, (std::vector<std::string>{kHostB}));
  EXPECT_EQ(matched_names(*c), (std::set<std::string>{"method", "url_shape", "request_size", "reply_size", "interval",
                                                      "time_of_day", "direct_address"}));
  EXPECT_NE(c->reason.find("direct calls to its address"), std::string::npos) << c->reason;
  // Control: when nothing ties the address to the name, the address series is a candidate of its
  // own (an address series is alike by sizes, rhythm and hours only).
  sc.second_c2_addresses = false;
  const auto untied = find_candidates(scored(sc), confirmed, shipped_allowlist());
  const Candidate* own = find(untied, kSecondC2Address);
  ASSERT_NE(own, nullptr) << destinations(untied);
  EXPECT_EQ(own->kind, SeriesKind::kIp);
  EXPECT_EQ(own->sources, (std::vector<std::string>{kHostB}));
  EXPECT_EQ(matched_names(*own), (std::set<std::string>{"request_size", "reply_size", "interval", "time_of_day"}));
  EXPECT_LE(own->similarity, 0.4 / 0.6 + 1e-9);  // fewer features agreeing prove less
  ASSERT_NE(find(untied, kSecondC2), nullptr);
  EXPECT_FALSE(find(untied, kSecondC2)->direct_attempts);
  // An allowlisted address is no candidate either.
  Allowlist by_address;
  ASSERT_TRUE(by_address.add("198.51.100.0/24"));
  EXPECT_EQ(find(find_candidates(scored(sc), confirmed, by_address), kSecondC2Address), nullptr);
}

TEST(SimilarCommunications, AnotherInternalAddressCarryingTheTrafficIsARelay) {
  Scenario sc;
  sc.through_proxy = true;
  const auto candidates = find_candidates(scored(sc), confirmed, shipped_allowlist());
  EXPECT_EQ(find(candidates, kSecondC2Address), nullptr) << destinations(candidates);
  const Candidate* c = find(candidates, kSecondC2);
  ASSERT_NE(c, nullptr) << destinations(candidates);
  EXPECT_EQ(c->relays, (std::vector<std::string>{kProxy}));
  EXPECT_FALSE(c->direct_attempts);
  EXPECT_EQ(c->sources, (std::vector<std::string>{kHostB}));  // the proxy is not a source
  EXPECT_EQ(matched_names(*c).count("direct_address"), 0U);
  // Both at once: a direct attempt and a relay.
  sc.direct_from_b = true;
  const auto both = find_candidates(scored(sc), confirmed, shipped_allowlist());
  const Candidate* d = find(both, kSecondC2);
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->direct_attempts);
  EXPECT_EQ(d->relays, (std::vector<std::string>{kProxy}));
}

TEST(SimilarCommunications, CandidatesBestScoreFirst) {
  const auto results = scored(Scenario{});
  CandidateOptions lax;
  lax.common_hosts = 1000;
  lax.min_similarity = 0;
  const auto candidates = find_candidates(results, confirmed, Allowlist{}, lax);
  ASSERT_GE(candidates.size(), 4U) << destinations(candidates);
  EXPECT_TRUE(std::is_sorted(candidates.begin(), candidates.end(),
                             [](const Candidate& a, const Candidate& b) { return a.score > b.score; }));
}

// compare_traits on traits made by hand.
SeriesTraits implant_traits() {
  SeriesTraits t;
  t.agents = {{kBrowserUa, 90}, {"(other)", 10}};
  t.shapes = {{"/w/w/w.php?id=B", 100}};
  t.methods[static_cast<std::size_t>(Method::kPost)] = 75;
  t.methods[static_cast<std::size_t>(Method::kGet)] = 25;
  t.request_bytes = 400;
  t.reply_bytes = 200;
  t.interval = 600;
  for (auto& h : t.hours) h = 4;
  t.samples = 100;
  return t;
}

TEST(CompareTraits, IdenticalTrafficIsOneOnEveryFeature) {
  const SeriesTraits t = implant_traits();
  const Similarity s = compare_traits(t, false, t, false);
  std::vector<std::string> names;
  for (const auto& f : s.features) names.push_back(f.feature);
  EXPECT_EQ(names, (std::vector<std::string>{"user_agent", "method", "url_shape", "request_size", "reply_size",
                                             "interval", "time_of_day"}));
  for (const auto& f : s.features) {
    // The User-Agent: 90 of the 100 samples' agents are known to the other ("other" never is).
    EXPECT_NEAR(f.similarity, f.feature == "user_agent" ? 0.9 : 1.0, 1e-9) << f.feature;
  }
  // The weights (0.2 agent, 0.1 method, 0.25 shape, 0.1 and 0.1 sizes, 0.15 rhythm, 0.05 hours) sum
  // to 0.95.
  EXPECT_NEAR(s.score, (0.95 - 0.2 * 0.1) / 0.95, 1e-9);
  EXPECT_EQ(s.features[0].detail, kBrowserUa);
  EXPECT_EQ(s.features[1].detail, "GET POST");
  EXPECT_EQ(s.features[2].detail, "/w/w/w.php?id=B");
  EXPECT_EQ(s.features[3].detail, "400 bytes");
  EXPECT_EQ(s.features[5].detail, "10 min");
}

TEST(CompareTraits, SizesAndRhythmByTheirRatio) {
  const SeriesTraits c2 = implant_traits();
  SeriesTraits t = implant_traits();
  t.request_bytes = 800;   // twice: 0.5
  t.reply_bytes = 50;      // a quarter: 0
  t.interval = 600 * 1.5;  // log2(1.5) / 2 off
  const Similarity s = compare_traits(t, false, c2, false);
  for (const auto& f : s.features) {
    if (f.feature == "request_size") {
      EXPECT_NEAR(f.similarity, 0.5, 1e-9);
    }
    if (f.feature == "reply_size") {
      EXPECT_NEAR(f.similarity, 0, 1e-9);
    }
    if (f.feature == "interval") {
      EXPECT_NEAR(f.similarity, 1 - std::log2(1.5) / 2, 1e-9);
    }
    if (f.feature == "interval") {
      EXPECT_EQ(f.detail, "15 min");
    }
  }
}

TEST(CompareTraits, FeaturesOneSideLacksAreNotCompared) {
  const SeriesTraits c2 = implant_traits();
  // A firewall series: sizes, rhythm and hours only; no reply sizes in the log.
  SeriesTraits firewall;
  firewall.request_bytes = 400;
  firewall.interval = 600;
  for (auto& h : firewall.hours) h = 1;
  firewall.samples = 24;
  const Similarity s = compare_traits(firewall, true, c2, false);
  std::vector<std::string> names;
  for (const auto& f : s.features) names.push_back(f.feature);
  EXPECT_EQ(names, (std::vector<std::string>{"request_size", "interval", "time_of_day"}));
  // All three alike, but 0.3 of weight is half the evidence of a full comparison.
  EXPECT_NEAR(s.score, 0.3 / 0.6, 1e-9);
  // Nothing in common to compare: 0.
  EXPECT_EQ(compare_traits(SeriesTraits{}, false, c2, false).score, 0);
  EXPECT_TRUE(compare_traits(SeriesTraits{}, false, c2, false).features.empty());
}

TEST(CompareTraits, UnlikeShapesMethodsAndHours) {
  const SeriesTraits c2 = implant_traits();
  SeriesTraits t = implant_traits();
  t.agents = {{"curl/7.29.0", 100}};
  t.shapes = {{"/", 100}};
  t.methods = {};
  t.methods[static_cast<std::size_t>(Method::kHead)] = 10;
  t.hours = {};
  t.hours[3] = 10;  // c2 spreads over every hour: cosine 1/sqrt(24)
  const Similarity s = compare_traits(t, false, c2, false);
  for (const auto& f : s.features) {
    if (f.feature == "user_agent") {
      EXPECT_EQ(f.similarity, 0);
    }
    if (f.feature == "method") {
      EXPECT_NEAR(f.similarity, 0, 1e-9);
    }
    if (f.feature == "url_shape") {
      EXPECT_NEAR(f.similarity, shape_similarity("/", "/w/w/w.php?id=B"), 1e-9);
    }
    if (f.feature == "time_of_day") {
      EXPECT_NEAR(f.similarity, 1 / std::sqrt(24.0), 1e-9);
    }
  }
}

}  // namespace
}  // namespace ashiato::analyze::beacon
