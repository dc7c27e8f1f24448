// The demo case against its own ground truth, read here without ashiato's log readers: proxy,
// firewall and DHCP lines are split with plain string operations, ground-truth.json with simdjson.
// Checks that every file it lists exists, that the C2 requests per host in the proxy logs are the
// ones it states, that each request's source address belongs (by the DHCP lease valid at that
// time) to the host it names, that two runs write the same bytes, and the traffic around the
// notice's C2: a second C2 that only one other PC calls, and the groupware's 60-second poll.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/timestamp.h"
#include "demo/demo_case.h"
#include "test_support.h"

namespace ashiato {
namespace {

namespace fs = std::filesystem;

struct Request {
  Timestamp time;
  std::string client_ip;
  std::string proxy;
  std::string host;
  std::string path;
  std::string query;  // without the '?'
  std::string user_agent;
  std::string server_ip;  // Squid's HIER_DIRECT address; empty in W3C logs and for cache hits
  std::int64_t reply_bytes = 0;
};

struct Lease {
  Timestamp acked;
  std::string host;
};

std::vector<std::string> lines_of(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Space-separated fields; a field in double quotes keeps its spaces (W3C and Squid's User-Agent).
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    if (line[i] == '"') {
      const std::size_t close = line.find('"', i + 1);
      out.push_back(line.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      const std::size_t end = std::min(line.find(' ', i), line.size());
      out.push_back(line.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

std::string url_host(const std::string& url) {
  std::string rest = url.starts_with("http://") ? url.substr(7) : url;
  return rest.substr(0, rest.find_first_of("/:"));
}

std::string value_after(const std::string& line, const std::string& key) {
  const std::size_t at = line.find(key);
  if (at == std::string::npos) return {};
  const std::size_t start = at + key.size();
  return line.substr(start, line.find(' ', start) - start);
}

std::string text(simdjson::dom::element e, const char* key) {
  std::string_view v;
  EXPECT_EQ(e[key].get_string().get(v), simdjson::SUCCESS) << key;
  return std::string(v);
}

std::int64_t number(simdjson::dom::element e, const char* key) {
  std::int64_t v = 0;
  EXPECT_EQ(e[key].get_int64().get(v), simdjson::SUCCESS) << key;
  return v;
}

class DemoCase : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One folder per process: ctest runs the tests of this suite side by side.
    dir_ = new fs::path(fs::temp_directory_path() / ("ashiato-test-DemoCase-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    demo::write_demo_case(dir_->string());
    truth_text_ = new simdjson::padded_string(test::read_file(*dir_ / "ground-truth.json"));
    parser_ = new simdjson::dom::parser();
    ASSERT_EQ(parser_->parse(*truth_text_).get(truth_), simdjson::SUCCESS);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete parser_;
    delete truth_text_;
    delete dir_;
  }

  static std::vector<std::string> files(const char* kind) {
    std::vector<std::string> out;
    for (simdjson::dom::element f : simdjson::dom::array(truth_["files"][kind])) {
      std::string_view path;
      EXPECT_EQ(f.get_string().get(path), simdjson::SUCCESS);
      out.emplace_back(path);
    }
    return out;
  }

  // Every request to `host` (every request when empty) in both proxies' logs.
  static std::vector<Request> requests_to(const std::string& host) {
    std::vector<Request> out;
    for (const std::string& path : files("proxy")) {
      std::vector<std::string> columns;  // W3C: from #Fields
      for (const std::string& line : lines_of(*dir_ / path)) {
        if (line.starts_with("#Fields: ")) {
          columns = fields_of(line.substr(9));
          continue;
        }
        if (line.empty() || line[0] == '#') continue;
        const auto f = fields_of(line);
        if (columns.empty()) {  // Squid: time elapsed client code/status bytes method URL user hierarchy type
          EXPECT_GE(f.size(), 12U) << line;
          if (f.size() < 12 || (!host.empty() && url_host(f[6]) != host)) continue;
          const std::size_t dot = f[0].find('.');
          Request r;
          r.time = Timestamp::from_unix_seconds(std::stoll(f[0].substr(0, dot)),
                                                std::stoll(f[0].substr(dot + 1)) * 1'000'000);
          r.client_ip = f[2];
          r.proxy = "squid";
          r.host = url_host(f[6]);
          const std::string url = f[6].starts_with("http://") ? f[6].substr(7) : f[6];
          const std::size_t slash = std::min(url.find('/'), url.size());
          const std::string target = url.substr(slash);
          r.path = target.substr(0, target.find('?'));
          if (const std::size_t q = target.find('?'); q != std::string::npos) r.query = target.substr(q + 1);
          r.user_agent = f[11];
          if (f[8].starts_with("HIER_DIRECT/")) r.server_ip = f[8].substr(12);
          r.reply_bytes = std::stoll(f[4]);
          out.push_back(std::move(r));
        } else {
          EXPECT_EQ(f.size(), columns.size()) << line;
          std::map<std::string, std::string> row;
          for (std::size_t i = 0; i < columns.size() && i < f.size(); ++i) row[columns[i]] = f[i];
          if (!host.empty() && row["cs-host"] != host) continue;
          Request r;
          r.time = *parse_iso8601(row["date"] + "T" + row["time"] + "Z");
          r.client_ip = row["c-ip"];
          r.proxy = "w3c";
          r.host = row["cs-host"];
          r.path = row["cs-uri-path"];
          if (row["cs-uri-query"] != "-") r.query = row["cs-uri-query"].substr(1);
          r.user_agent = row["cs(User-Agent)"];
          r.reply_bytes = std::stoll(row["sc-bytes"]);
          out.push_back(std::move(r));
        }
      }
    }
    return out;
  }

  // Every request to the C2 host in both proxies' logs.
  static std::vector<Request> c2_requests() { return requests_to(text(truth_["c2"], "domain")); }

  // DHCPACKs by address, in time order.
  static std::map<std::string, std::vector<Lease>> leases() {
    std::map<std::string, std::vector<Lease>> out;
    for (const std::string& path : files("dhcp")) {
      for (const std::string& line : lines_of(*dir_ / path)) {
        const std::size_t at = line.find(" DHCPACK on ");
        if (at == std::string::npos) continue;
        const auto f = fields_of(line.substr(at + 1));  // DHCPACK on IP to MAC (NAME) via RELAY
        EXPECT_EQ(f.size(), 8U) << line;
        const auto time = parse_iso8601(line.substr(0, line.find(' ')));
        EXPECT_TRUE(time.has_value()) << line;
        out[f[2]].push_back({*time, f[5].substr(1, f[5].size() - 2)});
      }
    }
    return out;
  }

  // The host that held `ip` at `t`: the last DHCPACK before it, if its lease has not run out.
  static std::string holder(const std::map<std::string, std::vector<Lease>>& leases, const std::string& ip,
                            Timestamp t) {
    const std::int64_t lease_ticks = number(truth_["organisation"]["dhcp"], "lease_seconds") * 10'000'000;
    auto it = leases.find(ip);
    if (it == leases.end()) return "(no lease)";
    const Lease* last = nullptr;
    for (const Lease& l : it->second) {
      if (l.acked <= t) last = &l;
    }
    if (last == nullptr || t.ticks - last->acked.ticks >= lease_ticks) return "(no valid lease)";
    return last->host;
  }

  static fs::path* dir_;
  static simdjson::padded_string* truth_text_;
  static simdjson::dom::parser* parser_;
  static simdjson::dom::element truth_;
};

fs::path* DemoCase::dir_ = nullptr;
simdjson::padded_string* DemoCase::truth_text_ = nullptr;
simdjson::dom::parser* DemoCase::parser_ = nullptr;
simdjson::dom::element DemoCase::truth_;

TEST_F(DemoCase, ListedFilesExistWithTheirSizes) {
  for (const char* kind : {"proxy", "firewall", "dhcp", "evtx", "notice"}) {
    EXPECT_FALSE(files(kind).empty()) << kind;
    for (const std::string& path : files(kind)) EXPECT_TRUE(fs::is_regular_file(*dir_ / path)) << path;
  }
  std::uint64_t proxy_lines = 0;
  for (simdjson::dom::element f : simdjson::dom::array(truth_["file_details"])) {
    const std::string path = text(f, "path");
    EXPECT_EQ(fs::file_size(*dir_ / path), static_cast<std::uintmax_t>(number(f, "bytes"))) << path;
    if (text(f, "kind") != "evtx") {
      EXPECT_EQ(lines_of(*dir_ / path).size(), static_cast<std::size_t>(number(f, "lines"))) << path;
    }
    if (text(f, "kind") == "proxy") proxy_lines += lines_of(*dir_ / path).size();
  }
  // Thousands of lines of ordinary traffic around the attack, and not more than a demo needs.
  EXPECT_GT(proxy_lines, 5000U);
  std::uintmax_t total = 0;
  for (const auto& p : test::files_under(*dir_, "")) total += fs::file_size(p);
  EXPECT_LT(total, 24U * 1024 * 1024);  // about 21 MB, 6 of them the groupware's polls
}

TEST_F(DemoCase, C2RequestsPerHostAreTheGroundTruthsAndAttributedByTheLeaseOfTheirTime) {
  const auto requests = c2_requests();
  const auto by_ip = leases();
  EXPECT_EQ(static_cast<std::int64_t>(requests.size()), number(truth_["c2"], "requests"));
  std::map<std::string, int> per_host;
  std::map<std::string, std::set<std::string>> ips_per_host;
  std::map<std::string, std::set<std::string>> proxies_per_host;
  std::map<std::string, std::pair<Timestamp, Timestamp>> span;
  for (const Request& r : requests) {
    const std::string host = holder(by_ip, r.client_ip, r.time);
    ++per_host[host];
    ips_per_host[host].insert(r.client_ip);
    proxies_per_host[host].insert(r.proxy);
    auto [it, fresh] = span.try_emplace(host, r.time, r.time);
    if (!fresh) {
      it->second.first = std::min(it->second.first, r.time);
      it->second.second = std::max(it->second.second, r.time);
    }
  }
  std::set<std::string> expected_hosts;
  for (simdjson::dom::element h : simdjson::dom::array(truth_["infected_hosts"])) {
    const std::string host = text(h, "hostname");
    expected_hosts.insert(host);
    EXPECT_EQ(per_host[host], number(h, "c2_requests")) << host;
    EXPECT_EQ(to_iso8601(span[host].first, 3), text(h, "first_c2_contact")) << host;
    EXPECT_EQ(to_iso8601(span[host].second, 3), text(h, "last_c2_contact")) << host;
    std::set<std::string> ips;
    for (simdjson::dom::element ip : simdjson::dom::array(h["ips"])) ips.insert(text(ip, "ip"));
    EXPECT_EQ(ips_per_host[host], ips) << host;
    EXPECT_EQ(proxies_per_host[host].size(), 1U) << host;
  }
  for (simdjson::dom::element h : simdjson::dom::array(truth_["suspect_hosts"])) {
    const std::string host = text(h, "hostname");
    expected_hosts.insert(host);
    EXPECT_EQ(per_host[host], number(h, "c2_requests")) << host;
    EXPECT_EQ(*ips_per_host[host].begin(), text(h, "ip")) << host;
  }
  std::set<std::string> found;
  for (const auto& [host, count] : per_host) found.insert(host);
  EXPECT_EQ(found, expected_hosts);
  // One beacon goes through the branch's W3C proxy, the others through Squid.
  std::set<std::string> proxies;
  for (const auto& [host, kinds] : proxies_per_host) proxies.insert(kinds.begin(), kinds.end());
  EXPECT_EQ(proxies, (std::set<std::string>{"squid", "w3c"}));
}

TEST_F(DemoCase, AnInfectedHostsAddressBelongsToAnotherPcOnAnotherDay) {
  const auto by_ip = leases();
  int traps = 0;
  for (simdjson::dom::element h : simdjson::dom::array(truth_["infected_hosts"])) {
    const std::string host = text(h, "hostname");
    for (simdjson::dom::element ip : simdjson::dom::array(h["ips"])) {
      std::set<std::string> others;
      for (const Lease& l : by_ip.at(text(ip, "ip"))) {
        if (l.host != host) others.insert(l.host);
      }
      std::set<std::string> stated;
      for (simdjson::dom::element o : simdjson::dom::array(ip["also_leased_to"])) stated.insert(text(o, "hostname"));
      EXPECT_EQ(others, stated) << host << " " << text(ip, "ip");
      traps += others.empty() ? 0 : 1;
    }
  }
  EXPECT_GE(traps, 1);
}

TEST_F(DemoCase, FirewallShowsTheProxiesReachingTheC2AndTheImplantsBlocked) {
  const std::string c2_ip = text(truth_["c2"], "ip");
  const auto by_ip = leases();
  std::int64_t allowed = 0;
  std::map<std::string, std::int64_t> blocked;
  for (const std::string& path : files("firewall")) {
    for (const std::string& line : lines_of(*dir_ / path)) {
      if (value_after(line, " DST=") != c2_ip) continue;
      if (line.find("FW-ALLOW-OUT: ") != std::string::npos) {
        const std::string src = value_after(line, " SRC=");
        EXPECT_TRUE(src == "10.1.0.8" || src == "10.1.20.8") << line;  // only the proxies may go out
        ++allowed;
      } else if (line.find("FW-DROP-OUT: ") != std::string::npos) {
        ++blocked[holder(by_ip, value_after(line, " SRC="), *parse_iso8601(line.substr(0, line.find(' '))))];
      }
    }
  }
  EXPECT_EQ(allowed, number(truth_["c2"], "requests"));
  std::int64_t expected_blocked = 0;
  for (simdjson::dom::element h : simdjson::dom::array(truth_["infected_hosts"])) {
    EXPECT_EQ(blocked[text(h, "hostname")], number(h, "firewall_blocked_direct_attempts")) << text(h, "hostname");
    expected_blocked += number(h, "firewall_blocked_direct_attempts");
  }
  std::int64_t total_blocked = 0;
  for (const auto& [host, n] : blocked) total_blocked += n;
  EXPECT_EQ(total_blocked, expected_blocked);
}

TEST_F(DemoCase, NoticeNamesTheC2DefangedAndTheWindowInJapanTime) {
  const std::string ja = test::read_file(*dir_ / "notice.txt");
  const std::string en = test::read_file(*dir_ / "notice-en.txt");
  for (const std::string* notice : {&ja, &en}) {
    EXPECT_NE(notice->find("hxxp://www.tabi-navi.example[.]jp/"), std::string::npos);
    EXPECT_NE(notice->find("203.0.113[.]45"), std::string::npos);
    EXPECT_NE(notice->find("198.51.100[.]23"), std::string::npos);
    EXPECT_EQ(notice->find("www.tabi-navi.example.jp"), std::string::npos) << "not defanged";
    EXPECT_NE(notice->find("+09:00"), std::string::npos);
  }
  EXPECT_NE(ja.find("貴組織"), std::string::npos);
  // The window stated is the one in the ground truth, in local time.
  const auto from = parse_iso8601(text(truth_["notice"], "observed_from"));
  ASSERT_TRUE(from.has_value());
  std::string local = to_iso8601(Timestamp{from->ticks + 9LL * 3600 * 10'000'000}, 0);
  local.pop_back();
  EXPECT_NE(ja.find(local + "+09:00"), std::string::npos) << local;
}

// "id=<24 base64url characters, letters and digits>&t=<Unix time>", the implant's query.
bool beacon_query_shape(const std::string& query) {
  const std::size_t amp = query.find('&');
  if (!query.starts_with("id=") || amp != 27 || query.compare(amp, 3, "&t=") != 0) return false;
  const std::string id = query.substr(3, 24);
  const std::string t = query.substr(amp + 3);
  const auto is = [](const std::string& v, auto pred) { return std::all_of(v.begin(), v.end(), pred); };
  return is(id, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }) &&
         std::any_of(id.begin(), id.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
         std::any_of(id.begin(), id.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }) &&
         t.size() == 10 && is(t, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

TEST_F(DemoCase, TheSecondC2IsCalledOnlyByItsPcWithItsOwnUserAgentForMoreThanADay) {
  const simdjson::dom::element similar = truth_["similar_c2"];
  const std::string domain = text(similar, "domain");
  const std::string c2_domain = text(truth_["c2"], "domain");
  ASSERT_NE(domain, c2_domain);
  const std::string agent = text(similar, "user_agent");
  EXPECT_NE(agent, text(truth_["c2"], "user_agent"));
  simdjson::dom::array hosts;
  ASSERT_EQ(similar["hosts"].get_array().get(hosts), simdjson::SUCCESS);
  ASSERT_EQ(hosts.size(), 1U);
  const simdjson::dom::element host = hosts.at(0);
  const std::string pc = text(host, "hostname");

  const auto by_ip = leases();
  const auto requests = requests_to(domain);
  ASSERT_EQ(static_cast<std::int64_t>(requests.size()), number(host, "requests"));
  EXPECT_EQ(number(similar, "requests"), number(host, "requests"));
  EXPECT_GE(requests.size(), 50U);
  Timestamp first = requests.front().time, last = requests.front().time;
  for (const Request& r : requests) {
    EXPECT_EQ(holder(by_ip, r.client_ip, r.time), pc) << to_iso8601(r.time, 3);
    EXPECT_EQ(r.client_ip, text(host, "ip"));
    EXPECT_EQ(r.user_agent, agent);
    EXPECT_EQ(r.path, text(similar, "path"));
    EXPECT_TRUE(beacon_query_shape(r.query)) << r.query;
    EXPECT_EQ(r.server_ip, text(similar, "ip"));
    EXPECT_LT(r.reply_bytes, 3000);
    first = std::min(first, r.time);
    last = std::max(last, r.time);
  }
  EXPECT_GE(last.ticks - first.ticks, 24LL * 3600 * 10'000'000);
  EXPECT_EQ(to_iso8601(first, 3), text(host, "first_contact"));
  EXPECT_EQ(to_iso8601(last, 3), text(host, "last_contact"));

  // The same implant: the notice's C2 is called with the same path and query shape.
  for (const Request& r : c2_requests()) {
    EXPECT_NE(holder(by_ip, r.client_ip, r.time), pc) << "the second C2's PC calls the first";
    if (r.user_agent == text(truth_["c2"], "user_agent")) {
      EXPECT_TRUE(beacon_query_shape(r.query)) << r.query;
    }
  }
  for (simdjson::dom::element h : simdjson::dom::array(truth_["infected_hosts"])) EXPECT_NE(text(h, "hostname"), pc);
  for (simdjson::dom::element h : simdjson::dom::array(truth_["suspect_hosts"])) EXPECT_NE(text(h, "hostname"), pc);
  EXPECT_NE(text(truth_["domain_admin"], "normal_workstation"), pc);
  EXPECT_FALSE(fs::exists(*dir_ / "evtx" / pc)) << "no event logs were collected from it";

  // Nobody else uses that User-Agent, and no other site has the second C2's address.
  for (const Request& r : requests_to("")) {
    if (r.user_agent == agent) {
      EXPECT_EQ(holder(by_ip, r.client_ip, r.time), pc);
    }
    if (r.server_ip == text(similar, "ip")) {
      EXPECT_EQ(r.host, domain);
    }
  }
  // Neither notice names it.
  for (const char* notice : {"notice.txt", "notice-en.txt"}) {
    const std::string body = test::read_file(*dir_ / notice);
    const std::string ip = text(similar, "ip");
    for (const std::string& needle :
         {domain, domain.substr(0, domain.rfind('.')), ip, ip.substr(0, ip.rfind('.')) + "[.]", agent}) {
      EXPECT_EQ(body.find(needle), std::string::npos) << notice << ": " << needle;
    }
  }

  // The firewall: the proxy reaches it once per request, the PC's direct attempts are dropped.
  std::int64_t allowed = 0, blocked = 0;
  for (const std::string& path : files("firewall")) {
    for (const std::string& line : lines_of(*dir_ / path)) {
      if (value_after(line, " DST=") != text(similar, "ip")) continue;
      if (line.find("FW-ALLOW-OUT: ") != std::string::npos) {
        EXPECT_EQ(value_after(line, " SRC="), "10.1.0.8") << line;
        ++allowed;
      } else {
        EXPECT_NE(line.find("FW-DROP-OUT: "), std::string::npos) << line;
        EXPECT_EQ(holder(by_ip, value_after(line, " SRC="), *parse_iso8601(line.substr(0, line.find(' ')))), pc);
        ++blocked;
      }
    }
  }
  EXPECT_EQ(allowed, number(host, "requests"));
  EXPECT_EQ(blocked, number(host, "firewall_blocked_direct_attempts"));
  EXPECT_GT(blocked, 0);
}

TEST_F(DemoCase, TheGroupwareIsPolledEvery60SecondsByManyPcs) {
  simdjson::dom::array pollers;
  ASSERT_EQ(truth_["benign_pollers"].get_array().get(pollers), simdjson::SUCCESS);
  ASSERT_EQ(pollers.size(), 1U);
  const simdjson::dom::element poller = pollers.at(0);
  EXPECT_EQ(number(poller, "interval_seconds"), 60);
  const auto by_ip = leases();
  std::map<std::string, std::vector<Timestamp>> times;  // per PC
  std::int64_t smallest = 1'000'000, largest = 0;
  std::set<std::string> addresses;
  for (const Request& r : requests_to(text(poller, "domain"))) {
    times[holder(by_ip, r.client_ip, r.time)].push_back(r.time);
    smallest = std::min(smallest, r.reply_bytes);
    largest = std::max(largest, r.reply_bytes);
    if (!r.server_ip.empty()) addresses.insert(r.server_ip);
  }
  EXPECT_EQ(addresses.size(), 1U);
  for (const Request& r : requests_to("")) {
    if (addresses.count(r.server_ip) != 0) {
      EXPECT_EQ(r.host, text(poller, "domain")) << "another site with the poller's address";
    }
  }
  EXPECT_EQ(times.count("(no lease)") + times.count("(no valid lease)"), 0U);
  EXPECT_GE(times.size(), 10U);
  EXPECT_EQ(static_cast<std::int64_t>(times.size()), number(poller, "hosts"));
  EXPECT_LE(largest - smallest, 16);  // nearly the same small reply each time
  EXPECT_LT(largest, 1000);
  std::size_t intervals = 0, near_60 = 0;
  for (auto& [pc, list] : times) {
    std::sort(list.begin(), list.end());
    for (std::size_t i = 1; i < list.size(); ++i) {
      const double seconds = static_cast<double>(list[i].ticks - list[i - 1].ticks) / 1e7;
      if (seconds > 600) continue;  // the page was closed, the next poll is on another day
      ++intervals;
      near_60 += seconds >= 58.5 && seconds <= 62.5 ? 1 : 0;
    }
  }
  EXPECT_GT(intervals, 1000U);
  EXPECT_EQ(near_60, intervals);
}

TEST_F(DemoCase, TwoRunsWriteTheSameBytes) {
  const fs::path second = test::temp_dir() / "demo";
  std::string output;
  ASSERT_EQ(test::run_command(std::string(ASHIATO_BINARY) + " simulate --out " + second.string(), output), 0) << output;
  const auto first_files = test::files_under(*dir_, "");
  const auto second_files = test::files_under(second, "");
  ASSERT_EQ(first_files.size(), second_files.size());
  for (std::size_t i = 0; i < first_files.size(); ++i) {
    EXPECT_EQ(fs::relative(first_files[i], *dir_), fs::relative(second_files[i], second));
    EXPECT_TRUE(test::read_file(first_files[i]) == test::read_file(second_files[i])) << first_files[i];
  }
  fs::remove_all(second.parent_path());
}

}  // namespace
}  // namespace ashiato
