// The case analysis' verdict rules, each on its own and through analyse_case on small cases built
// for the edge they test: one contact, a proxy seen only in firewall logs, an address that moved
// between PCs (DHCP), the "still going on" window, admin accounts on infected hosts, hosts that
// talk to a C2 candidate.
#include <gtest/gtest.h>

#include "analyze/case_analysis.h"

namespace ashiato::test {
namespace {

constexpr std::int64_t kMinute = 60LL * 10'000'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
const Timestamp kT0 = Timestamp::from_unix_seconds(1433116800);  // 2015-06-01T00:00:00Z

Timestamp at(std::int64_t ticks) {
  return Timestamp{kT0.ticks + ticks};
}

cases::FindingRecord contact(const std::string& address, std::int64_t when, std::uint64_t record,
                             const std::string& channel = "proxy") {
  cases::FindingRecord f;
  f.kind = FindingKind::kIndicator;
  f.level = Level::kHigh;
  f.rule_id = "www.tabi-navi.example.jp";
  f.time = at(when);
  f.host = address;
  f.src_ip = address;
  f.channel = channel;
  f.source_id = 1;
  f.evidence.push_back(EvidenceRef{"access.log", record, record * 100});
  return f;
}

cases::AttributionRecord lease(const std::string& ip, const std::string& host, std::int64_t from, std::int64_t to) {
  return cases::AttributionRecord{ip, host, "", "", "dhcp", at(from), at(to), 1, 2};
}

const cases::HostRecord* host(const analyze::CaseFacts& facts, const std::string& name) {
  for (const auto& h : facts.hosts) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

TEST(Verdicts, OneContactIsSuspectTwoAreInfected) {
  EXPECT_EQ(analyze::host_status(0), "involved");
  EXPECT_EQ(analyze::host_status(1), "suspect");
  EXPECT_EQ(analyze::host_status(2), "infected");
  EXPECT_EQ(analyze::host_status(5000), "infected");
}

TEST(Verdicts, OneRequestMatchingThreeIndicatorsIsOneContact) {
  // Domain, URL and address of the same request: three findings, one log record.
  auto a = contact("10.1.0.17", 0, 42), b = contact("10.1.0.17", 0, 42), c = contact("10.1.0.17", 0, 42);
  b.rule_id = "203.0.113.45";
  c.rule_id = "http://www.tabi-navi.example.jp/wp-content/themes/tabi/inc/news.php";
  const auto facts = analyze::analyse_case({}, {}, {a, b, c}, {lease("10.1.0.17", "PC-017", -kHour, kDay)});
  ASSERT_NE(host(facts, "PC-017"), nullptr);
  EXPECT_EQ(host(facts, "PC-017")->c2_hits, 1);
  EXPECT_EQ(host(facts, "PC-017")->status, "suspect");
}

TEST(Verdicts, AnAddressIsThePcThatHeldTheLeaseAtTheTime) {
  // 10.1.0.50 was PC-017's on day one and PC-042's on day two: each day's contacts go to its holder.
  const std::vector<cases::AttributionRecord> leases = {lease("10.1.0.50", "PC-017", 0, kDay - 1),
                                                        lease("10.1.0.50", "PC-042", kDay, 2 * kDay)};
  const auto facts = analyze::analyse_case(
      {}, {},
      {contact("10.1.0.50", kHour, 1), contact("10.1.0.50", 2 * kHour, 2), contact("10.1.0.50", kDay + kHour, 3)},
      leases);
  ASSERT_NE(host(facts, "PC-017"), nullptr);
  ASSERT_NE(host(facts, "PC-042"), nullptr);
  EXPECT_EQ(host(facts, "PC-017")->status, "infected");
  EXPECT_EQ(host(facts, "PC-042")->status, "suspect");
  EXPECT_EQ(host(facts, "10.1.0.50"), nullptr);
}

TEST(Verdicts, AProxySeenOnlyInFirewallLogsIsARelay) {
  EXPECT_TRUE(analyze::is_relay("10.0.0.8", false, true, false));
  EXPECT_FALSE(analyze::is_relay("10.0.0.8", true, true, false));    // also in proxy logs: a client
  EXPECT_FALSE(analyze::is_relay("10.0.0.8", false, false, false));  // no proxy logs: it may be the PC
  EXPECT_FALSE(analyze::is_relay("10.0.0.8", false, true, true));    // someone's PC by its lease
  EXPECT_FALSE(analyze::is_relay("PC-017", false, true, false));     // a name, not an address
  // Through analyse_case: the proxy 10.0.0.8 reaches the C2 in the firewall log only, the PCs in
  // the proxy log.
  const auto facts =
      analyze::analyse_case({}, {},
                            {contact("10.1.0.17", 0, 1), contact("10.1.0.17", kMinute, 2),
                             contact("10.0.0.8", 0, 3, "firewall"), contact("10.0.0.8", kMinute, 4, "firewall")},
                            {lease("10.1.0.17", "PC-017", -kHour, kDay)});
  ASSERT_NE(host(facts, "10.0.0.8"), nullptr);
  EXPECT_EQ(host(facts, "10.0.0.8")->status, "relay");
  ASSERT_EQ(facts.c2.size(), 1U);
  EXPECT_EQ(facts.c2[0].hosts, (std::set<std::string>{"PC-017"}));  // the relay is not a C2 client
}

TEST(Verdicts, StillGoingOnMeansContactWithinADayOfTheEvidencesEnd) {
  EXPECT_TRUE(analyze::still_ongoing(at(0), at(kDay - 1)));
  EXPECT_FALSE(analyze::still_ongoing(at(0), at(kDay)));
  EXPECT_FALSE(analyze::still_ongoing(std::nullopt, at(0)));
  EXPECT_FALSE(analyze::still_ongoing(at(0), std::nullopt));
  cases::SourceRecord log;
  log.format = "squid";
  log.first_time = at(0);
  log.last_time = at(3 * kDay);
  const auto early = analyze::analyse_case({log}, {}, {contact("10.1.0.17", 0, 1)}, {});
  EXPECT_FALSE(early.ongoing);
  const auto late = analyze::analyse_case({log}, {}, {contact("10.1.0.17", 3 * kDay - kHour, 1)}, {});
  EXPECT_TRUE(late.ongoing);
}

TEST(Verdicts, DetectionsOfMediumOrAboveMakeAHostInvolved) {
  EXPECT_FALSE(analyze::makes_host_involved(Level::kNone));
  EXPECT_FALSE(analyze::makes_host_involved(Level::kLow));
  EXPECT_TRUE(analyze::makes_host_involved(Level::kMedium));
  EXPECT_TRUE(analyze::makes_host_involved(Level::kCritical));
  cases::FindingRecord low, high;
  low.kind = high.kind = FindingKind::kSigma;
  low.level = Level::kLow;
  high.level = Level::kHigh;
  low.host = "ws-01.corp.local";
  high.host = "fs01.corp.local";
  const auto facts = analyze::analyse_case({}, {}, {low, high}, {});
  EXPECT_EQ(host(facts, "WS-01"), nullptr);
  ASSERT_NE(host(facts, "FS01"), nullptr);
  EXPECT_EQ(host(facts, "FS01")->status, "involved");
  EXPECT_EQ(facts.detections_by_level.at("low"), 1);
}

TEST(Verdicts, AnAdminAccountOnAnInfectedHostIsExposed) {
  cases::AccountRecord admin{"adm-tanaka", true, {"DC01", "PC-017"}, std::nullopt, std::nullopt};
  cases::AccountRecord user{"sato", false, {"PC-017"}, std::nullopt, std::nullopt};
  EXPECT_TRUE(analyze::admin_exposed(admin, {"PC-017"}));
  EXPECT_FALSE(analyze::admin_exposed(admin, {"PC-042"}));
  EXPECT_FALSE(analyze::admin_exposed(user, {"PC-017"}));
  // Through analyse_case: adm-tanaka held admin rights (4672) on PC-017, which beacons.
  const std::vector<cases::AttributionRecord> attributions = {
      lease("10.1.0.17", "PC-017", -kHour, kDay),
      cases::AttributionRecord{"", "PC-017", "adm-tanaka", "", "privileged", at(0), at(0), 1, 3},
      cases::AttributionRecord{"10.1.0.17", "FS01", "adm-tanaka", "", "account", at(kHour), at(kHour), 2, 4}};
  const auto facts =
      analyze::analyse_case({}, {}, {contact("10.1.0.17", 0, 1), contact("10.1.0.17", kMinute, 2)}, attributions);
  EXPECT_EQ(facts.admin_accounts_on_infected_names, (std::vector<std::string>{"adm-tanaka"}));
  // FS01, logged on to from the infected PC, is part of the case.
  ASSERT_NE(host(facts, "FS01"), nullptr);
  EXPECT_EQ(host(facts, "FS01")->status, "involved");
  ASSERT_EQ(facts.logons.size(), 1U);
  EXPECT_EQ(facts.logons[0].from_host, "PC-017");
}

// C2 candidates: a host that talks to one is "similar" while nobody decided, infected or suspect once
// it is accepted (a C2 of the case), unchanged when it is rejected.
cases::CandidateRecord candidate(const std::string& decision, std::int64_t connections = 288) {
  cases::CandidateRecord c;
  c.destination = "other.example.jp";
  c.kind = "fqdn";
  c.hosts = {"PC-042"};
  c.sources = {"10.1.0.42"};
  c.addresses = {"198.51.100.20"};
  c.first = at(kHour);
  c.last = at(kDay);
  c.connections = connections;
  c.score = "0.853";
  c.like = "c2.example.jp";
  c.decision = decision;
  return c;
}

TEST(CandidateHostStatus, UndecidedMakesHostsWithoutC2ContactSimilar) {
  const auto c = candidate("");
  EXPECT_EQ(analyze::candidate_host_status("", c), "similar");
  EXPECT_EQ(analyze::candidate_host_status("involved", c), "similar");
  // A host with C2 contact of its own, or a relay, keeps its status.
  EXPECT_EQ(analyze::candidate_host_status("suspect", c), "suspect");
  EXPECT_EQ(analyze::candidate_host_status("infected", c), "infected");
  EXPECT_EQ(analyze::candidate_host_status("relay", c), "relay");
  EXPECT_EQ(analyze::candidate_host_status("similar", c), "similar");
}

TEST(CandidateHostStatus, AcceptedIsAC2ByItsConnections) {
  const auto many = candidate("accepted", 288);
  EXPECT_EQ(analyze::candidate_host_status("", many), "infected");
  EXPECT_EQ(analyze::candidate_host_status("involved", many), "infected");
  EXPECT_EQ(analyze::candidate_host_status("suspect", many), "infected");
  EXPECT_EQ(analyze::candidate_host_status("similar", many), "infected");
  EXPECT_EQ(analyze::candidate_host_status("infected", many), "infected");
  EXPECT_EQ(analyze::candidate_host_status("relay", many), "relay");
  const auto one = candidate("accepted", 1);
  EXPECT_EQ(analyze::candidate_host_status("", one), "suspect");
  EXPECT_EQ(analyze::candidate_host_status("involved", one), "suspect");
  EXPECT_EQ(analyze::candidate_host_status("suspect", one), "suspect");
  EXPECT_EQ(analyze::candidate_host_status("infected", one), "infected");  // never lowered
  EXPECT_EQ(analyze::candidate_host_status("relay", one), "relay");
}

TEST(CandidateHostStatus, RejectedChangesNothing) {
  const auto c = candidate("rejected");
  for (const std::string status : {"", "involved", "suspect", "infected", "relay"}) {
    EXPECT_EQ(analyze::candidate_host_status(status, c), status);
  }
}

TEST(CandidateHostStatus, ThroughAnalyseCaseAnUndecidedCandidatesHostIsSimilar) {
  // PC-017 beacons to the indicators' C2; PC-042 only to the candidate; FS01 has a detection.
  cases::FindingRecord detection;
  detection.kind = FindingKind::kSigma;
  detection.level = Level::kHigh;
  detection.host = "fs01.corp.local";
  detection.time = at(kHour);
  const std::vector<cases::AttributionRecord> attributions = {
      lease("10.1.0.17", "PC-017", -kHour, 2 * kDay), lease("10.1.0.42", "PC-042", -kHour, 2 * kDay),
      cases::AttributionRecord{"10.1.0.42", "", "suzuki", "", "proxy", at(0), at(kDay), 10, 3}};
  auto undecided = candidate("");
  undecided.hosts = {"PC-017", "PC-042"};
  undecided.sources = {"10.1.0.17", "10.1.0.42"};
  const auto facts = analyze::analyse_case(
      {}, {}, {contact("10.1.0.17", 0, 1), contact("10.1.0.17", kMinute, 2), detection}, attributions, {undecided});
  ASSERT_NE(host(facts, "PC-042"), nullptr);
  EXPECT_EQ(host(facts, "PC-042")->status, "similar");
  EXPECT_EQ(host(facts, "PC-042")->addresses, (std::vector<std::string>{"10.1.0.42"}));
  EXPECT_EQ(host(facts, "PC-042")->users, (std::vector<std::string>{"suzuki"}));
  EXPECT_EQ(host(facts, "PC-042")->c2_hits, 0);
  EXPECT_FALSE(host(facts, "PC-042")->first_c2);
  ASSERT_NE(host(facts, "PC-017"), nullptr);
  EXPECT_EQ(host(facts, "PC-017")->status, "infected");  // its own C2 contact decides
  // Listed infected, suspect, similar, involved.
  ASSERT_EQ(facts.hosts.size(), 3U);
  EXPECT_EQ(facts.hosts[0].name, "PC-017");
  EXPECT_EQ(facts.hosts[1].name, "PC-042");
  EXPECT_EQ(facts.hosts[2].name, "FS01");
  // The candidate is listed; it is not a C2 of the case.
  ASSERT_EQ(facts.candidates.size(), 1U);
  EXPECT_EQ(facts.candidates[0].destination, "other.example.jp");
  ASSERT_EQ(facts.c2.size(), 1U);
  EXPECT_EQ(facts.c2[0].indicator, "www.tabi-navi.example.jp");
}

TEST(CandidateHostStatus, ThroughAnalyseCaseARejectedCandidateLeavesNoTrace) {
  const auto facts =
      analyze::analyse_case({}, {}, {}, {lease("10.1.0.42", "PC-042", -kHour, 2 * kDay)}, {candidate("rejected")});
  EXPECT_EQ(host(facts, "PC-042"), nullptr);
  EXPECT_TRUE(facts.candidates.empty());
  EXPECT_TRUE(facts.c2.empty());
  EXPECT_FALSE(facts.first_c2);
}

TEST(CandidateHostStatus, ThroughAnalyseCaseAnAcceptedCandidateIsAC2) {
  cases::SourceRecord log;
  log.format = "squid";
  log.first_time = at(0);
  log.last_time = at(kDay + kHour);
  // adm-tanaka logs on to FS01 from PC-042: once PC-042 is infected, FS01 is part of the case.
  const std::vector<cases::AttributionRecord> attributions = {
      lease("10.1.0.42", "PC-042", -kHour, 2 * kDay),
      cases::AttributionRecord{"10.1.0.42", "FS01", "adm-tanaka", "", "account", at(2 * kHour), at(2 * kHour), 1, 4}};
  const auto facts = analyze::analyse_case({log}, {}, {}, attributions, {candidate("accepted")});
  ASSERT_NE(host(facts, "PC-042"), nullptr);
  EXPECT_EQ(host(facts, "PC-042")->status, "infected");
  EXPECT_EQ(host(facts, "PC-042")->first_c2, at(kHour));
  EXPECT_EQ(host(facts, "PC-042")->last_c2, at(kDay));
  ASSERT_EQ(facts.c2.size(), 1U);
  EXPECT_EQ(facts.c2[0].indicator, "other.example.jp");
  EXPECT_EQ(facts.c2[0].type, "domain");
  EXPECT_EQ(facts.c2[0].source, "accepted candidate");
  EXPECT_EQ(facts.c2[0].hits, 288);
  EXPECT_EQ(facts.c2[0].hosts, (std::set<std::string>{"PC-042"}));
  EXPECT_EQ(facts.first_c2, at(kHour));
  EXPECT_EQ(facts.last_c2, at(kDay));
  EXPECT_TRUE(facts.ongoing);  // within a day of the evidence's end
  ASSERT_EQ(facts.candidates.size(), 1U);
  EXPECT_EQ(facts.candidates[0].decision, "accepted");
  ASSERT_NE(host(facts, "FS01"), nullptr);
  EXPECT_EQ(host(facts, "FS01")->status, "involved");
  // Each host by its own connections: one contact of PC-043 makes it suspect, not infected.
  auto shared = candidate("accepted");
  shared.hosts = {"PC-042", "PC-043"};
  shared.sources = {"10.1.0.42", "10.1.0.43"};
  shared.host_connections = {287, 1};
  const auto two = analyze::analyse_case(
      {}, {}, {}, {lease("10.1.0.42", "PC-042", -kHour, 2 * kDay), lease("10.1.0.43", "PC-043", -kHour, 2 * kDay)},
      {shared});
  ASSERT_NE(host(two, "PC-042"), nullptr);
  ASSERT_NE(host(two, "PC-043"), nullptr);
  EXPECT_EQ(host(two, "PC-042")->status, "infected");
  EXPECT_EQ(host(two, "PC-043")->status, "suspect");
  EXPECT_EQ(host(two, "PC-043")->addresses, (std::vector<std::string>{"10.1.0.43"}));
  // An accepted address candidate is an address C2.
  auto address = candidate("accepted", 1);
  address.destination = "198.51.100.20";
  address.kind = "ip";
  const auto by_address =
      analyze::analyse_case({}, {}, {}, {lease("10.1.0.42", "PC-042", -kHour, 2 * kDay)}, {address});
  ASSERT_EQ(by_address.c2.size(), 1U);
  EXPECT_EQ(by_address.c2[0].type, "ip");
  ASSERT_NE(host(by_address, "PC-042"), nullptr);
  EXPECT_EQ(host(by_address, "PC-042")->status, "suspect");
}

}  // namespace
}  // namespace ashiato::test
